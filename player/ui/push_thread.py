"""Listens to the push channel on its own thread and says so whenever the server has news."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QThread, Signal

from player.push import ServerEvent

logger = logging.getLogger(__name__)


class Listener(Protocol):
    """What the thread needs of `player.push.PushClient`."""

    def listen(self, on_event: Callable[[ServerEvent], None]) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


class PushThread(QThread):
    """Runs `PushClient.listen()` until stopped.

    `event_received` is emitted from this thread. The player connects it to the
    sync thread's `sync_now` directly (not queued through the GUI thread), so a
    busy slide change cannot hold up an alert.
    """

    # The event's type ("manifest-changed", "alert"), as it arrives.
    event_received = Signal(str)

    def __init__(self, listener: Listener, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("push-thread")
        self._listener = listener

    def run(self) -> None:
        try:
            self._listener.listen(self._on_event)
        except Exception:
            # The push loop's boundary: polling goes on without the channel.
            logger.exception("the push channel stopped; the screen polls for changes")

    def _on_event(self, event: ServerEvent) -> None:
        logger.info("push: %s %s", event.name, event.data)
        self.event_received.emit(event.name)

    def stop(self) -> None:
        """Cut the stream and wait for the thread (at once: nothing waits on the network)."""
        self._listener.stop()
        self.wait()
        self._listener.close()
