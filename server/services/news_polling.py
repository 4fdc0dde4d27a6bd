"""Polling news sources: each feed entry becomes a news slide, kept up to date, never doubled.

An entry is found again by its key (id, else link) on every poll: a changed
entry rewrites its slide (the source's language only: a translation an editor
added stays), an unchanged one is left alone, and one gone from the feed stays
until its validity ends. A slide an editor deleted does not come back. A
slide shows for the source's `validity_days` from the entry's date, with the
entry's picture (enclosure, media tags or the first picture in its text),
downloaded, checked and kept in the media library like an upload.

Whatever goes wrong with a feed is recorded on its source and changes nothing
else; the other sources are polled all the same.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import httpx
from sqlmodel import Session, col, or_, select

from server.context import AppContext
from server.db import session_scope
from server.errors import Explained, FeedProblem, InvalidContent
from server.i18n import marked as _
from server.models import Item, NewsEntry, NewsSource, Role
from server.scheduler import due_for_polling
from server.services.content import DEFAULT_DURATION_S
from server.services.feed_fetching import feed_client, fetch_feed, fetch_picture
from server.services.feed_reading import Feed, FeedEntry, read_feed
from server.services.items import ItemDraft, create_item, update_item
from server.services.media import PICTURE_FORMATS, Upload, add_media
from server.services.permissions import Actor
from server.services.plain_text import shortened
from server.services.sniffing import HEAD_SIZE, sniff_bytes
from server.storage import MediaStorage

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 500
# A slide needs a title: an entry without one is named by the start of its text.
UNTITLED_TITLE_LENGTH = 120


@dataclass(frozen=True)
class PollOutcome:
    """What one poll of a source did: slides made and rewritten, or why it failed."""

    source_id: int
    unchanged: bool = False
    created: int = 0
    updated: int = 0
    error: FeedProblem | None = None


def source_actor(source: NewsSource) -> Actor:
    """The source as the audit log names the changes its polls make."""
    return Actor(user_id=None, name=f"news source {source.name!r}", role=Role.EDITOR.value)


def due_sources(session: Session, *, now: datetime) -> list[int]:
    """The enabled sources whose interval has passed since their last poll, by id."""
    sources = session.exec(
        select(NewsSource).where(col(NewsSource.enabled)).order_by(col(NewsSource.id))
    )
    return due_for_polling(sources, now=now)


def poll_news_sources(context: AppContext, now: datetime) -> None:
    """The background job: poll the sources that are due; each one's outcome is kept on it."""
    poll_due_sources(context, now=now)


def poll_due_sources(context: AppContext, *, now: datetime) -> list[PollOutcome]:
    """Poll every source that is due, each in its own transaction; one failing stops none.

    The context's sessions: slides made or changed reach the screens showing them at once.
    """
    with session_scope(context.engine) as session:
        due = due_sources(session, now=now)
    outcomes = []
    settings = context.settings
    with feed_client(context.feed_transport) as client:
        for source_id in due:
            try:
                with context.session() as session:
                    outcome = poll_source(
                        session,
                        context.storage,
                        source_id=source_id,
                        client=client,
                        zone=settings.zone,
                        upload_dir=settings.upload_dir,
                        now=now,
                    )
            except Exception as exc:
                # The loop's boundary: a fault of ours with one source leaves the others polled.
                logger.exception("news source %d could not be polled", source_id)
                problem = _internal_problem(exc)
                with session_scope(context.engine) as session:
                    _record_failure(session, source_id=source_id, problem=problem, now=now)
                outcome = PollOutcome(source_id, error=problem)
            outcomes.append(outcome)
    return outcomes


