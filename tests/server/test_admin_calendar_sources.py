"""The calendar sources' pages: an editor adds a feed, sees at once how the fetch went, in
Swedish, and deletes it with its events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.calendar_feeds import CalendarServer, Feed
from anslag_testing.schedules import place, visible_text
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.db import session_scope
from server.models import CalendarSource, Event

pytestmark = pytest.mark.anyio

CHOIR = (Path(__file__).parent.parent / "fixtures" / "ical" / "choir-windows-zone.ics").read_bytes()
NEW = "/admin/events/sources/new"


@pytest.fixture
def feeds() -> Iterator[CalendarServer]:
    with CalendarServer() as server:
        yield server


@pytest.fixture
async def editor(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> httpx.AsyncClient:
    add_user(engine, now=clock())
    with session_scope(engine) as session:
        place(session, name="Byabutiken", now=clock(), tags=["svanstein"])
    await log_in(client)
    return client


async def add(client: httpx.AsyncClient, url: str, **changes: str) -> httpx.Response:
    token = await page_token(client, NEW)
    fields = {
        "name": "Kyrkokören",
        "url": url,
        "language": "sv",
        "tag": "svanstein",
        "enabled": "1",
    }
    return await client.post(NEW, data={"csrf_token": token, **fields, **changes})


async def test_an_editor_adds_a_calendar_and_sees_its_events_arrive(
    editor: httpx.AsyncClient, engine: Engine, feeds: CalendarServer
) -> None:
    feeds.feeds["/kor.ics"] = Feed(CHOIR)

    added = await add(editor, feeds.url("/kor.ics"))
    page = await editor.get(added.headers["location"])
    listed = await editor.get("/admin/events/sources")
    calendar = await editor.get("/admin/events")

    assert added.status_code == 303
    assert "Hämtad 12 jan. 2026 09:00: 4 kommande evenemang" in visible_text(page.text)
    assert "Kyrkokören" in visible_text(listed.text)
    assert visible_text(calendar.text).count("Hämtat: Kyrkokören") == 4


async def test_a_feed_that_fails_is_explained_in_swedish(
    editor: httpx.AsyncClient, feeds: CalendarServer
) -> None:
    added = await add(editor, feeds.url("/finns-inte.ics"))
    page = await editor.get(added.headers["location"])

    failure = "Misslyckades 12 jan. 2026 09:00: Adressen svarade 404 Not Found"
    assert failure in visible_text(page.text)


async def test_an_address_that_is_no_web_address_is_refused_and_kept(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    refused = await add(editor, "kalender.ics", name="Biblioteket")

    assert refused.status_code == 422
    assert "”kalender.ics” är ingen webbadress" in refused.text
    assert 'value="Biblioteket"' in refused.text
    with Session(engine) as session:
        assert session.exec(select(CalendarSource)).all() == []


async def test_deleting_a_calendar_takes_its_events_with_it(
    editor: httpx.AsyncClient, engine: Engine, feeds: CalendarServer
) -> None:
    feeds.feeds["/kor.ics"] = Feed(CHOIR)
    added = await add(editor, feeds.url("/kor.ics"))
    token = await page_token(editor, added.headers["location"])

    deleted = await editor.post(f"{added.headers['location']}/delete", data={"csrf_token": token})
    listed = await editor.get(deleted.headers["location"])

    assert "”Kyrkokören” togs bort." in listed.text
    with Session(engine) as session:
        assert session.exec(select(Event)).all() == []
        assert session.exec(select(CalendarSource)).all() == []
