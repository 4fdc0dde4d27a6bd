"""Creating content: what is accepted is stored as given, what no screen could show is refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
from anslag_testing.server_app import FakeClock, png
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from playlists.manifest import Manifest, TextItem
from server.db import session_scope
from server.errors import AlreadyExists, InvalidContent
from server.models import Location, MediaAsset
from server.services import content
from server.services.manifests import build_manifest
from server.storage import LocalMediaStorage


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def make_location(session: Session, clock: FakeClock, slug: str = "svanstein") -> Location:
    return content.create_location(
        session,
        slug=slug,
        name="Svanstein",
        timezone="Europe/Stockholm",
        languages=["sv", "fit"],
        now=clock(),
    )


def title(manifest: Manifest, item_id: str) -> str:
    item = manifest.item(item_id)
    assert isinstance(item, TextItem)
    return item.texts["sv"].title


def test_an_uploaded_image_is_stored_with_its_size_and_type(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    data = png(120, 80)
    with session_scope(engine) as session:
        asset = content.store_media(
            session, storage, data=data, media_type="image/png", original_name="a.png", now=clock()
        )
        sha256 = asset.sha256

    with Session(engine) as session:
        stored = session.get_one(MediaAsset, sha256)
        assert (stored.width, stored.height, stored.size) == (120, 80, len(data))
        assert (stored.media_type, stored.original_name) == ("image/png", "a.png")
        assert stored.created_at == clock()
    assert storage.path(sha256).read_bytes() == data


def test_uploading_the_same_image_twice_returns_the_first_asset(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        first = content.store_media(
            session, storage, data=png(), media_type="image/png", original_name="a.png", now=clock()
        )
        first_name = first.original_name
        clock.advance(timedelta(days=1))
        again = content.store_media(
            session, storage, data=png(), media_type="image/png", original_name="b.png", now=clock()
        )

        assert again.sha256 == first.sha256
        assert again.original_name == first_name == "a.png"
        assert session.exec(select(func.count()).select_from(MediaAsset)).one() == 1


@pytest.mark.parametrize(
    ("data", "media_type", "complaint"),
    [
        ("Kom ihåg mötet".encode(), "image/png", "'upload' is not a readable image"),
        (png()[:200], "image/png", "'upload' is not a readable image"),
        (png(), "image/jpeg", "'upload' was sent as image/jpeg but is image/png"),
        (png(), "image/gif", "'upload' is image/gif; screens show image/jpeg, image/png"),
    ],
)
def test_what_is_not_a_showable_image_is_refused_and_not_stored(
    session: Session,
    storage: LocalMediaStorage,
    clock: FakeClock,
    data: bytes,
    media_type: str,
    complaint: str,
) -> None:
    with pytest.raises(InvalidContent, match=complaint):
        content.store_media(
            session, storage, data=data, media_type=media_type, original_name="upload", now=clock()
        )

    assert not storage.root.exists()


def test_a_location_needs_a_known_time_zone(session: Session, clock: FakeClock) -> None:
    with pytest.raises(InvalidContent, match="unknown time zone 'Europe/Övertorneå'"):
        content.create_location(
            session,
            slug="x",
            name="X",
            timezone="Europe/Övertorneå",
            languages=["sv"],
            now=clock(),
        )


def test_a_location_slug_is_taken_only_once(session: Session, clock: FakeClock) -> None:
    make_location(session, clock)

    with pytest.raises(AlreadyExists, match="'svanstein' already exists"):
        make_location(session, clock)


@pytest.mark.parametrize("slug", ["Svanstein", "svan stein", "-svanstein", "svanstein--by", ""])
def test_a_location_slug_is_lowercase_words_and_hyphens(
    session: Session, clock: FakeClock, slug: str
) -> None:
    with pytest.raises(InvalidContent, match="lowercase letters, digits and single hyphens"):
        make_location(session, clock, slug)


@pytest.mark.parametrize(
    ("texts", "complaint"),
    [
        ({"sv": ("x" * 301, "")}, "title: String should have at most 300 characters"),
        ({"sv": ("  ", "Brödtext")}, "the 'sv' title is empty"),
        ({}, "needs a title in at least one language"),
        ({"Svenska": ("Titel", "")}, "String should match pattern"),
    ],
)
def test_a_text_slide_no_screen_could_show_is_refused(
    session: Session, clock: FakeClock, texts: dict[str, tuple[str, str]], complaint: str
) -> None:
    with pytest.raises(InvalidContent, match=complaint):
        content.create_text_item(session, texts=texts, now=clock())


def test_screens_and_playlists_need_a_name_that_fits(session: Session, clock: FakeClock) -> None:
    location = make_location(session, clock)

    with pytest.raises(InvalidContent, match="a screen needs a name"):
        content.create_screen(session, location=location, name=" ", now=clock())
    with pytest.raises(InvalidContent, match="longer than 200 characters"):
        content.create_playlist(session, name="Kväll" * 41, entries=[])


def test_an_event_place_longer_than_a_screen_line_is_refused(
    session: Session, clock: FakeClock
) -> None:
    with pytest.raises(InvalidContent, match="the event's place is longer than 200 characters"):
        content.create_event_item(
            session,
            texts={"sv": ("Julmarknad", "")},
            starts_at=clock(),
            place="x" * 201,
            now=clock(),
        )


def test_validity_must_be_aware_and_end_after_it_starts(session: Session, clock: FakeClock) -> None:
    texts = {"sv": ("Titel", "")}
    with pytest.raises(InvalidContent, match="must carry a time zone"):
        content.create_text_item(
            session, texts=texts, valid_until=datetime(2026, 2, 1), now=clock()
        )
    with pytest.raises(InvalidContent, match="valid_until must be after valid_from"):
        content.create_text_item(
            session, texts=texts, valid_from=clock(), valid_until=clock(), now=clock()
        )


def test_an_assignment_window_needs_both_ends(session: Session, clock: FakeClock) -> None:
    location = make_location(session, clock)
    item = content.create_text_item(session, texts={"sv": ("Titel", "")}, now=clock())
    playlist = content.create_playlist(session, name="Morgon", entries=[item])

    with pytest.raises(InvalidContent, match="start_time and end_time go together"):
        content.assign_playlist(session, playlist=playlist, location=location, start_time=time(7))
    with pytest.raises(InvalidContent, match="at least one weekday"):
        content.assign_playlist(session, playlist=playlist, location=location, weekdays=[])


def test_a_playlist_plays_its_entries_in_order_with_their_overrides(
    session: Session, clock: FakeClock
) -> None:
    location = make_location(session, clock)
    first = content.create_text_item(session, texts={"sv": ("Först", "")}, now=clock())
    second = content.create_text_item(session, texts={"sv": ("Sedan", "")}, now=clock())
    playlist = content.create_playlist(
        session, name="Dag", entries=[second, content.EntrySpec(first, duration_s=20)]
    )
    content.assign_playlist(
        session,
        playlist=playlist,
        location=location,
        priority=5,
        weekdays=[6, 1, 1],
        start_time=time(22),
        end_time=time(6),
    )

    manifest = build_manifest(session, location=location, now=clock(), horizon=timedelta(days=7))

    [wire_playlist] = manifest.playlists
    shown = [(title(manifest, e.item), e.duration_s) for e in wire_playlist.entries]
    assert shown == [("Sedan", None), ("Först", 20)]
    [assignment] = manifest.assignments
    assert (assignment.priority, sorted(assignment.weekdays)) == (5, [1, 6])
    assert (assignment.start_time, assignment.end_time) == (time(22), time(6))
