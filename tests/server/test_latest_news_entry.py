"""The playlist entry "the latest N news from source X": a feed's newest news as slides, newest
first, at most N at once, an older one moving up when a newer one expires, offline too."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from anslag_testing.feed_server import FakeWeb
from anslag_testing.news import PAJALA_FEED, ROAD_TITLE, pajala_website, poll_feed
from anslag_testing.schedules import place
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, select

from playlists.manifest import Manifest, TextItem, parse_manifest
from playlists.schedule import rotation_at
from server.errors import InvalidContent
from server.models import Item
from server.services.content import assign_playlist
from server.services.latest_news import LatestNews
from server.services.manifests import build_manifest
from server.services.permissions import SYSTEM_ACTOR
from server.services.playlists import EntryDraft, PlaylistDraft, create_playlist
from server.settings import Settings
from server.storage import LocalMediaStorage

HORIZON = timedelta(days=7)
ATOM = "https://www.overtornea.se/sv/nyheter.atom"
SKIING = "Skidspåren är preparerade"
MARKET = "Fish & chips på torget"
LIBRARY = "Biblioteket har nya öppettider"
SCHOOL = "Ny förskola i Svanstein"


@dataclass
class Feeds:
    """A database whose news sources were polled from the fake web, and a shop to show them."""

    session: Session
    storage: LocalMediaStorage
    settings: Settings
    web: FakeWeb
    now: datetime

    def poll(self, url: str = PAJALA_FEED, name: str = "Pajala kommun") -> int:
        return poll_feed(
            self.session, self.storage, self.settings, self.web, now=self.now, url=url, name=name
        )

    def shop_showing(self, source: int, count: int) -> Manifest:
        """The manifest of a shop whose playlist holds the latest `count` news of `source`."""
        shop = place(self.session, name="Byabutiken", now=self.now)
        entry = EntryDraft(
            None, dynamic_kind="latest_news", dynamic_options={"source": source, "count": count}
        )
        playlist = create_playlist(
            self.session, actor=SYSTEM_ACTOR, draft=PlaylistDraft("Nyheter", (entry,)), now=self.now
        )
        assign_playlist(self.session, playlist=playlist, location=shop)
        built = build_manifest(self.session, location=shop, now=self.now, horizon=HORIZON)
        # Through JSON, as the screen receives it.
        return parse_manifest(built.model_dump_json())


@pytest.fixture
def feeds(
    engine: Engine, storage: LocalMediaStorage, settings: Settings, clock: FakeClock
) -> Iterator[Feeds]:
    web = pajala_website()
    web.serve_feed(ATOM, "kommun-atom.xml")
    with Session(engine) as session:
        yield Feeds(session, storage, settings, web, clock())


def titles_at(manifest: Manifest, moment: datetime) -> list[str]:
    items = [slot.item for slot in rotation_at(manifest, moment)]
    return [item.texts["sv"].title for item in items if isinstance(item, TextItem)]


def news_slides(manifest: Manifest) -> dict[str, TextItem]:
    return {item.texts["sv"].title: item for item in manifest.items if isinstance(item, TextItem)}


def test_a_shop_shows_the_newest_news_of_the_source_newest_first_until_they_expire(
    feeds: Feeds,
) -> None:
    manifest = feeds.shop_showing(feeds.poll(), 2)

    assert titles_at(manifest, feeds.now) == [ROAD_TITLE, SKIING]
    # The road news has a picture: the manifest lists it for the screen to fetch.
    road = news_slides(manifest)[ROAD_TITLE]
    assert road.image in {asset.sha256 for asset in manifest.assets}
    [playlist] = manifest.playlists
    assert {entry.duration_s for entry in playlist.entries} == {10.0}
    # Seven days after their dates (12 January 05:15 and 06:30 UTC), offline too.
    assert titles_at(manifest, datetime(2026, 1, 19, 5, 0, tzinfo=UTC)) == [ROAD_TITLE, SKIING]
    assert titles_at(manifest, datetime(2026, 1, 19, 6, 0, tzinfo=UTC)) == [ROAD_TITLE]


def test_an_older_news_kept_longer_moves_up_when_a_newer_one_expires_offline(
    feeds: Feeds,
) -> None:
    pajala = feeds.poll()
    # An editor keeps the market news on until the end of the month.
    [kept] = [
        item for item in feeds.session.exec(select(Item)) if item.texts["sv"]["title"] == MARKET
    ]
    kept.valid_until = datetime(2026, 1, 31, tzinfo=UTC)
    feeds.session.add(kept)

    manifest = feeds.shop_showing(pajala, 2)

    assert titles_at(manifest, feeds.now) == [ROAD_TITLE, SKIING]
    assert titles_at(manifest, datetime(2026, 1, 19, 5, 30, tzinfo=UTC)) == [ROAD_TITLE, MARKET]
    assert LIBRARY not in news_slides(manifest)


def test_every_news_source_together_gives_the_newest_of_all(feeds: Feeds) -> None:
    feeds.poll()
    feeds.poll(ATOM, "Övertorneå kommun")

    manifest = feeds.shop_showing(0, 3)

    # 06:30, 05:15 (Pajala) and 05:00 (Övertorneå) on 12 January.
    assert titles_at(manifest, feeds.now) == [ROAD_TITLE, SKIING, SCHOOL]


def test_the_entry_is_named_after_its_source_and_bad_options_are_refused(feeds: Feeds) -> None:
    kind = LatestNews()
    pajala = feeds.poll()

    named = kind.describe(
        kind.checked_options({"source": str(pajala), "count": "3"}), session=feeds.session
    )
    every = kind.describe(kind.checked_options({}), session=feeds.session)

    assert named.message_id % named.values == "The 3 latest news items from Pajala kommun"
    assert every.message_id % every.values == "The 5 latest news items from every news source"
    for options in ({"count": 0}, {"count": "många"}, {"source": -1}, {"source": True}):
        with pytest.raises(InvalidContent, match="Latest news"):
            kind.checked_options(options)
