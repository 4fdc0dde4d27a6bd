"""Delivery confirmation: telling the server an alert is on screen, kept on disk until it heard.

The duty officer watches the screens confirm an alert one by one, so each
acknowledgement goes out the moment it is made. One that cannot (the network is
away) waits in an outbox on disk, and is sent when the server answers again —
an acknowledgement from a screen that was offline still tells the operator when
the alert reached it.
"""

from __future__ import annotations

import logging
import queue
import threading
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from player.errors import ServerError, SyncError
from player.outbox import Outbox
from playlists.manifest import Identifier
from playlists.reports import AlertShown

logger = logging.getLogger(__name__)

# An acknowledgement is small; a screen shows few alerts. This is years of them.
MAX_PENDING = 1000
# After a failed send: again after this long, doubling up to the last.
RETRY_DELAYS_S = (5.0, 10.0, 30.0, 60.0)
# A refusal that will never turn into an acceptance: dropped, not retried in front of the rest.
_UNACCEPTABLE = frozenset({400, 404, 413, 422})


class PendingAck(BaseModel):
    """An acknowledgement waiting to be sent: the manifest's alert id and what was shown."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    alert: Identifier
    shown: AlertShown


class AckOutbox(Outbox[PendingAck]):
    def __init__(self, path: Path, *, max_records: int = MAX_PENDING) -> None:
        super().__init__(
            path, model=PendingAck, what="alert acknowledgement", max_records=max_records
        )


class AckSender(Protocol):
    """What the acknowledger needs of `player.monitoring.MonitoringClient`."""

    def send_alert_shown(self, alert: str, shown: AlertShown) -> None: ...

    def close(self) -> None: ...


class Acknowledger:
    """Takes acknowledgements from any thread; its loop (`run`, on a worker thread) writes
    them to the outbox and sends them, so the caller never waits for the disk or the network.
    """

    def __init__(self, *, sender: AckSender, outbox: AckOutbox) -> None:
        self._sender = sender
        self._outbox = outbox
        self._inbox: queue.SimpleQueue[PendingAck] = queue.SimpleQueue()
        self._woken = threading.Event()
        self._stopping = threading.Event()

    @property
    def pending(self) -> int:
        return len(self._outbox)

    def acknowledge(
        self, *, alert: str, version: int, received_at: datetime, displayed_at: datetime
    ) -> None:
        """Note that `version` of `alert` is on screen; it is sent (or kept) by `run`."""
        shown = AlertShown(version=version, received_at=received_at, displayed_at=displayed_at)
        self._inbox.put(PendingAck(alert=alert, shown=shown))
        self._woken.set()

    def flush(self) -> bool:
        """Send what waits, oldest first; False when the server could not be reached."""
        while batch := self._outbox.oldest(1):
            [queued] = batch
            pending = queued.record
            try:
                self._sender.send_alert_shown(pending.alert, pending.shown)
            except ServerError as exc:
                if exc.status not in _UNACCEPTABLE:
                    logger.warning("alert acknowledgement not sent, kept for later: %s", exc)
                    return False
                logger.error("dropped the acknowledgement of %s: %s", pending.alert, exc)
            except SyncError as exc:
                logger.warning("alert acknowledgement not sent, kept for later: %s", exc)
                return False
            else:
                logger.info("acknowledged %s version %d", pending.alert, pending.shown.version)
            self._outbox.acknowledge(queued.seq)
        return True

    def run(self) -> None:
        """Send acknowledgements as they come, retrying while the server is away, until `stop`.

        Starts with what an earlier run left in the outbox; ends with every acknowledgement
        handed over on disk.
        """
        delay: float | None = 0
        failures = 0
        while True:
            self._woken.wait(delay)
            self._woken.clear()
            while not self._inbox.empty():
                self._outbox.append(self._inbox.get_nowait())
            if self._stopping.is_set():
                return
            if self.flush():
                failures, delay = 0, None
            else:
                delay = RETRY_DELAYS_S[min(failures, len(RETRY_DELAYS_S) - 1)]
                failures += 1

    def stop(self) -> None:
        """Make `run` return once what was handed over is on disk."""
        self._stopping.set()
        self._woken.set()

    def close(self) -> None:
        """Let go of the connection to the server; call after `run` has returned."""
        self._sender.close()
