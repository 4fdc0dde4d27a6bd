"""Items, the slides editors make (picture, video, text, event): checked, versioned, audited.

Every save is checked against the wire format, so whatever is stored can be
sent to a screen. A save names the version it was based on; when someone else
saved since, it is refused (EditedMeanwhile) instead of silently overwriting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select, update

from server.errors import EditedMeanwhile, NotFound, Refused, StillUsed
from server.i18n import marked as _
from server.models import Item, MediaAsset, Playlist, PlaylistEntry
from server.services.audit import record_change, snapshot
from server.services.content import DEFAULT_DURATION_S, NAME_MAX_LENGTH
from server.services.languages import CONTENT_LANGUAGES
from server.services.media import media_kind
from server.services.naming import item_title
from server.services.permissions import Actor
from server.services.wire import checked, wire_item
from server.storage import is_sha256

ItemKind = Literal["image", "video", "text", "event"]
Fit = Literal["fill", "fit"]
ITEM_KINDS: tuple[ItemKind, ...] = ("image", "video", "text", "event")
MAX_DURATION_S = 24 * 3600
# The wire format's limits, so an editor hears of them when saving.
TITLE_MAX_LENGTH = 300
BODY_MAX_LENGTH = 4000
# A picture fills the screen; a clip is shown whole, letterboxed, unless asked otherwise.
DEFAULT_FIT: dict[ItemKind, Fit] = {
    "image": "fill",
    "video": "fit",
    "text": "fill",
    "event": "fill",
}
# What a save changes; the rest (id, version, times) the service keeps.
_EDITABLE = (
    "duration_s",
    "valid_from",
    "valid_until",
    "asset_sha256",
    "fit",
    "loop",
    "muted",
    "texts",
    "starts_at",
    "ends_at",
    "all_day",
    "place",
    "organiser",
)


@dataclass(frozen=True)
class ItemDraft:
    """Everything an editor sets on an item; what its kind does not use is left out.

    `texts` maps a language code to (title, body). `duration_s` None means the
    default: the clip's length for a video, else `DEFAULT_DURATION_S`. An
    event's `valid_until` None means until the event is over.
    """

    kind: ItemKind
    duration_s: float | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    asset_sha256: str | None = None
    fit: Fit | None = None
    loop: bool = False
    muted: bool = True
    texts: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    all_day: bool = False
    place: str = ""
    organiser: str = ""


@dataclass(frozen=True)
class ItemEntry:
    """An item and the playlists it plays in."""

    item: Item
    playlists: tuple[Playlist, ...]


def create_item(
    session: Session, *, draft: ItemDraft, zone: ZoneInfo, actor: Actor, now: datetime
) -> Item:
    """A new item; `zone` is the municipality's, where an event's day ends."""
    item = _checked(session, draft, zone=zone, now=now)
    session.add(item)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="item",
        entity_id=item.id,
        summary=_summary(item),
        after=snapshot(item),
        now=now,
    )
    return item


def update_item(
    session: Session,
    *,
    item_id: int,
    draft: ItemDraft,
    expected_version: int,
    zone: ZoneInfo,
    actor: Actor,
    now: datetime,
) -> Item:
    """Save `draft` over the item, if it is still at `expected_version`; EditedMeanwhile if not.

    Nothing is written before every check has passed, so a refused save changes nothing.
    """
    item = find_item(session, item_id=item_id)
    if draft.kind != item.kind:
        raise Refused(_("An item's kind cannot change; make a new item instead"))
    edited = _checked(session, draft, zone=zone, now=now)
    # Compare and set in one statement: of two saves at once, one finds the version moved.
    claimed = session.exec(
        update(Item)
        .where(col(Item.id) == item_id, col(Item.version) == expected_version)
        .values(version=expected_version + 1)
    )
    if claimed.rowcount != 1:
        session.refresh(item)
        raise EditedMeanwhile(
            _(
                "Someone else saved this item after you opened it: it is at version "
                "%(current)d, your changes are based on version %(yours)d"
            ),
            current=item.version,
            yours=expected_version,
        )
    before = snapshot(item)
    for name in _EDITABLE:
        setattr(item, name, getattr(edited, name))
    item.asset = edited.asset
    item.version = expected_version + 1
    item.updated_at = now
    session.add(item)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="update",
        entity="item",
        entity_id=item.id,
        summary=_summary(item),
        before=before,
        after=snapshot(item),
        now=now,
    )
    return item


def delete_item(session: Session, *, item_id: int, actor: Actor, now: datetime) -> None:
    """Delete the item; StillUsed, naming the playlists, while any playlist plays it."""
    item = find_item(session, item_id=item_id)
    playlists = playlists_using(session, item_id=item_id)
    if playlists:
        raise StillUsed(
            _("'%(name)s' is in the playlists %(playlists)s; take it out of them first"),
            name=item_title(item),
            playlists=", ".join(repr(playlist.name) for playlist in playlists),
        )
    before = snapshot(item)
    summary = _summary(item)
    session.delete(item)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="delete",
        entity="item",
        entity_id=item_id,
        summary=summary,
        before=before,
        now=now,
    )


def find_item(session: Session, *, item_id: int) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise NotFound(f"no item with id {item_id}")
    return item


def list_items(session: Session, *, kind: ItemKind | None = None) -> list[ItemEntry]:
    """Every item, the most recently saved first, each with the playlists it plays in."""
    query = select(Item).order_by(col(Item.updated_at).desc(), col(Item.id).desc())
    if kind is not None:
        query = query.where(Item.kind == kind)
    items = session.exec(query).all()
    rows = session.exec(
        select(PlaylistEntry.item_id, Playlist)
        .join(Playlist, col(Playlist.id) == col(PlaylistEntry.playlist_id))
        .order_by(col(Playlist.name), col(Playlist.id))
    ).all()
    playlists: dict[int, list[Playlist]] = {}
    for item_id, playlist in rows:
        used_in = playlists.setdefault(item_id or 0, [])
        if playlist not in used_in:
            used_in.append(playlist)
    return [ItemEntry(item, tuple(playlists.get(item.id or 0, ()))) for item in items]


def playlists_using(session: Session, *, item_id: int) -> list[Playlist]:
    """The playlists that play the item, by name."""
    query = (
        select(Playlist)
        .join(PlaylistEntry, col(PlaylistEntry.playlist_id) == col(Playlist.id))
        .where(PlaylistEntry.item_id == item_id)
        .order_by(col(Playlist.name), col(Playlist.id))
        .distinct()
    )
    return list(session.exec(query))


def _summary(item: Item) -> str:
    return f"{item.kind} {item_title(item)!r}"


def _checked(session: Session, draft: ItemDraft, *, zone: ZoneInfo, now: datetime) -> Item:
    """A new, unsaved item made of `draft`: what its kind uses, checked against the wire."""
    if draft.kind not in ITEM_KINDS:
        raise Refused(_("An item is a picture, a video, a text or an event"))
    asset = _asset(session, draft)
    duration_s = draft.duration_s
    if duration_s is None:
        clip = asset.duration_s if asset is not None and draft.kind == "video" else None
        duration_s = clip or DEFAULT_DURATION_S
    if not 0 < duration_s <= MAX_DURATION_S:
        raise Refused(_("The duration must be more than 0 seconds and at most 24 hours"))
    video, event = draft.kind == "video", draft.kind == "event"
    if event:
        _check_event(draft)
    valid_until = draft.valid_until
    if event and valid_until is None and draft.starts_at is not None:
        valid_until = event_over(draft.starts_at, draft.ends_at, zone=zone)
    if draft.valid_from and valid_until and valid_until <= draft.valid_from:
        raise Refused(_("The end of the showing period must come after its start"))
    item = Item(
        kind=draft.kind,
        duration_s=duration_s,
        valid_from=_utc(draft.valid_from),
        valid_until=_utc(valid_until),
        asset=asset,
        asset_sha256=asset.sha256 if asset is not None else None,
        fit=draft.fit or DEFAULT_FIT[draft.kind],
        loop=draft.loop if video else False,
        muted=draft.muted if video else True,
        texts=checked_texts(draft.texts) if draft.kind in ("text", "event") else {},
        starts_at=_utc(draft.starts_at) if event else None,
        ends_at=_utc(draft.ends_at) if event else None,
        all_day=draft.all_day if event else False,
        place=draft.place.strip() if event else "",
        organiser=draft.organiser.strip() if event else "",
        created_at=now,
        updated_at=now,
    )
    checked(f"{item.kind} item", lambda: wire_item(item))
    return item


def _utc(moment: datetime | None) -> datetime | None:
    # Stored in UTC; the answer to a save reads the same as the item read back later.
    if moment is None:
        return None
    if moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; the caller must give one")
    return moment.astimezone(UTC)


def _asset(session: Session, draft: ItemDraft) -> MediaAsset | None:
    sha256 = draft.asset_sha256
    if not sha256:
        if draft.kind == "image":
            raise Refused(_("Choose the picture to show"))
        if draft.kind == "video":
            raise Refused(_("Choose the video to show"))
        return None
    asset = session.get(MediaAsset, sha256) if is_sha256(sha256) else None
    if asset is None:
        raise Refused(_("The media library has no file %(sha256)s"), sha256=sha256)
    wanted = "video" if draft.kind == "video" else "image"
    if media_kind(asset) == wanted:
        return asset
    if wanted == "video":
        raise Refused(
            _("'%(name)s' is a picture; a video item shows a video"), name=asset.original_name
        )
    raise Refused(_("'%(name)s' is a video; this item shows a picture"), name=asset.original_name)


def checked_texts(typed: Mapping[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    """(title, body) per language as stored: trimmed, in known languages, within the limits."""
    if not typed:
        raise Refused(_("Write a title in at least one language"))
    texts = {}
    for language, (title, body) in typed.items():
        if language not in CONTENT_LANGUAGES:
            raise Refused(
                _("Texts are written in %(languages)s, not '%(language)s'"),
                languages=", ".join(CONTENT_LANGUAGES),
                language=language,
            )
        if not title.strip():
            raise Refused(_("The title in '%(language)s' is empty"), language=language)
        if len(title) > TITLE_MAX_LENGTH or len(body) > BODY_MAX_LENGTH:
            raise Refused(
                _(
                    "In '%(language)s' the title is longer than %(title)d characters or the "
                    "text longer than %(body)d"
                ),
                language=language,
                title=TITLE_MAX_LENGTH,
                body=BODY_MAX_LENGTH,
            )
        texts[language] = {"title": title.strip(), "body": body.strip()}
    return texts


def _check_event(draft: ItemDraft) -> None:
    if draft.starts_at is None:
        raise Refused(_("An event needs the day it starts"))
    if draft.ends_at is not None and draft.ends_at < draft.starts_at:
        raise Refused(_("The event ends before it starts"))
    if len(draft.place) > NAME_MAX_LENGTH or len(draft.organiser) > NAME_MAX_LENGTH:
        raise Refused(
            _("The place and the organiser may have at most %(count)d characters each"),
            count=NAME_MAX_LENGTH,
        )


def event_over(starts_at: datetime, ends_at: datetime | None, *, zone: ZoneInfo) -> datetime:
    """When an event is over: its end, or without one the end of the day it starts on."""
    if ends_at is not None and ends_at > starts_at:
        return ends_at
    next_day = starts_at.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(next_day, time(0), tzinfo=zone)
