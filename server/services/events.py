"""Events in the calendar: checked, versioned and audited, whoever made them.

An event is made by an editor (approved at once, or kept as a draft), sent in
through the public form (pending until a moderator decides) or imported from
an iCalendar source. Every save is checked against the wire format's event
slide, so whatever is stored can be shown on a screen. A save names the
version it was based on; when someone else saved since, it is refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select, update

from playlists import manifest as wire
from server.errors import EditedMeanwhile, NotFound, Refused
from server.i18n import marked as _
from server.models import Event, Location, MediaAsset
from server.services.audit import Action, record_change, snapshot
from server.services.content import NAME_MAX_LENGTH
from server.services.items import checked_texts, event_over
from server.services.location_rules import normalise_tags
from server.services.media import media_kind
from server.services.naming import event_title
from server.services.permissions import Actor
from server.services.wire import checked
from server.storage import is_sha256

EventStatus = Literal["draft", "pending", "approved", "rejected"]
EventOrigin = Literal["manual", "submission", "ical"]
EVENT_STATUSES: tuple[EventStatus, ...] = ("draft", "pending", "approved", "rejected")
# An event longer than this is a season, not an event; it would fill every screen for months.
MAX_EVENT_DAYS = 92
REASON_MAX_LENGTH = 500
# The columns a save changes; the rest (id, uid, origin, times of the row) the service keeps.
_EDITABLE = (
    "texts",
    "all_day",
    "starts_at",
    "ends_at",
    "first_day",
    "end_day",
    "over_at",
    "place",
    "organiser",
    "asset_sha256",
    "location_ids",
    "location_tags",
)


@dataclass(frozen=True)
class EventDraft:
    """An event as someone sets it.

    `texts` maps a language to (title, body). A timed event has `starts_at` and
    optionally `ends_at` (aware); an all-day one `first_day` and `end_day`, the
    day after the last (None: one day). No targets means the whole municipality.
    """

    texts: Mapping[str, tuple[str, str]]
    all_day: bool = False
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    first_day: date | None = None
    end_day: date | None = None
    place: str = ""
    organiser: str = ""
    asset_sha256: str | None = None
    location_ids: Sequence[int] = field(default=())
    location_tags: Sequence[str] = field(default=())


def create_event(
    session: Session,
    *,
    draft: EventDraft,
    status: EventStatus,
    zone: ZoneInfo,
    actor: Actor,
    now: datetime,
    origin: EventOrigin = "manual",
    source_id: int | None = None,
    source_key: str | None = None,
    audited: bool = True,
) -> Event:
    """A new event; `zone` is the municipality's, where an all-day event's days begin.

    `audited` False is for the import, which logs one entry per source instead of
    one per occurrence.
    """
    event = _checked(session, draft, zone=zone)
    event.uid = f"{secrets.token_hex(16)}@anslag"
    event.status = status
    event.origin = origin
    event.source_id = source_id
    event.source_key = source_key
    event.created_at = event.updated_at = now
    session.add(event)
    session.flush()
    if audited:
        _log(session, event, actor=actor, action="create", now=now)
    return event


def check_event(session: Session, *, draft: EventDraft, zone: ZoneInfo) -> None:
    """Refused when `draft` could not be saved; nothing is written either way."""
    _checked(session, draft, zone=zone)


def update_event(
    session: Session,
    *,
    event_id: int,
    draft: EventDraft,
    expected_version: int,
    zone: ZoneInfo,
    actor: Actor,
    now: datetime,
    status: EventStatus | None = None,
    action: Action = "update",
) -> Event:
    """Save `draft` over the event at `expected_version` (EditedMeanwhile if it moved on).

    `status` None keeps the event's status. Nothing is written before every
    check has passed, so a refused save changes nothing.
    """
    event = find_event(session, event_id=event_id)
    edited = _checked(session, draft, zone=zone)
    before = snapshot(event)
    _claim(session, event, expected_version)
    for name in _EDITABLE:
        setattr(event, name, getattr(edited, name))
    event.asset = edited.asset
    if status is not None:
        event.status = status
        if status != "rejected":
            event.rejection_reason = ""
    event.updated_at = now
    session.add(event)
    session.flush()
    _log(session, event, actor=actor, action=action, now=now, before=before)
    return event


def replace_imported(
    session: Session, *, event: Event, draft: EventDraft, zone: ZoneInfo, now: datetime
) -> bool:
    """Bring an imported occurrence up to date with its source; whether anything changed.

    Its status stays: an editor who unpublished it keeps it unpublished. The
    import logs one entry per fetch rather than one per occurrence.
    """
    edited = _checked(session, draft, zone=zone)
    if all(getattr(event, name) == getattr(edited, name) for name in _EDITABLE):
        return False
    _claim(session, event, event.version)
    for name in _EDITABLE:
        setattr(event, name, getattr(edited, name))
    event.asset = edited.asset
    event.updated_at = now
    session.add(event)
    return True


def set_status(
    session: Session,
    *,
    event_id: int,
    status: EventStatus,
    expected_version: int,
    actor: Actor,
    now: datetime,
    reason: str = "",
) -> Event:
    """Move the event to `status` (a rejection with its `reason`), as one more version."""
    event = find_event(session, event_id=event_id)
    reason = reason.strip()
    if status == "rejected" and not reason:
        raise Refused(_("Say why the event is rejected; the organiser reads it"))
    if len(reason) > REASON_MAX_LENGTH:
        raise Refused(
            _("The reason may have at most %(count)d characters"), count=REASON_MAX_LENGTH
        )
    before = snapshot(event)
    _claim(session, event, expected_version)
    event.status = status
    event.rejection_reason = reason if status == "rejected" else ""
    event.updated_at = now
    session.add(event)
    session.flush()
    action: Action = "update"
    if status == "approved":
        action = "approve"
    elif status == "rejected":
        action = "reject"
    _log(session, event, actor=actor, action=action, now=now, before=before)
    return event


def delete_event(session: Session, *, event_id: int, actor: Actor, now: datetime) -> None:
    event = find_event(session, event_id=event_id)
    before = snapshot(event)
    summary = _summary(event)
    session.delete(event)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="delete",
        entity="event",
        entity_id=event_id,
        summary=summary,
        before=before,
        now=now,
    )


def find_event(session: Session, *, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"no event with id {event_id}")
    return event


def list_events(
    session: Session, *, status: EventStatus | None = None, over_after: datetime | None = None
) -> list[Event]:
    """Events by start (soonest first), optionally of one status, or not over by `over_after`."""
    query = select(Event).order_by(col(Event.starts_at), col(Event.id))
    if status is not None:
        query = query.where(Event.status == status)
    if over_after is not None:
        query = query.where(col(Event.over_at) > over_after)
    return list(session.exec(query))


def wire_event(event: Event, *, zone: ZoneInfo, duration_s: float) -> wire.EventItem:
    """The event as a slide on a screen in `zone`; it drops off by itself once over.

    An all-day event runs from midnight to midnight on the screen's own clock,
    whatever zone it was entered in: its days are never converted.
    """
    starts_at, ends_at = event.starts_at, event.ends_at
    over_at = event.over_at
    if event.all_day and event.first_day is not None:
        starts_at = _midnight(event.first_day, zone)
        ends_at = over_at = _midnight(event.end_day or event.first_day + timedelta(days=1), zone)
    return wire.EventItem(
        id=f"event-{event.id}",
        duration_s=duration_s,
        validity=wire.Validity(valid_until=over_at),
        texts={
            language: wire.LocalizedText(title=text["title"], body=text.get("body", ""))
            for language, text in event.texts.items()
        },
        starts_at=starts_at,
        ends_at=ends_at,
        all_day=event.all_day,
        place=event.place,
        organiser=event.organiser,
        image=event.asset_sha256,
    )


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)


def _claim(session: Session, event: Event, expected_version: int) -> None:
    # Compare and set in one statement: of two saves at once, one finds the version moved.
    claimed = session.exec(
        update(Event)
        .where(col(Event.id) == event.id, col(Event.version) == expected_version)
        .values(version=expected_version + 1)
    )
    if claimed.rowcount != 1:
        session.refresh(event)
        raise EditedMeanwhile(
            _(
                "Someone else saved this event after you opened it: it is at version "
                "%(current)d, your changes are based on version %(yours)d"
            ),
            current=event.version,
            yours=expected_version,
        )
    event.version = expected_version + 1


def _log(
    session: Session,
    event: Event,
    *,
    actor: Actor,
    action: Action,
    now: datetime,
    before: Mapping[str, object] | None = None,
) -> None:
    record_change(
        session,
        actor=actor,
        action=action,
        entity="event",
        entity_id=event.id,
        summary=_summary(event),
        before=before,
        after=snapshot(event),
        now=now,
    )


def _summary(event: Event) -> str:
    return f"event {event_title(event)!r} ({event.status})"


def _checked(session: Session, draft: EventDraft, *, zone: ZoneInfo) -> Event:
    """A new, unsaved event made of `draft`, checked against the wire's event slide."""
    texts = checked_texts(draft.texts)
    if len(draft.place) > NAME_MAX_LENGTH or len(draft.organiser) > NAME_MAX_LENGTH:
        raise Refused(
            _("The place and the organiser may have at most %(count)d characters each"),
            count=NAME_MAX_LENGTH,
        )
    times = _times(draft, zone=zone)
    asset = _picture(session, draft.asset_sha256)
    event = Event(
        uid="",
        status="draft",
        origin="manual",
        texts=texts,
        all_day=draft.all_day,
        starts_at=times.starts_at,
        ends_at=times.ends_at,
        first_day=times.first_day,
        end_day=times.end_day,
        over_at=times.over_at,
        place=draft.place.strip(),
        organiser=draft.organiser.strip(),
        asset=asset,
        asset_sha256=asset.sha256 if asset is not None else None,
        location_ids=checked_location_ids(session, draft.location_ids),
        location_tags=checked_tags(draft.location_tags),
        created_at=times.starts_at,
        updated_at=times.starts_at,
    )
    checked("event", lambda: wire_event(event, zone=zone, duration_s=8))
    return event


