"""Playlists as editors build them: ordered entries, saved whole with their version, audited.

A save replaces the name, the window and every entry at once, and only when
it was based on the stored version: two editors saving the same playlist, the
second is told instead of silently overwriting the first. A playlist still
assigned somewhere cannot be deleted; the refusal names where it is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import update
from sqlmodel import Session, col, select

from server.errors import InUse, InvalidContent, NotFound, Refused, StaleEdit
from server.models import (
    Assignment,
    AuditEntry,
    Item,
    Location,
    MediaAsset,
    Playlist,
    PlaylistEntry,
)
from server.services.audit import record_change, snapshot
from server.services.content import NAME_MAX_LENGTH
from server.services.dynamic_entries import DynamicEntryRefused
from server.services.dynamic_kinds import dynamic_kind
from server.services.permissions import Actor
from server.services.wire import checked, item_entries, wire_playlist

MAX_DURATION_S = 24 * 3600  # what the wire format allows a slide

PlaylistProblemReason = Literal[
    "name_missing", "name_too_long", "unknown_item", "duration", "window", "dynamic"
]


class PlaylistProblem(InvalidContent):
    """A playlist no screen could play; `reason` and `position` (1-based) say what and where.

    A dynamic entry's refusal, in words the admin translates, is `explained`.
    """

    def __init__(
        self,
        message: str,
        *,
        reason: PlaylistProblemReason,
        position: int | None = None,
        explained: Refused | None = None,
    ) -> None:
        super().__init__(message)
        self.reason: PlaylistProblemReason = reason
        self.position = position
        self.explained = explained


@dataclass(frozen=True)
class EntryDraft:
    """One entry as an editor sets it: which item (or which dynamic rule, with its options),
    and what the playlist changes about it."""

    item_id: int | None
    duration_s: float | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    dynamic_kind: str | None = None
    dynamic_options: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class PlaylistDraft:
    """A whole playlist as an editor saves it."""

    name: str
    entries: tuple[EntryDraft, ...] = ()
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True)
class Usage:
    """Where a playlist is assigned: locations by name, tags with the locations carrying them."""

    locations: tuple[str, ...] = ()
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def in_use(self) -> bool:
        return bool(self.locations or self.tags)

    def describe(self) -> str:
        parts = list(self.locations)
        for tag, names in self.tags.items():
            carriers = ", ".join(names) if names else "no location yet"
            parts.append(f"the tag {tag!r} ({carriers})")
        return "; ".join(parts)


class PlaylistInUse(InUse):
    """A playlist that cannot be deleted while assigned; `usage` says where."""

    def __init__(self, message: str, *, usage: Usage) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class ItemChoice:
    """An item as the playlist editor lists it: its kind, a title or file name, a thumbnail."""

    item_id: int
    kind: str
    label: str
    duration_s: float
    # The media asset whose thumbnail the media library serves, when it has one.
    thumbnail_of: str | None


def find_playlist(session: Session, *, playlist_id: int) -> Playlist:
    playlist = session.get(Playlist, playlist_id)
    if playlist is None:
        raise NotFound(f"no playlist with id {playlist_id}")
    return playlist


def list_playlists(session: Session) -> list[tuple[Playlist, Usage]]:
    """Every playlist by name, with where it is used."""
    playlists = session.exec(select(Playlist).order_by(col(Playlist.name), col(Playlist.id))).all()
    usages = _usages(session)
    return [(playlist, usages.get(playlist.id, Usage())) for playlist in playlists]


def playlist_usage(session: Session, *, playlist_id: int) -> Usage:
    return _usages(session, playlist_id=playlist_id).get(playlist_id, Usage())


def _usages(session: Session, *, playlist_id: int | None = None) -> dict[int | None, Usage]:
    query = select(Assignment).order_by(col(Assignment.id))
    if playlist_id is not None:
        query = query.where(Assignment.playlist_id == playlist_id)
    assignments = session.exec(query).all()
    if not assignments:
        return {}
    locations = session.exec(select(Location).order_by(col(Location.name))).all()
    names = {location.id: location.name for location in locations}
    found: dict[int | None, tuple[set[str], set[str]]] = {}
    for assignment in assignments:
        direct, tags = found.setdefault(assignment.playlist_id, (set(), set()))
        if assignment.location_tag is not None:
            tags.add(assignment.location_tag)
        else:
            direct.add(names[assignment.location_id])
    return {
        key: Usage(
            locations=tuple(sorted(direct)),
            tags={
                tag: tuple(location.name for location in locations if tag in location.tags)
                for tag in sorted(tags)
            },
        )
        for key, (direct, tags) in found.items()
    }


def create_playlist(
    session: Session, *, actor: Actor, draft: PlaylistDraft, now: datetime
) -> Playlist:
    """A new playlist, version 1."""
    items = _checked(session, draft)
    playlist = Playlist(name=draft.name.strip(), version=1, updated_at=now)
    _apply(playlist, draft, items)
    session.add(playlist)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="playlist",
        entity_id=playlist.id,
        summary=f"playlist {playlist.name!r}",
        after=playlist_snapshot(playlist),
        now=now,
    )
    return playlist


def save_playlist(
    session: Session,
    *,
    actor: Actor,
    playlist_id: int,
    expected_version: int,
    draft: PlaylistDraft,
    now: datetime,
) -> Playlist:
    """Replace the playlist with `draft`, when `expected_version` is still the stored one."""
    playlist = find_playlist(session, playlist_id=playlist_id)
    _require_version(playlist, expected_version)
    items = _checked(session, draft)
    before = playlist_snapshot(playlist)
    _claim_version(session, playlist, expected_version)
    playlist.name = draft.name.strip()
    playlist.updated_at = now
    _apply(playlist, draft, items)
    session.add(playlist)
    session.flush()
    after = playlist_snapshot(playlist)
    record_change(
        session,
        actor=actor,
        action="reorder" if _only_reordered(before, after) else "update",
        entity="playlist",
        entity_id=playlist.id,
        summary=f"playlist {playlist.name!r}",
        before=before,
        after=after,
        now=now,
    )
    return playlist


def delete_playlist(
    session: Session,
    *,
    actor: Actor,
    playlist_id: int,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Delete a playlist no assignment uses; PlaylistInUse names where it is used."""
    playlist = find_playlist(session, playlist_id=playlist_id)
    if expected_version is not None:
        _require_version(playlist, expected_version)
    usage = playlist_usage(session, playlist_id=playlist_id)
    if usage.in_use:
        raise PlaylistInUse(
            f"playlist {playlist.name!r} is still assigned to {usage.describe()}; "
            "remove it from the schedule first",
            usage=usage,
        )
    before = playlist_snapshot(playlist)
    session.delete(playlist)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="delete",
        entity="playlist",
        entity_id=playlist_id,
        summary=f"playlist {before['name']!r}",
        before=before,
        now=now,
    )


