"""The preview API answers what a screen's own manifest, evaluated as the player does, shows."""

from __future__ import annotations

from datetime import UTC, datetime, time

import httpx
import pytest
from anslag_testing.admin import add_api_token, add_user
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine

from playlists.manifest import parse_manifest
from playlists.schedule import Slot, next_slot, slot_deadline
from server.db import session_scope
from server.services import content

pytestmark = pytest.mark.anyio
SUNDAY = 7


def arrange(engine: Engine, clock: FakeClock) -> tuple[int, str]:
    """The shop with a screen: a night playlist 02:30-04:00 on Sundays above an all-day one."""
    with session_scope(engine) as session:
        shop = content.create_location(
            session,
            slug="byabutiken",
            name="Byabutiken i Svanstein",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=clock(),
        )
        _screen, token = content.create_screen(session, location=shop, name="Kassan", now=clock())
        night = [
            content.create_text_item(
                session, texts={"sv": (title, "")}, duration_s=seconds, now=clock()
            )
            for title, seconds in (("Nattöppet", 25), ("Automaten", 40))
        ]
        day = content.create_text_item(session, texts={"sv": ("Kaffe", "")}, now=clock())
        content.assign_playlist(
            session,
            playlist=content.create_playlist(session, name="Natt", entries=night),
            location=shop,
            priority=5,
            weekdays=[SUNDAY],
            start_time=time(2, 30),
            end_time=time(4),
        )
        content.assign_playlist(
            session,
            playlist=content.create_playlist(session, name="Heldag", entries=[day]),
            location=shop,
        )
        session.flush()
        assert shop.id is not None
        return shop.id, token


def editor_api(engine: Engine, clock: FakeClock) -> dict[str, str]:
    user_id = add_user(engine, now=clock(), username="api")
    return bearer(add_api_token(engine, now=clock(), user_id=user_id))


async def test_without_a_token_the_preview_answers_401(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/preview", params={"location_id": 1})).status_code == 401


async def test_on_the_spring_forward_night_the_preview_is_the_screens_own_evaluation(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    shop_id, screen_token = arrange(engine, clock)
    headers = editor_api(engine, clock)
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
    headers = editor_api(engine, clock)
    clock.now = datetime(2026, 3, 30, 10, 0, tzinfo=UTC)

    answer = await client.get("/api/v1/preview", params={"location_id": shop_id}, headers=headers)

    assert answer.json()["at"] == "2026-03-30T10:00:00Z"
    assert answer.json()["playlist"] == "Heldag"
    assert answer.json()["open"] is True


async def test_a_location_that_does_not_exist_is_404_and_a_naive_moment_422(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    shop_id, _token = arrange(engine, clock)
    headers = editor_api(engine, clock)

    missing = await client.get("/api/v1/preview", params={"location_id": 4242}, headers=headers)
    naive = await client.get(
        "/api/v1/preview",
        params={"location_id": shop_id, "at": "2026-03-29T03:00:00"},
        headers=headers,
    )

    assert missing.status_code == 404
    assert missing.json()["detail"] == "no location with id 4242"
    assert naive.status_code == 422
