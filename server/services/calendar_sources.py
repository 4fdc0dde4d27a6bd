"""Calendar sources: iCalendar feeds whose events are imported, and the import itself.

A source is checked and audited like any content. Its occurrences are kept in
step with the feed: a fetch adds what is new, updates what changed (keeping
each event's id, UID and status, so an unpublished one stays so) and deletes
what the feed no longer holds, and logs one entry saying how many of each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, delete, select

from server.errors import EditedMeanwhile, NotFound, Refused
from server.i18n import marked as _
from server.models import CalendarSource, Event, Location
from server.services.audit import Action, record_change, snapshot
from server.services.content import NAME_MAX_LENGTH
from server.services.events import (
    EventDraft,
    checked_location_ids,
    checked_tags,
    create_event,
    replace_imported,
)
from server.services.ical_import import Occurrence
from server.services.languages import CONTENT_LANGUAGES
from server.services.permissions import SYSTEM_ACTOR, Actor

URL_MAX_LENGTH = 2000
_SCHEMES = re.compile(r"^(https?|webcal)$", flags=re.IGNORECASE)


@dataclass(frozen=True)
class SourceDraft:
    """A source as an editor sets it; a webcal:// address is fetched over https."""

    name: str
    url: str
    language: str = "sv"
    location_ids: Sequence[int] = field(default=())
    location_tags: Sequence[str] = field(default=())
    enabled: bool = True


@dataclass(frozen=True)
class ImportCounts:
    new: int = 0
    changed: int = 0
    removed: int = 0
    skipped: int = 0


def create_source(
    session: Session, *, draft: SourceDraft, actor: Actor, now: datetime
) -> CalendarSource:
    checked = _checked(session, draft)
    source = CalendarSource(
        name=checked.name,
        url=checked.url,
        language=checked.language,
        location_ids=checked.location_ids,
        location_tags=checked.location_tags,
        enabled=checked.enabled,
        created_at=now,
        updated_at=now,
    )
    session.add(source)
    session.flush()
    _log(session, source, actor=actor, action="create", now=now)
    return source


def update_source(
    session: Session,
    *,
    source_id: int,
    draft: SourceDraft,
    expected_version: int,
    actor: Actor,
    now: datetime,
) -> CalendarSource:
    """Save `draft` over the source; its events take on its new targets and language at once."""
    source = find_source(session, source_id=source_id)
    if source.version != expected_version:
        raise EditedMeanwhile(
            _(
                "Someone else saved this calendar after you opened it: it is at version "
                "%(current)d, your changes are based on version %(yours)d"
            ),
            current=source.version,
            yours=expected_version,
        )
    checked = _checked(session, draft)
    before = snapshot(source)
    if checked.url != source.url:
        # Another address: what the old one said about its version means nothing there.
        source.etag = source.last_modified = None
    old_language = source.language
    for name, value in asdict(checked).items():
        setattr(source, name, value)
    source.version += 1
    source.updated_at = now
    session.add(source)
    for event in _events_of(session, source):
        event.location_ids = list(source.location_ids)
        event.location_tags = list(source.location_tags)
        if old_language != source.language and old_language in event.texts:
            texts = dict(event.texts)
            texts[source.language] = texts.pop(old_language)
            event.texts = texts
        session.add(event)
    session.flush()
    _log(session, source, actor=actor, action="update", now=now, before=before)
    return source


def delete_source(session: Session, *, source_id: int, actor: Actor, now: datetime) -> None:
    """Delete the source and every event imported from it."""
    source = find_source(session, source_id=source_id)
    before = snapshot(source)
    session.exec(delete(Event).where(col(Event.source_id) == source_id))
    session.delete(source)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="delete",
        entity="calendar_source",
        entity_id=source_id,
        summary=f"calendar source {before['name']!r}",
        before=before,
        now=now,
    )


def find_source(session: Session, *, source_id: int) -> CalendarSource:
    source = session.get(CalendarSource, source_id)
    if source is None:
        raise NotFound(f"no calendar source with id {source_id}")
    return source


def list_sources(session: Session) -> list[CalendarSource]:
    return list(
        session.exec(
            select(CalendarSource).order_by(col(CalendarSource.name), col(CalendarSource.id))
        )
    )


