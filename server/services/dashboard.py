"""The dashboard's picture of every screen: where it is, whether it is online, what it shows.

What a screen shows comes from its own heartbeat while it is online, and from
the schedule (the manifest its location would get) otherwise. The page loads
in a fixed number of queries however many screens there are, plus one manifest
per location whose screens did not report what they show.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal, cast
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from playlists.manifest import EventItem, ImageItem, Manifest, TextItem, VideoItem
from playlists.reports import HEARTBEAT_INTERVAL_S, Heartbeat
from playlists.schedule import next_slot
from server.models import Event, Item, Location, MediaAsset, Playlist, PlayRecord, Screen
from server.services.manifests import build_manifest
from server.services.monitoring import latest_heartbeat, screenshot_requested_at

# Two heartbeats missed in a row, with some slack for a slow mobile link, and the screen is
# offline. A player that has never sent one is judged by its polls ("last seen"), which are
# recorded to the half minute.
OFFLINE_AFTER = timedelta(seconds=2 * HEARTBEAT_INTERVAL_S + 30)
# An NTP-synchronised clock is right to the second; minutes off means no time source.
CLOCK_TOLERANCE = timedelta(minutes=2)
PREFERRED_LANGUAGE = "sv"
_WIRE_ID = re.compile(r"^(item|playlist|event)-(\d+)$")

Kind = Literal["image", "video", "text", "event", "removed"]


@dataclass(frozen=True)
class NowShowing:
    """A slide: a picture's file name or a title, and its playlist's name.

    `kind` is "removed" for an item the screen reported that no longer exists.
    """

    kind: Kind
    title: str
    playlist: str


@dataclass(frozen=True)
class CacheFill:
    """How full the screen's cache is: of its limit, or else of the disk space it could use."""

    used_bytes: int
    limit_bytes: int | None
    free_disk_bytes: int

    @property
    def capacity_bytes(self) -> int:
        if self.limit_bytes is not None:
            return self.limit_bytes
        return self.used_bytes + self.free_disk_bytes

    @property
    def percent(self) -> int:
        if self.capacity_bytes <= 0:
            return 100
        return min(100, round(100 * self.used_bytes / self.capacity_bytes))


@dataclass(frozen=True)
class ScreenStatus:
    """One screen as the dashboard shows it.

    `showing` is None when nothing plays; `reported` says whether it is what the
    screen itself reported (else what the schedule says it should show).
    `clock_off_by` is set only when the screen's clock is off by more than the
    tolerance; `clock_distrusted` when the player itself judged its clock wrong.
    """

    screen_id: int
    name: str
    location: str
    timezone: ZoneInfo
    online: bool
    last_seen_at: datetime | None
    showing: NowShowing | None
    reported: bool
    heartbeat: Heartbeat | None
    heartbeat_at: datetime | None
    cache: CacheFill | None
    clock_off_by: timedelta | None
    clock_distrusted: bool
    screenshot_at: datetime | None
    screenshot_sha256: str | None
    screenshot_requested_at: datetime | None
    plays_today: int

    @property
    def warned(self) -> bool:
        """Whether the card needs a second look: a wrong clock or errors."""
        return bool(self.clock_off_by or self.clock_distrusted or self.recent_errors)

    @property
    def recent_errors(self) -> tuple[str, ...]:
        return self.heartbeat.recent_errors if self.heartbeat is not None else ()


