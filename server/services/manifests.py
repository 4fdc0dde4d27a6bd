"""A location's manifest: what is assigned to it, loaded in a few queries and assembled."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from playlists.assembly import assemble_manifest
from playlists.manifest import Manifest
from playlists.ticker import alert_ticker_lines
from server.models import Assignment, Item, Location, MediaAsset, Playlist, PlaylistEntry
from server.services.alerts import alerts_for_location
from server.services.wire import (
    asset_ref,
    location_info,
    wire_assignment,
    wire_item,
    wire_playlist,
)


def assignments_for(session: Session, *, location: Location) -> list[Assignment]:
    """The assignments naming `location` itself or one of its tags, in id order."""
    condition = or_(
        col(Assignment.location_id) == location.id,
        col(Assignment.location_tag).in_(location.tags),
    )
    return list(session.exec(select(Assignment).where(condition).order_by(col(Assignment.id))))


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
    item_ids = {entry.item_id for entry in entries}
    items = session.exec(select(Item).where(col(Item.id).in_(item_ids))).all()
    shas = {item.asset_sha256 for item in items if item.asset_sha256 is not None}
    assets = session.exec(select(MediaAsset).where(col(MediaAsset.sha256).in_(shas))).all()
    alerts = alerts_for_location(session, location=location, now=now)
    return assemble_manifest(
        location=location_info(location),
        assets=[asset_ref(asset) for asset in assets],
        items=[wire_item(item) for item in items],
        playlists=[
            wire_playlist(
                playlist, [entry for entry in entries if entry.playlist_id == playlist.id]
            )
            for playlist in playlists
        ],
        assignments=[wire_assignment(assignment) for assignment in assignments],
        alerts=alerts,
        ticker=alert_ticker_lines(alerts),
        now=now,
        horizon=horizon,
    )
