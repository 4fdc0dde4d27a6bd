"""What a screen sends the server in tests: heartbeats as JSON, screenshots as bytes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from anslag_testing.server_app import bearer


def heartbeat(clock: Callable[[], datetime], **changes: Any) -> dict[str, Any]:
    """A heartbeat as a player sends it: idle card on screen, all well, or as `changes` say."""
    return {
        "current_item": None,
        "current_playlist": None,
        "manifest_etag": "0f" * 32,
        "cache_bytes": 120_000_000,
        "cache_limit_bytes": 2_000_000_000,
        "free_disk_bytes": 9_000_000_000,
        "uptime_s": 3600.5,
        "player_version": "0.1.0",
        "player_time": clock().isoformat(),
        "clock_trusted": True,
        "recent_errors": [],
        "display_on": True,
        **changes,
    }


async def put_screenshot(
    client: httpx.AsyncClient, token: str, data: bytes, media_type: str = "image/png"
) -> httpx.Response:
    return await client.put(
        "/api/device/v1/screenshot",
        content=data,
        headers={**bearer(token), "Content-Type": media_type},
    )
