"""Runs `sync_once()` on its own thread: at start, every poll interval, and at once when woken."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from PySide6.QtCore import QObject, QThread, Signal, Slot

from player.sync import DeviceNotAuthorised, SyncError
from playlists.manifest import Manifest

logger = logging.getLogger(__name__)


class SyncOutcome(Protocol):
    @property
    def manifest(self) -> Manifest: ...

    @property
    def changed(self) -> bool: ...


class Syncer(Protocol):
    """What the thread needs of `player.sync.SyncClient`."""

    def sync_once(self) -> SyncOutcome: ...


class SyncThread(QThread):
    """Keeps the cache and manifest fresh without ever blocking the GUI thread.

    Its signals are emitted from the sync thread and, being connected to objects
    of the GUI thread, arrive there queued.
    """

    # A manifest whose files are all cached and that differs from the one before.
    manifest_changed = Signal(object)
    # Why a sync failed; the screen keeps playing what it has.
    sync_failed = Signal(str)
    # The server refused the device token (after `sync_failed`): revoked, or never known.
    device_refused = Signal(str)
    # A sync completed, whether or not anything changed.
    sync_succeeded = Signal()

    def __init__(self, syncer: Syncer, *, interval_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync-thread")
        self._syncer = syncer
        self._interval_s = interval_s
        self._stopping = threading.Event()
        self._woken = threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            # Cleared before the sync: a wake-up arriving during it brings another one.
            self._woken.clear()
            self._sync_once()
            # Sleeps on an event rather than a timer so that stop() and sync_now() wake it.
            self._woken.wait(self._interval_s)

    @Slot()
    def sync_now(self) -> None:
        """Sync at once rather than at the next poll (the push channel said something changed).

        Safe from any thread; wake-ups during a sync make one more, not one each.
        """
        self._woken.set()

    def stop(self) -> None:
        """Ask the loop to end and wait for it (at most one sync in flight, bounded by its
        HTTP timeout)."""
        self._stopping.set()
        self._woken.set()
        self.wait()

    def _sync_once(self) -> None:
        try:
            outcome = self._syncer.sync_once()
        except SyncError as exc:
            logger.warning("sync failed, playing on from the cache: %s", exc)
            self.sync_failed.emit(str(exc))
            if isinstance(exc, DeviceNotAuthorised):
                self.device_refused.emit(str(exc))
            return
        except Exception as exc:
            # The sync loop's boundary: log with context, keep the loop and the screen alive.
            logger.exception("sync crashed, playing on from the cache")
            self.sync_failed.emit(f"unexpected {type(exc).__name__}: {exc}")
            return
        self.sync_succeeded.emit()
        if outcome.changed:
            self.manifest_changed.emit(outcome.manifest)
