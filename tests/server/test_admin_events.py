"""The events' pages: an editor adds, edits and deletes events, on the municipality's clock."""

# The pages write time spans with an en dash, as Swedish does.
# ruff: noqa: RUF001

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import unescape

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.schedules import place, visible_text
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.db import session_scope
from server.models import AuditEntry, Event, Role

pytestmark = pytest.mark.anyio

NEW = "/admin/events/new"
CONCERT: dict[str, str | list[str]] = {
    "language": ["sv", "en"],
    "title_sv": "Vårkonsert med kören",
    "body_sv": "Fri entré.",
    "title_en": "Spring concert",
    "body_en": "Free admission.",
    "starts_day": "2026-03-14",
    "starts_time": "18:00",
    "ends_time": "21:00",
    "place": "Kyrkan",
    "organiser": "Kyrkokören",
    "tag": ["svanstein"],
    "publish": "approved",
}


@pytest.fixture
async def editor(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> httpx.AsyncClient:
    add_user(engine, now=clock())
    with session_scope(engine) as session:
        place(session, name="Byabutiken", now=clock(), tags=["svanstein"])
    await log_in(client)
    return client


def stored(engine: Engine) -> list[Event]:
    with Session(engine) as session:
        return list(session.exec(select(Event).order_by(col(Event.id))))


def field_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert match is not None, f"no field {name}"
    return unescape(match.group(1))


async def post(
    client: httpx.AsyncClient, path: str, fields: dict[str, str | list[str]]
) -> httpx.Response:
    token = await page_token(client, NEW)
    return await client.post(path, data={"csrf_token": token, **fields})


async def test_an_editor_publishes_an_event_for_a_village_and_finds_it_in_the_list(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    saved = await post(editor, NEW, CONCERT)

    (event,) = stored(engine)
    assert saved.headers["location"] == f"/admin/events/{event.id}?saved=1"
    assert (event.status, event.origin, event.location_tags) == (
        "approved",
        "manual",
        ["svanstein"],
    )
    assert event.texts["en"] == {"title": "Spring concert", "body": "Free admission."}
    # Winter time: 18:00 in Övertorneå is 17:00 UTC.
    assert event.starts_at == datetime(2026, 3, 14, 17, 0, tzinfo=UTC)
    listed = visible_text((await editor.get("/admin/events")).text)
    assert "Vårkonsert med kören lördag 14 mars 2026, 18:00–21:00 · Kyrkan" in listed
    assert "Visas vid: svanstein" in listed
    page = await editor.get(saved.headers["location"])
    assert "Sparat." in page.text
    assert field_value(page.text, "title_en") == "Spring concert"
    assert field_value(page.text, "ends_time") == "21:00"
    assert 'name="tag" value="svanstein" checked' in page.text


async def test_an_all_day_event_reads_back_with_its_last_day(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    fields = {
        **CONCERT,
        "all_day": "1",
        "ends_day": "2026-03-15",
        "starts_time": "",
        "ends_time": "",
    }

    saved = await post(editor, NEW, fields)

    (event,) = stored(engine)
    assert (event.first_day, event.end_day) == (date(2026, 3, 14), date(2026, 3, 16))
    page = await editor.get(saved.headers["location"])
    assert field_value(page.text, "ends_day") == "2026-03-15"
    listed = visible_text((await editor.get("/admin/events")).text)
    assert "14 mars 2026 – 15 mars 2026" in listed


async def test_a_form_without_a_start_is_refused_in_swedish_and_keeps_the_input(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    refused = await post(editor, NEW, {**CONCERT, "starts_day": ""})

    assert refused.status_code == 422
    assert "Ange dagen då evenemanget börjar." in refused.text
    assert field_value(refused.text, "title_sv") == "Vårkonsert med kören"
    assert field_value(refused.text, "place") == "Kyrkan"
    assert stored(engine) == []


async def test_html_typed_into_an_event_is_shown_as_text(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    await post(editor, NEW, {**CONCERT, "title_sv": "<script>alert(1)</script>Konsert"})

    listed = await editor.get("/admin/events")

    assert "<script>alert(1)</script>" not in listed.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Konsert" in listed.text


async def test_a_draft_is_listed_as_one_and_publishing_it_later_is_one_more_version(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    saved = await post(editor, NEW, {**CONCERT, "publish": "draft"})
    (draft,) = stored(engine)
    listed = visible_text((await editor.get("/admin/events")).text)

    published = await post(
        editor, saved.headers["location"].split("?")[0], {**CONCERT, "version": "1"}
    )

    assert draft.status == "draft"
    assert "Vårkonsert med kören" in listed
    assert "Utkast" in listed
    assert published.status_code == 303
    (event,) = stored(engine)
    assert (event.status, event.version) == ("approved", 2)


async def test_the_second_of_two_editors_is_told_and_keeps_their_edit(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    saved = await post(editor, NEW, CONCERT)
    path = saved.headers["location"].split("?")[0]
    await post(editor, path, {**CONCERT, "version": "1", "place": "Församlingshemmet"})

    late = await post(editor, path, {**CONCERT, "version": "1", "place": "Skolan"})

    assert late.status_code == 409
    assert "Någon annan sparade evenemanget efter att du öppnade det" in late.text
    assert field_value(late.text, "place") == "Skolan"
    assert field_value(late.text, "version") == "2"
    assert stored(engine)[0].place == "Församlingshemmet"


async def test_deleting_an_event_removes_it_and_logs_what_it_was(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    saved = await post(editor, NEW, CONCERT)
    path = saved.headers["location"].split("?")[0]

    deleted = await post(editor, f"{path}/delete", {})
    listed = await editor.get(deleted.headers["location"])

    assert stored(engine) == []
    assert "”Vårkonsert med kören” togs bort." in listed.text
    with Session(engine) as session:
        actions = session.exec(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "event")
            .order_by(col(AuditEntry.id))
        ).all()
    assert actions == ["create", "delete"]


async def test_someone_whose_role_may_not_edit_is_refused_the_events(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), username="mona", role=Role.ALERT_OPERATOR)
    await log_in(client, username="mona")
    token = await page_token(client, "/admin/")

    listed = await client.get("/admin/events")
    posted = await client.post(NEW, data={"csrf_token": token, **CONCERT})

    assert (listed.status_code, posted.status_code) == (403, 403)
    assert stored(engine) == []
