"""The dashboard shows what screens report: what they show, cache, version, screenshot, warnings."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.dashboard import card_text
from anslag_testing.device_reports import heartbeat, put_screenshot
from anslag_testing.events import add_event
from anslag_testing.server_app import FakeClock, bearer, png
from sqlalchemy import Engine, event
from sqlmodel import select

from server.db import session_scope
from server.models import AuditEntry, Location, Role
from server.services import content
from server.services.dashboard import screen_statuses

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Shop:
    token: str
    screen_id: int
    opening_id: int  # the first slide: what the schedule says is on now
    flea_market_id: int  # the second slide
    playlist_id: int


@pytest.fixture
def shop(engine: Engine, clock: FakeClock) -> Shop:
    with session_scope(engine) as session:
        location = content.create_location(
            session,
            slug="byabutiken",
            name="Byabutiken",
            timezone="Europe/Stockholm",
            languages=["sv", "fit"],
            now=clock(),
        )
        screen, token = content.create_screen(
            session, location=location, name="Vid kassan", now=clock()
        )
        opening = content.create_text_item(
            session, texts={"sv": ("Öppet till 20 i kväll", "")}, now=clock()
        )
        flea_market = content.create_text_item(
            session,
            texts={"fit": ("Kirppis lauantaina", ""), "sv": ("Loppis på lördag", "")},
            now=clock(),
        )
        playlist = content.create_playlist(session, name="Veckan", entries=[opening, flea_market])
        content.assign_playlist(session, playlist=playlist, location=location)
        assert screen.id is not None
        assert opening.id is not None
        assert flea_market.id is not None
        assert playlist.id is not None
        return Shop(token, screen.id, opening.id, flea_market.id, playlist.id)


async def beat(client: httpx.AsyncClient, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/device/v1/heartbeat", json=body, headers=bearer(token))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def dashboard_card(client: httpx.AsyncClient, screen_id: int) -> str:
    page = await client.get("/admin/")
    assert page.status_code == 200
    return card_text(page.text, screen_id)


async def test_a_reporting_screen_shows_its_own_slide_cache_version_and_plays_today(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, shop: Shop
) -> None:
    add_user(engine, now=clock())
    # The screen is on its second slide, which the schedule alone would not say.
    await beat(
        client,
        shop.token,
        heartbeat(
            clock,
            current_item=f"item-{shop.flea_market_id}",
            current_playlist=f"playlist-{shop.playlist_id}",
        ),
    )
    plays = [
        {"item": f"item-{shop.opening_id}", "started_at": at, "duration_s": 8}
        for at in ("2026-01-11T22:50:00+00:00", "2026-01-11T23:10:00+00:00", "2026-01-12T07:30:00Z")
    ]
    await client.post("/api/device/v1/plays", json={"plays": plays}, headers=bearer(shop.token))
    await log_in(client)

    card = await dashboard_card(client, shop.screen_id)

    # 22:50 UTC on the 11th was yesterday in Stockholm; 23:10 UTC was ten past midnight today.
    assert card == (
        "Vid kassan Byabutiken Online"
        " Visar nu enligt skärmen Loppis på lördag Spellista: Veckan"
        " Senast sedd i dag 09:00 Visningar i dag 2"
        " Cachefyllnad 120 MB av 2 GB Spelarversion 0.1.0"
        " Skärmbild inte rapporterat än"
    )


async def test_a_silent_screen_is_offline_after_two_missed_heartbeats_and_falls_back_to_schedule(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, shop: Shop
) -> None:
    add_user(engine, now=clock())
    await beat(client, shop.token, heartbeat(clock, current_item=f"item-{shop.flea_market_id}"))
    await log_in(client)

    clock.advance(timedelta(minutes=2))
    one_late = await dashboard_card(client, shop.screen_id)
    clock.advance(timedelta(seconds=31))
    two_missed = await dashboard_card(client, shop.screen_id)

    assert "Online Visar nu enligt skärmen Loppis på lördag" in one_late
    assert "Offline Visar nu enligt schemat Öppet till 20 i kväll" in two_missed
    # What it last reported stays readable.
    assert "Cachefyllnad 120 MB av 2 GB Spelarversion 0.1.0" in two_missed


async def test_a_wrong_clock_recent_errors_and_a_dark_display_are_called_out(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, shop: Shop
) -> None:
    add_user(engine, now=clock())
    errors = ["09:41 sync failed: connection refused", "09:58 cache: disk full"]
    behind = (clock() - timedelta(minutes=47)).isoformat()
    await beat(
        client,
        shop.token,
        heartbeat(clock, player_time=behind, recent_errors=errors, display_on=False),
    )
    await log_in(client)

    card = await dashboard_card(client, shop.screen_id)

    assert card.startswith(
        "Vid kassan Byabutiken Online Skärmens klocka går 47 min efter."
        " Senaste fel (2) 09:58 cache: disk full 09:41 sync failed: connection refused"
        " Visar nu enligt skärmen Inget att visa Skärmen är släckt."
    )


async def test_a_player_that_distrusts_its_own_clock_is_called_out_in_english_too(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, shop: Shop
) -> None:
    add_user(engine, now=clock())
    ahead = (clock() + timedelta(hours=26)).isoformat()
    await beat(client, shop.token, heartbeat(clock, clock_trusted=False))
    await log_in(client)
    await client.get("/admin/?lang=en")

    trusted_but_wrong = await dashboard_card(client, shop.screen_id)
    await beat(client, shop.token, heartbeat(clock, player_time=ahead))
    ahead_by_a_day = await dashboard_card(client, shop.screen_id)

    assert "The screen reports that its clock is wrong." in trusted_but_wrong
    assert "The screen's clock is 26 h fast." in ahead_by_a_day
    assert "Cache fill 120 MB of 2 GB" in ahead_by_a_day


async def test_without_a_cache_limit_the_fill_is_told_against_the_free_disk(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, shop: Shop
) -> None:
    add_user(engine, now=clock())
    await beat(
        client,
        shop.token,
        heartbeat(
            clock, cache_bytes=840_000, cache_limit_bytes=None, free_disk_bytes=3_150_000_000
        ),
    )
    await log_in(client)

    card = await dashboard_card(client, shop.screen_id)

    assert "Cachefyllnad 840 kB, 3,2 GB ledigt på disken" in card


async def test_an_item_deleted_since_the_screen_reported_it_is_named_by_its_id(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, shop: Shop
) -> None:
    add_user(engine, now=clock())
    await beat(client, shop.token, heartbeat(clock, current_item="item-999", current_playlist="x"))
    await log_in(client)

    card = await dashboard_card(client, shop.screen_id)

    assert "Visar nu enligt skärmen Ett borttaget inslag (item-999) Spellista: x" in card


async def test_the_latest_screenshot_is_shown_to_logged_in_people_only(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, shop: Shop
) -> None:
    add_user(engine, now=clock())
    picture = png(seed=4)
    await put_screenshot(client, shop.token, picture)
    clock.advance(timedelta(minutes=3))
    anonymous = await client.get(f"/admin/screens/{shop.screen_id}/screenshot")
    await log_in(client)

    page = (await client.get("/admin/")).text
    [src] = re.findall(r'<img src="([^"]+)" alt="Skärmbild från Vid kassan, i dag 09:00"', page)
    shot = await client.get(html.unescape(src))
    again = await client.get(src, headers={"If-None-Match": shot.headers["ETag"]})

    assert anonymous.status_code == 303
    assert "Skärmbild i dag 09:00" in card_text(page, shop.screen_id)
    assert shot.status_code == 200
    assert shot.content == picture
    assert shot.headers["Content-Type"] == "image/png"
    assert shot.headers["ETag"] == f'"{hashlib.sha256(picture).hexdigest()}"'
    assert again.status_code == 304


async def test_a_screen_without_a_screenshot_answers_404(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, shop: Shop
) -> None:
    add_user(engine, now=clock())
    await log_in(client)

    missing = await client.get(f"/admin/screens/{shop.screen_id}/screenshot")
    unknown = await client.get("/admin/screens/9999/screenshot")

    assert (missing.status_code, unknown.status_code) == (404, 404)
    # Not a browser asking for a page (no Accept: text/html): the API's JSON answer.
    assert "has not sent a screenshot yet" in missing.json()["detail"]


async def test_an_admin_asks_for_a_screenshot_and_the_next_heartbeat_carries_the_request(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, shop: Shop
) -> None:
    add_user(engine, now=clock(), username="ida", role=Role.ADMIN)
    await beat(client, shop.token, heartbeat(clock))
    await log_in(client, username="ida")
    token = await page_token(client)

    asked = await client.post(
        f"/admin/screens/{shop.screen_id}/screenshot-request", data={"csrf_token": token}
    )
    card_while_waiting = await dashboard_card(client, shop.screen_id)
    clock.advance(timedelta(seconds=60))
    first_answer = await beat(client, shop.token, heartbeat(clock))
    # The answer got lost: the request stands until a screenshot arrives.
    clock.advance(timedelta(seconds=60))
    second_answer = await beat(client, shop.token, heartbeat(clock))
    await put_screenshot(client, shop.token, png(seed=5))
    clock.advance(timedelta(seconds=60))
    after_the_screenshot = await beat(client, shop.token, heartbeat(clock))

    assert asked.status_code == 303
    assert asked.headers["location"] == f"/admin/#screen-{shop.screen_id}"
    assert "Begärd i dag 09:00. Skärmen skickar den med sin nästa rapport." in card_while_waiting
    assert first_answer == second_answer == {"screenshot_requested": True}
    assert after_the_screenshot == {"screenshot_requested": False}
    with session_scope(engine) as session:
        [entry] = session.exec(select(AuditEntry).where(AuditEntry.action == "request")).all()
        assert (entry.actor, entry.entity, entry.entity_id) == (
            "ida",
            "screen",
            str(shop.screen_id),
        )
        assert entry.summary == "screenshot of screen 'Vid kassan' at Byabutiken"


async def test_an_editor_cannot_ask_for_screenshots_nor_a_forged_form(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, shop: Shop
) -> None:
    add_user(engine, now=clock())
    add_user(engine, now=clock(), username="ida", role=Role.ADMIN)
    await log_in(client)
    editor_page = (await client.get("/admin/")).text
    editor_post = await client.post(
        f"/admin/screens/{shop.screen_id}/screenshot-request",
        data={"csrf_token": await page_token(client)},
    )
    client.cookies.clear()
    await log_in(client, username="ida")
    admin_page = (await client.get("/admin/")).text
    forged = await client.post(
        f"/admin/screens/{shop.screen_id}/screenshot-request", data={"csrf_token": "guess"}
    )

    assert "Begär en skärmbild" not in editor_page
    assert "Begär en skärmbild" in admin_page
    assert (editor_post.status_code, forged.status_code) == (403, 403)
    answer = await beat(client, shop.token, heartbeat(clock))
    assert answer == {"screenshot_requested": False}


def test_the_dashboard_needs_as_many_queries_for_forty_screens_as_for_two(
    engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        location = content.create_location(
            session,
            slug="sporthallen",
            name="Sporthallen",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=clock(),
        )
        item = content.create_text_item(session, texts={"sv": ("Hej", "")}, now=clock())
        playlist = content.create_playlist(session, name="Hallen", entries=[item])
        content.assign_playlist(session, playlist=playlist, location=location)
        location_id, item_id = location.id, item.id
        # One screen that never reported: the location's manifest must be built as well.
        content.create_screen(session, location=location, name="Tyst", now=clock())

    def add_reporting_screens(count: int) -> None:
        with session_scope(engine) as session:
            location = session.get(Location, location_id)
            assert location is not None
            for number in range(count):
                screen, _token = content.create_screen(
                    session, location=location, name=f"Skärm {number}", now=clock()
                )
                screen.heartbeat = heartbeat(clock, current_item=f"item-{item_id}")
                screen.heartbeat_at = clock()

    def queries_for_the_dashboard() -> int:
        statements: list[object] = []

        def count(*args: object) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        try:
            with session_scope(engine) as session:
                statuses = screen_statuses(session, now=clock(), horizon=timedelta(days=7))
                assert all(status.reported for status in statuses if status.name != "Tyst")
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    add_reporting_screens(2)
    for_two = queries_for_the_dashboard()
    add_reporting_screens(38)
    for_forty = queries_for_the_dashboard()

    assert for_forty == for_two


async def test_a_screen_showing_an_upcoming_event_names_the_event(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, shop: Shop
) -> None:
    add_user(engine, now=clock())
    with session_scope(engine) as session:
        market = add_event(session, "Vårmarknad", now=clock(), starts_at=clock())
        market_id = market.id
    await beat(
        client,
        shop.token,
        heartbeat(
            clock,
            current_item=f"event-{market_id}",
            current_playlist=f"playlist-{shop.playlist_id}",
        ),
    )
    await log_in(client)

    card = await dashboard_card(client, shop.screen_id)

    assert "Visar nu enligt skärmen Evenemang: Vårmarknad Spellista: Veckan" in card
