"""Puts the alerts in force on the stage page by page, and says when each has been seen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from player.alert_rotation import TURN_S, AlertRotation
from player.alert_views import AlertView
from player.ui.stage import Stage
from playlists.manifest import Manifest

TURN_MS = round(TURN_S * 1000)
# Frames to wait after QML says an alert is in view: the first may have been drawn from the
# scene as it was just before (a threaded render loop syncs ahead), the second cannot.
FRAMES_TO_PRESENT = 2


class AlertScreen(QObject):
    """Follows the manifest and the clock: which alert page the stage shows, for how long."""

    # A full-screen alert has taken the screen (True) or given it back (False).
    holding_changed = Signal(bool)
    # An alert (id, version) is on the display for the first time, at this trusted time.
    displayed = Signal(str, int, object)

    def __init__(
        self,
        *,
        stage: Stage,
        clock: Callable[[], datetime],
        turn_ms: int = TURN_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._stage = stage
        self._clock = clock
        self._rotation = AlertRotation()
        self._manifest: Manifest | None = None
        self._active = False
        self._page: tuple[str, int, str] | None = None
        self._holding = False
        # Alerts (id, version) whose display has been announced (a few a day: kept), and those
        # waiting for their frames.
        self._reported: set[tuple[str, int]] = set()
        self._awaiting: list[tuple[str, int]] = []
        self._frames_left = 0

        self._turn_timer = QTimer(self)
        self._turn_timer.setObjectName("alert-turn-timer")
        self._turn_timer.setSingleShot(True)
        self._turn_timer.setInterval(turn_ms)
        self._turn_timer.timeout.connect(self._next_turn)
        stage.alert_shown.connect(self._on_alert_shown)

    @property
    def holding(self) -> bool:
        """Whether a full-screen alert has the screen: the slides wait meanwhile."""
        return self._holding

    def start(self) -> None:
        """Show the alerts in force from now on."""
        self._active = True
        self.refresh()

    def stop(self) -> None:
        """Show no alert (a screen being paired belongs to no location)."""
        self._active = False
        self._rotation.clear()
        self._show(None)
        if self._awaiting:
            self._stage.frame_swapped.disconnect(self._on_frame_swapped)
            self._awaiting = []

    def set_manifest(self, manifest: Manifest) -> None:
        """A new manifest: a new, updated or withdrawn alert shows or goes at once."""
        self._manifest = manifest
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """What is in force now (the clock ticks): an alert expires or takes effect on time."""
        manifest = self._manifest
        if not self._active or manifest is None:
            return
        self._show(
            self._rotation.update(manifest.alerts, location=manifest.location, now=self._clock())
        )

    @Slot()
    def _next_turn(self) -> None:
        self._show(self._rotation.next_turn())
        if self._page is not None:
            self._turn_timer.start()

    def _show(self, view: AlertView | None) -> None:
        self._stage.set_alert(view)
        page = (
            None if view is None else (view["alertId"], view["version"], view["texts"][0]["lang"])
        )
        if page != self._page:
            self._page = page
            if page is None:
                self._turn_timer.stop()
            else:
                self._turn_timer.start()
        holding = view is not None and view["layout"] == "fullscreen"
        if holding != self._holding:
            self._holding = holding
            self.holding_changed.emit(holding)

    @Slot(str, int)
    def _on_alert_shown(self, alert_id: str, version: int) -> None:
        key = (alert_id, version)
        if not self._active or key in self._reported or key in self._awaiting:
            return
        if not self._awaiting:
            self._stage.frame_swapped.connect(self._on_frame_swapped)
        self._awaiting.append(key)
        self._frames_left = FRAMES_TO_PRESENT
        self._stage.request_frame()

    @Slot()
    def _on_frame_swapped(self) -> None:
        self._frames_left -= 1
        if self._frames_left > 0:
            self._stage.request_frame()
            return
        self._stage.frame_swapped.disconnect(self._on_frame_swapped)
        awaiting, self._awaiting = self._awaiting, []
        now = self._clock()
        for alert_id, version in awaiting:
            self._reported.add((alert_id, version))
            self.displayed.emit(alert_id, version, now)
