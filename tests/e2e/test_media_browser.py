"""The media library and items in a real browser: upload with the progress bar, make a slide.

Chromium against `anslag-server serve` with the demo municipality; the upload
runs through the page's own script, slowed to a crawl so its progress shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from anslag_testing.browsers import log_in_as_demo_editor, needs_chromium
from anslag_testing.processes import ServerProcess
from anslag_testing.server_app import png
from playwright.sync_api import Browser, expect

pytestmark = [pytest.mark.e2e, needs_chromium]

# Bytes per second: a picture of about a megabyte takes seconds to send.
SLOW_UPLOAD = 256 * 1024


def test_an_editor_uploads_a_picture_watching_its_progress_and_makes_a_slide_of_it(
    demo_server: ServerProcess, browser: Browser, tmp_path: Path
) -> None:
    photo = tmp_path / "Älven i mars.png"
    photo.write_bytes(png(600, 600, seed=7))
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="sv-SE")
    log_in_as_demo_editor(page, demo_server)
    page.goto(f"{demo_server.url}/admin/media")
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": SLOW_UPLOAD},
    )

    page.get_by_label("Fil", exact=True).set_input_files(photo)
    page.get_by_role("button", name="Ladda upp").click()

    expect(page.locator(".upload-progress")).to_be_visible()
    expect(page.locator(".upload-percent")).to_have_text(re.compile(r"^([1-9]\d?|100) %$"))
    expect(page).to_have_url(re.compile(r"/admin/media\?added="), timeout=30_000)
    expect(page.get_by_role("status")).to_have_text("”Älven i mars.png” lades till.")
    card = page.locator(".media-card.is-new")
    expect(card).to_contain_text("600 \N{MULTIPLICATION SIGN} 600")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    card.get_by_role("link").click()
    page.get_by_role("link", name="Gör ett inslag av den").click()
    expect(page.get_by_role("heading", name="Nytt bildinslag")).to_be_visible()
    expect(page.locator('input[name="asset"]:checked')).to_have_count(1)
    page.get_by_label("Sekunder på skärmen").fill("12")
    page.get_by_role("button", name="Spara").last.click()

    expect(page.get_by_role("status")).to_have_text("Sparat.")
    expect(page.get_by_role("heading", name="Älven i mars.png")).to_be_visible()
    page.get_by_role("link", name="Alla inslag").click()
    row = page.locator(".item-row").filter(has_text="Älven i mars.png")
    expect(row).to_contain_text("12 s")
    expect(row).to_contain_text("Inte i någon spellista")


def test_a_file_that_is_no_picture_is_refused_on_the_page_with_the_file_still_chosen(
    demo_server: ServerProcess, browser: Browser, tmp_path: Path
) -> None:
    notes = tmp_path / "mote.jpg"
    notes.write_text("Kom ihåg mötet på torsdag!")
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    log_in_as_demo_editor(page, demo_server)
    page.goto(f"{demo_server.url}/admin/media")
    cards = page.locator(".media-card").count()

    page.get_by_label("Fil", exact=True).set_input_files(notes)
    page.get_by_role("button", name="Ladda upp").click()

    expect(page.locator(".upload-error")).to_have_text(
        "”mote.jpg” är varken en bild eller en video som skärmarna kan visa. Skärmarna visar "
        "bilder i PNG, JPEG och WebP och video i MP4 (H.264) och WebM (VP8, VP9)."
    )
    expect(page).to_have_url(f"{demo_server.url}/admin/media")
    assert page.get_by_label("Fil", exact=True).input_value().endswith("mote.jpg")
    expect(page.locator(".media-card")).to_have_count(cards)
