"""Locations and screens in a real browser, on a phone-sized page against a real server.

IT adds a location with the form's helpers (the short name follows the name, a
language moves up, Monday's hours are copied to the other weekdays), then pairs
a new player by the code it shows; the player's manifest is that location's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from anslag_testing.admin import PASSWORD, add_user
from anslag_testing.browsers import needs_chromium
from anslag_testing.processes import ServerProcess
from playwright.sync_api import Browser, Page, expect

from server.clock import system_clock
from server.db import create_engine_for, migrate
from server.models import Role

pytestmark = [pytest.mark.e2e, needs_chromium]


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[ServerProcess]:
    """A real server whose only account is Ivar, an admin."""
    migrate(database_url)
    engine = create_engine_for(database_url)
    try:
        add_user(engine, now=system_clock(), username="ivar", role=Role.ADMIN)
    finally:
        engine.dispose()
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    with ServerProcess(data_dir=data_dir, database_url=database_url) as process:
        yield process


def log_in(page: Page, server: ServerProcess) -> None:
    page.goto(f"{server.url}/admin/login")
    page.get_by_label("Användarnamn").fill("ivar")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Skärmar")).to_be_visible()


def test_it_adds_a_location_and_pairs_a_screen_there_from_a_phone(
    server: ServerProcess, browser: Browser
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    log_in(page, server)

    page.get_by_role("link", name="Platser").click()
    page.get_by_role("link", name="Ny plats").click()
    page.get_by_label("Namn", exact=True).fill("Skolan i Juoksengi")
    expect(page.get_by_label("Kortnamn")).to_have_value("skolan-i-juoksengi")
    page.get_by_role("checkbox", name="Meänkieli").check()
    page.get_by_role("button", name="Flytta upp: Meänkieli").click()
    languages = page.locator(".language-order li")
    expect(languages.first).to_contain_text("Meänkieli")
    hours = page.locator("#hours")
    expect(hours).to_be_hidden()
    page.get_by_label("Enligt öppettiderna").check()
    expect(hours).to_be_visible()
    page.get_by_label("Måndag, öppnar").first.fill("08:00")
    page.get_by_label("Måndag, stänger").first.fill("16:00")
    page.get_by_role("button", name="Kopiera måndag till tisdag\N{EN DASH}fredag").click()
    expect(page.get_by_role("status").filter(has_text="kopierade")).to_be_visible()
    expect(page.get_by_label("Fredag, stänger").first).to_have_value("16:00")
    for weekend_day in (6, 7):
        page.locator(f"#day-{weekend_day}").get_by_label("Stängt").check()
    # Nothing in the form may hide off the side of a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Spara", exact=True).last.click()

    expect(page.get_by_role("status").filter(has_text="Sparat.")).to_be_visible()
    page.get_by_role("link", name="Koppla en skärm hit").click()
    player = httpx.post(f"{server.url}/api/device/v1/pairing", json={}).json()
    page.get_by_label("Koden på skärmen").fill(player["code"].lower())
    page.get_by_label("Skärmens namn").fill("Matsalen")
    page.get_by_role("button", name="Koppla skärmen").click()

    expect(page.get_by_role("heading", name="Matsalen")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Skärmen är kopplad")
    manifest = httpx.get(
        f"{server.url}/api/device/v1/manifest",
        headers={"Authorization": f"Bearer {player['token']}"},
    ).json()
    assert manifest["location"]["id"] == "skolan-i-juoksengi"
    assert manifest["location"]["languages"] == ["fit", "sv"]
    assert [hours["weekday"] for hours in manifest["location"]["opening_hours"]] == [1, 2, 3, 4, 5]
