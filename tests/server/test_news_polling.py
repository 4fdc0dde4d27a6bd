"""Polling news sources: entries become news slides with pictures, once, kept up to date; a bad
feed is recorded on its source and harms nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anslag_testing.feed_server import FakeWeb, feed_fixture
from anslag_testing.media import picture
from anslag_testing.server_app import FakeClock, app_context
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.context import AppContext
from server.db import session_scope
from server.errors import FeedProblem
from server.jobs import installation_jobs
from server.models import AuditEntry, Item, MediaAsset, NewsEntry, NewsSource
from server.scheduler import JobRunner
from server.services.feed_fetching import feed_client
from server.services.items import delete_item
from server.services.news_polling import (
    PollOutcome,
    latest_news,
    poll_due_sources,
    poll_source,
)
from server.services.news_sources import SourceDraft, create_source
from server.services.permissions import SYSTEM_ACTOR
from server.settings import Settings
from server.storage import LocalMediaStorage

PAJALA = "https://www.pajala.se/nyheter/rss.xml"
ATOM = "https://www.overtornea.se/sv/nyheter.atom"
ROAD = "Isvägen till Kangos är öppen"
MARKET = "Fish & chips på torget"
LIBRARY = "Biblioteket har nya öppettider"
SKIING = "Skidspåren är preparerade"
ROAD_PICTURE = picture("JPEG", colour=(20, 60, 160))
MARKET_PICTURE = picture("PNG", colour=(230, 120, 30))
LIBRARY_PICTURE = picture("WEBP", colour=(30, 150, 60))


@pytest.fixture
def web() -> FakeWeb:
    """The municipality's website: its news feed and the pictures the entries name."""
    web = FakeWeb()
    web.serve_feed(PAJALA, "pajala-rss2.xml", etag='"v1"')
    web.serve("https://www.pajala.se/bilder/isvag.jpg", ROAD_PICTURE, content_type="image/jpeg")
    web.serve("https://cdn.pajala.se/media/torget.png", MARKET_PICTURE, content_type="image/png")
    web.serve(
        "https://www.pajala.se/nyheter/bilder/bibliotek.webp",
        LIBRARY_PICTURE,
        content_type="image/webp",
    )
    # The ski tracks' thumbnail is a GIF, which screens do not show: the slide goes without.
    web.serve(
        "https://www.pajala.se/nyheter/thumbs/skidspar.jpg",
        picture("GIF"),
        content_type="image/jpeg",
    )
    return web


@dataclass
class Newsroom:
    """The server's side of polling, arranged: its database, media folder, settings and clock,
    and the web it fetches from."""

    engine: Engine
    storage: LocalMediaStorage
    settings: Settings
    clock: FakeClock
    web: FakeWeb

    def add_source(
        self,
        url: str = PAJALA,
        *,
        name: str = "Pajala kommun",
        poll_minutes: int = 30,
        validity_days: int = 7,
        enabled: bool = True,
    ) -> int:
        draft = SourceDraft(
            name=name,
            url=url,
            language="sv",
            poll_minutes=poll_minutes,
            validity_days=validity_days,
            enabled=enabled,
        )
        with session_scope(self.engine) as session:
            source = create_source(session, draft=draft, actor=SYSTEM_ACTOR, now=self.clock())
            assert source.id is not None
            return source.id

    def poll(self, source_id: int, *, later: timedelta = timedelta(0)) -> PollOutcome:
        """Poll the source `later` after the clock's time."""
        with session_scope(self.engine) as session, feed_client(self.web.transport) as client:
            return poll_source(
                session,
                self.storage,
                source_id=source_id,
                client=client,
                zone=self.settings.zone,
                upload_dir=self.settings.upload_dir,
                now=self.clock() + later,
            )

    @property
    def context(self) -> AppContext:
        """The server's context as a background job gets it, fetching from the fake web."""
        return app_context(
            settings=self.settings,
            engine=self.engine,
            clock=self.clock,
            storage=self.storage,
            feed_transport=self.web.transport,
        )

    def poll_due(self) -> list[PollOutcome]:
        return poll_due_sources(self.context, now=self.clock())

    def slides(self) -> dict[str, Item]:
        with Session(self.engine) as session:
            items = session.exec(select(Item).order_by(col(Item.id))).all()
            return {item.texts["sv"]["title"]: item for item in items}

    def source(self, source_id: int) -> NewsSource:
        with Session(self.engine) as session:
            source = session.get(NewsSource, source_id)
            assert source is not None
            return source


