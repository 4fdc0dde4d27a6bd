"""The device API a screen reports through: its heartbeat, screenshots and proof of play."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Request
from pydantic import BaseModel

from playlists.reports import Heartbeat, HeartbeatAnswer, PlayBatch, PlaysReceived
from server.api.deps import ClockDep, CurrentScreen, SessionDep, SettingsDep, StorageDep
from server.errors import TooLarge
from server.services.monitoring import (
    MAX_SCREENSHOT_BYTES,
    SCREENSHOT_MEDIA_TYPES,
    record_heartbeat,
    record_plays,
    store_screenshot,
)
from server.services.player_updates import update_offer

router = APIRouter(prefix="/api/device/v1", tags=["device"])


class ScreenshotStored(BaseModel):
    sha256: str
    size: int


async def screenshot_body(
    request: Request, content_length: Annotated[int | None, Header()] = None
) -> bytes:
    """The request body, refused as soon as it grows past the limit (a Content-Length or not)."""
    if content_length is not None and content_length > MAX_SCREENSHOT_BYTES:
        raise _too_large(content_length)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_SCREENSHOT_BYTES:
            raise _too_large(None)
    return bytes(body)


def _too_large(size: int | None) -> TooLarge:
    sent = f"{size} bytes" if size is not None else "more"
    return TooLarge(f"a screenshot may have at most {MAX_SCREENSHOT_BYTES} bytes; this has {sent}")


# Fields left out when unset: a player older than one of them must not see it at all.
@router.post("/heartbeat", response_model_exclude_none=True)
def post_heartbeat(
    heartbeat: Heartbeat,
    screen: CurrentScreen,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> HeartbeatAnswer:
    """How the screen is doing; the answer asks for a screenshot when someone wants one, and
    offers the player release an admin wants the screen to run."""
    answer = record_heartbeat(session, screen=screen, heartbeat=heartbeat, now=clock())
    offer = update_offer(screen, heartbeat, releases_dir=settings.player_releases_dir)
    return answer.model_copy(update={"player_update": offer})


@router.put(
    "/screenshot",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                media_type: {"schema": {"type": "string", "format": "binary"}}
                for media_type in SCREENSHOT_MEDIA_TYPES
            },
        }
    },
)
def put_screenshot(
    screen: CurrentScreen,
    session: SessionDep,
    storage: StorageDep,
    clock: ClockDep,
    data: Annotated[bytes, Depends(screenshot_body)],
    content_type: Annotated[str, Header()] = "",
) -> ScreenshotStored:
    """What the screen shows now, as a PNG or JPEG; it replaces the screen's previous one."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    shot = store_screenshot(
        session, storage, screen=screen, data=data, media_type=media_type, now=clock()
    )
    return ScreenshotStored(sha256=shot.sha256, size=len(data))


@router.post("/plays")
def post_plays(
    batch: Annotated[PlayBatch, Body()],
    screen: CurrentScreen,
    session: SessionDep,
    clock: ClockDep,
) -> PlaysReceived:
    """Proof of play, in batches; a batch sent again (its answer was lost) is stored once."""
    return record_plays(session, screen=screen, plays=batch.plays, now=clock())
