"""Assembling a location's manifest: pruning to the horizon and stable ETags."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from anslag_testing.manifests import (
    asset_refs,
    assignment,
    entry,
    event,
    image,
    location,
    playlist,
    sha,
    text,
    utc,
)
from pydantic import ValidationError

from playlists.assembly import assemble_manifest
from playlists.manifest import AssetRef, Assignment, Item, Manifest, Playlist, parse_manifest

NOW = utc("2026-03-02 12:00")
HORIZON = timedelta(days=7)


def assemble(
    *,
    items: Sequence[Item],
    playlists: Sequence[Playlist],
    assignments: Sequence[Assignment],
    assets: Sequence[AssetRef] | None = None,
    now: datetime = NOW,
) -> Manifest:
    return assemble_manifest(
        location=location(),
        assets=asset_refs(items) if assets is None else assets,
        items=items,
        playlists=playlists,
        assignments=assignments,
        now=now,
        horizon=HORIZON,
    )


def ids(things: Sequence[Item | Playlist | Assignment]) -> list[str]:
    return [thing.id for thing in things]


def test_items_outside_the_horizon_are_left_out() -> None:
    items = [
        image("slut-nyss", valid_until=NOW),
        image("slutar-snart", valid_until=NOW + timedelta(seconds=1)),
        image("börjar-sist", valid_from=NOW + HORIZON - timedelta(seconds=1)),
        image("börjar-efter", valid_from=NOW + HORIZON),
    ]
    m = assemble(
        items=items,
        playlists=[playlist("p", *ids(items))],
        assignments=[assignment("alltid", "p")],
    )
    assert ids(m.items) == ["börjar-sist", "slutar-snart"]
    assert [e.item for e in m.playlists[0].entries] == ["slutar-snart", "börjar-sist"]
    assert [a.sha256 for a in m.assets] == sorted([sha("slutar-snart"), sha("börjar-sist")])


def test_expired_entry_is_dropped_and_its_item_with_it() -> None:
    m = assemble(
        items=[image("affisch"), image("bibliotek")],
        playlists=[playlist("p", entry("affisch", valid_until=NOW), "bibliotek")],
        assignments=[assignment("alltid", "p")],
    )
    assert [e.item for e in m.playlists[0].entries] == ["bibliotek"]
    assert ids(m.items) == ["bibliotek"]
    assert [a.sha256 for a in m.assets] == [sha("bibliotek")]


def test_playlists_nobody_assigns_and_their_items_are_left_out() -> None:
    m = assemble(
        items=[image("bibliotek"), image("utkast")],
        playlists=[playlist("heldag", "bibliotek"), playlist("utkast", "utkast")],
        assignments=[assignment("alltid", "heldag")],
    )
    assert ids(m.playlists) == ["heldag"]
    assert ids(m.items) == ["bibliotek"]
    assert [a.sha256 for a in m.assets] == [sha("bibliotek")]


def test_expired_assignment_takes_its_playlist_items_and_assets_along() -> None:
    m = assemble(
        items=[image("sportlov"), image("bibliotek")],
        playlists=[playlist("sportlov", "sportlov"), playlist("heldag", "bibliotek")],
        assignments=[
            assignment("sportlov", "sportlov", priority=5, valid_until=NOW),
            assignment("heldag", "heldag"),
        ],
    )
    assert ids(m.assignments) == ["heldag"]
    assert ids(m.playlists) == ["heldag"]
    assert ids(m.items) == ["bibliotek"]
    assert [a.sha256 for a in m.assets] == [sha("bibliotek")]


def test_playlist_left_without_entries_is_dropped_with_its_assignment() -> None:
    m = assemble(
        items=[image("loppis", valid_until=NOW), image("bibliotek")],
        playlists=[playlist("loppis", "loppis"), playlist("heldag", "bibliotek")],
        assignments=[assignment("loppis", "loppis", priority=1), assignment("heldag", "heldag")],
    )
    assert ids(m.assignments) == ["heldag"]
    assert ids(m.playlists) == ["heldag"]


def test_event_poster_is_kept_while_the_event_is_still_to_come() -> None:
    upcoming = event("byastämma", NOW + timedelta(days=2))
    past = event("julbord", NOW - timedelta(days=2))
    items: list[Item] = [upcoming, past, text("nyhet")]
    m = assemble(
        items=items,
        playlists=[playlist("p", "byastämma", "julbord", "nyhet")],
        assignments=[assignment("alltid", "p")],
    )
    assert ids(m.items) == ["byastämma", "nyhet"]
    assert [a.sha256 for a in m.assets] == [sha("byastämma-poster")]


def test_output_order_depends_on_content_not_on_input_order() -> None:
    items = [image(f"bild-{n}") for n in range(6)]
    playlists = [
        playlist("b-lista", "bild-3", "bild-1", "bild-5"),
        playlist("a-lista", "bild-4", "bild-0", "bild-2"),
    ]
    assignments = [
        assignment("kväll", "b-lista", priority=1),
        assignment("morgon", "a-lista", priority=1),
        assignment("bas", "a-lista"),
        assignment("topp", "b-lista", priority=3),
    ]
    m = assemble(items=items, playlists=playlists, assignments=assignments)
    assert ids(m.assignments) == ["topp", "kväll", "morgon", "bas"]
    assert ids(m.playlists) == ["a-lista", "b-lista"]
    assert ids(m.items) == [f"bild-{n}" for n in range(6)]
    assert [e.item for e in m.playlists[1].entries] == ["bild-3", "bild-1", "bild-5"]
    assert [a.sha256 for a in m.assets] == sorted(a.sha256 for a in m.assets)

    shuffler = random.Random(7)
    for _ in range(5):
        shuffled = assemble(
            items=shuffler.sample(items, len(items)),
            playlists=shuffler.sample(playlists, len(playlists)),
            assignments=shuffler.sample(assignments, len(assignments)),
        )
        assert shuffled == m
        assert shuffled.content_hash() == m.content_hash()


def test_reassembling_unchanged_content_later_keeps_the_etag() -> None:
    def at(now: datetime) -> Manifest:
        return assemble(
            items=[text("nyhet")],
            playlists=[playlist("p", "nyhet")],
            assignments=[assignment("alltid", "p")],
            now=now,
        )

    earlier, later = at(NOW), at(NOW + timedelta(minutes=5))
    assert earlier.generated_at != later.generated_at
    assert earlier.content_hash() == later.content_hash()


def test_changed_title_changes_the_etag() -> None:
    def with_title(title: str) -> Manifest:
        return assemble(
            items=[text("nyhet", title)],
            playlists=[playlist("p", "nyhet")],
            assignments=[assignment("alltid", "p")],
        )

    assert with_title("Simhallen stänger").content_hash() != (
        with_title("Simhallen öppnar").content_hash()
    )


def test_assembled_manifest_covers_the_horizon_and_survives_the_wire() -> None:
    m = assemble(
        items=[image("bibliotek")],
        playlists=[playlist("p", "bibliotek")],
        assignments=[assignment("alltid", "p", weekdays=[3, 1])],
    )
    assert (m.generated_at, m.valid_until) == (NOW, NOW + HORIZON)
    received = parse_manifest(m.model_dump_json())
    assert received == m
    assert received.content_hash() == m.content_hash()


def test_naive_clock_and_empty_horizon_are_refused() -> None:
    with pytest.raises(ValueError, match="now must carry a time zone"):
        assemble(items=[], playlists=[], assignments=[], now=datetime(2026, 3, 2, 12))
    with pytest.raises(ValueError, match="horizon must be positive"):
        assemble_manifest(
            location=location(),
            assets=[],
            items=[],
            playlists=[],
            assignments=[],
            now=NOW,
            horizon=timedelta(0),
        )


def test_id_passed_twice_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="item 'nyhet' was passed twice"):
        assemble(
            items=[text("nyhet", "Gammal"), text("nyhet", "Ny")],
            playlists=[playlist("p", "nyhet")],
            assignments=[assignment("alltid", "p")],
        )


def test_same_file_listed_twice_is_kept_once_unless_the_listings_disagree() -> None:
    def with_assets(*assets: AssetRef) -> Manifest:
        return assemble(
            items=[image("bibliotek")],
            playlists=[playlist("p", "bibliotek")],
            assignments=[assignment("alltid", "p")],
            assets=assets,
        )

    ref = AssetRef(sha256=sha("bibliotek"), size=1024, media_type="image/jpeg")
    assert with_assets(ref, ref).assets == (ref,)
    other = ref.model_copy(update={"media_type": "image/png"})
    with pytest.raises(ValueError, match=f"asset {ref.sha256} was passed twice"):
        with_assets(ref, other)


def test_item_whose_file_is_missing_is_named_in_the_error() -> None:
    with pytest.raises(ValidationError, match="item 'bibliotek' refers to unlisted asset"):
        assemble(
            items=[image("bibliotek")],
            playlists=[playlist("p", "bibliotek")],
            assignments=[assignment("alltid", "p")],
            assets=[],
        )