@pytest.fixture
def newsroom(
    engine: Engine, storage: LocalMediaStorage, settings: Settings, clock: FakeClock, web: FakeWeb
) -> Newsroom:
    return Newsroom(engine, storage, settings, clock, web)


def test_each_entry_becomes_a_news_slide_in_the_sources_language_with_its_picture(
    newsroom: Newsroom,
    engine: Engine,
    storage: LocalMediaStorage,
    clock: FakeClock,
) -> None:
    source_id = newsroom.add_source()

    outcome = newsroom.poll(source_id)

    assert outcome == PollOutcome(source_id, created=4)
    made = newsroom.slides()
    assert set(made) == {ROAD, MARKET, LIBRARY, SKIING}
    road = made[ROAD]
    assert road.kind == "text"
    assert road.texts == {
        "sv": {
            "title": ROAD,
            "body": "Isvägen över Torne älv är öppen för fordon upp till 2 ton.\n"
            "Kör försiktigt & håll avstånd.",
        }
    }
    # Seven days from the entry's date, not from when it was fetched.
    assert road.valid_from is None
    assert road.valid_until == datetime(2026, 1, 19, 6, 30, tzinfo=UTC)
    assert storage.path(road.asset_sha256 or "").read_bytes() == ROAD_PICTURE
    with Session(engine) as session:
        media_types = {
            title: session.get(MediaAsset, item.asset_sha256).media_type  # type: ignore[union-attr]
            for title, item in made.items()
            if item.asset_sha256
        }
    assert media_types == {ROAD: "image/jpeg", MARKET: "image/png", LIBRARY: "image/webp"}
    assert made[SKIING].asset_sha256 is None
    stored = newsroom.source(source_id)
    assert (stored.entry_count, stored.last_error, stored.etag) == (4, None, '"v1"')
    assert stored.last_succeeded_at == clock()


def test_a_repoll_sends_the_etag_and_a_304_changes_nothing(
    newsroom: Newsroom,
    clock: FakeClock,
    web: FakeWeb,
) -> None:
    source_id = newsroom.add_source()
    newsroom.poll(source_id)
    before = newsroom.slides()

    clock.advance(timedelta(minutes=30))
    outcome = newsroom.poll(source_id)

    assert outcome == PollOutcome(source_id, unchanged=True)
    first, second = web.requests_to(PAJALA)
    assert "if-none-match" not in first.headers
    assert second.headers["if-none-match"] == '"v1"'
    assert newsroom.slides() == before
    assert newsroom.source(source_id).last_succeeded_at == clock()


def test_last_modified_is_sent_back_as_if_modified_since(
    newsroom: Newsroom,
    web: FakeWeb,
) -> None:
    stamp = "Mon, 12 Jan 2026 06:00:00 GMT"
    web.serve_feed(PAJALA, "pajala-rss2.xml", last_modified=stamp)
    source_id = newsroom.add_source()
    newsroom.poll(source_id)

    outcome = newsroom.poll(source_id, later=timedelta(hours=1))

    assert outcome.unchanged
    assert web.requests_to(PAJALA)[-1].headers["if-modified-since"] == stamp


def test_a_changed_entry_rewrites_its_slide_and_an_entry_gone_from_the_feed_stays(
    newsroom: Newsroom,
    engine: Engine,
    web: FakeWeb,
) -> None:
    source_id = newsroom.add_source()
    newsroom.poll(source_id)
    road_id = newsroom.slides()[ROAD].id
    changed = (
        feed_fixture("pajala-rss2.xml")
        .decode("utf-8")
        .replace(ROAD, "Isvägen till Kangos är stängd")
        .replace(f"<title>{SKIING}</title>", "<title>Skidspåren är stängda</title>")
    )
    # The ski tracks' entry is gone; a new one keeps its link but is another entry.
    changed = changed.replace("https://www.pajala.se/nyheter/skidspar", "https://x.example/ny")
    web.serve(PAJALA, changed.encode("utf-8"), etag='"v2"')

    outcome = newsroom.poll(source_id, later=timedelta(hours=1))

    assert (outcome.created, outcome.updated) == (1, 1)
    after = newsroom.slides()
    assert set(after) == {
        "Isvägen till Kangos är stängd",
        MARKET,
        LIBRARY,
        SKIING,
        "Skidspåren är stängda",
    }
    closed = after["Isvägen till Kangos är stängd"]
    assert (closed.id, closed.version) == (road_id, 2)
    with Session(engine) as session:
        entries = session.exec(select(NewsEntry)).all()
    assert len(entries) == 5