def last_saved(session: Session, *, playlist_id: int) -> AuditEntry | None:
    """The latest logged change to the playlist: who saved it last, and when."""
    return session.exec(
        select(AuditEntry)
        .where(AuditEntry.entity == "playlist", AuditEntry.entity_id == str(playlist_id))
        .order_by(col(AuditEntry.id).desc())
    ).first()


def playlist_snapshot(playlist: Playlist) -> dict[str, object]:
    """The playlist with its entries in order, as the audit log keeps it."""
    values = snapshot(playlist)
    values["entries"] = [_entry_snapshot(entry) for entry in playlist.entries]
    return values


def _entry_snapshot(entry: PlaylistEntry) -> dict[str, object]:
    # An entry is an item or a dynamic rule: the log shows what it is, not the other's nulls.
    unused = ("dynamic_kind", "dynamic_options") if entry.item_id is not None else ("item_id",)
    return snapshot(entry, exclude=("id", "playlist_id", "position", *unused))


def item_choices(session: Session, *, languages: Sequence[str] = ("sv",)) -> list[ItemChoice]:
    """Every item, newest first, named in the first of `languages` it has."""
    rows = session.exec(
        select(Item, MediaAsset)
        .join(MediaAsset, col(Item.asset_sha256) == col(MediaAsset.sha256), isouter=True)
        .order_by(col(Item.id).desc())
    ).all()
    return [describe_item(item, asset, languages=languages) for item, asset in rows]


def describe_item(
    item: Item, asset: MediaAsset | None, *, languages: Sequence[str] = ("sv",)
) -> ItemChoice:
    """`item` as a line in a list: a picture by its file name, a text by its title."""
    if item.kind in ("image", "video") and asset is not None:
        label = asset.original_name
    else:
        titles = {code: text.get("title", "") for code, text in item.texts.items()}
        label = titles.get(preferred_language(titles, languages) or "", "")
    thumbnail_of = asset.sha256 if asset is not None and asset.thumbnail_sha256 else None
    assert item.id is not None  # a stored item has its key
    return ItemChoice(item.id, item.kind, label, item.duration_s, thumbnail_of)


def preferred_language(titles: Mapping[str, str], languages: Iterable[str]) -> str | None:
    """The first of `languages` in which there is a title, else any that has one."""
    for code in (*languages, *titles):
        if titles.get(code):
            return code
    return None


def _require_version(playlist: Playlist, expected_version: int) -> None:
    if playlist.version != expected_version:
        raise StaleEdit(
            f"playlist {playlist.name!r} was saved by someone else meanwhile "
            f"(it is at version {playlist.version}, the edit was based on {expected_version})"
        )


def _claim_version(session: Session, playlist: Playlist, expected_version: int) -> None:
    # One conditional UPDATE: of two saves racing past the check above, only one matches.
    claimed = session.connection().execute(
        update(Playlist)
        .where(col(Playlist.id) == playlist.id, col(Playlist.version) == expected_version)
        .values(version=expected_version + 1)
    )
    if claimed.rowcount != 1:
        session.refresh(playlist)
        _require_version(playlist, expected_version)
    playlist.version = expected_version + 1


