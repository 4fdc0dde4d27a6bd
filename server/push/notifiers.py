"""How committed changes reach the push channel of every server process.

One process on SQLite hands them over in memory. Several replicas on one
PostgreSQL each listen on a channel with LISTEN and announce with NOTIFY, so a
change saved through any replica reaches the screens connected to every other —
and to itself, by the same road, so there is one path to test.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from server.push.changes import Changes

logger = logging.getLogger(__name__)

CHANNEL = "anslag_push"
# PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; about 20 bytes an alert.
MAX_PARTS_PER_NOTIFY = 250
RECONNECT_DELAYS_S = (0.5, 1, 2, 5, 10, 30)

Deliver = Callable[[Changes], None]


class Notifier(Protocol):
    """Carries committed changes from whichever thread committed them to `run`'s `deliver`."""

    def send(self, changes: Changes) -> None:
        """Announce `changes`, already committed; safe from any thread, never raises."""

    async def run(self, deliver: Deliver, *, listening: asyncio.Event) -> None:
        """Call `deliver` (on this event loop) with every change announced, until cancelled;
        set `listening` once no announcement can be missed any more."""


class InProcessNotifier:
    """For one server process (SQLite): changes go straight to this process's event loop."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._deliver: Deliver | None = None

    def send(self, changes: Changes) -> None:
        loop, deliver = self._loop, self._deliver
        if loop is None or deliver is None or loop.is_closed():
            # Not running (a command-line tool, or the app shutting down): no screen listens here.
            return
        loop.call_soon_threadsafe(deliver, changes)

    async def run(self, deliver: Deliver, *, listening: asyncio.Event) -> None:
        self._loop, self._deliver = asyncio.get_running_loop(), deliver
        listening.set()
        try:
            await asyncio.Event().wait()
        finally:
            self._loop = self._deliver = None


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL `database_url` as libpq (and so psycopg) takes it."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PostgresNotifier:
    """For replicas on one PostgreSQL: NOTIFY on `CHANNEL`, and a connection that LISTENs."""

    def __init__(self, *, engine: Engine, database_url: str) -> None:
        self._engine = engine
        self._conninfo = libpq_url(database_url)

    def send(self, changes: Changes) -> None:
        try:
            with self._engine.connect() as connection:
                for part in changes.split(MAX_PARTS_PER_NOTIFY):
                    connection.execute(
                        text("SELECT pg_notify(:channel, :payload)"),
                        {"channel": CHANNEL, "payload": part.to_json()},
                    )
                connection.commit()
        except SQLAlchemyError:
            # The change is stored; screens learn of it at their next poll instead.
            logger.exception("could not announce a change to the push channel")

    async def run(self, deliver: Deliver, *, listening: asyncio.Event) -> None:
        failures = 0
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True
                ) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    listening.set()
                    if failures:
                        # Whatever was announced while we were away is lost: everyone refetches.
                        logger.info("listening for push changes again")
                        deliver(Changes(content=True))
                    failures = 0
                    async for notification in connection.notifies():
                        self._receive(notification.payload, deliver)
            except psycopg.OperationalError as exc:
                delay = RECONNECT_DELAYS_S[min(failures, len(RECONNECT_DELAYS_S) - 1)]
                failures += 1
                logger.warning(
                    "lost the push channel's LISTEN connection (%s); again in %g s", exc, delay
                )
                await asyncio.sleep(delay)

    @staticmethod
    def _receive(payload: str, deliver: Deliver) -> None:
        try:
            changes = Changes.from_json(payload)
        except ValueError:
            logger.warning("ignored a malformed push notification: %.200s", payload)
            return
        deliver(changes)


def notifier_for(engine: Engine, database_url: str) -> Notifier:
    """LISTEN/NOTIFY on PostgreSQL, where replicas may share the database; else in memory."""
    if engine.dialect.name == "postgresql":
        return PostgresNotifier(engine=engine, database_url=database_url)
    return InProcessNotifier()
