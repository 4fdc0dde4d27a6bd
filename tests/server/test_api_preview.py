"""The preview API answers what a screen's own manifest, evaluated as the player does, shows."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from anslag_testing.schedules import api_headers, night_above_day, place, slides
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine

from playlists.manifest import parse_manifest
from playlists.schedule import Slot, next_slot, slot_deadline
from server.db import session_scope
from server.services import content

pytestmark = pytest.mark.anyio


def arrange(engine: Engine, clock: FakeClock) -> tuple[int, str]:
    """The shop with a screen: a night playlist above an all-day one."""
    with session_scope(engine) as session:
        shop = place(session, name="Byabutiken i Svanstein", now=clock())
        _screen, token = content.create_screen(session, location=shop, name="Kassan", now=clock())
        night = [
            *slides(session, "Nattöppet", duration_s=25, now=clock()),
            *slides(session, "Automaten", duration_s=40, now=clock()),
        ]
        night_above_day(
            session, location=shop, night=night, day=slides(session, "Kaffe", now=clock())
        )
        assert shop.id is not None
        return shop.id, token


async def test_without_a_token_the_preview_answers_401(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/preview", params={"location_id": 1})).status_code == 401


async def test_on_the_spring_forward_night_the_preview_is_the_screens_own_evaluation(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    shop_id, screen_token = arrange(engine, clock)
    headers = api_headers(engine, now=clock())
    # 03:59:30 CEST on 2026-03-29, the night the clocks jump from 02:00 to 03:00.
    moment = datetime(2026, 3, 29, 1, 59, 30, tzinfo=UTC)
    clock.now = moment

    answer = await client.get(
        "/api/v1/preview",
        params={"location_id": shop_id, "at": "2026-03-29T03:59:30+02:00"},
        headers=headers,
    )
    manifest = parse_manifest(
        (await client.get("/api/device/v1/manifest", headers=bearer(screen_token))).content
    )

    # What a player with this very manifest does from that moment on, slot by slot.
    expected = []
    previous: Slot | None = None
    at = moment
    while (
        slot := next_slot(manifest, at, previous)
    ) is not None and slot.playlist_id == "playlist-1":
        deadline = slot_deadline(manifest, slot, at)
        expected.append(
            (int(slot.item.id.removeprefix("item-")), at, (deadline - at).total_seconds())
        )
        previous, at = slot, deadline
    body = answer.json()
    assert answer.status_code == 200
    assert (body["playlist"], body["priority"], body["timezone"]) == ("Natt", 5, "Europe/Stockholm")
    assert [
        (s["item_id"], datetime.fromisoformat(s["starts_at"]), s["length_s"]) for s in body["slots"]
    ] == expected
    assert [(s["title"], s["length_s"]) for s in body["slots"]] == [
        ("Nattöppet", 25.0),
        ("Automaten", 5.0),
    ]
    # The day has 23 hours; the night playlist opens when the clock jumps to 03:00.
    assert [(p["start"], p["playlist"]) for p in body["timeline"]] == [
        ("2026-03-28T23:00:00Z", "Heldag"),
        ("2026-03-29T01:00:00Z", "Natt"),
        ("2026-03-29T02:00:00Z", "Heldag"),
    ]
    assert body["timeline"][-1]["end"] == "2026-03-29T22:00:00Z"


async def test_without_a_moment_the_preview_is_of_now(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    shop_id, _token = arrange(engine, clock)
    headers = api_headers(engine, now=clock())
    clock.now = datetime(2026, 3, 30, 10, 0, tzinfo=UTC)

    answer = await client.get("/api/v1/preview", params={"location_id": shop_id}, headers=headers)

    assert answer.json()["at"] == "2026-03-30T10:00:00Z"
    assert answer.json()["playlist"] == "Heldag"
    assert answer.json()["open"] is True


async def test_a_location_that_does_not_exist_is_404_and_a_naive_moment_422(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    shop_id, _token = arrange(engine, clock)
    headers = api_headers(engine, now=clock())

    missing = await client.get("/api/v1/preview", params={"location_id": 4242}, headers=headers)
    naive = await client.get(
        "/api/v1/preview",
        params={"location_id": shop_id, "at": "2026-03-29T03:00:00"},
        headers=headers,
    )

    assert missing.status_code == 404
    assert missing.json()["detail"] == "no location with id 4242"
    assert naive.status_code == 422
