"""Fetching calendar sources: a conditional GET (ETag, Last-Modified), read up to a limit,
turned into occurrences and imported; the outcome, good or bad, recorded on the source.

`refresh_calendar_sources` is the background job: every enabled source in turn,
each in its own transaction, so one broken feed never holds up the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlmodel import Session, col, select

from server.context import AppContext
from server.db import session_scope
from server.errors import Explained
from server.i18n import marked as _
from server.models import CalendarSource
from server.services.calendar_sources import ImportCounts, fetch_url, import_occurrences
from server.services.ical_import import CalendarUnreadable, read_calendar

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_S = 30
USER_AGENT = "Anslag calendar import (municipal signage)"
# What happened a day ago may still be on a screen's list of today.
PAST = timedelta(days=1)
AHEAD = timedelta(days=180)


@dataclass(frozen=True)
class Fetched:
    """A 200 answer's body and validators; `data` None when the server said 304."""

    data: bytes | None
    etag: str | None = None
    last_modified: str | None = None


def fetch_calendar(client: httpx.Client, source: CalendarSource) -> Fetched:
    """The source's feed, or None data when unchanged since the last fetch.

    CalendarUnreadable, saying what went wrong, for an error answer, a timeout,
    a body over MAX_BYTES or a connection closed before the body was complete.
    """
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    try:
        with client.stream(
            "GET", fetch_url(source), headers=headers, timeout=TIMEOUT_S, follow_redirects=True
        ) as response:
            if response.status_code == 304:
                return Fetched(None)
            if response.status_code != 200:
                raise CalendarUnreadable(
                    _("The address answered %(status)d %(reason)s"),
                    status=response.status_code,
                    reason=response.reason_phrase,
                )
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise CalendarUnreadable(
                        _("The calendar is larger than %(limit)d MB; it was not read"),
                        limit=MAX_BYTES // (1024 * 1024),
                    )
            return Fetched(
                bytes(body), response.headers.get("etag"), response.headers.get("last-modified")
            )
    except httpx.TimeoutException as exc:
        raise CalendarUnreadable(
            _("The address did not answer within %(seconds)d seconds"), seconds=TIMEOUT_S
        ) from exc
    except httpx.RemoteProtocolError as exc:
        raise CalendarUnreadable(
            _("The connection closed before the calendar was complete: the download was cut short")
        ) from exc
    except httpx.HTTPError as exc:
        raise CalendarUnreadable(
            _("The address cannot be reached: %(problem)s"),
            problem=str(exc)[:200] or type(exc).__name__,
        ) from exc


def refresh_source(
    session: Session,
    *,
    source: CalendarSource,
    client: httpx.Client,
    zone: ZoneInfo,
    now: datetime,
) -> ImportCounts | None:
    """Fetch and import the source; the counts, or None when unchanged or unreadable.

    What went wrong is recorded on the source and its events stay as they were.
    """
    source.checked_at = now
    session.add(source)
    try:
        fetched = fetch_calendar(client, source)
        if fetched.data is None:
            counts = None
        else:
            occurrences = read_calendar(fetched.data, zone=zone, start=now - PAST, end=now + AHEAD)
            counts = import_occurrences(
                session, source=source, occurrences=occurrences, zone=zone, now=now
            )
            source.etag, source.last_modified = fetched.etag, fetched.last_modified
            source.event_count = len(occurrences)
    except CalendarUnreadable as exc:
        record_failure(session, source=source, error=exc)
        return None
    source.succeeded_at = now
    source.last_error = None
    session.flush()
    return counts


def record_failure(session: Session, *, source: CalendarSource, error: Explained) -> None:
    source.last_error = {"message": error.message_id, "values": error.values}
    session.add(source)
    session.flush()


def refresh_calendar_sources(context: AppContext, now: datetime) -> None:
    """The job: every enabled source, each in a transaction of its own."""
    with session_scope(context.engine) as session:
        ids = session.exec(
            select(CalendarSource.id)
            .where(col(CalendarSource.enabled))
            .order_by(col(CalendarSource.id))
        ).all()
    if not ids:
        return
    with httpx.Client() as client:
        for source_id in ids:
            try:
                # The context's session: imported events reach the screens showing them at once.
                with context.session() as session:
                    source = session.get(CalendarSource, source_id)
                    if source is not None:
                        refresh_source(
                            session,
                            source=source,
                            client=client,
                            zone=context.settings.zone,
                            now=now,
                        )
            except Exception as exc:
                # The loop's boundary: one source that breaks the import leaves the others be.
                logger.exception("calendar source %s: the import failed", source_id)
                _remember(context, source_id, exc)


def _remember(context: AppContext, source_id: int | None, exc: Exception) -> None:
    with session_scope(context.engine) as session:
        source = session.get(CalendarSource, source_id)
        if source is not None:
            failure = CalendarUnreadable(
                _("The import failed: %(problem)s"), problem=f"{type(exc).__name__}: {exc}"[:200]
            )
            record_failure(session, source=source, error=failure)
