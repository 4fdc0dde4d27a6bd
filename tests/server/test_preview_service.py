"""The preview says what the player would show: checked against `playlists.schedule` itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from anslag_testing.schedules import SUNDAY, night_above_day, place, slides
from anslag_testing.server_app import FakeClock, png
from sqlalchemy import Engine
from sqlmodel import Session

from playlists.schedule import next_slot, rotation_at, slot_deadline
from server.errors import NotFound
from server.models import Location
from server.services import content
from server.services.manifests import build_manifest
from server.services.preview import preview
from server.storage import LocalMediaStorage

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HORIZON = timedelta(days=7)


def local(text: str, fold: int = 0) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM, fold=fold).astimezone(UTC)


def utc(hour: int, minute: int) -> datetime:
    """An instant of the fall-back day, 2026-10-25, in UTC."""
    return datetime(2026, 10, 25, hour, minute, tzinfo=UTC)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def night_and_day(session: Session, clock: FakeClock) -> Location:
    """Byabutiken, in Meänkieli first: a night playlist above an all-day one; open 10-16 Sundays."""
    shop = place(session, name="Byabutiken i Svanstein", languages=["fit", "sv"], now=clock())
    shop.opening_hours = [{"weekday": SUNDAY, "opens": "10:00", "closes": "16:00"}]
    night = content.create_text_item(
        session, texts={"sv": ("Natt", ""), "fit": ("Yö", "Hiljaa")}, duration_s=20, now=clock()
    )
    [coffee] = slides(session, "Kaffe", now=clock())
    [bread] = slides(session, "Bröd", duration_s=12, now=clock())
    night_above_day(session, location=shop, night=[night], day=[coffee, bread])
    return shop


def id_of(location: Location) -> int:
    assert location.id is not None
    return location.id


@pytest.mark.parametrize(
    ("day", "hours"),
    [("2026-03-29", 23), ("2026-10-25", 25)],
    ids=["spring-forward", "fall-back"],
)
def test_on_a_clock_change_day_the_timeline_agrees_with_the_schedule_minute_by_minute(
    session: Session, clock: FakeClock, day: str, hours: int
) -> None:
    shop = night_and_day(session, clock)
    moment = local(f"{day} 12:00")

    shown = preview(session, location_id=id_of(shop), moment=moment, horizon=HORIZON)
    manifest = build_manifest(session, location=shop, now=shown.day_start, horizon=HORIZON)

    assert shown.day_end - shown.day_start == timedelta(hours=hours)
    assert shown.periods[0].start == shown.day_start
    assert shown.periods[-1].end == shown.day_end
    probe = shown.day_start
    while probe < shown.day_end:
        [period] = [p for p in shown.periods if p.start <= probe < p.end]
        rotation = rotation_at(manifest, probe)
        assert period.playlist == manifest.playlist(rotation[0].playlist_id).name, probe
        assert period.slides == len(rotation)
        probe += timedelta(minutes=5)


def test_on_the_spring_forward_night_the_night_playlist_opens_when_the_clock_jumps(
    session: Session, clock: FakeClock
) -> None:
    shop = night_and_day(session, clock)

    shown = preview(
        session, location_id=id_of(shop), moment=local("2026-03-29 03:15"), horizon=HORIZON
    )

    assert [(p.start, p.playlist, p.priority) for p in shown.periods] == [
        (local("2026-03-29 00:00"), "Heldag", 0),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "Natt", 5),  # 03:00 CEST, the jump
        (local("2026-03-29 04:00"), "Heldag", 0),
    ]
    assert (shown.playlist, shown.priority, shown.open) == ("Natt", 5, False)


def test_on_the_fall_back_night_the_night_playlist_pauses_while_the_clock_is_set_back(
    session: Session, clock: FakeClock
) -> None:
    shop = night_and_day(session, clock)

    shown = preview(
        session, location_id=id_of(shop), moment=local("2026-10-25 12:00"), horizon=HORIZON
    )

    # 02:30-04:00 on the wall clock: from 02:30 CEST until the clock falls back from 03:00
    # to 02:00, and again from the second 02:30 (CET) until 04:00.
    assert [(p.start, p.end, p.playlist) for p in shown.periods] == [
        (shown.day_start, utc(0, 30), "Heldag"),
        (utc(0, 30), utc(1, 0), "Natt"),
        (utc(1, 0), utc(1, 30), "Heldag"),
        (utc(1, 30), utc(3, 0), "Natt"),
        (utc(3, 0), shown.day_end, "Heldag"),
    ]
    assert [(s.start, s.end, s.open) for s in shown.opening] == [
        (shown.day_start, local("2026-10-25 10:00"), False),
        (local("2026-10-25 10:00"), local("2026-10-25 16:00"), True),
        (local("2026-10-25 16:00"), shown.day_end, False),
    ]


def test_the_round_is_the_one_a_player_starting_then_would_play_slot_by_slot(
    session: Session, clock: FakeClock
) -> None:
    shop = night_and_day(session, clock)
    moment = local("2026-03-29 03:59:50")

    shown = preview(session, location_id=id_of(shop), moment=moment, horizon=HORIZON)
    manifest = build_manifest(session, location=shop, now=moment, horizon=HORIZON)
    slot = next_slot(manifest, moment, None)
    assert slot is not None

    # The night slide starts, and gives way after 10 s when the window closes at 04:00.
    assert [(s.card.title, s.starts_at, s.length_s) for s in shown.slots] == [
        ("Yö", moment, (slot_deadline(manifest, slot, moment) - moment).total_seconds())
    ]
    assert shown.slots[0].length_s == 10.0
    assert shown.slots[0].card.body == "Hiljaa"  # the location's first language: Meänkieli


def test_a_daytime_round_lists_each_slide_with_its_start_and_length(
    session: Session, clock: FakeClock
) -> None:
    shop = night_and_day(session, clock)
    moment = local("2026-03-30 12:00")

    shown = preview(session, location_id=id_of(shop), moment=moment, horizon=HORIZON)

    assert (shown.playlist, shown.open) == ("Heldag", False)  # Monday: closed all day
    assert [(s.position, s.card.title, s.starts_at, s.length_s) for s in shown.slots] == [
        (1, "Kaffe", moment, 8.0),
        (2, "Bröd", moment + timedelta(seconds=8), 12.0),
    ]


def test_a_picture_slide_shows_its_file_name_and_its_thumbnail_when_there_is_one(
    session: Session, clock: FakeClock, storage: LocalMediaStorage
) -> None:
    hall = place(session, name="Sporthallen", now=clock())
    photo = content.store_media(
        session, storage, data=png(), media_type="image/png", original_name="älven.png", now=clock()
    )
    photo.thumbnail_sha256 = "c" * 64
    picture = content.create_image_item(session, asset=photo, now=clock())
    content.assign_playlist(
        session,
        playlist=content.create_playlist(session, name="Hallen", entries=[picture]),
        location=hall,
    )

    shown = preview(session, location_id=id_of(hall), moment=clock(), horizon=HORIZON)

    [slot] = shown.slots
    assert (slot.card.kind, slot.card.title, slot.card.thumbnail_of) == (
        "image",
        "älven.png",
        photo.sha256,
    )


def test_nothing_scheduled_is_an_empty_round_and_one_empty_period(
    session: Session, clock: FakeClock
) -> None:
    hall = place(session, name="Sporthallen", now=clock())

    shown = preview(session, location_id=id_of(hall), moment=clock(), horizon=HORIZON)

    assert (shown.playlist, shown.slots, shown.open) == (None, (), True)
    assert [(p.playlist, p.slides) for p in shown.periods] == [(None, 0)]
    with pytest.raises(NotFound, match="no location with id 4242"):
        preview(session, location_id=4242, moment=clock(), horizon=HORIZON)
