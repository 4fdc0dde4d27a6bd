"""What a screen reports through the device API: heartbeats, screenshots and proof of play."""

from __future__ import annotations

import hashlib
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from anslag_testing.device_reports import heartbeat, put_screenshot
from anslag_testing.server_app import FakeClock, bearer, png
from PIL import Image
from sqlalchemy import Engine
from sqlmodel import col, select

from server.db import session_scope
from server.models import PlayRecord, Screen
from server.services import content
from server.services.monitoring import MAX_SCREENSHOT_BYTES
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Device:
    screen_id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


def add_screen(engine: Engine, clock: FakeClock, *, slug: str, name: str) -> Device:
    with session_scope(engine) as session:
        location = content.create_location(
            session,
            slug=slug,
            name=slug.capitalize(),
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=clock(),
        )
        screen, token = content.create_screen(session, location=location, name=name, now=clock())
        assert screen.id is not None
        return Device(screen.id, token)


@pytest.fixture
def device(engine: Engine, clock: FakeClock) -> Device:
    return add_screen(engine, clock, slug="byabutiken", name="Vid kassan")


def stored_screen(engine: Engine, device: Device) -> Screen:
    with session_scope(engine) as session:
        screen = session.get(Screen, device.screen_id)
        assert screen is not None
        session.expunge(screen)
        return screen


def jpeg(width: int = 96, height: int = 54) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


async def test_a_heartbeat_is_kept_as_the_screens_latest_with_when_it_came(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, device: Device
) -> None:
    sent = heartbeat(
        clock,
        current_item="item-3",
        current_playlist="playlist-1",
        recent_errors=["10:02 sync failed: connection refused"],
    )

    response = await client.post("/api/device/v1/heartbeat", json=sent, headers=device.headers)

    assert response.status_code == 200
    assert response.json() == {"screenshot_requested": False}
    screen = stored_screen(engine, device)
    assert screen.heartbeat is not None
    assert screen.heartbeat["cache_bytes"] == 120_000_000
    assert screen.heartbeat["current_item"] == "item-3"
    assert screen.heartbeat["recent_errors"] == ["10:02 sync failed: connection refused"]
    assert screen.heartbeat_at == clock()
    assert screen.last_seen_at == clock()


async def test_the_next_heartbeat_replaces_the_previous_one(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, device: Device
) -> None:
    playing = heartbeat(clock, current_item="item-3", recent_errors=["10:02 sync failed"])
    await client.post("/api/device/v1/heartbeat", json=playing, headers=device.headers)
    clock.advance(timedelta(seconds=60))

    later = heartbeat(clock)
    await client.post("/api/device/v1/heartbeat", json=later, headers=device.headers)

    screen = stored_screen(engine, device)
    assert screen.heartbeat is not None
    assert (screen.heartbeat["current_item"], screen.heartbeat["recent_errors"]) == (None, [])
    assert screen.heartbeat_at == clock()


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"favourite_colour": "blue"}, "favourite_colour"),
        ({"recent_errors": ["failed"] * 21}, "recent_errors"),
        ({"recent_errors": ["x" * 301]}, "recent_errors"),
        ({"player_version": "v" * 65}, "player_version"),
        ({"cache_bytes": -1}, "cache_bytes"),
        ({"player_time": "2026-01-12T09:00:00"}, "player_time"),
    ],
)
async def test_a_heartbeat_with_unknown_or_oversized_fields_is_refused_and_the_last_one_kept(
    client: httpx.AsyncClient,
    engine: Engine,
    clock: FakeClock,
    device: Device,
    changes: dict[str, Any],
    complaint: str,
) -> None:
    await client.post("/api/device/v1/heartbeat", json=heartbeat(clock), headers=device.headers)

    response = await client.post(
        "/api/device/v1/heartbeat", json=heartbeat(clock, **changes), headers=device.headers
    )

    assert response.status_code == 422
    assert complaint in response.text
    screen = stored_screen(engine, device)
    assert screen.heartbeat is not None
    assert screen.heartbeat["player_version"] == "0.1.0"


async def test_a_screenshot_is_stored_by_its_hash_and_replaces_the_previous_file(
    client: httpx.AsyncClient,
    engine: Engine,
    clock: FakeClock,
    storage: LocalMediaStorage,
    device: Device,
) -> None:
    first, second = png(seed=1), jpeg()

    answers = []
    for data, media_type in ((first, "image/png"), (second, "image/jpeg")):
        clock.advance(timedelta(minutes=15))
        answers.append(await put_screenshot(client, device.token, data, media_type))

    assert [answer.status_code for answer in answers] == [200, 200]
    second_sha = hashlib.sha256(second).hexdigest()
    assert answers[1].json() == {"sha256": second_sha, "size": len(second)}
    screen = stored_screen(engine, device)
    assert (screen.screenshot_sha256, screen.screenshot_at) == (second_sha, clock())
    assert storage.path(second_sha).read_bytes() == second
    assert not storage.exists(hashlib.sha256(first).hexdigest())


async def test_a_screenshot_another_screen_still_shows_is_not_deleted(
    client: httpx.AsyncClient,
    engine: Engine,
    clock: FakeClock,
    storage: LocalMediaStorage,
    device: Device,
) -> None:
    # Two screens showing the same slide send the very same bytes.
    other = add_screen(engine, clock, slug="sporthallen", name="Entrén")
    shared = png(seed=7)
    for screen in (device, other):
        await put_screenshot(client, screen.token, shared)

    await put_screenshot(client, device.token, png(seed=8))

    assert storage.exists(hashlib.sha256(shared).hexdigest())
    assert stored_screen(engine, other).screenshot_sha256 == hashlib.sha256(shared).hexdigest()


