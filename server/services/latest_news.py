"""The dynamic entry "the latest N news from source X": a feed's newest news on the screens.

At each location it becomes one news slide per item among the latest N valid
ones from the source (or from every news source, `source` 0), with the windows
`playlists.latest` works out: a slide that expires, offline too, lets the next
older one move up. The texts are the slides' own; the manifest shows them in
the location's languages like any other.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from playlists import manifest as wire
from playlists.latest import News, latest_windows
from server.i18n import marked as _
from server.models import Item, Location, MediaAsset, NewsEntry, NewsSource
from server.services.dynamic_entries import (
    Description,
    DynamicEntryRefused,
    Expansion,
    is_whole,
    option_number,
    within,
)
from server.services.wire import asset_ref, wire_item

# The same as the other dynamic entries: a title and a few lines read from a few metres.
NEWS_SLIDE_S = 10.0
DEFAULT_COUNT = 5
MAX_COUNT = 20
# `source` 0: the news of every source together.
EVERY_SOURCE = 0


class LatestNews:
    """The newest news slides of one news source (or of all), at most `count` at a time."""

    name = "latest_news"
    title = _("Latest news")

    def checked_options(self, options: Mapping[str, object]) -> dict[str, object]:
        source, count = _read(options)
        return {"source": source, "count": count}

    def describe(self, options: Mapping[str, object], *, session: Session) -> Description:
        source_id, count = _read(options)
        if source_id == EVERY_SOURCE:
            return Description(
                _("The %(count)d latest news items from every news source"), {"count": count}
            )
        source = session.get(NewsSource, source_id)
        return Description(
            _("The %(count)d latest news items from %(source)s"),
            {"count": count, "source": source.name if source is not None else f"#{source_id}"},
        )

    def expand(
        self,
        session: Session,
        *,
        location: Location,
        options: Mapping[str, object],
        duration_s: float | None,
        window: wire.Validity,
        now: datetime,
        horizon: timedelta,
    ) -> Expansion:
        del location  # A source's news is the same everywhere; its languages come later.
        source_id, count = _read(options)
        showing = news_showing(session, source_id=source_id or None, since=now, until=now + horizon)
        items = {}
        news = []
        for item, published_at in showing:
            slide = wire_item(item)
            items[slide.id] = slide
            news.append(News(slide.id, published_at, slide.validity))
        entries = []
        for newest, shown in latest_windows(news, at_most=count):
            inside = within(window, shown)
            if inside is not None:
                entries.append(
                    wire.PlaylistEntry(
                        item=newest.id, duration_s=duration_s or NEWS_SLIDE_S, validity=inside
                    )
                )
        used = {entry.item for entry in entries}
        kept = tuple(slide for slide_id, slide in items.items() if slide_id in used)
        shas = {sha for slide in kept for sha in wire.referenced_assets(slide)}
        assets = session.exec(select(MediaAsset).where(col(MediaAsset.sha256).in_(shas))).all()
        return Expansion(
            items=kept, assets=tuple(asset_ref(asset) for asset in assets), entries=tuple(entries)
        )


def news_showing(
    session: Session, *, source_id: int | None, since: datetime, until: datetime
) -> list[tuple[Item, datetime]]:
    """The news slides of a source (None: of every source) valid at some time in [since,
    until), each with its entry's date, newest first."""
    query = (
        select(Item, NewsEntry.published_at)
        .join(NewsEntry, col(NewsEntry.item_id) == col(Item.id))
        .where(or_(col(Item.valid_until).is_(None), col(Item.valid_until) > since))
        .where(or_(col(Item.valid_from).is_(None), col(Item.valid_from) < until))
        .order_by(col(NewsEntry.published_at).desc(), col(NewsEntry.id).desc())
    )
    if source_id is not None:
        query = query.where(NewsEntry.source_id == source_id)
    return [(item, published_at) for item, published_at in session.exec(query)]


def _read(options: Mapping[str, object]) -> tuple[int, int]:
    """(source id, count at a time) from the options; DynamicEntryRefused when unusable."""
    source = option_number(options.get("source", EVERY_SOURCE))
    count = option_number(options.get("count", DEFAULT_COUNT))
    if not is_whole(source) or source < 0:
        raise DynamicEntryRefused(_("Latest news: choose a news source, or every news source"))
    if not is_whole(count) or not 1 <= count <= MAX_COUNT:
        raise DynamicEntryRefused(
            _("Latest news: the number of news items must be a whole number from 1 to %(max)d"),
            max=MAX_COUNT,
        )
    return source, count
