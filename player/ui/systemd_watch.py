"""Tells systemd the player is ready once its first frame is up, and alive from the GUI thread."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QObject, QTimer, Slot

from player.systemd_notify import SystemdNotifier
from player.ui.stage import Stage


class SystemdWatch(QObject):
    """`READY=1` after the first finished fade, `WATCHDOG=1` from a timer on the GUI thread.

    The pings come from the GUI thread on purpose: while it hangs, they stop, and
    systemd restarts the player (`WatchdogSec=` in its unit).
    """

    def __init__(
        self,
        *,
        notifier: SystemdNotifier,
        stage: Stage,
        interval: timedelta | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._notifier = notifier
        self._stage = stage
        self._ready = False
        self._timer = QTimer(self)
        self._timer.setObjectName("watchdog-timer")
        if interval is not None:
            self._timer.setInterval(max(1, round(interval.total_seconds() * 1000)))
        self._interval = interval
        self._timer.timeout.connect(self._ping)
        stage.transition_finished.connect(self._first_frame)

    def start(self) -> None:
        if self._interval is not None:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if not self._ready:
            self._stage.transition_finished.disconnect(self._first_frame)
        self._notifier.notify("STOPPING=1")
        self._notifier.close()

    @Slot()
    def _first_frame(self) -> None:
        self._ready = True
        self._stage.transition_finished.disconnect(self._first_frame)
        self._notifier.notify("READY=1", "STATUS=Showing content")

    @Slot()
    def _ping(self) -> None:
        self._notifier.notify("WATCHDOG=1")