@pytest.mark.parametrize(
    ("data", "media_type", "status", "complaint"),
    [
        (b"<html>not a picture</html>", "image/png", 422, "not a readable image"),
        (png(seed=3), "text/plain", 422, "image/png or image/jpeg"),
        (png(seed=3), "image/jpeg", 422, "sent as image/jpeg but is image/png"),
        (b"\x89PNG" + bytes(MAX_SCREENSHOT_BYTES), "image/png", 413, "at most"),
    ],
)
async def test_a_screenshot_that_is_no_picture_or_too_big_is_refused_and_nothing_stored(
    client: httpx.AsyncClient,
    engine: Engine,
    storage: LocalMediaStorage,
    device: Device,
    data: bytes,
    media_type: str,
    status: int,
    complaint: str,
) -> None:
    response = await put_screenshot(client, device.token, data, media_type)

    assert response.status_code == status
    assert complaint in response.json()["detail"]
    assert stored_screen(engine, device).screenshot_sha256 is None
    assert not storage.exists(hashlib.sha256(data).hexdigest())


async def test_an_oversized_screenshot_without_a_length_is_cut_off_at_the_limit(
    client: httpx.AsyncClient, engine: Engine, device: Device
) -> None:
    # Streamed in chunks, so no Content-Length says in advance how much will come.
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(MAX_SCREENSHOT_BYTES // 65536 + 2):
            yield bytes(65536)

    response = await client.put(
        "/api/device/v1/screenshot",
        content=chunks(),
        headers={**device.headers, "Content-Type": "image/png"},
    )

    assert response.status_code == 413
    assert stored_screen(engine, device).screenshot_sha256 is None


def play(item: str, started_at: str, duration_s: float = 10.0) -> dict[str, Any]:
    return {
        "item": item,
        "playlist": "playlist-1",
        "started_at": started_at,
        "duration_s": duration_s,
    }


def stored_plays(engine: Engine, device: Device) -> list[tuple[str, str, float]]:
    with session_scope(engine) as session:
        rows = session.exec(
            select(PlayRecord)
            .where(PlayRecord.screen_id == device.screen_id)
            .order_by(col(PlayRecord.started_at))
        )
        return [(row.item, row.started_at.isoformat(), row.duration_s) for row in rows]


async def test_plays_are_stored_once_even_when_a_batch_is_sent_again(
    client: httpx.AsyncClient, engine: Engine, device: Device
) -> None:
    batch = {
        "plays": [
            play("item-1", "2026-01-12T07:59:40+00:00"),
            play("item-2", "2026-01-12T07:59:50.250000+00:00", 9.75),
        ]
    }

    first = await client.post("/api/device/v1/plays", json=batch, headers=device.headers)
    # The answer got lost on the way: the player sends the same batch again, with one more.
    batch["plays"].append(play("item-1", "2026-01-12T09:00:00+01:00"))
    again = await client.post("/api/device/v1/plays", json=batch, headers=device.headers)

    assert first.json() == {"stored": 2, "duplicates": 0}
    assert again.json() == {"stored": 1, "duplicates": 2}
    assert stored_plays(engine, device) == [
        ("item-1", "2026-01-12T07:59:40+00:00", 10.0),
        ("item-2", "2026-01-12T07:59:50.250000+00:00", 9.75),
        ("item-1", "2026-01-12T08:00:00+00:00", 10.0),
    ]


async def test_the_same_item_at_the_same_moment_on_two_screens_is_two_plays(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, device: Device
) -> None:
    other = add_screen(engine, clock, slug="sporthallen", name="Entrén")
    batch = {"plays": [play("item-1", "2026-01-12T07:59:40+00:00")]}

    for screen in (device, other):
        answer = await client.post("/api/device/v1/plays", json=batch, headers=screen.headers)
        assert answer.json() == {"stored": 1, "duplicates": 0}


@pytest.mark.parametrize(
    ("plays", "complaint"),
    [
        ([], "plays"),
        ([play(f"item-{n}", "2026-01-12T07:00:00+00:00") for n in range(501)], "plays"),
        ([play("item-1", "2026-01-12T07:00:00")], "started_at"),
        ([play("item-1", "2026-01-12T07:00:00+00:00", -1)], "duration_s"),
        ([play("", "2026-01-12T07:00:00+00:00")], "item"),
    ],
)
async def test_a_batch_of_plays_that_does_not_validate_is_refused_whole(
    client: httpx.AsyncClient,
    engine: Engine,
    device: Device,
    plays: list[dict[str, Any]],
    complaint: str,
) -> None:
    response = await client.post(
        "/api/device/v1/plays", json={"plays": plays}, headers=device.headers
    )

    assert response.status_code == 422
    assert complaint in response.text
    assert stored_plays(engine, device) == []


async def test_a_replaced_token_can_report_nothing(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, device: Device
) -> None:
    with session_scope(engine) as session:
        screen = session.get(Screen, device.screen_id)
        assert screen is not None
        content.issue_screen_token(session, screen=screen)

    response = await client.post(
        "/api/device/v1/heartbeat", json=heartbeat(clock), headers=device.headers
    )

    assert response.status_code == 401
    assert stored_screen(engine, device).heartbeat is None
