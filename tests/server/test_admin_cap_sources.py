"""The alert sources page: an admin adds, changes and switches off CAP feeds and sees how each
is doing; nobody else may."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.cap import cap_document
from anslag_testing.cap_places import add_places, add_source, take
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.db import session_scope
from server.models import AuditEntry, CapSource, Role

pytestmark = pytest.mark.anyio

PAGE = "/admin/cap-sources"


def source_form(csrf: str, **changes: str | list[str]) -> dict[str, str | list[str]]:
    return {
        "csrf_token": csrf,
        "version": "0",
        "name": "SR VMA Norrbotten",
        "url": "https://vmaapi.sr.se/api/v3/alerts/25.xml",
        "poll_minutes": "2",
        "lifetime_hours": "12",
        "statuses": ["actual", "exercise"],
        "enabled": "on",
        **changes,
    }


def sources(engine: Engine) -> list[CapSource]:
    with Session(engine) as session:
        return list(session.exec(select(CapSource)))


async def test_an_admin_adds_a_source_and_the_change_is_logged(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), username="ida", role=Role.ADMIN)
    await log_in(client, username="ida")

    csrf = await page_token(client, PAGE)
    added = await client.post(PAGE, data=source_form(csrf))
    page = await client.get(added.headers["location"])

    assert added.status_code == 303
    assert "Sparat. Källan hämtas vid nästa tillfälle." in page.text
    assert "SR VMA Norrbotten" in page.text
    [source] = sources(engine)
    assert (source.poll_minutes, source.lifetime_hours, source.statuses) == (
        2,
        12.0,
        ["actual", "exercise"],
    )
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "cap_source")).one()
    assert (entry.actor, entry.action, entry.summary) == (
        "ida",
        "create",
        "CAP source SR VMA Norrbotten",
    )


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"url": "ftp://vmaapi.sr.se/alerts"}, "Adressen måste vara en webbadress"),
        ({"poll_minutes": "ofta"}, "Hämta från källan var 1 till 1440 minut."),
        ({"lifetime_hours": "0"}, "En varning utan sluttid gäller i 1 till 336 timmar."),
        ({"statuses": []}, "Välj vilka meddelanden som ska tas in"),
    ],
)
async def test_a_bad_source_is_refused_with_why_and_the_form_kept(
    client: httpx.AsyncClient,
    engine: Engine,
    clock: FakeClock,
    changes: dict[str, str | list[str]],
    refusal: str,
) -> None:
    add_user(engine, now=clock(), username="ida", role=Role.ADMIN)
    await log_in(client, username="ida")
    csrf = await page_token(client, PAGE)

    refused = await client.post(PAGE, data=source_form(csrf, **changes))

    assert refused.status_code == 422
    assert refusal in refused.text
    assert 'value="SR VMA Norrbotten"' in refused.text
    assert sources(engine) == []


async def test_the_list_shows_which_source_works_and_what_went_wrong_with_the_other(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), username="ida", role=Role.ADMIN)
    working = add_source(engine, clock(), name="SMHI")
    broken = add_source(engine, clock(), name="Krisinformation")
    with session_scope(engine) as session:
        for source_id, error in ((working, None), (broken, "the source answered HTTP 503")):
            source = session.get(CapSource, source_id)
            assert source is not None
            source.last_polled_at = clock() - timedelta(minutes=1)
            source.last_error = error
            source.last_succeeded_at = None if error else clock() - timedelta(minutes=1)
    await log_in(client, username="ida")

    page = await client.get(PAGE)

    # Listed by name: Krisinformation first.
    kris, _, smhi = page.text.partition("<strong>SMHI</strong>")
    assert "Fungerar" in smhi
    assert "i dag 08:59" in smhi
    assert "Problem" in kris
    assert "Senaste hämtningen gick fel:" in kris
    assert "the source answered HTTP 503" in kris
    assert "senast lyckad aldrig" in kris


async def test_switching_a_source_off_and_a_stale_save_is_told(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), username="ida", role=Role.ADMIN)
    source_id = add_source(engine, clock(), name="SR VMA Norrbotten")
    await log_in(client, username="ida")
    csrf = await page_token(client, f"{PAGE}/{source_id}")

    off = await client.post(f"{PAGE}/{source_id}", data=source_form(csrf, version="1", enabled=""))
    stale = await client.post(f"{PAGE}/{source_id}", data=source_form(csrf, version="1"))

    assert off.status_code == 303
    assert stale.status_code == 409
    assert "Någon annan sparade källan medan du ändrade den." in stale.text
    [source] = sources(engine)
    assert (source.enabled, source.version) == (False, 2)
    assert "Avstängd" in (await client.get(PAGE)).text


async def test_a_source_page_shows_its_latest_messages_and_what_they_did(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), username="ida", role=Role.ADMIN)
    add_places(engine, clock())
    source_id = add_source(engine, clock(), name="SR VMA Norrbotten")
    take(engine, cap_document("sr_vma_alert.xml"), source_id=source_id, now=clock())
    await log_in(client, username="ida")

    page = await client.get(f"{PAGE}/{source_id}?lang=en")

    assert "Latest messages" in page.text
    assert "Alert · SRVMA-2026-0112-0001" in page.text
    assert "raised alert 1" in page.text
    assert 'href="/admin/alerts/1"' in page.text


async def test_only_an_admin_may_manage_sources(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), username="tib", role=Role.ALERT_OPERATOR)
    await log_in(client, username="tib")

    assert (await client.get(PAGE)).status_code == 403
    assert f'href="{PAGE}"' not in (await client.get("/admin/alerts")).text
