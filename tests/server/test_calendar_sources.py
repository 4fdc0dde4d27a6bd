"""Calendar sources fetched and imported: conditional GETs, updates that replace instead of
doubling, edits that stick, and a broken feed that costs nothing but a message on itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from anslag_testing.calendar_feeds import CalendarServer, Feed
from anslag_testing.schedules import place
from anslag_testing.server_app import FakeClock, app_context
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.db import session_scope
from server.models import AuditEntry, CalendarSource, Event
from server.services.calendar_fetch import refresh_calendar_sources, refresh_source
from server.services.calendar_sources import SourceDraft, create_source
from server.services.permissions import SYSTEM_ACTOR
from server.settings import Settings
from server.storage import LocalMediaStorage

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ical"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
CHOIR = (FIXTURES / "choir-windows-zone.ics").read_bytes()
VILLAGE = (FIXTURES / "x-wr-timezone.ics").read_bytes()


@pytest.fixture
def feeds() -> Iterator[CalendarServer]:
    with CalendarServer() as server:
        yield server


def add_source(engine: Engine, clock: FakeClock, url: str, *, enabled: bool = True) -> int:
    with session_scope(engine) as session:
        place(session, name=f"Byabutiken {url[-12:]}", now=clock(), tags=["svanstein"])
        source = create_source(
            session,
            draft=SourceDraft(
                name="Kyrkokören", url=url, location_tags=["svanstein"], enabled=enabled
            ),
            actor=SYSTEM_ACTOR,
            now=clock(),
        )
        assert source.id is not None
        return source.id


def refresh(engine: Engine, clock: FakeClock, source_id: int) -> None:
    with session_scope(engine) as session, httpx.Client() as client:
        source = session.get_one(CalendarSource, source_id)
        refresh_source(session, source=source, client=client, zone=STOCKHOLM, now=clock())


def events(engine: Engine) -> list[Event]:
    with Session(engine) as session:
        return list(session.exec(select(Event).order_by(col(Event.starts_at), col(Event.id))))


def source_row(engine: Engine, source_id: int) -> CalendarSource:
    with Session(engine) as session:
        return session.get_one(CalendarSource, source_id)


def test_a_sources_occurrences_become_approved_events_for_its_villages(
    engine: Engine, clock: FakeClock, feeds: CalendarServer
) -> None:
    feeds.feeds["/kor.ics"] = Feed(CHOIR)
    source_id = add_source(engine, clock, feeds.url("/kor.ics"))

    refresh(engine, clock, source_id)

    imported = events(engine)
    assert [(e.texts["sv"]["title"], e.status, e.origin) for e in imported] == [
        ("Körövning", "approved", "ical"),
        ("Körövning (flyttad till onsdag)", "approved", "ical"),
        ("Körövning", "approved", "ical"),
        ("Körövning", "approved", "ical"),
    ]
    assert {tuple(e.location_tags) for e in imported} == {("svanstein",)}
    source = source_row(engine, source_id)
    assert (source.event_count, source.last_error, source.etag) == (4, None, Feed(CHOIR).etag)
    assert source.succeeded_at == clock()
    with Session(engine) as session:
        (entry,) = session.exec(select(AuditEntry).where(AuditEntry.action == "import")).all()
    assert entry.summary == "calendar source 'Kyrkokören': 4 new, 0 changed, 0 removed, 0 skipped"


def test_an_unchanged_feed_is_asked_for_with_its_etag_and_nothing_moves(
    engine: Engine, clock: FakeClock, feeds: CalendarServer
) -> None:
    feeds.feeds["/kor.ics"] = Feed(CHOIR)
    source_id = add_source(engine, clock, feeds.url("/kor.ics"))
    refresh(engine, clock, source_id)
    before = [(e.id, e.uid, e.version) for e in events(engine)]

    clock.advance(timedelta(minutes=15))
    refresh(engine, clock, source_id)

    assert feeds.requests == [("/kor.ics", None), ("/kor.ics", Feed(CHOIR).etag)]
    assert [(e.id, e.uid, e.version) for e in events(engine)] == before
    assert source_row(engine, source_id).succeeded_at == clock()


def test_a_changed_feed_updates_in_place_adds_and_removes_without_doubling(
    engine: Engine, clock: FakeClock, feeds: CalendarServer
) -> None:
    feeds.feeds["/kor.ics"] = Feed(CHOIR)
    source_id = add_source(engine, clock, feeds.url("/kor.ics"))
    refresh(engine, clock, source_id)
    first = events(engine)
    with session_scope(engine) as session:
        hidden = session.get_one(Event, first[2].id)
        hidden.status = "draft"  # an editor took a rehearsal off the calendar
        session.add(hidden)
    changed = (
        CHOIR.decode()
        .replace("COUNT=5", "COUNT=4")
        .replace("Kyrkan", "Kyrksalen")
        .replace("SUMMARY:Körövning\r\n", "SUMMARY:Körövning med orgel\r\n")
        .encode()
    )
    feeds.feeds["/kor.ics"] = Feed(changed)

    refresh(engine, clock, source_id)

    after = events(engine)
    # One rehearsal fewer: the last is gone, the others are the same rows as before.
    assert [(e.id, e.uid) for e in after] == [(e.id, e.uid) for e in first[:3]]
    assert [e.texts["sv"]["title"] for e in after] == [
        "Körövning med orgel",
        "Körövning (flyttad till onsdag)",
        "Körövning med orgel",
    ]
    assert after[1].place == "Kyrksalen"
    assert after[2].status == "draft"
    assert [e.version for e in after] == [2, 2, 2]


def test_a_feed_cut_short_is_recorded_on_its_source_and_its_events_stay(
    engine: Engine, clock: FakeClock, feeds: CalendarServer
) -> None:
    feeds.feeds["/kor.ics"] = Feed(CHOIR)
    source_id = add_source(engine, clock, feeds.url("/kor.ics"))
    refresh(engine, clock, source_id)
    feeds.feeds["/kor.ics"] = Feed(CHOIR.replace(b"COUNT=5", b"COUNT=6"), cut_at=len(CHOIR) // 2)

    clock.advance(timedelta(minutes=15))
    refresh(engine, clock, source_id)

    source = source_row(engine, source_id)
    assert source.last_error == {
        "message": "The connection closed before the calendar was complete: the download was "
        "cut short",
        "values": {},
    }
    assert source.checked_at == clock()
    assert source.succeeded_at == clock() - timedelta(minutes=15)
    assert len(events(engine)) == 4


def test_an_error_answer_is_recorded_in_words(
    engine: Engine, clock: FakeClock, feeds: CalendarServer
) -> None:
    source_id = add_source(engine, clock, feeds.url("/finns-inte.ics"))

    refresh(engine, clock, source_id)

    assert source_row(engine, source_id).last_error == {
        "message": "The address answered %(status)d %(reason)s",
        "values": {"status": 404, "reason": "Not Found"},
    }
    assert events(engine) == []


def test_the_job_imports_every_source_and_one_broken_feed_leaves_the_others_be(
    engine: Engine, clock: FakeClock, feeds: CalendarServer, settings: Settings
) -> None:
    feeds.feeds["/trasig.ics"] = Feed(b"<html>Underh\xc3\xa5ll p\xc3\xa5g\xc3\xa5r</html>")
    feeds.feeds["/by.ics"] = Feed(VILLAGE)
    broken = add_source(engine, clock, feeds.url("/trasig.ics"))
    good = add_source(engine, clock, feeds.url("/by.ics"))
    paused = add_source(engine, clock, feeds.url("/pausad.ics"), enabled=False)
    context = app_context(
        settings=settings, engine=engine, clock=clock, storage=LocalMediaStorage(settings.media_dir)
    )

    refresh_calendar_sources(context, clock())

    assert source_row(engine, broken).last_error == {
        "message": "The address gave no calendar: what came starts with '%(start)s'",
        "values": {"start": "<html>Underhåll pågår</html>"},
    }
    assert source_row(engine, good).event_count == 6
    assert {e.source_id for e in events(engine)} == {good}
    assert source_row(engine, paused).checked_at is None


def test_a_location_deleted_since_the_source_was_saved_does_not_stop_the_import(
    engine: Engine, clock: FakeClock, feeds: CalendarServer
) -> None:
    feeds.feeds["/kor.ics"] = Feed(CHOIR)
    source_id = add_source(engine, clock, feeds.url("/kor.ics"))
    with session_scope(engine) as session:
        hall = place(session, name="Sporthallen", now=clock())
        source = session.get_one(CalendarSource, source_id)
        source.location_ids = [hall.id or 0]
        session.add(source)
        session.flush()
        session.delete(hall)

    refresh(engine, clock, source_id)

    imported = events(engine)
    assert len(imported) == 4
    assert {tuple(e.location_ids) for e in imported} == {()}
