"""A village shop whose screen plays the news polled from the municipality's feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from anslag_testing.feed_server import FakeWeb
from anslag_testing.media import picture
from server.db import session_scope
from server.models import Item
from server.services import content
from server.services.feed_fetching import feed_client
from server.services.news_polling import poll_source
from server.services.news_sources import SourceDraft, create_source
from server.services.permissions import SYSTEM_ACTOR
from server.settings import Settings
from server.storage import MediaStorage

PAJALA_FEED = "https://www.pajala.se/nyheter/rss.xml"
ROAD_TITLE = "Isvägen till Kangos är öppen"
# A strong, flat colour: easy to find again in a grabbed frame.
ROAD_COLOUR = (230, 120, 30)
ROAD_PICTURE = picture("JPEG", width=640, height=400, colour=ROAD_COLOUR)


def pajala_website() -> FakeWeb:
    """The municipality's website with its news feed and the road news' picture."""
    web = FakeWeb()
    web.serve_feed(PAJALA_FEED, "pajala-rss2.xml", etag='"v1"')
    web.serve("https://www.pajala.se/bilder/isvag.jpg", ROAD_PICTURE, content_type="image/jpeg")
    return web


@dataclass(frozen=True)
class NewsShop:
    """The shop's screen token and the slides its playlist plays, by Swedish title."""

    token: str
    slides: dict[str, int]


def poll_feed(
    session: Session,
    storage: MediaStorage,
    settings: Settings,
    web: FakeWeb,
    *,
    now: datetime,
    url: str = PAJALA_FEED,
    name: str = "Pajala kommun",
) -> int:
    """A Swedish news source reading `url`, polled once from `web`; returns its id."""
    source = create_source(
        session,
        draft=SourceDraft(name=name, url=url, language="sv"),
        actor=SYSTEM_ACTOR,
        now=now,
    )
    assert source.id is not None
    with feed_client(web.transport) as client:
        poll_source(
            session,
            storage,
            source_id=source.id,
            client=client,
            zone=settings.zone,
            upload_dir=settings.upload_dir,
            now=now,
        )
    return source.id


def arrange_news_shop(
    engine: Engine,
    storage: MediaStorage,
    settings: Settings,
    web: FakeWeb,
    *,
    now: datetime,
    languages: tuple[str, ...] = ("sv", "fit"),
    language_mode: str = "both",
) -> NewsShop:
    """Poll the Pajala feed (Swedish) and play every slide it made at Byabutiken (`languages`)."""
    with session_scope(engine) as session:
        poll_feed(session, storage, settings, web, now=now)
        shop = content.create_location(
            session,
            slug="byabutiken",
            name="Byabutiken i Svanstein",
            timezone="Europe/Stockholm",
            languages=languages,
            now=now,
        )
        shop.language_mode = language_mode
        _screen, token = content.create_screen(session, location=shop, name="Kassan", now=now)
        items = list(session.exec(select(Item).order_by(col(Item.id))))
        playlist = content.create_playlist(session, name="Nyheter", entries=items)
        content.assign_playlist(session, playlist=playlist, location=shop)
        return NewsShop(token, {item.texts["sv"]["title"]: item.id or 0 for item in items})
