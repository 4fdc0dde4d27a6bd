"""Manifest assembly: from everything assigned to a location to what it can play soon.

The server loads a location's assignments, playlists, items and assets and
hands them here; what comes back holds only what can play before the horizon,
in an order that depends on content alone, so unchanged content keeps its
ETag (`Manifest.content_hash`) from one request to the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from playlists.manifest import (
    Alert,
    AssetRef,
    Assignment,
    Item,
    LocationInfo,
    Manifest,
    Playlist,
    TickerLine,
    Validity,
    referenced_assets,
)


def assemble_manifest(
    *,
    location: LocationInfo,
    assets: Iterable[AssetRef],
    items: Iterable[Item],
    playlists: Iterable[Playlist],
    assignments: Iterable[Assignment],
    alerts: Iterable[Alert] = (),
    ticker: Iterable[TickerLine] = (),
    now: datetime,
    horizon: timedelta,
) -> Manifest:
    """The manifest for `location`, holding what can play in [now, now + horizon).

    Drops what has ended by `now` or starts at or after the horizon, entries
    whose item was dropped, playlists left without entries or without an
    assignment (and the assignments of such playlists), items no kept
    playlist uses and assets no kept item needs, and alerts and ticker lines
    that have ended or begin after the horizon. Assignments come by priority,
    highest first, then by id; playlists, items and alerts by id; assets by
    sha256; entries keep their playlist order and ticker lines the order given.

    Raises ValueError for a naive `now`, a horizon that is not positive or an
    id passed twice, and pydantic.ValidationError when what remains does not
    form a valid manifest (an item whose asset was not passed in, say).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must carry a time zone, got naive {now.isoformat()}")
    if horizon <= timedelta(0):
        raise ValueError(f"horizon must be positive, got {horizon}")
    until = now + horizon

    def overlaps(validity: Validity) -> bool:
        starts_in_time = validity.valid_from is None or validity.valid_from < until
        return starts_in_time and (validity.valid_until is None or validity.valid_until > now)

    live_items = {
        item_id: item for item_id, item in _by_id("item", items).items() if overlaps(item.validity)
    }
    live_playlists = {}
    for playlist in _by_id("playlist", playlists).values():
        entries = tuple(
            entry
            for entry in playlist.entries
            if entry.item in live_items and overlaps(entry.validity)
        )
        if entries and overlaps(playlist.validity):
            live_playlists[playlist.id] = playlist.model_copy(update={"entries": entries})

    kept_assignments = sorted(
        (
            assignment
            for assignment in _by_id("assignment", assignments).values()
            if assignment.playlist in live_playlists and overlaps(assignment.validity)
        ),
        key=lambda assignment: (-assignment.priority, assignment.id),
    )
    kept_playlists = [
        live_playlists[playlist_id]
        for playlist_id in sorted({assignment.playlist for assignment in kept_assignments})
    ]
    used_items = {entry.item for playlist in kept_playlists for entry in playlist.entries}
    kept_items = sorted(
        (item for item in live_items.values() if item.id in used_items),
        key=lambda item: item.id,
    )
    needed = {sha for item in kept_items for sha in referenced_assets(item)}
    kept_assets = sorted(
        (asset for sha, asset in _by_sha256(assets).items() if sha in needed),
        key=lambda asset: asset.sha256,
    )
    return Manifest(
        generated_at=now,
        valid_until=until,
        location=location,
        assets=tuple(kept_assets),
        items=tuple(kept_items),
        playlists=tuple(kept_playlists),
        assignments=tuple(kept_assignments),
        alerts=tuple(
            sorted(
                (
                    alert
                    for alert in _by_id("alert", alerts).values()
                    if alert.effective < until and alert.expires > now
                ),
                key=lambda alert: alert.id,
            )
        ),
        ticker=tuple(
            line for line in _by_id("ticker line", ticker).values() if overlaps(line.validity)
        ),
    )


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_Identified)


def _by_id(kind: str, things: Iterable[_T]) -> dict[str, _T]:
    found: dict[str, _T] = {}
    for thing in things:
        if thing.id in found:
            raise ValueError(f"{kind} {thing.id!r} was passed twice")
        found[thing.id] = thing
    return found


def _by_sha256(assets: Iterable[AssetRef]) -> dict[str, AssetRef]:
    found: dict[str, AssetRef] = {}
    for asset in assets:
        # The same file may back several media records; only a disagreement is an error.
        if found.setdefault(asset.sha256, asset) != asset:
            raise ValueError(
                f"asset {asset.sha256} was passed twice with different size or media type"
            )
    return found