def poll_source(
    session: Session,
    storage: MediaStorage,
    *,
    source_id: int,
    client: httpx.Client,
    zone: ZoneInfo,
    upload_dir: Path,
    now: datetime,
) -> PollOutcome:
    """Fetch one source now and bring its slides up to date; a FeedProblem is recorded on it."""
    source = session.get(NewsSource, source_id)
    if source is None:
        raise ValueError(f"no news source with id {source_id}")
    try:
        fetched = fetch_feed(
            client, source.url, etag=source.etag, last_modified=source.last_modified
        )
        feed = (
            None
            if fetched.body is None
            else read_feed(
                fetched.body, url=fetched.url, content_type=fetched.content_type, zone=zone
            )
        )
    except FeedProblem as problem:
        _record_failure(session, source_id=source_id, problem=problem, now=now)
        return PollOutcome(source_id, error=problem)
    source.last_polled_at = source.last_succeeded_at = now
    source.last_error = source.last_error_detail = None
    source.etag, source.last_modified = fetched.etag, fetched.last_modified
    if feed is None:
        session.add(source)
        session.flush()
        return PollOutcome(source_id, unchanged=True)
    created, updated = _store_entries(
        session,
        storage,
        source=source,
        feed=feed,
        client=client,
        zone=zone,
        upload_dir=upload_dir,
        now=now,
    )
    source.entry_count = len(feed.entries)
    session.add(source)
    session.flush()
    return PollOutcome(source_id, created=created, updated=updated)


def latest_news(session: Session, *, source_id: int, count: int, now: datetime) -> list[Item]:
    """The source's `count` newest slides that are valid at `now`, newest first."""
    query = (
        select(Item)
        .join(NewsEntry, col(NewsEntry.item_id) == col(Item.id))
        .where(NewsEntry.source_id == source_id)
        .where(or_(col(Item.valid_from).is_(None), col(Item.valid_from) <= now))
        .where(or_(col(Item.valid_until).is_(None), col(Item.valid_until) > now))
        .order_by(col(NewsEntry.published_at).desc(), col(NewsEntry.id).desc())
        .limit(count)
    )
    return list(session.exec(query))


def entry_key(entry: FeedEntry) -> str:
    """The stored key of an entry: the sha256 of its id, so that any id fits the column."""
    return hashlib.sha256(entry.key.encode("utf-8")).hexdigest()


def _store_entries(
    session: Session,
    storage: MediaStorage,
    *,
    source: NewsSource,
    feed: Feed,
    client: httpx.Client,
    zone: ZoneInfo,
    upload_dir: Path,
    now: datetime,
) -> tuple[int, int]:
    keys = {entry_key(entry): entry for entry in feed.entries}
    known = {
        row.key: row
        for row in session.exec(
            select(NewsEntry).where(
                NewsEntry.source_id == source.id, col(NewsEntry.key).in_(list(keys))
            )
        )
    }
    created = updated = 0
    for key, entry in keys.items():
        published = min(entry.published or now, now)
        valid_until = published + timedelta(days=source.validity_days)
        fingerprint = _fingerprint(entry, valid_until)
        row = known.get(key)
        if row is not None:
            row.last_seen_at = now
            session.add(row)
            if row.fingerprint == fingerprint or row.item_id is None:
                row.fingerprint = fingerprint
                continue
        elif valid_until <= now:
            continue  # Over before it was first seen: no slide to make.
        title, body = _texts(entry)
        if not title:
            continue
        picture = _picture(session, storage, client, entry.image_urls, source, upload_dir, now)
        item = _save_slide(
            session,
            source=source,
            item_id=row.item_id if row is not None else None,
            texts=(title, body),
            picture=picture,
            valid_until=valid_until,
            zone=zone,
            now=now,
        )
        if item is None:
            continue
        if row is None:
            row = NewsEntry(
                source_id=source.id,
                key=key,
                item_id=item.id,
                link=entry.link[:2000],
                fingerprint=fingerprint,
                published_at=published,
                first_seen_at=now,
                last_seen_at=now,
            )
            created += 1
        else:
            row.fingerprint, row.link, row.published_at = fingerprint, entry.link[:2000], published
            updated += 1
        session.add(row)
        session.flush()
    return created, updated


