"""The calendar feeds residents subscribe to, parsed back with icalendar as a phone reads them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
from anslag_testing.events import STOCKHOLM, add_event
from anslag_testing.manifests import wall
from anslag_testing.schedules import place
from anslag_testing.server_app import FakeClock
from icalendar import Calendar
from sqlalchemy import Engine

from server.db import session_scope
from server.services.events import EventDraft, update_event
from server.services.permissions import SYSTEM_ACTOR

pytestmark = pytest.mark.anyio


def summaries(feed: bytes) -> list[str]:
    return [str(event["SUMMARY"]) for event in Calendar.from_ical(feed).walk("VEVENT")]


async def test_the_feed_holds_approved_events_with_times_in_utc_and_days_as_dates(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        add_event(
            session,
            "Dans i bygdegården",
            now=clock(),
            starts_at=wall("Europe/Stockholm", "2026-03-28 19:00"),
            ends_at=wall("Europe/Stockholm", "2026-03-29 01:00"),
            place="Bygdegården, Svanstein",
        )
        add_event(
            session, "Skoterpremiär", now=clock(), days=(date(2026, 3, 28), date(2026, 3, 30))
        )
        add_event(session, "Utkast", now=clock(), starts_at=clock(), status="draft")
        add_event(session, "Inskickat", now=clock(), starts_at=clock(), status="pending")

    answer = await client.get("/calendar.ics")

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(answer.content)
    assert str(calendar["X-WR-CALNAME"]) == "Evenemang i Kommunen"
    # By start: the all-day event begins at midnight, before the dance.
    snowmobiles, dance = calendar.walk("VEVENT")
    assert dance["DTSTART"].dt == datetime(2026, 3, 28, 18, 0, tzinfo=UTC)
    assert dance["DTEND"].dt == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    assert b"DTSTART:20260328T180000Z" in answer.content
    assert str(dance["LOCATION"]) == "Bygdegården, Svanstein"
    assert (snowmobiles["DTSTART"].dt, snowmobiles["DTEND"].dt) == (
        date(2026, 3, 28),
        date(2026, 3, 30),
    )
    assert b"DTSTART;VALUE=DATE:20260328" in answer.content


async def test_an_edited_event_keeps_its_uid_and_raises_its_sequence(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        event = add_event(session, "Pimpling", now=clock(), starts_at=clock())
        event_id, starts_at = event.id, event.starts_at
    before = Calendar.from_ical((await client.get("/calendar.ics")).content).walk("VEVENT")[0]
    with session_scope(engine) as session:
        assert event_id is not None
        update_event(
            session,
            event_id=event_id,
            draft=EventDraft(texts={"sv": ("Pimpeltävling", "")}, starts_at=starts_at),
            expected_version=1,
            zone=STOCKHOLM,
            actor=SYSTEM_ACTOR,
            now=clock(),
        )
    after = Calendar.from_ical((await client.get("/calendar.ics")).content).walk("VEVENT")[0]

    assert str(before["UID"]) == str(after["UID"])
    assert str(before["UID"]).endswith("@anslag")
    assert (int(before["SEQUENCE"]), int(after["SEQUENCE"])) == (0, 1)
    assert str(after["SUMMARY"]) == "Pimpeltävling"


async def test_commas_semicolons_new_lines_and_long_swedish_lines_survive_the_trip(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    body = "Kaffe, bullar; lotteri.\nBacke\\stig till älven. " + "Välkomna allihop! " * 8
    with session_scope(engine) as session:
        add_event(session, "Vårfest, med dans; och sång", now=clock(), starts_at=clock(), body=body)

    answer = await client.get("/calendar.ics")

    (event,) = Calendar.from_ical(answer.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Vårfest, med dans; och sång"
    assert str(event["DESCRIPTION"]) == body.strip()
    assert b"SUMMARY:V\xc3\xa5rfest\\, med dans\\; och s\xc3\xa5ng" in answer.content
    lines = answer.content.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # folded


async def test_each_location_and_village_has_a_feed_of_its_own_events(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        shop = place(session, name="Byabutiken", now=clock(), tags=["svanstein"])
        hall = place(session, name="Sporthallen", now=clock(), tags=["overtornea"])
        add_event(session, "Byastämma", now=clock(), starts_at=clock(), tags=["svanstein"])
        add_event(session, "Innebandy", now=clock(), starts_at=clock(), location_ids=[hall.id or 0])
        add_event(session, "Fullmäktige", now=clock(), starts_at=clock())
        add_event(
            session, "Handla lokalt", now=clock(), starts_at=clock(), location_ids=[shop.id or 0]
        )

    at_shop = await client.get("/calendar/locations/byabutiken.ics")
    at_hall = await client.get("/calendar/locations/sporthallen.ics")
    in_svanstein = await client.get("/calendar/villages/svanstein.ics")
    nowhere = await client.get("/calendar/villages/juoksengi.ics")

    assert sorted(summaries(at_shop.content)) == ["Byastämma", "Fullmäktige", "Handla lokalt"]
    assert sorted(summaries(at_hall.content)) == ["Fullmäktige", "Innebandy"]
    assert sorted(summaries(in_svanstein.content)) == ["Byastämma", "Fullmäktige", "Handla lokalt"]
    assert str(Calendar.from_ical(at_hall.content)["X-WR-CALNAME"]) == "Evenemang vid Sporthallen"
    assert nowhere.status_code == 404


async def test_an_english_feed_speaks_english_where_the_event_does(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        add_event(session, "Bara svenska", now=clock(), starts_at=clock())
        event = add_event(session, "Konsert", now=clock(), starts_at=clock())
        event.texts = {**event.texts, "en": {"title": "Concert", "body": ""}}
        event.organiser = "Kören"
        session.add(event)

    answer = await client.get("/calendar.ics?lang=en")

    calendar = Calendar.from_ical(answer.content)
    assert str(calendar["X-WR-CALNAME"]) == "Events in Kommunen"
    assert sorted(summaries(answer.content)) == ["Bara svenska", "Concert"]
    concert = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Concert")
    assert str(concert["DESCRIPTION"]) == "Organiser: Kören"


async def test_an_unchanged_feed_is_answered_304_to_a_phone_that_has_it(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        add_event(session, "Pimpling", now=clock(), starts_at=clock())

    first = await client.get("/calendar.ics")
    again = await client.get("/calendar.ics", headers={"If-None-Match": first.headers["etag"]})

    assert (first.status_code, again.status_code) == (200, 304)
    assert again.content == b""
