"""Playlists: saved whole with their version, refused when unplayable or in use, all logged."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from anslag_testing.schedules import place, slides
from anslag_testing.server_app import FakeClock, png
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.errors import StaleEdit
from server.models import Assignment, AuditEntry, Playlist, PlaylistEntry
from server.services import content
from server.services.manifests import build_manifest
from server.services.permissions import Actor
from server.services.playlists import (
    EntryDraft,
    PlaylistDraft,
    PlaylistInUse,
    PlaylistProblem,
    create_playlist,
    delete_playlist,
    item_choices,
    list_playlists,
    save_playlist,
)
from server.storage import LocalMediaStorage

ANNA = Actor(user_id=None, name="anna", role="editor")
BERTIL = Actor(user_id=None, name="bertil", role="editor")


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def three_items(session: Session, clock: FakeClock) -> list[int]:
    items = slides(session, "Simhallen", "Biblioteket", "Julmarknad", now=clock())
    return [item.id for item in items if item.id is not None]


def draft(
    name: str,
    *item_ids: int,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> PlaylistDraft:
    entries = tuple(EntryDraft(item_id) for item_id in item_ids)
    return PlaylistDraft(name, entries, valid_from=valid_from, valid_until=valid_until)


def stored_entries(session: Session, playlist_id: int) -> list[tuple[int, int, float | None]]:
    session.expire_all()
    rows = session.exec(
        select(PlaylistEntry)
        .where(PlaylistEntry.playlist_id == playlist_id)
        .order_by(col(PlaylistEntry.position))
    )
    return [(row.position, row.item_id or 0, row.duration_s) for row in rows]


def audit(session: Session) -> list[tuple[str, str, str]]:
    return [
        (entry.action, entry.actor, entry.summary)
        for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))
    ]


def test_a_new_playlist_keeps_its_entries_in_order_with_their_overrides(
    session: Session, clock: FakeClock
) -> None:
    first, second, third = three_items(session, clock)
    until = clock() + timedelta(days=3)
    playlist = create_playlist(
        session,
        actor=ANNA,
        draft=PlaylistDraft(
            name="  Entrén  ",
            entries=(
                EntryDraft(third),
                EntryDraft(first, duration_s=4.5),
                EntryDraft(second, valid_until=until),
            ),
        ),
        now=clock(),
    )
    session.commit()
    assert playlist.id is not None

    assert (playlist.name, playlist.version, playlist.updated_at) == ("Entrén", 1, clock())
    assert stored_entries(session, playlist.id) == [
        (0, third, None),
        (1, first, 4.5),
        (2, second, None),
    ]
    assert (
        session.exec(select(PlaylistEntry.valid_until).where(PlaylistEntry.item_id == second)).one()
        == until
    )
    [(action, actor, summary)] = audit(session)
    assert (action, actor, summary) == ("create", "anna", "playlist 'Entrén'")
    logged = session.exec(select(AuditEntry)).one().after
    assert logged is not None
    assert logged["entries"] == [
        {"item_id": item_id, "duration_s": duration_s, "valid_from": None, "valid_until": until}
        for item_id, duration_s, until in (
            (third, None, None),
            (first, 4.5, None),
            (second, None, until.isoformat().replace("+00:00", "Z")),
        )
    ]


def test_a_save_replaces_the_whole_playlist_and_moves_its_version_on(
    session: Session, clock: FakeClock
) -> None:
    first, second, third = three_items(session, clock)
    playlist = create_playlist(
        session, actor=ANNA, draft=draft("Entrén", first, second), now=clock()
    )
    assert playlist.id is not None
    clock.advance(timedelta(minutes=5))

    saved = save_playlist(
        session,
        actor=BERTIL,
        playlist_id=playlist.id,
        expected_version=1,
        draft=draft("Entrén, vinter", third, first, second),
        now=clock(),
    )
    session.commit()

    assert (saved.name, saved.version, saved.updated_at) == ("Entrén, vinter", 2, clock())
    assert stored_entries(session, playlist.id) == [
        (0, third, None),
        (1, first, None),
        (2, second, None),
    ]
    assert audit(session)[-1] == ("update", "bertil", "playlist 'Entrén, vinter'")
    entry = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
    assert entry is not None
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["name"], entry.after["name"]) == ("Entrén", "Entrén, vinter")
    assert (entry.before["version"], entry.after["version"]) == (1, 2)


def test_a_playlist_shrinks_and_grows_without_two_entries_sharing_a_position(
    session: Session, clock: FakeClock
) -> None:
    first, second, third = three_items(session, clock)
    playlist = create_playlist(
        session, actor=ANNA, draft=draft("Entrén", first, second, third), now=clock()
    )
    assert playlist.id is not None

    save_playlist(
        session,
        actor=ANNA,
        playlist_id=playlist.id,
        expected_version=1,
        draft=draft("Entrén", third),
        now=clock(),
    )
    session.commit()
    shrunk = stored_entries(session, playlist.id)
    save_playlist(
        session,
        actor=ANNA,
        playlist_id=playlist.id,
        expected_version=2,
        draft=draft("Entrén", second, third, first, first),
        now=clock(),
    )
    session.commit()

    assert shrunk == [(0, third, None)]
    assert stored_entries(session, playlist.id) == [
        (0, second, None),
        (1, third, None),
        (2, first, None),
        (3, first, None),
    ]


def test_changing_only_the_order_is_logged_as_a_reordering(
    session: Session, clock: FakeClock
) -> None:
    first, second, _third = three_items(session, clock)
    playlist = create_playlist(
        session, actor=ANNA, draft=draft("Entrén", first, second), now=clock()
    )
    assert playlist.id is not None

    save_playlist(
        session,
        actor=ANNA,
        playlist_id=playlist.id,
        expected_version=1,
        draft=draft("Entrén", second, first),
        now=clock(),
    )
    save_playlist(
        session,
        actor=ANNA,
        playlist_id=playlist.id,
        expected_version=2,
        draft=draft("Entrén", second, first),
        now=clock(),
    )

    assert [action for action, _actor, _summary in audit(session)] == [
        "create",
        "reorder",
        "update",
    ]


def test_the_second_of_two_editors_saving_the_same_version_is_told_and_changes_nothing(
    session: Session, clock: FakeClock
) -> None:
    first, second, third = three_items(session, clock)
    playlist = create_playlist(session, actor=ANNA, draft=draft("Entrén", first), now=clock())
    assert playlist.id is not None
    save_playlist(
        session,
        actor=ANNA,
        playlist_id=playlist.id,
        expected_version=1,
        draft=draft("Anna's", first, second),
        now=clock(),
    )
    session.commit()

    with pytest.raises(StaleEdit, match="saved by someone else meanwhile"):
        save_playlist(
            session,
            actor=BERTIL,
            playlist_id=playlist.id,
            expected_version=1,
            draft=draft("Bertil's", third),
            now=clock(),
        )
    session.commit()

    session.expire_all()
    stored = session.get_one(Playlist, playlist.id)
    assert (stored.name, stored.version) == ("Anna's", 2)
    assert stored_entries(session, playlist.id) == [(0, first, None), (1, second, None)]
    assert [actor for _action, actor, _summary in audit(session)] == ["anna", "anna"]


@pytest.mark.parametrize(
    ("make_draft", "reason", "position", "message"),
    [
        (lambda ids: draft("   ", *ids), "name_missing", None, "needs a name"),
        (lambda ids: draft("x" * 201, *ids), "name_too_long", None, "longer than 200"),
        (lambda ids: draft("Entrén", ids[0], 999_999), "unknown_item", 2, "item 999999"),
        (
            lambda ids: PlaylistDraft("Entrén", (EntryDraft(ids[0], duration_s=0),)),
            "duration",
            1,
            "more than 0",
        ),
        (
            lambda ids: PlaylistDraft(
                "Entrén",
                (
                    EntryDraft(ids[0]),
                    EntryDraft(
                        ids[1],
                        valid_from=datetime(2026, 2, 1, tzinfo=UTC),
                        valid_until=datetime(2026, 1, 1, tzinfo=UTC),
                    ),
                ),
            ),
            "window",
            2,
            "entry 2: the end of the window must be after its start",
        ),
        (
            lambda ids: draft(
                "Entrén",
                *ids,
                valid_from=datetime(2026, 2, 1, tzinfo=UTC),
                valid_until=datetime(2026, 2, 1, tzinfo=UTC),
            ),
            "window",
            None,
            "the playlist: the end of the window",
        ),
    ],
)
def test_an_unplayable_save_is_refused_by_what_is_wrong_and_changes_nothing(
    session: Session,
    clock: FakeClock,
    make_draft: Callable[[list[int]], PlaylistDraft],
    reason: str,
    position: int | None,
    message: str,
) -> None:
    ids = three_items(session, clock)
    playlist = create_playlist(session, actor=ANNA, draft=draft("Entrén", ids[0]), now=clock())
    assert playlist.id is not None
    session.commit()

    with pytest.raises(PlaylistProblem, match=message) as refused:
        save_playlist(
            session,
            actor=ANNA,
            playlist_id=playlist.id,
            expected_version=1,
            draft=make_draft(ids),
            now=clock(),
        )
    session.commit()

    assert (refused.value.reason, refused.value.position) == (reason, position)
    session.expire_all()
    assert session.get_one(Playlist, playlist.id).version == 1
    assert stored_entries(session, playlist.id) == [(0, ids[0], None)]
    assert len(audit(session)) == 1


def test_a_playlist_in_use_is_not_deleted_and_the_refusal_names_where(
    session: Session, clock: FakeClock
) -> None:
    ids = three_items(session, clock)
    shop = place(session, name="Byabutiken", tags=["svanstein", "tornedalen"], now=clock())
    place(session, name="Sporthallen", tags=["tornedalen"], now=clock())
    playlist = create_playlist(session, actor=ANNA, draft=draft("Entrén", *ids), now=clock())
    assert playlist.id is not None
    content.assign_playlist(session, playlist=playlist, location=shop)
    session.add(Assignment(playlist_id=playlist.id, location_tag="tornedalen", weekdays=[1, 2]))
    session.commit()

    with pytest.raises(PlaylistInUse) as refused:
        delete_playlist(session, actor=ANNA, playlist_id=playlist.id, now=clock())

    assert str(refused.value) == (
        "playlist 'Entrén' is still assigned to Byabutiken; "
        "the tag 'tornedalen' (Byabutiken, Sporthallen); remove it from the schedule first"
    )
    assert refused.value.usage.locations == ("Byabutiken",)
    assert session.get(Playlist, playlist.id) is not None
    assert [(p.name, u.locations) for p, u in list_playlists(session)] == [
        ("Entrén", ("Byabutiken",))
    ]


def test_deleting_an_unused_playlist_removes_its_entries_and_is_logged(
    session: Session, clock: FakeClock
) -> None:
    ids = three_items(session, clock)
    playlist = create_playlist(session, actor=ANNA, draft=draft("Entrén", *ids), now=clock())
    assert playlist.id is not None
    session.commit()

    delete_playlist(session, actor=BERTIL, playlist_id=playlist.id, now=clock(), expected_version=1)
    session.commit()

    assert session.exec(select(Playlist)).all() == []
    assert session.exec(select(PlaylistEntry)).all() == []
    assert audit(session)[-1] == ("delete", "bertil", "playlist 'Entrén'")


def test_a_saved_order_is_the_order_the_screen_plays(session: Session, clock: FakeClock) -> None:
    first, second, third = three_items(session, clock)
    shop = place(session, name="Byabutiken", now=clock())
    playlist = create_playlist(
        session, actor=ANNA, draft=draft("Entrén", first, second), now=clock()
    )
    assert playlist.id is not None
    content.assign_playlist(session, playlist=playlist, location=shop)

    save_playlist(
        session,
        actor=ANNA,
        playlist_id=playlist.id,
        expected_version=1,
        draft=draft("Entrén", third, first),
        now=clock(),
    )
    manifest = build_manifest(session, location=shop, now=clock(), horizon=timedelta(days=7))

    assert [entry.item for entry in manifest.playlists[0].entries] == [
        f"item-{third}",
        f"item-{first}",
    ]


def test_the_picker_names_pictures_by_file_and_texts_by_title_newest_first(
    session: Session, clock: FakeClock, storage: LocalMediaStorage
) -> None:
    photo = content.store_media(
        session, storage, data=png(), media_type="image/png", original_name="älven.png", now=clock()
    )
    photo.thumbnail_sha256 = "a" * 64
    plain = content.store_media(
        session,
        storage,
        data=png(seed=1),
        media_type="image/png",
        original_name="skog.png",
        now=clock(),
    )
    content.create_image_item(session, asset=photo, now=clock())
    content.create_image_item(session, asset=plain, now=clock())
    content.create_text_item(
        session, texts={"fi": ("Uutiset", ""), "sv": ("Nyheter", "")}, now=clock()
    )

    choices = item_choices(session)

    assert [(c.kind, c.label, c.thumbnail_of) for c in choices] == [
        ("text", "Nyheter", None),
        ("image", "skog.png", None),
        ("image", "älven.png", photo.sha256),
    ]
    assert item_choices(session, languages=("fi", "sv"))[0].label == "Uutiset"
