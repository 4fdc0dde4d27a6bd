"""What screens report: heartbeats, screenshots and proof of play, and screenshots on request.

A heartbeat replaces the screen's previous one as it was sent. The one thing the
server adds to that JSON is `screenshot_requested_at`, kept from heartbeat to
heartbeat: a request stays pending until a screenshot newer than it arrives, so a
heartbeat answer lost on the way only delays it by a minute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from pydantic import ValidationError
from sqlmodel import Session, col, or_, select

from playlists.reports import Heartbeat, HeartbeatAnswer, PlayReport, PlaysReceived
from server.errors import Conflict, InvalidContent, NotFound
from server.models import MediaAsset, PlayRecord, Screen
from server.services.audit import record_change
from server.services.images import inspect_image
from server.services.permissions import Actor
from server.storage import MediaStorage

REQUESTED_AT: Final = "screenshot_requested_at"
SCREENSHOT_MEDIA_TYPES: Final = ("image/png", "image/jpeg")
# A full-HD PNG of a photo is a few MB; the player sends a much smaller JPEG.
MAX_SCREENSHOT_BYTES: Final = 8 * 1024 * 1024


@dataclass(frozen=True)
class Screenshot:
    sha256: str
    media_type: str
    taken_at: datetime


def record_heartbeat(
    session: Session, *, screen: Screen, heartbeat: Heartbeat, now: datetime
) -> HeartbeatAnswer:
    """Keep `heartbeat` as the screen's latest; the answer says whether a screenshot is wanted."""
    stored: dict[str, object] = heartbeat.model_dump(mode="json")
    requested_at = screenshot_requested_at(screen)
    if requested_at is not None:
        stored[REQUESTED_AT] = requested_at.isoformat()
    screen.heartbeat = stored
    screen.heartbeat_at = now
    screen.last_seen_at = now
    session.add(screen)
    session.flush()
    return HeartbeatAnswer(screenshot_requested=requested_at is not None)


def latest_heartbeat(screen: Screen) -> Heartbeat | None:
    """The screen's latest heartbeat, or None when it has sent none (or one of an older format)."""
    if not screen.heartbeat:
        return None
    fields = {name: value for name, value in screen.heartbeat.items() if name != REQUESTED_AT}
    try:
        return Heartbeat.model_validate(fields)
    except ValidationError:
        return None


def screenshot_requested_at(screen: Screen) -> datetime | None:
    """When someone asked for a screenshot that has not arrived yet; None when none is pending."""
    raw = (screen.heartbeat or {}).get(REQUESTED_AT)
    if not isinstance(raw, str):
        return None
    requested_at = datetime.fromisoformat(raw)
    if screen.screenshot_at is not None and screen.screenshot_at >= requested_at:
        return None
    return requested_at


def request_screenshot(session: Session, *, screen_id: int, actor: Actor, now: datetime) -> Screen:
    """Ask the screen for a screenshot; its next heartbeat answer carries the request."""
    screen = find_screen(session, screen_id=screen_id)
    if screen.token_hash is None:
        raise Conflict(f"screen {screen.name!r} is revoked: it sends nothing any more")
    screen.heartbeat = {**(screen.heartbeat or {}), REQUESTED_AT: now.isoformat()}
    session.add(screen)
    record_change(
        session,
        actor=actor,
        action="request",
        entity="screen",
        entity_id=screen.id,
        summary=f"screenshot of screen {screen.name!r} at {screen.location.name}",
        now=now,
    )
    return screen


def store_screenshot(
    session: Session,
    storage: MediaStorage,
    *,
    screen: Screen,
    data: bytes,
    media_type: str,
    now: datetime,
) -> Screenshot:
    """Keep `data` as the screen's latest screenshot; the previous file goes once unused."""
    if media_type not in SCREENSHOT_MEDIA_TYPES:
        raise InvalidContent(
            f"a screenshot is sent as {' or '.join(SCREENSHOT_MEDIA_TYPES)}, not {media_type}"
        )
    inspect_image(data, media_type=media_type, original_name="screenshot")
    previous = screen.screenshot_sha256
    sha256 = storage.put(data)
    screen.screenshot_sha256 = sha256
    screen.screenshot_at = now
    session.add(screen)
    session.flush()
    if previous is not None and previous != sha256 and not _still_used(session, previous):
        storage.delete(previous)
    return Screenshot(sha256=sha256, media_type=media_type, taken_at=now)


def _still_used(session: Session, sha256: str) -> bool:
    """Whether another screen's screenshot or any media (or its thumbnail) has these bytes."""
    # Screens at one location showing the same slide send byte-identical screenshots.
    screen = session.exec(select(Screen.id).where(Screen.screenshot_sha256 == sha256)).first()
    media = session.exec(
        select(MediaAsset.sha256).where(
            or_(col(MediaAsset.sha256) == sha256, col(MediaAsset.thumbnail_sha256) == sha256)
        )
    ).first()
    return screen is not None or media is not None


def latest_screenshot(session: Session, storage: MediaStorage, *, screen_id: int) -> Screenshot:
    """The screen's latest screenshot; NotFound when it has none (or its file is gone)."""
    screen = find_screen(session, screen_id=screen_id)
    sha256, taken_at = screen.screenshot_sha256, screen.screenshot_at
    if sha256 is None or taken_at is None:
        raise NotFound(f"screen {screen.name!r} has not sent a screenshot yet")
    if not storage.exists(sha256):
        raise NotFound(f"the screenshot of screen {screen.name!r} is recorded but its file is gone")
    with storage.path(sha256).open("rb") as file:
        signature = file.read(8)
    # Only PNG and JPEG are accepted, so the first bytes are enough to tell which.
    media_type = "image/png" if signature.startswith(b"\x89PNG") else "image/jpeg"
    return Screenshot(sha256=sha256, media_type=media_type, taken_at=taken_at)


def record_plays(
    session: Session, *, screen: Screen, plays: Sequence[PlayReport], now: datetime
) -> PlaysReceived:
    """Store proof-of-play records; one the screen already sent (a retry) is stored once only."""
    earliest = min(play.started_at for play in plays)
    latest = max(play.started_at for play in plays)
    seen = {
        (item, started_at)
        for item, started_at in session.exec(
            select(PlayRecord.item, PlayRecord.started_at).where(
                PlayRecord.screen_id == screen.id,
                col(PlayRecord.started_at) >= earliest,
                col(PlayRecord.started_at) <= latest,
            )
        )
    }
    stored = 0
    for play in plays:
        key = (play.item, play.started_at)
        if key in seen:
            continue
        seen.add(key)
        session.add(
            PlayRecord(
                screen_id=screen.id,
                item=play.item,
                playlist=play.playlist,
                started_at=play.started_at,
                duration_s=play.duration_s,
                received_at=now,
            )
        )
        stored += 1
    session.flush()
    return PlaysReceived(stored=stored, duplicates=len(plays) - stored)


def find_screen(session: Session, *, screen_id: int) -> Screen:
    screen = session.get(Screen, screen_id)
    if screen is None:
        raise NotFound(f"no screen with id {screen_id}")
    return screen
