"""News sources in a real browser on a phone: a feed added, fetched over the network, its slides
listed with their pictures; a broken feed's error shown where the editor looks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from anslag_testing.browsers import log_in_as_demo_editor, needs_chromium
from anslag_testing.feed_server import feed_fixture, local_website
from anslag_testing.media import picture
from anslag_testing.processes import ServerProcess
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.e2e, needs_chromium]

PHONE = {"width": 390, "height": 844}


def pajala_website() -> dict[str, tuple[bytes, str]]:
    """Today's news of Pajala with pictures on the local website, and an error page beside it.

    The server runs on the real clock, so the entries are dated by it too.
    """
    now = datetime.now(UTC)
    entries = [
        ("Isvägen till Kangos är öppen", now - timedelta(hours=1), "/bilder/isvag.jpg"),
        ("Skidspåren är preparerade", now - timedelta(hours=3), None),
        ("Biblioteket har nya öppettider", now - timedelta(days=2), "/bilder/bibliotek.webp"),
    ]
    items = "".join(
        f"<item><title>{title}</title><link>{{base}}/nyheter/{index}</link>"
        f"<pubDate>{format_datetime(published)}</pubDate>"
        "<description><![CDATA[<p>Mer på <b>pajala.se</b> &amp; i appen.</p>]]></description>"
        + (
            f'<enclosure url="{picture_path}" type="image/jpeg" length="1"/>'
            if picture_path
            else ""
        )
        + "</item>"
        for index, (title, published, picture_path) in enumerate(entries)
    )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0">'
        f"<channel><title>Pajala</title>{items}</channel></rss>"
    )
    return {
        "/nyheter/rss.xml": (feed.encode("utf-8"), "application/rss+xml"),
        "/bilder/isvag.jpg": (picture("JPEG", colour=(230, 120, 30)), "image/jpeg"),
        "/bilder/bibliotek.webp": (picture("WEBP", colour=(30, 150, 60)), "image/webp"),
        "/trasig": (feed_fixture("error-page.html"), "text/html; charset=utf-8"),
    }


def add_source(page: Page, server: ServerProcess, *, name: str, url: str) -> None:
    page.goto(f"{server.url}/admin/news-sources")
    page.get_by_role("link", name="Nytt nyhetsflöde").click()
    page.get_by_label("Namn").fill(name)
    page.get_by_label("Flödets adress").fill(url)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_have_text("Sparat.")


def test_an_editor_adds_a_feed_on_a_phone_and_fetches_its_news(
    demo_server: ServerProcess, browser: Browser
) -> None:
    page = browser.new_page(viewport=PHONE, locale="sv-SE")
    log_in_as_demo_editor(page, demo_server)
    with local_website(pajala_website()) as website:
        add_source(page, demo_server, name="Pajala kommun", url=f"{website}/nyheter/rss.xml")

        page.get_by_role("button", name="Hämta nu").click()

        expect(page.get_by_role("status")).to_contain_text("Hämtat:")
    showing = page.locator(".recent-news li")
    expect(showing).to_have_count(3)
    expect(showing.first).to_contain_text("Isvägen till Kangos är öppen")
    expect(showing.locator("img")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    showing.first.get_by_role("link").click()
    expect(page.locator(".message.from-feed")).to_contain_text("nyhetsflödet Pajala kommun")


def test_a_broken_feed_shows_its_error_on_the_list_and_its_page(
    demo_server: ServerProcess, browser: Browser
) -> None:
    page = browser.new_page(viewport=PHONE, locale="sv-SE")
    log_in_as_demo_editor(page, demo_server)
    with local_website(pajala_website()) as website:
        add_source(page, demo_server, name="Trasiga sidan", url=f"{website}/trasig")
        page.get_by_role("button", name="Hämta nu").click()

    expect(page.locator(".source-status .message.error")).to_have_text(
        "Den senaste hämtningen misslyckades: Adressen svarar med en webbsida "
        "('502 Bad Gateway \N{EN DASH} Tillfälligt fel'), inte ett RSS- eller Atom-flöde"
    )
    page.get_by_role("link", name="Alla nyhetsflöden").click()
    card = page.locator(".source-card").filter(has_text="Trasiga sidan")
    expect(card.locator(".badge")).to_have_text("Fel")
    expect(card.locator(".source-error")).to_contain_text("Adressen svarar med en webbsida")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
