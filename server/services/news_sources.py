"""News sources, the RSS and Atom feeds editors add: checked, saved, enabled or not, audited.

Polling them is `server.services.news_polling`; this module owns what an
editor sets (address, name, language, how often, for how long) and lists the
sources with what their last poll said.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, func, select

from server.errors import NotFound, Refused
from server.i18n import marked as _
from server.models import NewsEntry, NewsSource
from server.services.audit import record_change, snapshot
from server.services.content import NAME_MAX_LENGTH
from server.services.languages import CONTENT_LANGUAGES
from server.services.permissions import Actor

URL_MAX_LENGTH = 2000
DEFAULT_POLL_MINUTES = 30
DEFAULT_VALIDITY_DAYS = 7
# Polling more often than this only burdens the municipality's website.
MIN_POLL_MINUTES = 5
MAX_POLL_MINUTES = 24 * 60
MAX_VALIDITY_DAYS = 90
# Never copied into the log: they change with every poll and say nothing about an edit.
_POLL_STATE = ("etag", "last_modified", "last_polled_at", "last_succeeded_at", "entry_count")


@dataclass(frozen=True)
class SourceDraft:
    """What an editor sets on a news source."""

    name: str
    url: str
    language: str
    poll_minutes: int = DEFAULT_POLL_MINUTES
    validity_days: int = DEFAULT_VALIDITY_DAYS
    enabled: bool = True


@dataclass(frozen=True)
class SourceEntry:
    """A source and how many news slides it has made."""

    source: NewsSource
    slides: int


def create_source(
    session: Session, *, draft: SourceDraft, actor: Actor, now: datetime
) -> NewsSource:
    """A new source, polled from its next turn on if enabled."""
    _check(session, draft, source_id=None)
    source = NewsSource(**_editable(draft), created_at=now, updated_at=now)
    session.add(source)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="news_source",
        entity_id=source.id,
        summary=_summary(source),
        after=snapshot(source, exclude=_POLL_STATE),
        now=now,
    )
    return source


def update_source(
    session: Session, *, source_id: int, draft: SourceDraft, actor: Actor, now: datetime
) -> NewsSource:
    """Save `draft` over the source. A new address is fetched whole, without old validators."""
    source = find_source(session, source_id=source_id)
    _check(session, draft, source_id=source_id)
    before = snapshot(source, exclude=_POLL_STATE)
    if draft.url.strip() != source.url:
        source.etag = source.last_modified = None
    for name, value in _editable(draft).items():
        setattr(source, name, value)
    source.updated_at = now
    session.add(source)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="update",
        entity="news_source",
        entity_id=source.id,
        summary=_summary(source),
        before=before,
        after=snapshot(source, exclude=_POLL_STATE),
        now=now,
    )
    return source


def find_source(session: Session, *, source_id: int) -> NewsSource:
    source = session.get(NewsSource, source_id)
    if source is None:
        raise NotFound(f"no news source with id {source_id}")
    return source


def list_sources(session: Session) -> list[SourceEntry]:
    """Every source by name, with the number of slides each has made."""
    counts = dict(
        session.exec(
            select(NewsEntry.source_id, func.count(col(NewsEntry.item_id))).group_by(
                col(NewsEntry.source_id)
            )
        ).all()
    )
    sources = session.exec(select(NewsSource).order_by(col(NewsSource.name), col(NewsSource.id)))
    return [SourceEntry(source, counts.get(source.id, 0)) for source in sources]


def item_sources(session: Session, *, item_ids: Iterable[int]) -> dict[int, NewsSource]:
    """The source each of the items was made from; items written by hand are not in it."""
    rows = session.exec(
        select(NewsEntry.item_id, NewsSource)
        .join(NewsSource, col(NewsSource.id) == col(NewsEntry.source_id))
        .where(col(NewsEntry.item_id).in_(list(item_ids)))
    ).all()
    return {item_id: source for item_id, source in rows if item_id is not None}


def _editable(draft: SourceDraft) -> dict[str, Any]:
    """The columns an editor sets, as the draft gives them."""
    return {
        "name": draft.name.strip(),
        "url": draft.url.strip(),
        "language": draft.language,
        "poll_minutes": draft.poll_minutes,
        "validity_days": draft.validity_days,
        "enabled": draft.enabled,
    }


def _summary(source: NewsSource) -> str:
    return f"news source {source.name!r} ({source.url})"


def _check(session: Session, draft: SourceDraft, *, source_id: int | None) -> None:
    name, url = draft.name.strip(), draft.url.strip()
    if not name:
        raise Refused(_("Give the source a name that says whose news it is"))
    if len(name) > NAME_MAX_LENGTH:
        raise Refused(_("The name may have at most %(count)d characters"), count=NAME_MAX_LENGTH)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(
            _("'%(url)s' is not a web address; copy the feed's whole address, https:// and all"),
            url=url,
        )
    if len(url) > URL_MAX_LENGTH:
        raise Refused(_("The address may have at most %(count)d characters"), count=URL_MAX_LENGTH)
    if draft.language not in CONTENT_LANGUAGES:
        raise Refused(
            _("Texts are written in %(languages)s, not '%(language)s'"),
            languages=", ".join(CONTENT_LANGUAGES),
            language=draft.language,
        )
    if not MIN_POLL_MINUTES <= draft.poll_minutes <= MAX_POLL_MINUTES:
        raise Refused(
            _("Fetch the feed every %(least)d to %(most)d minutes"),
            least=MIN_POLL_MINUTES,
            most=MAX_POLL_MINUTES,
        )
    if not 1 <= draft.validity_days <= MAX_VALIDITY_DAYS:
        raise Refused(
            _("News is shown for 1 to %(most)d days from its date"), most=MAX_VALIDITY_DAYS
        )
    same = session.exec(select(NewsSource).where(NewsSource.url == url)).first()
    if same is not None and same.id != source_id:
        raise Refused(_("The source '%(name)s' already reads %(url)s"), name=same.name, url=url)
