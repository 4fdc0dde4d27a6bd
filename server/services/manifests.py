"""A location's manifest: what is assigned to it, loaded in a few queries and assembled.

Entries that play one item come from the item table; dynamic entries (upcoming
events …) are expanded here, for this location, by their kind.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from playlists import manifest as wire
from playlists.assembly import assemble_manifest
from playlists.manifest import Manifest
from playlists.ticker import alert_ticker_lines
from server.models import Assignment, Item, Location, MediaAsset, Playlist, PlaylistEntry
from server.services.alerts import alerts_for_location
from server.services.dynamic_entries import DynamicEntryRefused
from server.services.dynamic_kinds import dynamic_kind
from server.services.wire import (
    asset_ref,
    location_info,
    validity,
    wire_assignment,
    wire_entry,
    wire_item,
    wire_playlist,
)

logger = logging.getLogger(__name__)


def assignments_for(session: Session, *, location: Location) -> list[Assignment]:
    """The assignments naming `location` itself or one of its tags, in id order."""
    condition = or_(
        col(Assignment.location_id) == location.id,
        col(Assignment.location_tag).in_(location.tags),
    )
    return list(session.exec(select(Assignment).where(condition).order_by(col(Assignment.id))))


@dataclass
class _Content:
    """Items and files gathered for one manifest, each once."""

    items: dict[str, wire.AnyItem] = field(default_factory=dict)
    assets: dict[str, wire.AssetRef] = field(default_factory=dict)
    entries: dict[int | None, list[wire.PlaylistEntry]] = field(
        default_factory=lambda: defaultdict(list)
    )


def build_manifest(
    session: Session, *, location: Location, now: datetime, horizon: timedelta
) -> Manifest:
    """What the screens at `location` play from `now` until `now + horizon`."""
    # One query per table rather than lazy loads per entry: a screen polls often.
    assignments = assignments_for(session, location=location)
    playlist_ids = {assignment.playlist_id for assignment in assignments}
    playlists = session.exec(select(Playlist).where(col(Playlist.id).in_(playlist_ids))).all()
    entries = session.exec(
        select(PlaylistEntry)
        .where(col(PlaylistEntry.playlist_id).in_(playlist_ids))
        .order_by(col(PlaylistEntry.playlist_id), col(PlaylistEntry.position))
    ).all()
    item_ids = {entry.item_id for entry in entries if entry.item_id is not None}
    items = session.exec(select(Item).where(col(Item.id).in_(item_ids))).all()
    shas = {item.asset_sha256 for item in items if item.asset_sha256 is not None}
    assets = session.exec(select(MediaAsset).where(col(MediaAsset.sha256).in_(shas))).all()
    alerts = alerts_for_location(session, location=location, now=now)
    content = _Content(
        items={wired.id: wired for wired in map(wire_item, items)},
        assets={asset.sha256: asset_ref(asset) for asset in assets},
    )
    for entry in entries:
        if entry.item_id is not None:
            content.entries[entry.playlist_id].append(wire_entry(entry))
        else:
            _expand(session, entry, content, location=location, now=now, horizon=horizon)
    return assemble_manifest(
        location=location_info(location),
        assets=content.assets.values(),
        items=content.items.values(),
        playlists=[
            wire_playlist(playlist, content.entries.get(playlist.id, ())) for playlist in playlists
        ],
        assignments=[wire_assignment(assignment) for assignment in assignments],
        alerts=alerts,
        ticker=alert_ticker_lines(alerts),
        now=now,
        horizon=horizon,
    )


def _expand(
    session: Session,
    entry: PlaylistEntry,
    content: _Content,
    *,
    location: Location,
    now: datetime,
    horizon: timedelta,
) -> None:
    """Add what the dynamic `entry` is at `location` to `content`."""
    try:
        kind = dynamic_kind(entry.dynamic_kind or "")
        expansion = kind.expand(
            session,
            location=location,
            options=entry.dynamic_options or {},
            duration_s=entry.duration_s,
            window=validity(entry),
            now=now,
            horizon=horizon,
        )
    except DynamicEntryRefused:
        # Stored by a release that knew the kind: the rest of the playlist still plays.
        logger.warning("playlist entry %s: cannot expand %r", entry.id, entry.dynamic_kind)
        return
    for item in expansion.items:
        content.items[item.id] = item
    for asset in expansion.assets:
        content.assets[asset.sha256] = asset
    content.entries[entry.playlist_id].extend(expansion.entries)