def _texts(entry: FeedEntry) -> tuple[str, str]:
    if entry.title:
        return entry.title, entry.summary
    if entry.summary:
        return shortened(entry.summary.replace("\n", " "), UNTITLED_TITLE_LENGTH), entry.summary
    return "", ""


def _fingerprint(entry: FeedEntry, valid_until: datetime) -> str:
    said = [entry.title, entry.summary, entry.link, list(entry.image_urls), valid_until.isoformat()]
    return hashlib.sha256(json.dumps(said, ensure_ascii=False).encode("utf-8")).hexdigest()


def _save_slide(
    session: Session,
    *,
    source: NewsSource,
    item_id: int | None,
    texts: tuple[str, str],
    picture: str | None,
    valid_until: datetime,
    zone: ZoneInfo,
    now: datetime,
) -> Item | None:
    """The entry's slide made or rewritten; None when it cannot be saved (logged)."""
    actor = source_actor(source)
    existing = session.get(Item, item_id) if item_id is not None else None
    translations = {
        language: (text["title"], text.get("body", ""))
        for language, text in (existing.texts if existing is not None else {}).items()
        if language != source.language
    }
    draft = ItemDraft(
        kind="text",
        duration_s=existing.duration_s if existing is not None else DEFAULT_DURATION_S,
        valid_from=existing.valid_from if existing is not None else None,
        valid_until=valid_until,
        asset_sha256=picture,
        texts={source.language: texts, **translations},
    )
    try:
        if existing is None:
            return create_item(session, draft=draft, zone=zone, actor=actor, now=now)
        return update_item(
            session,
            item_id=existing.id or 0,
            draft=draft,
            expected_version=existing.version,
            zone=zone,
            actor=actor,
            now=now,
        )
    except InvalidContent as exc:
        logger.warning("news source %s: an entry was left out: %s", source.id, exc)
        return None


def _picture(
    session: Session,
    storage: MediaStorage,
    client: httpx.Client,
    urls: Sequence[str],
    source: NewsSource,
    upload_dir: Path,
    now: datetime,
) -> str | None:
    """The sha256 of the first of `urls` that is a picture screens show, stored as media."""
    for url in urls:
        try:
            data = fetch_picture(client, url)
        except FeedProblem as problem:
            logger.info("news source %s: no picture from %s: %s", source.id, url, problem)
            continue
        sniffed = sniff_bytes(data[:HEAD_SIZE])
        if sniffed.family != "image" or sniffed.format not in PICTURE_FORMATS:
            logger.info("news source %s: %s is no picture screens show", source.id, url)
            continue
        upload_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=upload_dir, prefix="news-", suffix=".part") as file:
            file.write(data)
            file.flush()
            upload = Upload(
                path=Path(file.name),
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                original_name=_file_name(url),
            )
            try:
                asset, _new = add_media(
                    session, storage, upload=upload, actor=source_actor(source), now=now
                )
            except InvalidContent as exc:
                logger.info("news source %s: the picture %s was refused: %s", source.id, url, exc)
                continue
        return asset.sha256
    return None


def _file_name(url: str) -> str:
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or "news-picture"


def _record_failure(
    session: Session, *, source_id: int, problem: FeedProblem, now: datetime
) -> None:
    source = session.get(NewsSource, source_id)
    if source is None:
        return
    source.last_polled_at = now
    source.last_error = str(problem)[:ERROR_MAX_LENGTH]
    source.last_error_detail = _detail(problem)
    session.add(source)
    session.flush()


def _detail(problem: Explained) -> dict[str, object]:
    values = {
        name: value if isinstance(value, int | float) else str(value)[:ERROR_MAX_LENGTH]
        for name, value in problem.values.items()
    }
    return {"message": problem.message_id, "values": values}


def _internal_problem(exc: Exception) -> FeedProblem:
    return FeedProblem(
        _("Reading the feed failed on the server: %(reason)s"),
        reason=f"{type(exc).__name__}: {exc}",
    )