def _checked(session: Session, draft: PlaylistDraft) -> dict[int, Item]:
    """The draft's items by id, once everything in it is known to be playable."""
    name = draft.name.strip()
    if not name:
        raise PlaylistProblem("a playlist needs a name", reason="name_missing")
    if len(name) > NAME_MAX_LENGTH:
        raise PlaylistProblem(
            f"playlist name {name[:40]!r}… is longer than {NAME_MAX_LENGTH} characters",
            reason="name_too_long",
        )
    _check_window(draft.valid_from, draft.valid_until, position=None)
    wanted = {entry.item_id for entry in draft.entries if entry.item_id is not None}
    items = {
        item.id: item
        for item in session.exec(select(Item).where(col(Item.id).in_(wanted))).all()
        if item.id is not None
    }
    for position, entry in enumerate(draft.entries, start=1):
        if entry.item_id is None:
            _check_dynamic(entry, position=position)
        elif entry.item_id not in items:
            raise PlaylistProblem(
                f"entry {position} names item {entry.item_id}, which does not exist",
                reason="unknown_item",
                position=position,
            )
        if entry.duration_s is not None and not 0 < entry.duration_s <= MAX_DURATION_S:
            raise PlaylistProblem(
                f"entry {position}: a duration must be more than 0 and at most "
                f"{MAX_DURATION_S} seconds, not {entry.duration_s:g}",
                reason="duration",
                position=position,
            )
        _check_window(entry.valid_from, entry.valid_until, position=position)
    # The wire format has the last word: whatever is stored can be sent to a screen.
    transient = Playlist(name=name, valid_from=draft.valid_from, valid_until=draft.valid_until)
    checked(
        f"playlist {name!r}",
        lambda: wire_playlist(
            transient, item_entries(_entry(n, entry) for n, entry in enumerate(draft.entries))
        ),
    )
    return items


def _check_dynamic(entry: EntryDraft, *, position: int) -> None:
    try:
        if entry.dynamic_kind is None:
            raise PlaylistProblem(
                f"entry {position} names neither an item nor a dynamic rule",
                reason="unknown_item",
                position=position,
            )
        dynamic_kind(entry.dynamic_kind).checked_options(entry.dynamic_options)
    except DynamicEntryRefused as refused:
        raise PlaylistProblem(
            f"entry {position}: {refused}", reason="dynamic", position=position, explained=refused
        ) from refused


def _check_window(start: datetime | None, end: datetime | None, *, position: int | None) -> None:
    if start is not None and end is not None and end <= start:
        where = f"entry {position}" if position is not None else "the playlist"
        raise PlaylistProblem(
            f"{where}: the end of the window must be after its start",
            reason="window",
            position=position,
        )


def _entry(position: int, draft: EntryDraft) -> PlaylistEntry:
    return PlaylistEntry(
        position=position,
        item_id=draft.item_id,
        dynamic_kind=draft.dynamic_kind if draft.item_id is None else None,
        duration_s=draft.duration_s,
        valid_from=draft.valid_from,
        valid_until=draft.valid_until,
    )


def _apply(playlist: Playlist, draft: PlaylistDraft, items: Mapping[int, Item]) -> None:
    """Write the draft into the playlist's rows.

    Rows are rewritten in place position by position and only the surplus is
    added or removed, so no two rows ever share a position within one flush.
    """
    playlist.valid_from = _utc(draft.valid_from)
    playlist.valid_until = _utc(draft.valid_until)
    rows = list(playlist.entries)
    for position, entry in enumerate(draft.entries):
        if position < len(rows):
            row = rows[position]
        else:
            row = PlaylistEntry(position=position)
            playlist.entries.append(row)
        if entry.item_id is not None:
            row.item = items[entry.item_id]
            row.item_id = entry.item_id
            row.dynamic_kind = row.dynamic_options = None
        else:
            assert entry.dynamic_kind is not None  # _checked made sure
            row.item = None
            row.item_id = None
            row.dynamic_kind = entry.dynamic_kind
            row.dynamic_options = dynamic_kind(entry.dynamic_kind).checked_options(
                entry.dynamic_options
            )
        row.duration_s = entry.duration_s
        row.valid_from = _utc(entry.valid_from)
        row.valid_until = _utc(entry.valid_until)
    for row in rows[len(draft.entries) :]:
        playlist.entries.remove(row)


def _utc(moment: datetime | None) -> datetime | None:
    # As the database gives it back, so the answer to a save reads like a later read.
    return moment.astimezone(UTC) if moment is not None else None


def _only_reordered(before: Mapping[str, object], after: Mapping[str, object]) -> bool:
    def without_entries(values: Mapping[str, object]) -> dict[str, object]:
        return {k: v for k, v in values.items() if k not in ("entries", "version", "updated_at")}

    old, new = before["entries"], after["entries"]
    assert isinstance(old, list)
    assert isinstance(new, list)
    return (
        without_entries(before) == without_entries(after)
        and old != new
        and sorted(map(repr, old)) == sorted(map(repr, new))
    )