def import_occurrences(
    session: Session,
    *,
    source: CalendarSource,
    occurrences: Sequence[Occurrence],
    zone: ZoneInfo,
    now: datetime,
) -> ImportCounts:
    """Make the source's events what `occurrences` say; how many were added, changed, removed.

    An occurrence no screen could show (a season-long "event", say) is skipped
    and counted, and the rest are imported.
    """
    existing = {event.source_key: event for event in _events_of(session, source)}
    # A location deleted since the source was saved is no target any more.
    locations = set(session.exec(select(Location.id)))
    targets = [location_id for location_id in source.location_ids if location_id in locations]
    new = changed = skipped = 0
    for occurrence in occurrences:
        draft = _draft(source, occurrence, location_ids=targets)
        stored = existing.pop(occurrence.key, None)
        try:
            if stored is None:
                create_event(
                    session,
                    draft=draft,
                    status="approved",
                    origin="ical",
                    source_id=source.id,
                    source_key=occurrence.key,
                    zone=zone,
                    actor=SYSTEM_ACTOR,
                    now=now,
                    audited=False,
                )
                new += 1
            elif replace_imported(session, event=stored, draft=draft, zone=zone, now=now):
                changed += 1
        except (Refused, EditedMeanwhile):
            skipped += 1
    for gone in existing.values():
        session.delete(gone)
    session.flush()
    counts = ImportCounts(new, changed, len(existing), skipped)
    if new or changed or existing:
        record_change(
            session,
            actor=SYSTEM_ACTOR,
            action="import",
            entity="calendar_source",
            entity_id=source.id,
            summary=(
                f"calendar source {source.name!r}: {new} new, {changed} changed, "
                f"{len(existing)} removed, {skipped} skipped"
            ),
            now=now,
        )
    return counts


def fetch_url(source: CalendarSource) -> str:
    """The address to fetch: webcal:// is https:// under another name."""
    scheme, _separator, rest = source.url.partition("://")
    return f"https://{rest}" if scheme.lower() == "webcal" else source.url


def _draft(
    source: CalendarSource, occurrence: Occurrence, *, location_ids: Sequence[int]
) -> EventDraft:
    return EventDraft(
        texts={source.language: (occurrence.title, occurrence.body)},
        all_day=occurrence.all_day,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        first_day=occurrence.first_day,
        end_day=occurrence.end_day,
        place=occurrence.place,
        organiser=occurrence.organiser,
        location_ids=location_ids,
        location_tags=source.location_tags,
    )


def _events_of(session: Session, source: CalendarSource) -> list[Event]:
    return list(session.exec(select(Event).where(Event.source_id == source.id)))


@dataclass(frozen=True)
class _Checked:
    name: str
    url: str
    language: str
    location_ids: list[int]
    location_tags: list[str]
    enabled: bool


def _checked(session: Session, draft: SourceDraft) -> _Checked:
    name, url = draft.name.strip(), draft.url.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise Refused(
            _("A calendar needs a name of at most %(count)d characters"), count=NAME_MAX_LENGTH
        )
    parts = urlsplit(url)
    if not _SCHEMES.fullmatch(parts.scheme) or not parts.netloc or len(url) > URL_MAX_LENGTH:
        raise Refused(
            _("'%(url)s' is not a web address; copy it whole, starting with https://"),
            url=url[:80],
        )
    if draft.language not in CONTENT_LANGUAGES:
        raise Refused(
            _("Texts are written in %(languages)s, not '%(language)s'"),
            languages=", ".join(CONTENT_LANGUAGES),
            language=draft.language,
        )
    return _Checked(
        name=name,
        url=url,
        language=draft.language,
        location_ids=checked_location_ids(session, draft.location_ids),
        location_tags=checked_tags(draft.location_tags),
        enabled=draft.enabled,
    )


def _log(
    session: Session,
    source: CalendarSource,
    *,
    actor: Actor,
    action: Action,
    now: datetime,
    before: dict[str, object] | None = None,
) -> None:
    record_change(
        session,
        actor=actor,
        action=action,
        entity="calendar_source",
        entity_id=source.id,
        summary=f"calendar source {source.name!r}",
        before=before,
        after=snapshot(source),
        now=now,
    )
