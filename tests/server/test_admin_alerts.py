"""The duty officer's pages: from a template to the screens, followed up, ended."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine
from sqlmodel import select

from server.db import session_scope
from server.models import Alert, Role
from server.services import content

pytestmark = pytest.mark.anyio

MANIFEST = "/api/device/v1/manifest"


def arrange(engine: Engine, clock: FakeClock) -> str:
    """The shop in Svanstein with one screen; returns the screen's token."""
    with session_scope(engine) as session:
        shop = content.create_location(
            session,
            slug="byabutiken",
            name="Byabutiken i Svanstein",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=clock(),
        )
        shop.tags = ["svanstein"]
        content.create_location(
            session,
            slug="sporthallen",
            name="Sporthallen",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=clock(),
        )
        _screen, token = content.create_screen(session, location=shop, name="Kassan", now=clock())
    add_user(engine, now=clock(), username="tib", role=Role.ALERT_OPERATOR)
    return token


def water_form(csrf: str, action: str, **changes: str) -> dict[str, str | list[str]]:
    return {
        "csrf_token": csrf,
        "version": "0",
        "headline": "Vattnet är avstängt",
        "description": "En vattenledning har gått sönder. Vi vet ännu inte hur länge.",
        "instruction": "Spara på vattnet.",
        "extra_language": "en",
        "extra_headline": "",
        "severity": "severe",
        "tags": ["svanstein"],
        "hours": "4",
        "action": action,
        **changes,
    }


async def test_the_duty_officer_previews_sees_the_reach_and_sends_to_the_right_screens(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    token = arrange(engine, clock)
    await log_in(client, username="tib")

    template = await client.get("/admin/alerts/new?template=water")
    csrf = await page_token(client, "/admin/alerts/new")
    preview = await client.post("/admin/alerts/new", data=water_form(csrf, "preview"))
    sent = await client.post("/admin/alerts/new", data=water_form(csrf, "send"))
    follow_up = await client.get(sent.headers["location"])
    manifest = await client.get(MANIFEST, headers=bearer(token))

    assert 'value="Vattnet är avstängt"' in template.text
    assert "Så visar skärmarna det" in preview.text
    assert "<strong>Byabutiken i Svanstein</strong>: Kassan" in preview.text
    assert "Sporthallen" not in preview.text.split("Vart det går")[1]
    assert sent.status_code == 303
    assert "Skickat. Skärmarna där det gäller visar det nu." in follow_up.text
    [alert] = manifest.json()["alerts"]
    assert alert["texts"]["sv"]["headline"] == "Vattnet är avstängt"
    assert alert["expires"] == "2026-01-12T12:00:00Z"


async def test_an_alert_with_nowhere_to_go_is_refused_and_the_text_kept(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    arrange(engine, clock)
    await log_in(client, username="tib")
    csrf = await page_token(client, "/admin/alerts/new")

    refused = await client.post("/admin/alerts/new", data=water_form(csrf, "send", tags=[]))

    assert refused.status_code == 422
    assert "Välj var larmet gäller" in refused.text
    assert "En vattenledning har gått sönder" in refused.text
    with session_scope(engine) as session:
        assert session.exec(select(Alert)).all() == []


async def test_a_follow_up_replaces_the_text_and_a_stale_one_is_told(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    token = arrange(engine, clock)
    await log_in(client, username="tib")
    csrf = await page_token(client, "/admin/alerts/new")
    sent = await client.post("/admin/alerts/new", data=water_form(csrf, "send"))
    page = sent.headers["location"].split("?")[0]

    updated = await client.post(
        page, data=water_form(csrf, "send", version="1", description="Lagat till kl. 18.")
    )
    stale = await client.post(page, data=water_form(csrf, "send", version="1"))
    [alert] = (await client.get(MANIFEST, headers=bearer(token))).json()["alerts"]

    assert updated.status_code == 303
    assert stale.status_code == 409
    assert "Någon annan uppdaterade larmet" in stale.text
    assert (alert["version"], alert["texts"]["sv"]["description"]) == (2, "Lagat till kl. 18.")


async def test_all_clear_puts_up_the_all_clear_card(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    token = arrange(engine, clock)
    await log_in(client, username="tib")
    csrf = await page_token(client, "/admin/alerts/new")
    sent = await client.post("/admin/alerts/new", data=water_form(csrf, "send"))
    page = sent.headers["location"].split("?")[0]

    ended = await client.post(f"{page}/end", data={"csrf_token": csrf, "how": "all_clear"})
    listing = await client.get("/admin/alerts")
    [card] = (await client.get(MANIFEST, headers=bearer(token))).json()["alerts"]

    assert ended.status_code == 303
    assert "avslutat med faran över" in listing.text
    assert card["kind"] == "all_clear"


async def test_an_editor_may_not_raise_alerts(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), role=Role.EDITOR)
    await log_in(client)

    assert (await client.get("/admin/alerts")).status_code == 403
    assert 'href="/admin/alerts"' not in (await client.get("/admin/")).text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"tags": [], "codes": "25180"},
            "En områdeskod har 2 siffror (län) eller 4 siffror (kommun).",
        ),
        ({"hours": "en vecka"}, "Ange hur länge larmet gäller i timmar, högst två veckor."),
        ({"hours": "400"}, "Ange hur länge larmet gäller i timmar, högst två veckor."),
        ({"headline": ""}, "Skriv en rubrik på högst 200 tecken."),
    ],
)
async def test_each_refusal_says_what_to_fix_in_swedish_and_nothing_is_sent(
    client: httpx.AsyncClient,
    engine: Engine,
    clock: FakeClock,
    changes: dict[str, str | list[str]],
    message: str,
) -> None:
    arrange(engine, clock)
    await log_in(client, username="tib")
    csrf = await page_token(client, "/admin/alerts/new")

    refused = await client.post("/admin/alerts/new", data={**water_form(csrf, "send"), **changes})

    assert refused.status_code == 422
    assert message in refused.text
    with session_scope(engine) as session:
        assert session.exec(select(Alert)).all() == []
