"""The CAP feeds an installation polls: added, changed and switched off by an admin, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlmodel import Session, col, select, update

from server.errors import EditedMeanwhile, NotFound, Refused
from server.i18n import marked as _
from server.models import CapMessage, CapSource
from server.services.audit import record_change, snapshot
from server.services.permissions import Actor

STATUS_CHOICES = ("actual", "exercise", "test")
POLL_MINUTES_RANGE = (1, 24 * 60)
LIFETIME_HOURS_RANGE = (1.0, 24.0 * 14)
NAME_MAX_LENGTH = 200
URL_MAX_LENGTH = 2000


@dataclass(frozen=True)
class SourceSettings:
    """What an admin sets for a source."""

    name: str
    url: str
    poll_minutes: int = 5
    lifetime_hours: float = 24
    statuses: tuple[str, ...] = ("actual",)
    enabled: bool = True


def _checked(settings: SourceSettings) -> SourceSettings:
    name = " ".join(settings.name.split())
    if not name or len(name) > NAME_MAX_LENGTH:
        raise Refused(_("Give the source a name of at most 200 characters."))
    url = settings.url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > URL_MAX_LENGTH:
        raise Refused(_("The address must be a web address starting with https:// or http://."))
    low, high = POLL_MINUTES_RANGE
    if not low <= settings.poll_minutes <= high:
        raise Refused(_("Poll the source every 1 to 1440 minutes."))
    shortest, longest = LIFETIME_HOURS_RANGE
    if not shortest <= settings.lifetime_hours <= longest:
        raise Refused(_("A warning without an end time lasts 1 to 336 hours."))
    statuses = tuple(status for status in STATUS_CHOICES if status in settings.statuses)
    if not statuses or set(settings.statuses) - set(STATUS_CHOICES):
        raise Refused(_("Choose which messages to take: real ones, exercises or tests."))
    return SourceSettings(
        name=name,
        url=url,
        poll_minutes=settings.poll_minutes,
        lifetime_hours=settings.lifetime_hours,
        statuses=statuses,
        enabled=settings.enabled,
    )


def _set(source: CapSource, settings: SourceSettings) -> None:
    source.name = settings.name
    source.url = settings.url
    source.poll_minutes = settings.poll_minutes
    source.lifetime_hours = settings.lifetime_hours
    source.statuses = list(settings.statuses)
    source.enabled = settings.enabled


def create_source(
    session: Session, *, settings: SourceSettings, actor: Actor, now: datetime
) -> CapSource:
    """A new source, polled from the next run of the polling job on."""
    source = CapSource(statuses=[], created_at=now, updated_at=now, name="", url="")
    _set(source, _checked(settings))
    session.add(source)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="cap_source",
        entity_id=source.id,
        summary=f"CAP source {source.name}",
        after=snapshot(source, exclude=("seen",)),
        now=now,
    )
    return source


def find_source(session: Session, *, source_id: int) -> CapSource:
    source = session.get(CapSource, source_id)
    if source is None:
        raise NotFound(f"no CAP source with id {source_id}")
    return source


def update_source(
    session: Session,
    *,
    source_id: int,
    expected_version: int,
    settings: SourceSettings,
    actor: Actor,
    now: datetime,
) -> CapSource:
    """Save `settings` over the source if it is still at `expected_version`.

    A new address starts afresh: no conditional request, no entries counted as seen.
    """
    source = find_source(session, source_id=source_id)
    checked = _checked(settings)
    claimed = session.exec(
        update(CapSource)
        .where(col(CapSource.id) == source_id, col(CapSource.version) == expected_version)
        .values(version=expected_version + 1)
    )
    if claimed.rowcount != 1:
        session.refresh(source)
        raise EditedMeanwhile(
            _("Someone else saved this source while you were editing it. Look it over again.")
        )
    before = snapshot(source, exclude=("seen",))
    if checked.url != source.url:
        source.etag = source.last_modified = None
        source.seen = []
    _set(source, checked)
    source.version = expected_version + 1
    source.updated_at = now
    session.add(source)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="update",
        entity="cap_source",
        entity_id=source.id,
        summary=f"CAP source {source.name}",
        before=before,
        after=snapshot(source, exclude=("seen",)),
        now=now,
    )
    return source


def all_sources(session: Session) -> list[CapSource]:
    return list(session.exec(select(CapSource).order_by(col(CapSource.name))))


def recent_messages(session: Session, *, source_id: int, limit: int = 10) -> list[CapMessage]:
    """The messages last taken in from the source, newest first, with what each did."""
    return list(
        session.exec(
            select(CapMessage)
            .where(CapMessage.source_id == source_id)
            .order_by(col(CapMessage.received_at).desc(), col(CapMessage.id).desc())
            .limit(limit)
        )
    )