def screen_statuses(session: Session, *, now: datetime, horizon: timedelta) -> list[ScreenStatus]:
    """Every screen not revoked, by location name and screen name, as it stands at `now`."""
    rows = session.exec(
        select(Screen, Location)
        .join(Location, col(Screen.location_id) == col(Location.id))
        .where(col(Screen.revoked_at).is_(None))
        .order_by(col(Location.name), col(Screen.name), col(Screen.id))
    ).all()
    heartbeats = {screen.id: latest_heartbeat(screen) for screen, _location in rows}
    online = {screen.id: is_online(screen, now) for screen, _location in rows}
    reporting = {
        screen.id: heartbeat
        for screen, _location in rows
        if online[screen.id] and (heartbeat := heartbeats[screen.id]) is not None
    }
    reported = _reported_showing(session, rows, reporting)
    plays = _plays_today(session, rows, now=now)
    # Screens at one location share their manifest: build each once, and only when needed.
    scheduled: dict[int | None, NowShowing | None] = {}
    statuses = []
    for screen, location in rows:
        assert screen.id is not None  # loaded rows have their key
        if screen.id in reported:
            showing = reported[screen.id]
        else:
            if location.id not in scheduled:
                manifest = build_manifest(session, location=location, now=now, horizon=horizon)
                scheduled[location.id] = _scheduled_showing(session, manifest, now)
            showing = scheduled[location.id]
        heartbeat = heartbeats[screen.id]
        statuses.append(
            ScreenStatus(
                screen_id=screen.id,
                name=screen.name,
                location=location.name,
                timezone=ZoneInfo(location.timezone),
                online=online[screen.id],
                last_seen_at=screen.last_seen_at,
                showing=showing,
                reported=screen.id in reported,
                heartbeat=heartbeat,
                heartbeat_at=screen.heartbeat_at,
                cache=_cache_fill(heartbeat),
                clock_off_by=_clock_off_by(heartbeat, screen.heartbeat_at),
                clock_distrusted=heartbeat is not None and heartbeat.clock_trusted is False,
                screenshot_at=screen.screenshot_at,
                screenshot_sha256=screen.screenshot_sha256,
                screenshot_requested_at=screenshot_requested_at(screen),
                plays_today=plays.get(screen.id, 0),
            )
        )
    return statuses


def is_online(screen: Screen, now: datetime) -> bool:
    """Whether `screen` has been heard from lately (a heartbeat, or any request)."""
    last_sign = screen.heartbeat_at or screen.last_seen_at
    return last_sign is not None and now - last_sign < OFFLINE_AFTER


def _cache_fill(heartbeat: Heartbeat | None) -> CacheFill | None:
    if heartbeat is None:
        return None
    return CacheFill(
        used_bytes=heartbeat.cache_bytes,
        limit_bytes=heartbeat.cache_limit_bytes,
        free_disk_bytes=heartbeat.free_disk_bytes,
    )


def _clock_off_by(heartbeat: Heartbeat | None, received_at: datetime | None) -> timedelta | None:
    if heartbeat is None or received_at is None:
        return None
    off_by = heartbeat.player_time - received_at
    return off_by if abs(off_by) > CLOCK_TOLERANCE else None


def _plays_today(
    session: Session, rows: Iterable[tuple[Screen, Location]], *, now: datetime
) -> dict[int, int]:
    """Plays since midnight on each screen's wall clock: one query per time zone, not per screen."""
    by_zone: dict[str, list[int]] = defaultdict(list)
    for screen, location in rows:
        assert screen.id is not None
        by_zone[location.timezone].append(screen.id)
    counts: dict[int, int] = {}
    for zone_name, screen_ids in by_zone.items():
        zone = ZoneInfo(zone_name)
        today = now.astimezone(zone).date()
        start = datetime.combine(today, time(), zone).astimezone(UTC)
        end = datetime.combine(today + timedelta(days=1), time(), zone).astimezone(UTC)
        query = (
            select(PlayRecord.screen_id, func.count())
            .where(
                col(PlayRecord.screen_id).in_(screen_ids),
                col(PlayRecord.started_at) >= start,
                col(PlayRecord.started_at) < end,
            )
            .group_by(col(PlayRecord.screen_id))
        )
        for screen_id, count in session.exec(query):
            assert screen_id is not None
            counts[screen_id] = count
    return counts


