"""Acknowledges each alert version once it is on screen, from a worker thread of its own.

`AlertAcknowledgements` lives on the GUI thread: it notes when each alert version
arrived (the manifest carrying it was applied) and, when the controller says the
alert's first frame is on the display (`Controller.alert_displayed`), hands the
acknowledgement to `AcknowledgementThread`, which writes and sends it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QObject, QThread, Slot

from player.acknowledgements import Acknowledger
from playlists.manifest import Manifest


class AcknowledgementThread(QThread):
    """Runs `Acknowledger.run()` until stopped."""

    def __init__(self, acknowledger: Acknowledger, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("acknowledgement-thread")
        self.acknowledger = acknowledger

    def run(self) -> None:
        self.acknowledger.run()

    def stop(self) -> None:
        """Wait until the acknowledgements handed over are on disk (sending them is left to
        the next start when the network is slow: the loop stops between sends)."""
        self.acknowledger.stop()
        self.wait()
        self.acknowledger.close()


class Acknowledging(Protocol):
    """What `AlertAcknowledgements` needs of `player.acknowledgements.Acknowledger`."""

    def acknowledge(
        self, *, alert: str, version: int, received_at: datetime, displayed_at: datetime
    ) -> None: ...


class AlertAcknowledgements(QObject):
    """Acknowledges every alert version the screen shows, once per run of the player."""

    def __init__(
        self,
        *,
        acknowledger: Acknowledging,
        clock: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._acknowledger = acknowledger
        self._clock = clock
        self._received: dict[tuple[str, int], datetime] = {}
        self._acknowledged: set[tuple[str, int]] = set()

    @Slot(object)
    def manifest_applied(self, manifest: Manifest) -> None:
        """A new manifest is on the controller: note when its alert versions arrived."""
        now = self._clock()
        for alert in manifest.alerts:
            self._received.setdefault((alert.id, alert.version), now)

    @Slot(str, int, object)
    def alert_displayed(self, alert_id: str, version: int, displayed_at: datetime) -> None:
        """`version` of the alert became visible at `displayed_at`."""
        key = (alert_id, version)
        if key in self._acknowledged:
            return
        self._acknowledged.add(key)
        self._acknowledger.acknowledge(
            alert=alert_id,
            version=version,
            received_at=self._received.get(key, displayed_at),
            displayed_at=displayed_at,
        )
