"""Polling the CAP sources: one background job that visits every source that is due.

A poll asks for the source's address conditionally (If-None-Match,
If-Modified-Since); 304 ends it. A single CAP message is taken in as it is; an
Atom or RSS index is followed to the messages its entries point to, fetching
only those not seen in an earlier poll. Messages are taken in oldest first, each
in its own transaction. What went wrong is kept on the source (`last_error`):
a message that failed to download is tried again next time, and the
conditional request is skipped until everything in the index was taken in.

Each source is polled inside its own boundary: one that is down, slow, or
answering with an error page never keeps the others from being polled.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from xml.etree.ElementTree import Element

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.cap.documents import parse_xml
from server.cap.fetching import FetchFailed, fetch
from server.cap.index import index_entries, is_index
from server.cap.ingest import Intake, take_in
from server.cap.model import Message
from server.cap.reading import is_cap, message_from
from server.context import AppContext
from server.db import session_scope
from server.errors import UnreadableDocument, WrongDocument
from server.models import CapSource
from server.scheduler import due_for_polling
from server.settings import Settings

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 1000


@dataclass
class _Poll:
    """What one poll of one source found, gathered before anything is written."""

    messages: list[tuple[Message, str]] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def user_agent(settings: Settings) -> str:
    """Who is asking, as services such as MET Norway require it be said."""
    try:
        release = version("anslag")
    except PackageNotFoundError:
        release = "dev"
    return f"Anslag/{release} (+{settings.alert_sender})"


def http_client(
    settings: Settings, *, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(settings.cap_timeout_s),
        follow_redirects=True,
        max_redirects=5,
        headers={"User-Agent": user_agent(settings), "Accept": "application/xml, text/xml, */*"},
    )


def due_sources(session: Session, *, now: datetime) -> list[int]:
    """The enabled sources whose interval has passed since they were last polled."""
    sources = session.exec(
        select(CapSource).where(col(CapSource.enabled)).order_by(col(CapSource.id))
    )
    return due_for_polling(sources, now=now)


def _gather(
    client: httpx.Client, source: CapSource, *, settings: Settings, conditional: bool
) -> _Poll:
    poll = _Poll()
    index = fetch(
        client,
        source.url,
        limit=settings.cap_index_limit_kb * 1024,
        what="the source",
        etag=source.etag if conditional else None,
        last_modified=source.last_modified if conditional else None,
    )
    poll.etag, poll.last_modified = index.etag, index.last_modified
    if index.status_code == 304:
        poll.not_modified = True
        return poll
    root = parse_xml(index.body, limit=settings.cap_index_limit_kb * 1024, what="the source")
    if is_cap(root):
        poll.messages.append((message_from(root), source.url))
        return poll
    if not is_index(root):
        raise WrongDocument(
            f"the source is <{root.tag}>, neither a CAP message nor an Atom or RSS feed"
        )
    seen_before = set(source.seen)
    for entry in index_entries(root, base=source.url):
        document: Element | None = entry.embedded
        if document is None and entry.key in seen_before:
            poll.seen.append(entry.key)
            continue
        try:
            if document is None:
                fetched = fetch(
                    client, entry.url, limit=settings.cap_message_limit_kb * 1024, what=entry.url
                )
                document = parse_xml(
                    fetched.body, limit=settings.cap_message_limit_kb * 1024, what=entry.url
                )
            poll.messages.append((message_from(document), entry.url))
        except FetchFailed as exc:
            # Not counted as seen: tried again at the next poll.
            poll.errors.append(str(exc))
            continue
        except UnreadableDocument as exc:
            # Fetching it again would bring the same bytes.
            poll.errors.append(f"{entry.url}: {exc}")
        poll.seen.append(entry.key)
    return poll


def poll_source(
    context: AppContext, *, source_id: int, client: httpx.Client, now: datetime
) -> None:
    """Poll one source and take in what it has; its outcome is kept on the source row."""
    engine, settings = context.engine, context.settings
    with Session(engine) as session:
        source = session.get(CapSource, source_id)
        if source is None:
            return
        session.expunge(source)
    # After a poll that went wrong somewhere, read the whole index again.
    conditional = source.last_error is None
    error: str | None = None
    poll = _Poll()
    try:
        poll = _gather(client, source, settings=settings, conditional=conditional)
    except (FetchFailed, UnreadableDocument) as exc:
        error = str(exc)
    else:
        for message, url in sorted(poll.messages, key=lambda pair: pair[0].sent):
            # The context's session: the alerts taken in are pushed to the screens at once.
            with context.session() as session:
                current = session.get(CapSource, source_id)
                assert current is not None
                intake = Intake(
                    source=current,
                    now=now,
                    all_clear_for=timedelta(minutes=settings.all_clear_minutes),
                )
                take_in(session, message, intake=intake, url=url)
        error = "; ".join(poll.errors) or None
    _record(engine, source_id=source_id, poll=poll, error=error, now=now)


def _record(
    engine: Engine, *, source_id: int, poll: _Poll, error: str | None, now: datetime
) -> None:
    with session_scope(engine) as session:
        source = session.get(CapSource, source_id)
        if source is None:
            return
        source.last_polled_at = now
        source.last_error = error[:ERROR_MAX_LENGTH] if error else None
        if error is None:
            source.last_succeeded_at = now
        if not poll.not_modified and (error is None or poll.seen):
            source.seen = poll.seen
        if error is None and not poll.not_modified:
            source.etag, source.last_modified = poll.etag, poll.last_modified
        elif error is not None:
            source.etag = source.last_modified = None
        session.add(source)


def record_failure(engine: Engine, *, source_id: int, error: str, now: datetime) -> None:
    with session_scope(engine) as session:
        source = session.get(CapSource, source_id)
        if source is not None:
            source.last_polled_at = now
            source.last_error = error[:ERROR_MAX_LENGTH]
            session.add(source)


def poll_due_sources(context: AppContext, now: datetime) -> None:
    """Poll every source that is due; a source that fails is recorded and the rest go on.

    The job `cap-sources` runs this; feeds are fetched through the context's feed transport.
    """
    with Session(context.engine) as session:
        source_ids = due_sources(session, now=now)
    if not source_ids:
        return
    with http_client(context.settings, transport=context.feed_transport) as client:
        for source_id in source_ids:
            try:
                poll_source(context, source_id=source_id, client=client, now=now)
            except Exception as exc:
                # Each source's boundary: log it, keep it on the source, poll the others.
                logger.exception("CAP source %s could not be polled", source_id)
                record_failure(
                    context.engine,
                    source_id=source_id,
                    error=f"{type(exc).__name__}: {exc}",
                    now=now,
                )