def _reported_showing(
    session: Session,
    rows: Iterable[tuple[Screen, Location]],
    heartbeats: Mapping[int | None, Heartbeat],
) -> dict[int, NowShowing | None]:
    """What each reporting screen says it shows, its items and playlists loaded in bulk."""
    item_ids = {_row_id(hb.current_item, "item") for hb in heartbeats.values()}
    event_ids = {_row_id(hb.current_item, "event") for hb in heartbeats.values()}
    events = {
        event.id: event
        for event in session.exec(select(Event).where(col(Event.id).in_(event_ids - {None})))
    }
    playlist_ids = {_row_id(hb.current_playlist, "playlist") for hb in heartbeats.values()}
    items = {
        item.id: item
        for item in session.exec(select(Item).where(col(Item.id).in_(item_ids - {None})))
    }
    playlists = {
        playlist.id: playlist.name
        for playlist in session.exec(
            select(Playlist).where(col(Playlist.id).in_(playlist_ids - {None}))
        )
    }
    shas = {item.asset_sha256 for item in items.values() if item.kind in ("image", "video")}
    names = _asset_names(session, shas)
    showing: dict[int, NowShowing | None] = {}
    for screen, location in rows:
        heartbeat = heartbeats.get(screen.id)
        if heartbeat is None:
            continue
        assert screen.id is not None
        if heartbeat.current_item is None:
            showing[screen.id] = None
            continue
        item = items.get(_row_id(heartbeat.current_item, "item"))
        playlist_id = heartbeat.current_playlist or ""
        playlist = playlists.get(_row_id(playlist_id, "playlist"), playlist_id)
        event = events.get(_row_id(heartbeat.current_item, "event"))
        if event is not None:
            # An upcoming event that an entry of the playlist filled in.
            showing[screen.id] = NowShowing(
                "event", _title(_titles(event), location.languages), playlist
            )
            continue
        if item is None:
            showing[screen.id] = NowShowing("removed", heartbeat.current_item, playlist)
            continue
        # The item table's check constraint allows only the kinds NowShowing names.
        kind = cast(Kind, item.kind)
        if kind in ("image", "video") and item.asset_sha256 is not None:
            title = names.get(item.asset_sha256, item.asset_sha256[:12])
        else:
            title = _title(_titles(item), location.languages)
        showing[screen.id] = NowShowing(kind, title, playlist)
    return showing


def _titles(row: Item | Event) -> dict[str, str]:
    return {code: text.get("title", "") for code, text in row.texts.items()}


def _row_id(wire_id: str | None, table: str) -> int | None:
    """The row id in a manifest id ("item-12" → 12), or None when it is not one of `table`'s."""
    match = _WIRE_ID.match(wire_id or "")
    if match is None or match.group(1) != table:
        return None
    return int(match.group(2))


def _asset_names(session: Session, shas: set[str | None]) -> dict[str, str]:
    assets = session.exec(select(MediaAsset).where(col(MediaAsset.sha256).in_(shas - {None})))
    return {asset.sha256: asset.original_name for asset in assets}


def _scheduled_showing(session: Session, manifest: Manifest, now: datetime) -> NowShowing | None:
    slot = next_slot(manifest, now, previous=None)
    if slot is None:
        return None
    playlist = manifest.playlist(slot.playlist_id).name
    item = slot.item
    if isinstance(item, ImageItem | VideoItem):
        asset = session.get(MediaAsset, item.asset)
        name = asset.original_name if asset is not None else item.asset[:12]
        return NowShowing(kind=item.kind, title=name, playlist=playlist)
    return NowShowing(kind=item.kind, title=_wire_title(item, manifest), playlist=playlist)


def _wire_title(item: TextItem | EventItem, manifest: Manifest) -> str:
    titles = {code: text.title for code, text in item.texts.items()}
    return _title(titles, manifest.location.languages)


def _title(titles: Mapping[str, str], languages: Iterable[str]) -> str:
    """The Swedish title, else the one in the location's first language that has one."""
    for code in (PREFERRED_LANGUAGE, *languages):
        if code in titles:
            return titles[code]
    return next(iter(titles.values()), "")
