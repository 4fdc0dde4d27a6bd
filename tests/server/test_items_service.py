"""Items' rules: what each kind needs, defaults, versions, what is refused, deletion, the audit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from anslag_testing.media import clip, upload_of
from anslag_testing.server_app import FakeClock, png
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.db import session_scope
from server.errors import EditedMeanwhile, Refused, StillUsed
from server.models import AuditEntry, Item, MediaAsset
from server.services import content
from server.services.items import (
    ItemDraft,
    create_item,
    delete_item,
    find_item,
    list_items,
    update_item,
)
from server.services.media import add_media
from server.services.permissions import Actor
from server.storage import LocalMediaStorage

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ANNA = Actor(user_id=None, name="anna", role="editor")
BERIT = Actor(user_id=None, name="berit", role="editor")
NEWS = {
    "sv": ("Vägen är lagad", "Vägen till Juoksengi är öppen igen."),
    "fit": ("Tie on korjattu", ""),
}


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def picture(session: Session, storage: LocalMediaStorage, clock: FakeClock) -> MediaAsset:
    return content.store_media(
        session, storage, data=png(), media_type="image/png", original_name="karta.png", now=clock()
    )


@pytest.fixture
def video(
    session: Session, storage: LocalMediaStorage, clock: FakeClock, tmp_path: Path
) -> MediaAsset:
    upload = upload_of(clip("h264", seconds=2.0), folder=tmp_path, name="film.mp4")
    asset, _created = add_media(session, storage, upload=upload, actor=ANNA, now=clock())
    return asset


def make(session: Session, clock: FakeClock, draft: ItemDraft, actor: Actor = ANNA) -> Item:
    return create_item(session, draft=draft, zone=STOCKHOLM, actor=actor, now=clock())


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


def test_a_news_slide_keeps_its_title_and_body_per_language_and_is_audited(
    session: Session, clock: FakeClock
) -> None:
    item = make(session, clock, ItemDraft(kind="text", texts=NEWS, duration_s=12))

    assert item.texts == {
        "sv": {"title": "Vägen är lagad", "body": "Vägen till Juoksengi är öppen igen."},
        "fit": {"title": "Tie on korjattu", "body": ""},
    }
    assert (item.duration_s, item.version, item.asset_sha256) == (12, 1, None)
    entry = session.exec(select(AuditEntry)).one()
    assert (entry.action, entry.entity, entry.entity_id) == ("create", "item", str(item.id))
    assert entry.summary == "text 'Vägen är lagad'"


def test_a_video_plays_as_long_as_its_clip_unless_told_otherwise_muted_and_whole(
    session: Session, clock: FakeClock, video: MediaAsset
) -> None:
    once = make(session, clock, ItemDraft(kind="video", asset_sha256=video.sha256))
    looped = make(
        session,
        clock,
        ItemDraft(kind="video", asset_sha256=video.sha256, loop=True, muted=False, duration_s=30),
    )

    assert once.duration_s == pytest.approx(2.0, abs=0.05)
    assert (once.loop, once.muted, once.fit) == (False, True, "fit")
    assert (looped.duration_s, looped.loop, looped.muted) == (30, True, False)


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (ItemDraft(kind="image"), "Choose the picture to show"),
        (ItemDraft(kind="video"), "Choose the video to show"),
        (ItemDraft(kind="image", asset_sha256="0" * 64), "The media library has no file 000"),
        (ItemDraft(kind="text"), "Write a title in at least one language"),
        (ItemDraft(kind="text", texts={"sv": ("  ", "text")}), "The title in 'sv' is empty"),
        (
            ItemDraft(kind="text", texts={"de": ("Straße offen", "")}),
            "Texts are written in sv, fit, se, fi, nb, nn, en, not 'de'",
        ),
        (
            ItemDraft(kind="text", texts={"sv": ("x" * 301, "")}),
            "In 'sv' the title is longer than 300 characters",
        ),
        (ItemDraft(kind="text", texts=NEWS, duration_s=0), "The duration must be more than 0"),
        (
            ItemDraft(
                kind="text",
                texts=NEWS,
                valid_from=datetime(2026, 2, 1, tzinfo=UTC),
                valid_until=datetime(2026, 1, 1, tzinfo=UTC),
            ),
            "The end of the showing period must come after its start",
        ),
        (ItemDraft(kind="event", texts=NEWS), "An event needs the day it starts"),
        (
            ItemDraft(
                kind="event",
                texts=NEWS,
                starts_at=datetime(2026, 2, 1, 18, tzinfo=UTC),
                ends_at=datetime(2026, 2, 1, 17, tzinfo=UTC),
            ),
            "The event ends before it starts",
        ),
    ],
)
def test_an_item_no_screen_could_show_is_refused_and_nothing_is_stored(
    session: Session, clock: FakeClock, draft: ItemDraft, message: str
) -> None:
    with pytest.raises(Refused, match=re.escape(message)):
        make(session, clock, draft)

    assert session.exec(select(Item)).all() == []
    assert session.exec(select(AuditEntry)).all() == []


def test_a_picture_item_cannot_show_a_video_nor_a_video_item_a_picture(
    session: Session, clock: FakeClock, picture: MediaAsset, video: MediaAsset
) -> None:
    with pytest.raises(Refused, match=r"'film\.mp4' is a video; this item shows a picture"):
        make(session, clock, ItemDraft(kind="image", asset_sha256=video.sha256))
    with pytest.raises(Refused, match=r"'film\.mp4' is a video; this item shows a picture"):
        make(session, clock, ItemDraft(kind="text", texts=NEWS, asset_sha256=video.sha256))
    with pytest.raises(Refused, match=r"'karta\.png' is a picture; a video item shows a video"):
        make(session, clock, ItemDraft(kind="video", asset_sha256=picture.sha256))


def test_an_event_is_shown_until_it_ends(session: Session, clock: FakeClock) -> None:
    event = make(
        session,
        clock,
        ItemDraft(
            kind="event",
            texts=NEWS,
            starts_at=local("2026-02-14T10:00"),
            ends_at=local("2026-02-14T15:00"),
            place="Bygdegården",
            organiser="Byaföreningen",
        ),
    )

    assert event.valid_until == datetime(2026, 2, 14, 14, 0, tzinfo=UTC)
    assert (event.place, event.organiser) == ("Bygdegården", "Byaföreningen")


def test_an_event_without_an_end_is_shown_to_the_end_of_its_day_on_a_clock_change_too(
    session: Session, clock: FakeClock
) -> None:
    # 29 March 2026: Swedish clocks go forward at 02:00, so that day ends at 22:00 UTC.
    event = make(
        session,
        clock,
        ItemDraft(kind="event", texts=NEWS, starts_at=local("2026-03-29T19:00")),
    )

    assert event.valid_until == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)


def test_a_save_based_on_the_stored_version_replaces_it_and_the_log_keeps_both(
    session: Session, clock: FakeClock
) -> None:
    item = make(session, clock, ItemDraft(kind="text", texts=NEWS))
    clock.advance(timedelta(minutes=3))

    saved = update_item(
        session,
        item_id=item.id or 0,
        draft=ItemDraft(kind="text", texts={"sv": ("Vägen stängd igen", "")}, duration_s=15),
        expected_version=1,
        zone=STOCKHOLM,
        actor=BERIT,
        now=clock(),
    )

    assert (saved.version, saved.duration_s, saved.updated_at) == (2, 15, clock())
    assert saved.texts == {"sv": {"title": "Vägen stängd igen", "body": ""}}
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert entry.actor == "berit"
    assert entry.before is not None
    assert entry.after is not None
    assert entry.before["texts"]["sv"]["title"] == "Vägen är lagad"  # type: ignore[index]
    assert entry.after["texts"] == {"sv": {"title": "Vägen stängd igen", "body": ""}}


def test_the_second_of_two_editors_saving_the_same_version_is_told_and_changes_nothing(
    engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        item_id = make(session, clock, ItemDraft(kind="text", texts=NEWS)).id or 0

    def save(title: str, actor: Actor) -> None:
        draft = ItemDraft(kind="text", texts={"sv": (title, "")})
        with session_scope(engine) as session:
            update_item(
                session,
                item_id=item_id,
                draft=draft,
                expected_version=1,
                zone=STOCKHOLM,
                actor=actor,
                now=clock(),
            )

    save("Annas rubrik", ANNA)
    with pytest.raises(EditedMeanwhile) as stale:
        save("Berits rubrik", BERIT)

    assert stale.value.values == {"current": 2, "yours": 1}
    with Session(engine) as session:
        stored = find_item(session, item_id=item_id)
        assert (stored.version, stored.texts["sv"]["title"]) == (2, "Annas rubrik")
        assert len(session.exec(select(AuditEntry)).all()) == 2


def test_a_refused_save_leaves_the_stored_item_and_its_version_alone(
    session: Session, clock: FakeClock
) -> None:
    item = make(session, clock, ItemDraft(kind="text", texts=NEWS))

    with pytest.raises(Refused, match="Write a title"):
        update_item(
            session,
            item_id=item.id or 0,
            draft=ItemDraft(kind="text"),
            expected_version=1,
            zone=STOCKHOLM,
            actor=ANNA,
            now=clock(),
        )
    session.commit()

    session.expire_all()
    assert find_item(session, item_id=item.id or 0).version == 1


def test_an_items_kind_cannot_change(session: Session, clock: FakeClock) -> None:
    item = make(session, clock, ItemDraft(kind="text", texts=NEWS))

    with pytest.raises(Refused, match="kind cannot change"):
        update_item(
            session,
            item_id=item.id or 0,
            draft=ItemDraft(kind="event", texts=NEWS, starts_at=clock()),
            expected_version=1,
            zone=STOCKHOLM,
            actor=ANNA,
            now=clock(),
        )


def test_an_item_in_playlists_cannot_be_deleted_and_the_message_names_them(
    session: Session, clock: FakeClock
) -> None:
    item = make(session, clock, ItemDraft(kind="text", texts=NEWS))
    content.create_playlist(session, name="Butiken", entries=[item])
    content.create_playlist(session, name="Sporthallen", entries=[item, item])

    with pytest.raises(StillUsed) as refused:
        delete_item(session, item_id=item.id or 0, actor=ANNA, now=clock())

    assert str(refused.value) == (
        "'Vägen är lagad' is in the playlists 'Butiken', 'Sporthallen'; take it out of them first"
    )
    (listed,) = list_items(session)
    assert [playlist.name for playlist in listed.playlists] == ["Butiken", "Sporthallen"]


def test_a_deleted_item_is_gone_and_the_log_keeps_what_it_was(
    session: Session, clock: FakeClock
) -> None:
    item = make(session, clock, ItemDraft(kind="text", texts=NEWS))
    texts = item.texts

    delete_item(session, item_id=item.id or 0, actor=ANNA, now=clock())

    assert session.exec(select(Item)).all() == []
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "delete")).one()
    assert entry.before is not None
    assert (entry.before["kind"], entry.before["texts"]) == ("text", texts)


def test_the_list_shows_the_last_saved_first_and_filters_by_kind(
    session: Session, clock: FakeClock, picture: MediaAsset
) -> None:
    image = make(session, clock, ItemDraft(kind="image", asset_sha256=picture.sha256))
    clock.advance(timedelta(minutes=1))
    text = make(session, clock, ItemDraft(kind="text", texts=NEWS))

    assert [entry.item.id for entry in list_items(session)] == [text.id, image.id]
    assert [entry.item.id for entry in list_items(session, kind="image")] == [image.id]