def test_a_translation_an_editor_added_to_a_feed_slide_survives_the_next_change(
    newsroom: Newsroom,
    engine: Engine,
    web: FakeWeb,
) -> None:
    source_id = newsroom.add_source()
    newsroom.poll(source_id)
    with session_scope(engine) as session:
        road = session.exec(select(Item).where(col(Item.id) == newsroom.slides()[ROAD].id)).one()
        road.texts = {**road.texts, "fit": {"title": "Jäätie Kangoshiin on auki", "body": ""}}
        session.add(road)
    web.serve(
        PAJALA,
        feed_fixture("pajala-rss2.xml").replace(b"2&nbsp;ton", b"3&nbsp;ton"),
        etag='"v2"',
    )

    newsroom.poll(source_id, later=timedelta(hours=1))

    texts = newsroom.slides()[ROAD].texts
    assert texts["fit"] == {"title": "Jäätie Kangoshiin on auki", "body": ""}
    assert "3 ton" in texts["sv"]["body"]


def test_a_slide_an_editor_deleted_does_not_come_back(
    newsroom: Newsroom,
    engine: Engine,
    clock: FakeClock,
    web: FakeWeb,
) -> None:
    source_id = newsroom.add_source()
    newsroom.poll(source_id)
    with session_scope(engine) as session:
        delete_item(
            session, item_id=newsroom.slides()[MARKET].id or 0, actor=SYSTEM_ACTOR, now=clock()
        )
    web.serve_feed(PAJALA, "pajala-rss2.xml", etag='"v2"')

    outcome = newsroom.poll(source_id, later=timedelta(hours=1))

    assert (outcome.created, outcome.updated) == (0, 0)
    assert MARKET not in newsroom.slides()


def test_an_entry_already_over_when_first_seen_makes_no_slide(newsroom: Newsroom) -> None:
    source_id = newsroom.add_source(validity_days=1)

    newsroom.poll(source_id)

    # Only what was published within the day before 2026-01-12 08:00 UTC.
    assert set(newsroom.slides()) == {ROAD, SKIING, MARKET}


def test_every_slide_a_poll_makes_is_in_the_log_under_the_sources_name(
    newsroom: Newsroom,
    engine: Engine,
) -> None:
    source_id = newsroom.add_source()

    newsroom.poll(source_id)

    with Session(engine) as session:
        logged = session.exec(select(AuditEntry).where(AuditEntry.entity == "item")).all()
    assert len(logged) == 4
    assert {entry.actor for entry in logged} == {"news source 'Pajala kommun'"}


@pytest.mark.parametrize(
    ("serve", "problem"),
    [
        (
            lambda web: web.serve_feed(PAJALA, "error-page.html", content_type="text/html"),
            "The address answers with a web page ('502 Bad Gateway \N{EN DASH} Tillfälligt fel'), "
            "not an RSS or Atom feed",
        ),
        (
            lambda web: web.serve_feed(PAJALA, "billion-laughs.xml"),
            "The feed declares XML entities, which feeds do not need and which can make a "
            "reader run out of memory; it was not read",
        ),
        (
            lambda web: web.fail(PAJALA, "endless"),
            f"{PAJALA} answers with more than 5 MB; reading stopped there",
        ),
        (
            lambda web: web.serve(PAJALA, b"Serverfel", status=500, content_type="text/plain"),
            f"{PAJALA} answered HTTP 500 Internal Server Error",
        ),
        (
            lambda web: web.fail(PAJALA, "timeout"),
            f"{PAJALA} did not answer within 20 seconds",
        ),
        (
            lambda web: web.fail(PAJALA, "refused"),
            f"{PAJALA} could not be reached: Connection refused",
        ),
    ],
)
def test_a_bad_feed_is_recorded_on_its_source_and_its_slides_stay(
    newsroom: Newsroom,
    serve: object,
    problem: str,
    clock: FakeClock,
    web: FakeWeb,
) -> None:
    source_id = newsroom.add_source()
    newsroom.poll(source_id)
    before = newsroom.slides()
    assert callable(serve)
    serve(web)

    outcome = newsroom.poll(source_id, later=timedelta(hours=1))

    assert isinstance(outcome.error, FeedProblem)
    assert str(outcome.error) == problem
    stored = newsroom.source(source_id)
    assert stored.last_error == problem
    assert stored.last_error_detail is not None
    assert stored.last_error_detail["message"] == outcome.error.message_id
    assert (stored.last_polled_at, stored.last_succeeded_at) == (
        clock() + timedelta(hours=1),
        clock(),
    )
    assert (stored.etag, stored.entry_count) == ('"v1"', 4)
    assert newsroom.slides() == before


