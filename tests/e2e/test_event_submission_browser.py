"""An event's way from a resident's phone to the screens of one village, in a real browser:
sent in on the public form, approved by a moderator in the admin, then in the manifest of the
village shop (not of the sports hall in another village) and in the calendar feed.

Chromium, driven by Playwright, against `anslag-server serve` on the demo municipality,
whose shop is tagged Svanstein and whose sports hall Övertorneå, each playlist showing the
upcoming events of its place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from anslag_testing.browsers import log_in_as_demo_editor, needs_chromium
from anslag_testing.processes import ServerProcess
from anslag_testing.server_app import bearer
from icalendar import Calendar
from playwright.sync_api import Browser, expect

from playlists.manifest import EventItem, parse_manifest
from server.clock import system_clock
from server.db import create_engine_for, migrate, session_scope
from server.demo.seed import seed_demo
from server.services import content
from server.services.permissions import SYSTEM_ACTOR
from server.services.playlists import EntryDraft, PlaylistDraft, save_playlist
from server.storage import LocalMediaStorage

pytestmark = [pytest.mark.e2e, needs_chromium]

VILLAGES = {"byabutiken-svanstein": "svanstein", "sporthallen-overtornea": "overtornea"}
TITLE = "Pimpeltävling på Torneälven"


@dataclass(frozen=True)
class Villages:
    server: ServerProcess
    # The screen token of each tagged location, by slug.
    tokens: dict[str, str]


@pytest.fixture
def villages(tmp_path: Path, database_url: str) -> Iterator[Villages]:
    data_dir = tmp_path / "server"
    migrate(database_url)
    engine = create_engine_for(database_url)
    now = system_clock()
    tokens = {}
    try:
        with session_scope(engine) as session:
            seed = seed_demo(session, LocalMediaStorage(data_dir / "media"), now=now)
            for location, playlist in zip(seed.locations, seed.playlists, strict=True):
                if location.slug not in VILLAGES:
                    continue
                location.tags = [VILLAGES[location.slug]]
                session.add(location)
                kept = tuple(EntryDraft(entry.item_id) for entry in playlist.entries)
                upcoming = EntryDraft(
                    None, dynamic_kind="upcoming_events", dynamic_options={"days": 14}
                )
                save_playlist(
                    session,
                    actor=SYSTEM_ACTOR,
                    playlist_id=playlist.id or 0,
                    expected_version=playlist.version,
                    draft=PlaylistDraft(playlist.name, (upcoming, *kept)),
                    now=now,
                )
                tokens[location.slug] = content.issue_screen_token(
                    session, screen=seed.screen_at(location.slug)
                )
    finally:
        engine.dispose()
    with ServerProcess(data_dir=data_dir, database_url=database_url) as server:
        yield Villages(server, tokens)


def event_titles(villages: Villages, slug: str) -> list[str]:
    """The calendar's events in the location's manifest (the demo's own event slide aside)."""
    answer = httpx.get(
        f"{villages.server.url}/api/device/v1/manifest", headers=bearer(villages.tokens[slug])
    )
    manifest = parse_manifest(answer.content)
    return [
        item.texts["sv"].title
        for item in manifest.items
        if isinstance(item, EventItem) and item.id.startswith("event-")
    ]


def test_a_submitted_event_approved_by_a_moderator_reaches_its_village_and_the_feed(
    villages: Villages, browser: Browser
) -> None:
    url = villages.server.url
    day = (system_clock().astimezone(ZoneInfo("Europe/Stockholm")) + timedelta(days=3)).date()
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{url}/calendar")
    phone.get_by_role("link", name="Tipsa om ett evenemang").click()
    phone.get_by_label("Ditt namn").fill("Aino Niemi")
    phone.get_by_label("Din e-postadress").fill("aino@example.se")
    phone.get_by_label("Förening (om det finns)").fill("Svansteins fiskeklubb")
    phone.get_by_label("Rubrik").fill(TITLE)
    phone.get_by_label("Beskrivning").fill("Anmälan på isen från klockan 9.")
    phone.get_by_label("Börjar").fill(day.isoformat())
    phone.locator("#starts_time").fill("10:00")
    phone.locator("#ends_time").fill("14:00")
    phone.get_by_label("Plats").fill("Isen vid bron")
    phone.get_by_label("By").select_option("svanstein")
    phone.get_by_role("button", name="Skicka evenemanget").click()
    expect(phone.get_by_role("status")).to_have_text(
        "Tack! Ditt evenemang väntar nu på granskning."
    )
    assert event_titles(villages, "byabutiken-svanstein") == []

    desk = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in_as_demo_editor(desk, villages.server)
    desk.get_by_role("link", name="Granskning").click()
    desk.get_by_role("link", name=TITLE).click()
    desk.get_by_role("button", name="Godkänn och publicera").click()
    expect(desk.get_by_role("status")).to_have_text(f"”{TITLE}” är godkänt och publicerat.")

    assert event_titles(villages, "byabutiken-svanstein") == [TITLE]
    assert event_titles(villages, "sporthallen-overtornea") == []
    feed = Calendar.from_ical(httpx.get(f"{url}/calendar.ics").content)
    assert [str(event["SUMMARY"]) for event in feed.walk("VEVENT")] == [TITLE]
    phone.reload()
    expect(phone.get_by_role("heading", level=2).first).to_have_text("Godkänt: finns i kalendern")
