"""The duty officer's follow-up page in a real browser: screens confirm the alert while the
operator watches, without reloading. Chromium, driven by Playwright, against a real server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from anslag_testing.browsers import log_in_as_demo_editor, needs_chromium
from anslag_testing.processes import ServerProcess
from anslag_testing.server_app import bearer
from playwright.sync_api import Browser, expect

from server.db import create_engine_for, session_scope
from server.services.content import find_location, issue_screen_token

pytestmark = [pytest.mark.e2e, needs_chromium]

SHOP = "byabutiken-svanstein"


def token_for_the_shops_screen(database_url: str) -> tuple[int, str]:
    engine = create_engine_for(database_url)
    try:
        with session_scope(engine) as session:
            screen = find_location(session, slug=SHOP).screens[0]
            assert screen.id is not None
            return screen.id, issue_screen_token(session, screen=screen)
    finally:
        engine.dispose()


def test_the_operator_watches_a_screen_go_from_unreachable_to_delivered_to_displayed(
    demo_server: ServerProcess, browser: Browser, database_url: str, tmp_path: Path
) -> None:
    screen_id, token = token_for_the_shops_screen(database_url)
    page = browser.new_page(viewport={"width": 390, "height": 900})
    log_in_as_demo_editor(page, demo_server)

    page.goto(f"{demo_server.url}/admin/alerts/new?template=water")
    page.get_by_label("Byabutiken i Svanstein").check()
    page.get_by_role("button", name="Förhandsgranska och se vart det går").click()
    page.get_by_role("button", name="Skicka larmet").click()

    row = page.locator(f'[data-screen="{screen_id}"]')
    expect(row).to_contain_text("Nås inte: skärmen är inte ansluten")
    expect(page.locator("[data-summary]")).to_have_text("0 av 1 skärmar visar det")
    alert_id = page.url.split("/")[-1].split("?")[0]
    # Set on this very page: were it reloaded, the mark would be gone.
    page.evaluate("window.stillTheSamePage = true")

    with httpx.Client(base_url=demo_server.url, headers=bearer(token), timeout=10) as screen:
        screen.get("/api/device/v1/manifest").raise_for_status()
        expect(row).to_contain_text("Levererat, visas inte än")
        now = datetime.now(UTC)
        screen.post(
            f"/api/device/v1/alerts/alert-{alert_id}/ack",
            json={
                "version": 1,
                "received_at": now.isoformat(),
                "displayed_at": (now + timedelta(seconds=0.3)).isoformat(),
            },
        ).raise_for_status()

    expect(row).to_contain_text("Visas,")
    expect(row).to_have_class("delivery is-displayed")
    expect(page.locator("[data-summary]")).to_have_text("1 av 1 skärmar visar det")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "deliveries-phone.png"), full_page=True)