def test_a_failing_source_beside_a_working_one_stops_neither(
    newsroom: Newsroom,
    web: FakeWeb,
) -> None:
    broken = newsroom.add_source("https://trasig.example/rss", name="Trasig")
    web.serve_feed("https://trasig.example/rss", "error-page.html", content_type="text/html")
    working = newsroom.add_source()
    web.serve_feed(ATOM, "kommun-atom.xml")
    web.serve("https://www.overtornea.se/sv/media/forskola.jpg", ROAD_PICTURE)
    atom = newsroom.add_source(ATOM, name="Övertorneå")

    outcomes = newsroom.poll_due()

    assert [(outcome.source_id, outcome.created) for outcome in outcomes] == [
        (broken, 0),
        (working, 4),
        (atom, 2),
    ]
    assert newsroom.source(broken).last_error is not None
    assert newsroom.source(working).last_error is None
    assert {"Ny förskola i Svanstein", ROAD} <= set(newsroom.slides())


def test_only_enabled_sources_whose_interval_has_passed_are_polled(
    newsroom: Newsroom,
    clock: FakeClock,
    web: FakeWeb,
) -> None:
    pajala = newsroom.add_source(poll_minutes=30)
    web.serve_feed(ATOM, "kommun-atom.xml")
    newsroom.add_source(ATOM, name="Övertorneå", enabled=False)

    def due_now() -> list[int]:
        return [outcome.source_id for outcome in newsroom.poll_due()]

    assert due_now() == [pajala]
    clock.advance(timedelta(minutes=29))
    assert due_now() == []
    clock.advance(timedelta(minutes=1))
    assert due_now() == [pajala]
    assert web.requests_to(ATOM) == []


def test_the_latest_news_of_a_source_are_its_newest_slides_still_valid(
    newsroom: Newsroom,
    engine: Engine,
    clock: FakeClock,
) -> None:
    source_id = newsroom.add_source()
    newsroom.poll(source_id)

    def latest(count: int, now: datetime) -> list[str]:
        with Session(engine) as session:
            items = latest_news(session, source_id=source_id, count=count, now=now)
            return [item.texts["sv"]["title"] for item in items]

    assert latest(3, clock()) == [ROAD, SKIING, MARKET]
    assert latest(10, clock()) == [ROAD, SKIING, MARKET, LIBRARY]
    # The library's news (from 10 January) has run its seven days by the 17th at noon.
    assert latest(10, datetime(2026, 1, 17, 12, tzinfo=UTC)) == [ROAD, SKIING, MARKET]
    assert latest(10, datetime(2026, 2, 1, tzinfo=UTC)) == []
    with Session(engine) as session:
        assert latest_news(session, source_id=source_id + 99, count=5, now=clock()) == []


def test_pictures_are_received_in_the_data_folder_and_nothing_is_left_there(
    newsroom: Newsroom,
    settings: Settings,
) -> None:
    source_id = newsroom.add_source()

    newsroom.poll(source_id)

    assert list(Path(settings.upload_dir).iterdir()) == []


def test_the_installations_background_job_polls_the_sources_that_are_due(
    newsroom: Newsroom, settings: Settings, clock: FakeClock
) -> None:
    source_id = newsroom.add_source()
    [job] = [job for job in installation_jobs() if job.name == "news-sources"]

    assert JobRunner([job], context=newsroom.context).run_turn(job)

    assert len(newsroom.slides()) == 4
    assert newsroom.source(source_id).last_succeeded_at == clock()
