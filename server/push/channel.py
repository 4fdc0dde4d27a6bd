"""The push channel as a whole: started and stopped with the app, fed after every commit."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from sqlalchemy import Engine

from server.clock import Clock
from server.push.changes import Changes
from server.push.dispatch import Dispatcher
from server.push.hub import PushHub
from server.push.notifiers import Notifier, notifier_for

logger = logging.getLogger(__name__)

LISTENING_WITHIN_S = 10.0


class PushChannel:
    """This process's hub, the notifier that feeds it and the dispatcher in between.

    `announce` is called after a commit, from whichever thread committed; changes
    arriving together are handled as one, in order, on the event loop.
    """

    def __init__(
        self,
        *,
        engine: Engine,
        database_url: str,
        clock: Clock,
        horizon: timedelta,
        keepalive_s: float,
        notifier: Notifier | None = None,
    ) -> None:
        self.keepalive_s = keepalive_s
        self.hub = PushHub()
        self.dispatcher = Dispatcher(hub=self.hub, engine=engine, clock=clock, horizon=horizon)
        self._notifier = notifier if notifier is not None else notifier_for(engine, database_url)
        self._pending: asyncio.Queue[Changes] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []

    def announce(self, changes: Changes) -> None:
        """Tell every server process's screens about `changes`, committed just now."""
        self._notifier.send(changes)

    async def start(self) -> None:
        listening = asyncio.Event()
        self._tasks = [
            asyncio.create_task(
                self._notifier.run(self._pending.put_nowait, listening=listening),
                name="push-notifier",
            ),
            asyncio.create_task(self._dispatch(), name="push-dispatch"),
        ]
        # A change committed before the notifier listens would reach no screen until it polls.
        try:
            await asyncio.wait_for(listening.wait(), LISTENING_WITHIN_S)
        except TimeoutError:
            logger.warning(
                "the push channel is not listening yet after %g s; screens poll meanwhile",
                LISTENING_WITHIN_S,
            )

    async def stop(self) -> None:
        self.hub.close()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _dispatch(self) -> None:
        while True:
            changes = await self._pending.get()
            while not self._pending.empty():
                changes |= self._pending.get_nowait()
            try:
                await self.dispatcher.handle(changes)
            except Exception:
                # The dispatch loop's boundary: screens still poll; the next change tries again.
                logger.exception("could not push %s to the screens", changes)
