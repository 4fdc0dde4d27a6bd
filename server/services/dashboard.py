"""The dashboard's picture of every screen: where it is, whether it is online, what it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from playlists.manifest import EventItem, ImageItem, LocalizedText, Manifest, TextItem, VideoItem
from playlists.schedule import next_slot
from server.models import Location, MediaAsset, Screen
from server.services.manifests import build_manifest

# A screen polls every few seconds and writes "last seen" every 30 s; two minutes of
# silence means it is off, unplugged or without network.
ONLINE_WITHIN = timedelta(minutes=2)
PREFERRED_LANGUAGE = "sv"


@dataclass(frozen=True)
class NowShowing:
    """The slide a screen starts its current rotation with: a picture's file name or a title."""

    kind: Literal["image", "video", "text", "event"]
    title: str
    playlist: str


@dataclass(frozen=True)
class ScreenStatus:
    """One screen as the dashboard shows it; `showing` is None when nothing is scheduled."""

    screen_id: int
    name: str
    location: str
    timezone: ZoneInfo
    online: bool
    last_seen_at: datetime | None
    showing: NowShowing | None


def screen_statuses(session: Session, *, now: datetime, horizon: timedelta) -> list[ScreenStatus]:
    """Every screen not revoked, by location name and screen name, as it stands at `now`."""
    rows = session.exec(
        select(Screen, Location)
        .join(Location, col(Screen.location_id) == col(Location.id))
        .where(col(Screen.revoked_at).is_(None))
        .order_by(col(Location.name), col(Screen.name), col(Screen.id))
    ).all()
    # Screens at one location share their manifest: build each once.
    showing_at: dict[int | None, NowShowing | None] = {}
    statuses = []
    for screen, location in rows:
        if location.id not in showing_at:
            manifest = build_manifest(session, location=location, now=now, horizon=horizon)
            showing_at[location.id] = _now_showing(session, manifest, now)
        assert screen.id is not None  # loaded rows have their key
        statuses.append(
            ScreenStatus(
                screen_id=screen.id,
                name=screen.name,
                location=location.name,
                timezone=ZoneInfo(location.timezone),
                online=screen.last_seen_at is not None
                and now - screen.last_seen_at < ONLINE_WITHIN,
                last_seen_at=screen.last_seen_at,
                showing=showing_at[location.id],
            )
        )
    return statuses


def _now_showing(session: Session, manifest: Manifest, now: datetime) -> NowShowing | None:
    slot = next_slot(manifest, now, previous=None)
    if slot is None:
        return None
    playlist = manifest.playlist(slot.playlist_id).name
    item = slot.item
    if isinstance(item, ImageItem | VideoItem):
        asset = session.get(MediaAsset, item.asset)
        name = asset.original_name if asset is not None else item.asset[:12]
        return NowShowing(kind=item.kind, title=name, playlist=playlist)
    return NowShowing(kind=item.kind, title=_title(item, manifest), playlist=playlist)


def _title(item: TextItem | EventItem, manifest: Manifest) -> str:
    """The Swedish title, else the one in the location's first language that has one."""
    languages = (PREFERRED_LANGUAGE, *manifest.location.languages)
    texts: list[LocalizedText] = [item.texts[code] for code in languages if code in item.texts]
    return (texts or list(item.texts.values()))[0].title
