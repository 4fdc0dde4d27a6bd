"""Polling CAP sources: conditional, following index feeds to new messages only, each source
on its own, so that one that fails never keeps the others' warnings off the screens.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from anslag_testing.cap import CapInfo, CapMessage, cap_document
from anslag_testing.cap_feeds import ATOM_TYPE, FakeFeeds, atom_index, rss_index
from anslag_testing.cap_places import add_places, add_source, headlines
from anslag_testing.server_app import FakeClock, app_context
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.cap.polling import poll_due_sources
from server.context import AppContext
from server.models import Alert, CapSource
from server.settings import Settings
from server.storage import LocalMediaStorage

INDEX = "https://cap.example.se/varningar.atom"
VMA_URL = "https://cap.example.se/cap/vma-1.xml"
CANCEL_URL = "https://cap.example.se/cap/vma-2.xml"
VMA = "Brand i industrilokal i Övertorneå"
SENT = datetime(2026, 1, 12, 7, 0, tzinfo=UTC)


@pytest.fixture
def context(
    engine: Engine, settings: Settings, storage: LocalMediaStorage, clock: FakeClock
) -> AppContext:
    add_places(engine, clock())
    return app_context(settings=settings, engine=engine, clock=clock, storage=storage)


def poll(context: AppContext, feeds: FakeFeeds) -> None:
    poll_due_sources(replace(context, feed_transport=feeds.transport()), context.clock())


def stored(engine: Engine, source_id: int) -> CapSource:
    with Session(engine) as session:
        source = session.get(CapSource, source_id)
        assert source is not None
        return source


def alert_headlines(engine: Engine) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(select(Alert).order_by(col(Alert.id)))
        return [alert.texts["sv"]["headline"] for alert in rows]


def test_an_index_is_followed_to_its_messages_and_an_unchanged_one_costs_one_request(
    context: AppContext, engine: Engine, clock: FakeClock
) -> None:
    source_id = add_source(engine, clock(), url=INDEX, lifetime_hours=6)
    feeds = FakeFeeds()
    feeds.serve(INDEX, atom_index([(VMA_URL, SENT)]), ATOM_TYPE)
    feeds.serve(VMA_URL, cap_document("sr_vma_alert.xml"))

    poll(context, feeds)
    first = feeds.fetched()
    feeds.clear()
    clock.advance(timedelta(minutes=5))
    poll(context, feeds)

    assert first == [INDEX, VMA_URL]
    assert feeds.fetched() == [INDEX]
    assert feeds.requests[0].headers["if-none-match"].startswith('"')
    assert "Anslag/" in feeds.requests[0].headers["user-agent"]
    assert headlines(engine, clock())["byabutiken"] == [VMA]
    source = stored(engine, source_id)
    assert (source.last_error, source.last_succeeded_at) == (None, clock())


def test_a_changed_index_fetches_only_the_new_message(
    context: AppContext, engine: Engine, clock: FakeClock
) -> None:
    add_source(engine, clock(), url=INDEX)
    feeds = FakeFeeds()
    feeds.serve(INDEX, atom_index([(VMA_URL, SENT)]), ATOM_TYPE)
    feeds.serve(VMA_URL, cap_document("sr_vma_alert.xml"))
    feeds.serve(CANCEL_URL, cap_document("sr_vma_cancel.xml"))
    poll(context, feeds)
    feeds.clear()

    feeds.serve(INDEX, atom_index([(CANCEL_URL, SENT), (VMA_URL, SENT)]), ATOM_TYPE)
    clock.advance(timedelta(minutes=5))
    poll(context, feeds)

    assert feeds.fetched() == [INDEX, CANCEL_URL]
    assert headlines(engine, clock())["byabutiken"] == []


def test_a_source_is_polled_only_when_its_interval_has_passed_and_never_when_disabled(
    context: AppContext, engine: Engine, clock: FakeClock
) -> None:
    source_id = add_source(engine, clock(), url=INDEX)
    feeds = FakeFeeds()
    feeds.serve(INDEX, atom_index([]), ATOM_TYPE)

    poll(context, feeds)
    clock.advance(timedelta(minutes=4))
    poll(context, feeds)
    polled_early = len(feeds.requests)
    with Session(engine) as session:
        source = session.get(CapSource, source_id)
        assert source is not None
        source.enabled = False
        session.add(source)
        session.commit()
    clock.advance(timedelta(hours=1))
    poll(context, feeds)

    assert polled_early == 1
    assert len(feeds.requests) == 1


def test_a_failing_source_is_recorded_while_the_other_source_still_reaches_the_screens(
    context: AppContext, engine: Engine, clock: FakeClock
) -> None:
    broken = add_source(engine, clock(), name="Trasig", url="https://down.example.se/cap.atom")
    working = add_source(engine, clock(), name="SR VMA", url=INDEX)
    feeds = FakeFeeds()
    feeds.serve("https://down.example.se/cap.atom", b"oops", "text/plain", status_code=503)
    feeds.serve(INDEX, atom_index([(VMA_URL, SENT)]), ATOM_TYPE)
    feeds.serve(VMA_URL, cap_document("sr_vma_alert.xml"))

    poll(context, feeds)

    assert stored(engine, broken).last_error == "the source answered HTTP 503"
    assert stored(engine, broken).last_succeeded_at is None
    assert stored(engine, working).last_error is None
    assert headlines(engine, clock())["byabutiken"] == [VMA]


def test_an_html_error_page_instead_of_the_feed_is_named_and_changes_nothing(
    context: AppContext, engine: Engine, clock: FakeClock
) -> None:
    source_id = add_source(engine, clock(), url=INDEX)
    feeds = FakeFeeds()
    feeds.serve(INDEX, cap_document("error_page.html"), "text/html")

    poll(context, feeds)

    assert stored(engine, source_id).last_error == (
        "the source is an HTML page ('503 Tjänsten är tillfälligt otillgänglig'), not XML"
    )
    assert alert_headlines(engine) == []


def test_a_message_that_times_out_is_fetched_again_next_time_and_a_hostile_one_is_not(
    context: AppContext, engine: Engine, clock: FakeClock
) -> None:
    source_id = add_source(engine, clock(), url=INDEX)
    hostile = "https://cap.example.se/cap/lol.xml"
    feeds = FakeFeeds()
    feeds.serve(INDEX, atom_index([(hostile, SENT), (VMA_URL, SENT)]), ATOM_TYPE)
    feeds.serve(hostile, cap_document("billion_laughs.xml"))
    feeds.serve(VMA_URL, b"", hangs=True)

    poll(context, feeds)
    error = stored(engine, source_id).last_error
    feeds.clear()
    feeds.serve(VMA_URL, cap_document("sr_vma_alert.xml"))
    clock.advance(timedelta(minutes=5))
    poll(context, feeds)

    assert error is not None
    assert f"{VMA_URL} did not answer in time" in error
    assert "declares a document type" in error
    # Unconditional after a poll with errors; the hostile message is not fetched again.
    assert feeds.fetched() == [INDEX, VMA_URL]
    assert "if-none-match" not in feeds.requests[0].headers
    assert alert_headlines(engine) == [VMA]
    assert stored(engine, source_id).last_error is None


def test_an_oversized_index_is_refused(
    context: AppContext, engine: Engine, clock: FakeClock, settings: Settings
) -> None:
    source_id = add_source(engine, clock(), url=INDEX)
    feeds = FakeFeeds()
    padding = b"<!--" + b"x" * (settings.cap_index_limit_kb * 1024) + b"-->"
    feeds.serve(INDEX, atom_index([]) + padding, ATOM_TYPE)

    poll(context, feeds)

    assert stored(engine, source_id).last_error == (
        f"the source is larger than {settings.cap_index_limit_kb} kB; it was not read"
    )


def test_a_message_leaving_the_feed_is_no_cancellation(
    context: AppContext, engine: Engine, clock: FakeClock
) -> None:
    add_source(engine, clock(), url=INDEX)
    feeds = FakeFeeds()
    feeds.serve(INDEX, atom_index([(VMA_URL, SENT)]), ATOM_TYPE)
    feeds.serve(VMA_URL, cap_document("sr_vma_alert.xml"))
    poll(context, feeds)

    feeds.serve(INDEX, atom_index([]), ATOM_TYPE)
    clock.advance(timedelta(minutes=5))
    poll(context, feeds)

    assert headlines(engine, clock())["byabutiken"] == [VMA]


def test_met_norways_rss_index_leads_to_its_cap_messages(
    context: AppContext, engine: Engine, clock: FakeClock
) -> None:
    index = "https://api.met.no/weatherapi/metalerts/2.0/current.rss"
    message = "https://api.met.no/weatherapi/metalerts/2.0/current?cap=2.49.0.1.578.0.042&lang=no"
    add_source(engine, clock(), url=index)
    feeds = FakeFeeds()
    feeds.serve(index, rss_index([message]), "application/rss+xml")
    feeds.serve(message, cap_document("met_alert.xml"))

    poll(context, feeds)

    assert feeds.fetched() == [index, message]
    with Session(engine) as session:
        [alert] = session.exec(select(Alert)).all()
    # MET's "no" is Norwegian Bokmål, as locations name it.
    assert set(alert.texts) == {"nb", "en"}
    assert alert.texts["en"]["headline"].startswith("Gale, yellow level, Finnmark")


def test_cap_messages_inside_an_atom_feed_and_a_bare_message_as_the_source(
    context: AppContext, engine: Engine, clock: FakeClock
) -> None:
    inline = CapMessage("i-1", SENT, infos=(CapInfo(headline="Vattnet är avstängt"),))
    embedded = inline.xml().decode().split("?>", 1)[1]
    feed = f"""<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id><title>x</title>
      <updated>2026-01-12T07:00:00Z</updated>
      <entry><id>i-1</id><title>x</title><updated>2026-01-12T07:00:00Z</updated>
      <content type="application/cap+xml">{embedded}</content></entry></feed>""".encode()
    add_source(engine, clock(), url=INDEX)
    add_source(engine, clock(), url=VMA_URL)
    feeds = FakeFeeds()
    feeds.serve(INDEX, feed, ATOM_TYPE)
    feeds.serve(VMA_URL, cap_document("sr_vma_alert.xml"))

    poll(context, feeds)

    assert alert_headlines(engine) == ["Vattnet är avstängt", VMA]
