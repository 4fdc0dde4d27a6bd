"""Keeps the display on during the location's opening hours, and off (or black) outside them."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Slot

from player.display_power import DisplayPower
from player.ui.controller import Controller
from player.ui.stage import Stage
from playlists.schedule import is_open

logger = logging.getLogger(__name__)

# Opening hours are set to the minute; a quarter of one is late enough for anyone.
CHECK_MS = 15_000


class DisplaySchedule(QObject):
    """Checks the opening hours on a timer and switches display, slides and blackout.

    Outside the hours the power command turns the display off, the slides stop
    (nothing is played to an empty shop) and the screen goes black, which is what
    remains visible where the command does not work.
    """

    def __init__(
        self,
        *,
        controller: Controller,
        stage: Stage,
        power: DisplayPower,
        check_ms: int = CHECK_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._stage = stage
        self._power = power
        self._on: bool | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("display-timer")
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check)

    @property
    def display_on(self) -> bool | None:
        """Whether the display should be on now; None before the first check."""
        return self._on

    def start(self) -> None:
        self._timer.start()
        self.check()

    def suspend(self) -> None:
        """Stop following the hours, with the screen visible (to pair it again); `start` resumes."""
        self._timer.stop()
        self._on = None
        self._stage.set_blanked(False)

    def close(self) -> None:
        self._timer.stop()
        self._power.close()

    @Slot()
    def check(self) -> None:
        """Switch if the opening hours say so at the player's time; also after a new manifest."""
        manifest = self._controller.playback.manifest
        location = manifest.location if manifest is not None else None
        on = location is None or is_open(location, self._controller.now)
        if on == self._on:
            return
        first, self._on = self._on is None, on
        self._stage.set_blanked(not on)
        if on:
            self._controller.resume()
        else:
            self._controller.pause()
        # A display is on when the player starts; only opening hours may have left it off.
        if first and on and (location is None or not location.opening_hours):
            return
        logger.info("the display goes %s by the opening hours", "on" if on else "off")
        self._power.switch(on)
