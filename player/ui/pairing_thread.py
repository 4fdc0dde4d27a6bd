"""Runs the pairing of a new screen on its own thread: a code to show, then the device token."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QThread, Signal

from player.pairing import Enrollment, PairedScreen
from player.sync import SyncError

logger = logging.getLogger(__name__)


class PairingThread(QThread):
    """Asks for a code, then whether it was claimed, until this player is a screen.

    Its signals are emitted from the pairing thread and arrive queued on the GUI thread.
    """

    # The code to show, as the server issued it ("K7M4PX"); again whenever it changes.
    code_changed = Signal(str)
    # The player is a screen now: its device token (already stored).
    paired = Signal(str)
    # Why the last attempt failed; the code on screen (if any) stays valid.
    pairing_failed = Signal(str)

    def __init__(
        self, enrollment: Enrollment, *, retry_s: float, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pairing-thread")
        self._enrollment = enrollment
        self._retry_s = retry_s
        self._stopping = threading.Event()

    def run(self) -> None:
        shown = ""
        while not self._stopping.is_set():
            try:
                state = self._enrollment.step()
            except SyncError as exc:
                logger.warning("pairing: %s; trying again in %g s", exc, self._retry_s)
                self.pairing_failed.emit(str(exc))
                self._stopping.wait(self._retry_s)
                continue
            except Exception as exc:
                # The pairing loop's boundary: log with context, keep asking.
                logger.exception("pairing crashed; trying again in %g s", self._retry_s)
                self.pairing_failed.emit(f"unexpected {type(exc).__name__}: {exc}")
                self._stopping.wait(self._retry_s)
                continue
            if isinstance(state, PairedScreen):
                self.paired.emit(state.token)
                return
            if state.code != shown:
                shown = state.code
                self.code_changed.emit(shown)
            self._stopping.wait(state.poll_interval_s)

    def stop(self) -> None:
        """End the loop (waiting for the one request in flight at most) and its connections."""
        self._stopping.set()
        self.wait()
        self._enrollment.close()