@dataclass(frozen=True)
class _Times:
    starts_at: datetime
    ends_at: datetime | None
    over_at: datetime
    first_day: date | None = None
    end_day: date | None = None


def _times(draft: EventDraft, *, zone: ZoneInfo) -> _Times:
    if draft.all_day:
        if draft.first_day is None:
            raise Refused(_("An event needs the day it starts"))
        end_day = draft.end_day or draft.first_day + timedelta(days=1)
        if end_day <= draft.first_day:
            raise Refused(_("The event ends before it starts"))
        if (end_day - draft.first_day).days > MAX_EVENT_DAYS:
            raise Refused(_("An event may last at most %(days)d days"), days=MAX_EVENT_DAYS)
        last_midnight = _midnight(end_day, zone)
        return _Times(
            _midnight(draft.first_day, zone), last_midnight, last_midnight, draft.first_day, end_day
        )
    if draft.starts_at is None:
        raise Refused(_("An event needs the day it starts"))
    starts_at = _utc(draft.starts_at)
    ends_at = _utc(draft.ends_at) if draft.ends_at is not None else None
    if ends_at is not None and ends_at < starts_at:
        raise Refused(_("The event ends before it starts"))
    if ends_at is not None and ends_at - starts_at > timedelta(days=MAX_EVENT_DAYS):
        raise Refused(_("An event may last at most %(days)d days"), days=MAX_EVENT_DAYS)
    return _Times(starts_at, ends_at, event_over(starts_at, ends_at, zone=zone).astimezone(UTC))


def _utc(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; the caller must give one")
    return moment.astimezone(UTC)


def _picture(session: Session, sha256: str | None) -> MediaAsset | None:
    if not sha256:
        return None
    asset = session.get(MediaAsset, sha256) if is_sha256(sha256) else None
    if asset is None:
        raise Refused(_("The media library has no file %(sha256)s"), sha256=sha256)
    if media_kind(asset) != "image":
        raise Refused(
            _("'%(name)s' is a video; an event shows a picture"), name=asset.original_name
        )
    return asset


def checked_location_ids(session: Session, wanted: Sequence[int]) -> list[int]:
    """Target locations, each once; Refused naming one that does not exist."""
    unique = list(dict.fromkeys(wanted))
    if not unique:
        return []
    found = set(session.exec(select(Location.id).where(col(Location.id).in_(unique))))
    for location_id in unique:
        if location_id not in found:
            raise Refused(_("There is no location %(id)d any more"), id=location_id)
    return unique


def checked_tags(wanted: Sequence[str]) -> list[str]:
    """Target tags as the location tags are written (slugs), each once; Refused if unusable."""
    tags, problems = normalise_tags(wanted)
    if problems:
        problem = problems[0]
        raise Refused(problem.message, **problem.values)
    return list(tags)
