"""Terse builders for manifests in tests: items, playlists and assignments in a few words."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from playlists.manifest import (
    Alert,
    AlertText,
    AnyItem,
    AssetRef,
    Assignment,
    EventItem,
    ImageItem,
    LocalizedText,
    LocationInfo,
    Manifest,
    Playlist,
    PlaylistEntry,
    Severity,
    TextItem,
    Validity,
    referenced_assets,
)

STOCKHOLM = "Europe/Stockholm"
GENERATED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def utc(text: str) -> datetime:
    """An instant written as UTC: `utc("2026-03-02 08:00")`."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def wall(timezone: str, text: str, *, fold: int = 0) -> datetime:
    """The UTC instant at which a clock in `timezone` shows `text` (fold=1: second pass)."""
    reading = datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(timezone), fold=fold)
    return reading.astimezone(UTC)


def sha(name: str) -> str:
    """A stable, valid sha256 for a made-up file."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def validity(valid_from: datetime | None = None, valid_until: datetime | None = None) -> Validity:
    return Validity(valid_from=valid_from, valid_until=valid_until)


def image(
    item_id: str,
    *,
    duration_s: float = 10.0,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> ImageItem:
    """An image slide whose file is named after the item."""
    return ImageItem(
        id=item_id,
        duration_s=duration_s,
        validity=validity(valid_from, valid_until),
        asset=sha(item_id),
    )


def text(
    item_id: str,
    title: str = "Simhallen stänger tidigare i dag",
    *,
    duration_s: float = 10.0,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> TextItem:
    """A Swedish news slide without a picture."""
    return TextItem(
        id=item_id,
        duration_s=duration_s,
        validity=validity(valid_from, valid_until),
        texts={"sv": LocalizedText(title=title)},
    )


def event(item_id: str, starts_at: datetime, *, duration_s: float = 10.0) -> EventItem:
    """An event slide with a poster, shown until the event starts."""
    return EventItem(
        id=item_id,
        duration_s=duration_s,
        validity=validity(valid_until=starts_at),
        texts={"sv": LocalizedText(title="Byastämma")},
        starts_at=starts_at,
        image=sha(f"{item_id}-poster"),
    )


def entry(
    item_id: str,
    *,
    duration_s: float | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> PlaylistEntry:
    return PlaylistEntry(
        item=item_id, duration_s=duration_s, validity=validity(valid_from, valid_until)
    )


def playlist(
    playlist_id: str,
    *entries: str | PlaylistEntry,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> Playlist:
    """A playlist of item ids (or entries, where an entry needs more than an id)."""
    return Playlist(
        id=playlist_id,
        name=playlist_id.replace("-", " ").capitalize(),
        entries=tuple(entry(e) if isinstance(e, str) else e for e in entries),
        validity=validity(valid_from, valid_until),
    )


def assignment(
    assignment_id: str,
    playlist_id: str,
    *,
    priority: int = 0,
    weekdays: Iterable[int] = range(1, 8),
    window: tuple[str, str] | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> Assignment:
    """An assignment; `window=("07:00", "10:00")` is a local time-of-day window."""
    start, end = (time.fromisoformat(t) for t in window) if window else (None, None)
    return Assignment(
        id=assignment_id,
        playlist=playlist_id,
        priority=priority,
        weekdays=frozenset(weekdays),
        start_time=start,
        end_time=end,
        validity=validity(valid_from, valid_until),
    )


def location(timezone: str = STOCKHOLM, location_id: str = "pajala-bibliotek") -> LocationInfo:
    return LocationInfo(
        id=location_id, name="Pajala bibliotek", timezone=timezone, languages=("sv",)
    )


def asset_refs(items: Iterable[AnyItem]) -> tuple[AssetRef, ...]:
    """An asset reference for every file the items need."""
    shas = sorted({s for item in items for s in referenced_assets(item)})
    return tuple(AssetRef(sha256=s, size=1024, media_type="image/jpeg") for s in shas)


def manifest(
    *,
    items: Sequence[ImageItem | TextItem | EventItem],
    playlists: Sequence[Playlist],
    assignments: Sequence[Assignment],
    timezone: str = STOCKHOLM,
) -> Manifest:
    """A manifest holding exactly what is given, with the assets the items need."""
    return Manifest(
        generated_at=GENERATED_AT,
        valid_until=utc("2027-01-01 00:00"),
        location=location(timezone),
        assets=asset_refs(items),
        items=tuple(items),
        playlists=tuple(playlists),
        assignments=tuple(assignments),
    )


def simple_manifest(*item_ids: str, timezone: str = STOCKHOLM) -> Manifest:
    """Image items in one playlist that plays all the time."""
    return manifest(
        items=[image(item_id) for item_id in item_ids],
        playlists=[playlist("all-day", *item_ids)],
        assignments=[assignment("always", "all-day")],
        timezone=timezone,
    )


def alert(
    alert_id: str,
    *,
    effective: datetime,
    expires: datetime,
    severity: Severity = "severe",
    kind: Literal["alert", "all_clear"] = "alert",
    version: int = 1,
    headline: str = "Vattenläcka i Svanstein",
    sent_at: datetime | None = None,
    status: Literal["actual", "exercise"] = "actual",
    texts: dict[str, AlertText] | None = None,
) -> Alert:
    """An alert in Swedish (just a headline, unless `texts` gives more)."""
    return Alert(
        id=alert_id,
        version=version,
        kind=kind,
        status=status,
        severity=severity,
        sender_name="Övertorneå kommun",
        texts=texts or {"sv": AlertText(headline=headline)},
        sent_at=sent_at or effective,
        effective=effective,
        expires=expires,
    )
