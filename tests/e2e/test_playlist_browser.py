"""A playlist built in a real browser: added with buttons, reordered by dragging, scheduled,
previewed, and on the village shop's screen.

Chromium, driven by Playwright (the `browser` fixture of tests/e2e/conftest.py), against
`anslag-server serve` on the demo municipality.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from anslag_testing.browsers import needs_chromium
from anslag_testing.processes import ServerProcess
from anslag_testing.server_app import bearer
from playwright.sync_api import Browser, Locator, Page, expect

from playlists.manifest import parse_manifest
from server.clock import system_clock
from server.db import create_engine_for, migrate, session_scope
from server.demo.seed import DEMO_PASSWORD, DEMO_USERNAME, seed_demo
from server.services import content
from server.storage import LocalMediaStorage

pytestmark = [pytest.mark.e2e, needs_chromium]


@dataclass(frozen=True)
class DemoShop:
    server: ServerProcess
    screen_token: str


@pytest.fixture
def demo_shop(tmp_path: Path, database_url: str) -> Iterator[DemoShop]:
    """The demo municipality served for real, and the village shop screen's token."""
    data_dir = tmp_path / "server"
    migrate(database_url)
    engine = create_engine_for(database_url)
    try:
        with session_scope(engine) as session:
            seed = seed_demo(session, LocalMediaStorage(data_dir / "media"), now=system_clock())
            token = content.issue_screen_token(
                session, screen=seed.screen_at("byabutiken-svanstein")
            )
    finally:
        engine.dispose()
    with ServerProcess(data_dir=data_dir, database_url=database_url) as server:
        yield DemoShop(server, token)


def entries(page: Page) -> Locator:
    return page.locator("[data-entry] .entry-text strong")


def drag(page: Page, handle: Locator, onto: Locator) -> None:
    """Press the handle, move in small steps to the top edge of `onto`, let go."""
    start, target = handle.bounding_box(), onto.bounding_box()
    assert start is not None
    assert target is not None
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + 40, target["y"] + 4, steps=12)
    page.mouse.up()


def test_a_playlist_built_and_dragged_in_the_browser_reaches_the_shops_screen(
    demo_shop: DemoShop, browser: Browser
) -> None:
    url = demo_shop.server.url
    manifest_url = f"{url}/api/device/v1/manifest"
    before = httpx.get(manifest_url, headers=bearer(demo_shop.screen_token))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{url}/admin/playlists")
    page.get_by_label("Användarnamn").fill(DEMO_USERNAME)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    page.get_by_label("Namn").fill("Kvällen")
    page.get_by_role("button", name="Skapa").click()
    expect(page.get_by_role("heading", name="Kvällen", level=1)).to_be_visible()
    for name in (
        "Vägen till Juoksengi är lagad",
        "gryning-over-kullarna.png",
        "Julmarknad i Svanstein",
    ):
        page.get_by_role("button", name=f"Lägg till {name}").click()
        expect(page.get_by_role("status")).to_have_text("Sparat.")
    expect(entries(page)).to_have_text(
        ["Vägen till Juoksengi är lagad", "gryning-over-kullarna.png", "Julmarknad i Svanstein"]
    )

    rows = page.locator("[data-entry]")
    drag(page, rows.nth(2).locator("[data-handle]"), rows.nth(0))
    # Saved, and scrolled back to the moved entry when the form says which it was.
    base = re.escape(page.url.split("?")[0].split("#")[0])
    expect(page).to_have_url(re.compile(base + r"\?saved=1(#entry-\d+)?$"))
    expect(entries(page)).to_have_text(
        ["Julmarknad i Svanstein", "Vägen till Juoksengi är lagad", "gryning-over-kullarna.png"]
    )

    page.get_by_role("link", name="Schemalägg den i stället").click()
    expect(page.get_by_label("Spellista", exact=True)).to_have_value(page.url.rsplit("=", 1)[1])
    page.get_by_label("Spelas på").select_option(label="Byabutiken i Svanstein")
    page.get_by_label("Prioritet").fill("50")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_have_text("Sparat.")
    expect(page.get_by_role("link", name="Kvällen")).to_contain_text("prioritet 50")

    page.get_by_role("link", name="Förhandsvisning").click()
    expect(page.get_by_text("Spellistan Kvällen spelas (prioritet 50).")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    after = httpx.get(manifest_url, headers=bearer(demo_shop.screen_token))
    assert after.headers["etag"] != before.headers["etag"]
    manifest = parse_manifest(after.content)
    [evening] = [playlist for playlist in manifest.playlists if playlist.name == "Kvällen"]
    # The event slide dragged to the top leads on the screen too.
    assert [manifest.item(entry.item).kind for entry in evening.entries] == [
        "event",
        "text",
        "image",
    ]
    assert manifest.assignments[0].priority == 50
