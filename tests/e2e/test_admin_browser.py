"""The web admin in a real browser: Chromium, driven by Playwright, against a real server.

The demo editor logs in, finds the three demo screens on the dashboard,
switches the admin to English and logs out again.
"""

from __future__ import annotations

import pytest
from anslag_testing.browsers import needs_chromium
from anslag_testing.processes import ServerProcess
from playwright.sync_api import Browser, Page, expect

from server.demo.seed import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = [pytest.mark.e2e, needs_chromium]


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_the_demo_editor_logs_in_sees_the_screens_switches_to_english_and_logs_out(
    demo_server: ServerProcess, browser: Browser, width: int
) -> None:
    page: Page = browser.new_page(viewport={"width": width, "height": 900})

    page.goto(f"{demo_server.url}/admin/")
    expect(page).to_have_url(f"{demo_server.url}/admin/login")
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    page.get_by_label("Användarnamn").fill(DEMO_USERNAME)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    expect(page).to_have_url(f"{demo_server.url}/admin/")
    expect(page.get_by_role("heading", name="Skärmar")).to_be_visible()
    cards = page.locator(".screen-card")
    expect(cards).to_have_count(3)
    for screen, location in [
        ("Vid kassan", "Byabutiken i Svanstein"),
        ("Väntrummet", "Hälsocentralen i Övertorneå"),
        ("Entrén", "Sporthallen i Övertorneå"),
    ]:
        card = cards.filter(has=page.get_by_role("heading", name=screen))
        expect(card).to_contain_text(location)
        expect(card).to_contain_text("Offline")
        expect(card).to_contain_text("Bild: ")
    # Nothing in the page may hide off the side of a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Screens")).to_be_visible()
    expect(cards.first).to_contain_text("Showing now")
    page.reload()
    expect(page.get_by_role("heading", name="Screens")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{demo_server.url}/admin/login")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto(f"{demo_server.url}/admin/")
    expect(page).to_have_url(f"{demo_server.url}/admin/login")
