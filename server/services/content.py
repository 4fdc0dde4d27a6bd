"""Creating content: locations and screens, media, items, playlists and their assignments.

Every function takes keyword arguments, checks what it is given against the
wire format (what is stored can always be sent to a screen), adds the rows to
the session and flushes them; the caller owns the transaction and commits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal

from sqlmodel import Session, select

from server.errors import AlreadyExists, InvalidContent, InvalidRequest, NotFound
from server.models import Assignment, Item, Location, MediaAsset, Playlist, PlaylistEntry, Screen
from server.services.devices import hash_device_token, new_device_token
from server.services.images import inspect_image
from server.services.wire import (
    checked,
    item_entries,
    location_info,
    wire_assignment,
    wire_item,
    wire_playlist,
)
from server.storage import MediaStorage, is_sha256

DEFAULT_DURATION_S = 8.0
NAME_MAX_LENGTH = 200  # the length of the name columns
ALL_WEEKDAYS = tuple(range(1, 8))
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Per language code, (title, body): {"sv": ("Titel", "Brödtext"), "fi": (…)}.
Texts = Mapping[str, tuple[str, str]]


@dataclass(frozen=True)
class EntrySpec:
    """An item in a new playlist, with what the playlist changes about it."""

    item: Item
    duration_s: float | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None


def create_location(
    session: Session,
    *,
    slug: str,
    name: str,
    timezone: str,
    languages: Sequence[str],
    now: datetime,
) -> Location:
    """A new location; `slug` names it in URLs and on the command line."""
    if not _SLUG.fullmatch(slug) or len(slug) > 64:
        raise InvalidContent(
            f"location slug {slug!r} must be 1-64 lowercase letters, digits and single hyphens"
        )
    _check_name("location", name)
    location = Location(
        slug=slug, name=name, timezone=timezone, languages=list(languages), created_at=now
    )
    checked(f"location {slug!r}", lambda: location_info(location))
    if session.exec(select(Location).where(Location.slug == slug)).first() is not None:
        raise AlreadyExists(f"a location with slug {slug!r} already exists")
    session.add(location)
    session.flush()
    return location


def _check_name(what: str, name: str) -> None:
    if not name.strip():
        raise InvalidContent(f"a {what} needs a name")
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidContent(
            f"{what} name {name[:40]!r}… is longer than {NAME_MAX_LENGTH} characters"
        )


def find_location(session: Session, *, slug: str) -> Location:
    location = session.exec(select(Location).where(Location.slug == slug)).first()
    if location is None:
        raise NotFound(f"no location with slug {slug!r}")
    return location


def create_screen(
    session: Session, *, location: Location, name: str, now: datetime
) -> tuple[Screen, str]:
    """A new screen at `location` and its bearer token, which is shown this once only."""
    _check_name("screen", name)
    token = new_device_token()
    screen = Screen(
        location=location, name=name, token_hash=hash_device_token(token), created_at=now
    )
    session.add(screen)
    session.flush()
    return screen, token


def issue_screen_token(session: Session, *, screen: Screen) -> str:
    """A fresh token for `screen`; the one it had stops working."""
    token = new_device_token()
    screen.token_hash = hash_device_token(token)
    session.add(screen)
    session.flush()
    return token


def store_media(
    session: Session,
    storage: MediaStorage,
    *,
    data: bytes,
    media_type: str,
    original_name: str,
    now: datetime,
) -> MediaAsset:
    """Store an uploaded image; the same bytes again return the asset stored the first time."""
    width, height = inspect_image(data, media_type=media_type, original_name=original_name)
    sha256 = storage.put(data)
    asset = session.get(MediaAsset, sha256)
    if asset is None:
        asset = MediaAsset(
            sha256=sha256,
            size=len(data),
            media_type=media_type,
            width=width,
            height=height,
            original_name=original_name,
            created_at=now,
        )
        session.add(asset)
        session.flush()
    return asset


def find_asset(session: Session, *, sha256: str) -> MediaAsset:
    if not is_sha256(sha256):
        raise InvalidRequest(f"{sha256!r} is not a sha256 (64 lowercase hex digits)")
    asset = session.get(MediaAsset, sha256)
    if asset is None:
        raise NotFound(f"no media asset {sha256}")
    return asset


def create_image_item(
    session: Session,
    *,
    asset: MediaAsset,
    duration_s: float = DEFAULT_DURATION_S,
    fit: Literal["fill", "fit"] = "fill",
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    now: datetime,
) -> Item:
    """A slide that shows one picture, filling the screen or fitting inside it."""
    item = Item(
        kind="image",
        duration_s=duration_s,
        asset=asset,
        asset_sha256=asset.sha256,
        fit=fit,
        valid_from=valid_from,
        valid_until=valid_until,
        created_at=now,
        updated_at=now,
    )
    return _add_item(session, item)


def create_text_item(
    session: Session,
    *,
    texts: Texts,
    duration_s: float = DEFAULT_DURATION_S,
    image: MediaAsset | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    now: datetime,
) -> Item:
    """A news or notice slide: a title and body per language, optionally a picture."""
    item = Item(
        kind="text",
        duration_s=duration_s,
        texts=_stored_texts(texts),
        asset=image,
        asset_sha256=image.sha256 if image else None,
        valid_from=valid_from,
        valid_until=valid_until,
        created_at=now,
        updated_at=now,
    )
    return _add_item(session, item)


def create_event_item(
    session: Session,
    *,
    texts: Texts,
    starts_at: datetime,
    ends_at: datetime | None = None,
    all_day: bool = False,
    place: str = "",
    organiser: str = "",
    image: MediaAsset | None = None,
    duration_s: float = DEFAULT_DURATION_S,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    now: datetime,
) -> Item:
    """An event slide. Its validity is its own: pass `valid_until` to drop it once it is over."""
    for what, value in (("place", place), ("organiser", organiser)):
        if len(value) > NAME_MAX_LENGTH:
            raise InvalidContent(f"the event's {what} is longer than {NAME_MAX_LENGTH} characters")
    item = Item(
        kind="event",
        duration_s=duration_s,
        texts=_stored_texts(texts),
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=all_day,
        place=place,
        organiser=organiser,
        asset=image,
        asset_sha256=image.sha256 if image else None,
        valid_from=valid_from,
        valid_until=valid_until,
        created_at=now,
        updated_at=now,
    )
    return _add_item(session, item)


def _stored_texts(texts: Texts) -> dict[str, dict[str, str]]:
    if not texts:
        raise InvalidContent("a slide needs a title in at least one language")
    for language, (title, _body) in texts.items():
        if not title.strip():
            raise InvalidContent(f"the {language!r} title is empty")
    return {language: {"title": title, "body": body} for language, (title, body) in texts.items()}


def _add_item(session: Session, item: Item) -> Item:
    checked(f"{item.kind} item", lambda: wire_item(item))
    session.add(item)
    session.flush()
    return item


def create_playlist(
    session: Session,
    *,
    name: str,
    entries: Sequence[Item | EntrySpec],
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> Playlist:
    """A playlist that plays `entries` in the given order."""
    _check_name("playlist", name)
    specs = [entry if isinstance(entry, EntrySpec) else EntrySpec(entry) for entry in entries]
    playlist = Playlist(
        name=name,
        valid_from=valid_from,
        valid_until=valid_until,
        entries=[
            PlaylistEntry(
                position=position,
                item=spec.item,
                item_id=spec.item.id,
                duration_s=spec.duration_s,
                valid_from=spec.valid_from,
                valid_until=spec.valid_until,
            )
            for position, spec in enumerate(specs)
        ],
    )
    checked(f"playlist {name!r}", lambda: wire_playlist(playlist, item_entries(playlist.entries)))
    session.add(playlist)
    session.flush()
    return playlist


def assign_playlist(
    session: Session,
    *,
    playlist: Playlist,
    location: Location,
    priority: int = 0,
    weekdays: Iterable[int] = ALL_WEEKDAYS,
    start_time: time | None = None,
    end_time: time | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> Assignment:
    """Put `playlist` on the screens of `location` on `weekdays` (ISO, 1 = Monday), in a
    local time window (none: all day); the highest priority in force wins."""
    assignment = Assignment(
        playlist=playlist,
        playlist_id=playlist.id,
        location=location,
        location_id=location.id,
        priority=priority,
        weekdays=sorted(set(weekdays)),
        start_time=start_time,
        end_time=end_time,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if not assignment.weekdays:
        raise InvalidContent("an assignment needs at least one weekday")
    checked(f"assignment of playlist {playlist.name!r}", lambda: wire_assignment(assignment))
    session.add(assignment)
    session.flush()
    return assignment
