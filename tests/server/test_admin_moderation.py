"""The moderators' pages: the queue of events sent in, approving after an edit, rejecting with
a reason, and what the sender then sees on their status page."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.schedules import place, visible_text
from anslag_testing.server_app import FakeClock
from anslag_testing.submissions import MARKET, send_form
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.db import session_scope
from server.models import AuditEntry, Event, Role

pytestmark = pytest.mark.anyio


@pytest.fixture
async def submitted(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> str:
    """An event sent in through the public form; the sender's status link."""
    with session_scope(engine) as session:
        place(session, name="Byabutiken", now=clock(), tags=["svanstein"])
    sent = await send_form(client, MARKET)
    return sent.headers["location"].split("?")[0]


@pytest.fixture
async def moderator(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> httpx.AsyncClient:
    add_user(engine, now=clock(), username="mona", role=Role.MODERATOR, display_name="Mona")
    await log_in(client, username="mona")
    return client


def the_event(engine: Engine) -> Event:
    with Session(engine) as session:
        return session.exec(select(Event)).one()


def review_fields(event: Event, **changes: str) -> dict[str, str | list[str]]:
    fields: dict[str, str | list[str]] = {
        "version": str(event.version),
        "language": ["sv"],
        "title_sv": event.texts["sv"]["title"],
        "body_sv": event.texts["sv"]["body"],
        "starts_day": "2026-01-24",
        "starts_time": "10:00",
        "ends_time": "14:00",
        "place": event.place,
        "organiser": event.organiser,
        "tag": event.location_tags,
    }
    return {**fields, **changes}


@pytest.mark.usefixtures("submitted")
async def test_the_queue_shows_what_waits_and_who_sent_it(moderator: httpx.AsyncClient) -> None:
    queue = await moderator.get("/admin/moderation")

    text = visible_text(queue.text)
    assert "Väntar på dig (1)" in text
    assert "Vårmarknad i bygdegården lördag 24 januari 2026" in text
    assert "Från Aino Niemi (Svansteins byaförening)" in text
    assert "Visas vid: svanstein" in text
    assert 'href="/admin/moderation"' in queue.text  # the menu offers it


async def test_a_moderator_edits_and_approves_and_the_event_goes_public(
    client: httpx.AsyncClient, engine: Engine, submitted: str, moderator: httpx.AsyncClient
) -> None:
    event = the_event(engine)
    token = await page_token(moderator, f"/admin/moderation/{event.id}")

    approved = await moderator.post(
        f"/admin/moderation/{event.id}",
        data={
            "csrf_token": token,
            "action": "approve",
            **review_fields(event, title_sv="Vårmarknad"),
        },
    )
    queue = await moderator.get(approved.headers["location"])
    calendar = await client.get("/calendar")
    status = await client.get(submitted)

    stored = the_event(engine)
    assert (stored.status, stored.version, stored.texts["sv"]["title"]) == (
        "approved",
        2,
        "Vårmarknad",
    )
    assert "”Vårmarknad” är godkänt och publicerat." in queue.text
    assert "Inget väntar" in visible_text(queue.text)
    assert "Vårmarknad" in visible_text(calendar.text)
    assert "Godkänt: finns i kalendern" in visible_text(status.text)
    with Session(engine) as session:
        log = session.exec(
            select(AuditEntry.action, AuditEntry.actor)
            .where(AuditEntry.entity == "event")
            .order_by(col(AuditEntry.id))
        ).all()
    assert log == [("create", "Aino Niemi via the public form"), ("approve", "mona")]


async def test_a_rejection_needs_a_reason_which_the_sender_then_reads(
    client: httpx.AsyncClient, engine: Engine, submitted: str, moderator: httpx.AsyncClient
) -> None:
    event = the_event(engine)
    path = f"/admin/moderation/{event.id}"
    token = await page_token(moderator, path)

    without = await moderator.post(
        path, data={"csrf_token": token, "action": "reject", **review_fields(event), "reason": " "}
    )
    rejected = await moderator.post(
        path,
        data={
            "csrf_token": token,
            "action": "reject",
            **review_fields(event),
            "reason": "Marknaden finns redan i kalendern.",
        },
    )
    status = await client.get(submitted)
    calendar = await client.get("/calendar")

    assert without.status_code == 422
    assert "Skriv varför evenemanget avvisas; arrangören får läsa det" in without.text
    assert rejected.status_code == 303
    assert (the_event(engine).status, the_event(engine).rejection_reason) == (
        "rejected",
        "Marknaden finns redan i kalendern.",
    )
    text = visible_text(status.text)
    assert "Inte godkänt" in text
    assert "Moderatorn skrev: Marknaden finns redan i kalendern." in text
    assert "Vårmarknad" not in calendar.text


@pytest.mark.usefixtures("submitted")
async def test_an_editor_without_the_moderator_role_is_refused_the_queue(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), username="erik", role=Role.EDITOR)
    await log_in(client, username="erik")
    token = await page_token(client, "/admin/")
    event = the_event(engine)

    listed = await client.get("/admin/moderation")
    posted = await client.post(
        f"/admin/moderation/{event.id}",
        data={"csrf_token": token, "action": "approve", **review_fields(event)},
    )

    assert (listed.status_code, posted.status_code) == (403, 403)
    assert the_event(engine).status == "pending"
