"""A national warning taken in from a CAP feed is pushed to the screens like an operator's."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from anslag_testing.cap import cap_document
from anslag_testing.cap_feeds import ATOM_TYPE, FakeFeeds, atom_index
from anslag_testing.cap_places import add_places, add_source
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.cap.polling import poll_due_sources
from server.context import AppContext
from server.models import Alert
from server.push.changes import Changes
from server.push.channel import PushChannel
from server.settings import Settings
from server.storage import LocalMediaStorage

INDEX = "https://cap.example.se/varningar.atom"
VMA_URL = "https://cap.example.se/cap/vma-1.xml"


class Announced(list[Changes]):
    """A notifier that keeps what it is asked to announce."""

    def send(self, changes: Changes) -> None:
        self.append(changes)

    async def run(self, deliver: object, *, listening: asyncio.Event) -> None:
        listening.set()


def test_an_alert_taken_in_from_a_feed_is_announced_to_the_screens(
    engine: Engine, settings: Settings, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    add_places(engine, clock())
    add_source(engine, clock(), url=INDEX, lifetime_hours=6)
    feeds = FakeFeeds()
    feeds.serve(INDEX, atom_index([(VMA_URL, datetime(2026, 1, 12, 7, 0, tzinfo=UTC))]), ATOM_TYPE)
    feeds.serve(VMA_URL, cap_document("sr_vma_alert.xml"))
    announced = Announced()
    push = PushChannel(
        engine=engine,
        database_url=settings.database_url,
        clock=clock,
        horizon=timedelta(days=7),
        keepalive_s=15,
        notifier=announced,
    )
    context = AppContext(
        settings=settings,
        engine=engine,
        clock=clock,
        storage=storage,
        push=push,
        feed_transport=feeds.transport(),
    )

    poll_due_sources(context, clock())

    with Session(engine) as session:
        [alert] = session.exec(select(Alert)).all()
    assert any((alert.id, alert.version) in changes.alerts for changes in announced)
