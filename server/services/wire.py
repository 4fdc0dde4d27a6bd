"""Stored rows as the manifest's wire models, and the one place their errors are worded.

Content services build the wire form of what they store as a check: whatever
is stored can go on the wire, so a bad title fails when an editor saves it,
not later when a screen polls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from pydantic import ValidationError

from playlists import manifest as wire
from server.errors import InvalidContent
from server.models import Assignment, Item, Location, MediaAsset, Playlist, PlaylistEntry

T = TypeVar("T")


def checked(what: str, build: Callable[[], T]) -> T:
    """`build()`, with a pydantic ValidationError turned into InvalidContent about `what`."""
    try:
        return build()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'value'}: {error['msg']}"
            for error in exc.errors(include_url=False)
        )
        raise InvalidContent(f"{what} is not valid: {problems}") from exc


def location_info(location: Location) -> wire.LocationInfo:
    return wire.LocationInfo(
        id=location.slug,
        name=location.name,
        timezone=location.timezone,
        languages=tuple(location.languages),
        language_mode=location.language_mode,
        opening_hours=tuple(
            wire.OpeningHours.model_validate(hours) for hours in location.opening_hours
        ),
    )


def asset_ref(asset: MediaAsset) -> wire.AssetRef:
    return wire.AssetRef(sha256=asset.sha256, size=asset.size, media_type=asset.media_type)


def item_id(item: Item) -> str:
    return f"item-{item.id}"


def playlist_id(playlist: Playlist) -> str:
    return f"playlist-{playlist.id}"


def validity(row: Item | Playlist | PlaylistEntry | Assignment) -> wire.Validity:
    return wire.Validity(valid_from=row.valid_from, valid_until=row.valid_until)


def wire_item(item: Item) -> wire.AnyItem:
    texts = {
        language: wire.LocalizedText(title=text.get("title", ""), body=text.get("body", ""))
        for language, text in item.texts.items()
    }
    if item.kind == "image":
        return wire.ImageItem(
            id=item_id(item),
            duration_s=item.duration_s,
            validity=validity(item),
            asset=item.asset_sha256,
            fit=item.fit,
        )
    if item.kind == "video":
        return wire.VideoItem(
            id=item_id(item),
            duration_s=item.duration_s,
            validity=validity(item),
            asset=item.asset_sha256,
            fit=item.fit,
            loop=item.loop,
            muted=item.muted,
        )
    if item.kind == "text":
        return wire.TextItem(
            id=item_id(item),
            duration_s=item.duration_s,
            validity=validity(item),
            texts=texts,
            image=item.asset_sha256,
        )
    if item.kind == "event":
        return wire.EventItem(
            id=item_id(item),
            duration_s=item.duration_s,
            validity=validity(item),
            texts=texts,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            all_day=item.all_day,
            place=item.place,
            organiser=item.organiser,
            image=item.asset_sha256,
        )
    raise InvalidContent(f"item {item.id} has unknown kind {item.kind!r}")


def wire_entry(entry: PlaylistEntry) -> wire.PlaylistEntry:
    """An entry that plays one item; a dynamic entry is expanded per location instead."""
    if entry.item_id is None:
        raise InvalidContent(f"entry {entry.id} is dynamic and has no single item")
    return wire.PlaylistEntry(
        item=f"item-{entry.item_id}",
        duration_s=entry.duration_s,
        validity=validity(entry),
    )


def item_entries(entries: Iterable[PlaylistEntry]) -> list[wire.PlaylistEntry]:
    """The entries that play one item each, on the wire; dynamic entries are left out."""
    return [wire_entry(entry) for entry in entries if entry.item_id is not None]


def wire_playlist(playlist: Playlist, entries: Iterable[wire.PlaylistEntry]) -> wire.Playlist:
    return wire.Playlist(
        id=playlist_id(playlist),
        name=playlist.name,
        entries=tuple(entries),
        validity=validity(playlist),
    )


def wire_assignment(assignment: Assignment) -> wire.Assignment:
    return wire.Assignment(
        id=f"assignment-{assignment.id}",
        playlist=f"playlist-{assignment.playlist_id}",
        priority=assignment.priority,
        weekdays=frozenset(assignment.weekdays),
        start_time=assignment.start_time,
        end_time=assignment.end_time,
        validity=validity(assignment),
    )
