"""Drives the slides: asks `Playback` what comes next at each deadline and presents it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from player.playback import Playback, Showing
from player.slides import SlideView, file_url, idle_view, slide_view, unpaired_view
from player.ui.stage import Stage
from playlists.manifest import Manifest, referenced_assets

logger = logging.getLogger(__name__)

# While nothing can play, look again this often: a file may have arrived or a window opened.
IDLE_RECHECK_MS = 5_000
# A fresh slide stays at least this long, so that a schedule quirk cannot spin the CPU.
MIN_SLIDE_MS = 100
CLOCK_TICK_MS = 1_000


class Controller(QObject):
    """Owns the playback state and the two timers that move the screen along."""

    # Each new slot on screen (a `player.playback.Showing`), or None for the idle card.
    showing_changed = Signal(object)

    def __init__(
        self,
        *,
        stage: Stage,
        is_cached: Callable[[str], bool],
        asset_path: Callable[[str], Path],
        clock: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._stage = stage
        self._is_cached = is_cached
        self._asset_path = asset_path
        self._clock = clock
        # Files that are in the cache but do not decode; their items are skipped from now on.
        self._broken: set[str] = set()
        self._presented: SlideView | None = None
        self._presented_assets: dict[str, str] = {}
        self._running = False
        self.playback = Playback(is_cached=self._usable)

        self._slide_timer = QTimer(self)
        self._slide_timer.setObjectName("slide-timer")
        self._slide_timer.setSingleShot(True)
        self._slide_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._slide_timer.timeout.connect(self.advance)

        self._clock_timer = QTimer(self)
        self._clock_timer.setObjectName("clock-timer")
        self._clock_timer.setInterval(CLOCK_TICK_MS)
        self._clock_timer.timeout.connect(self._tick_clock)

        stage.slide_failed.connect(self._on_slide_failed)

    def start(self) -> None:
        """Put the first slide (or the idle card) on screen and keep going."""
        self._running = True
        self._clock_timer.start()
        self._tick_clock()
        self.advance()

    def stop(self) -> None:
        self._running = False
        self._slide_timer.stop()
        self._clock_timer.stop()

    def show_unpaired(self) -> None:
        """Show that the screen is not paired yet, and nothing else."""
        self._running = False
        self._slide_timer.stop()
        self._clock_timer.start()
        self._present(unpaired_view())

    @Slot(object)
    def set_manifest(self, manifest: Manifest) -> None:
        """Swap in a newer manifest (from the sync thread) without interrupting needlessly."""
        self.playback.set_manifest(manifest)
        self._stage.set_location_name(manifest.location.name)
        self._tick_clock()
        if not self._running:
            return
        showing = self.playback.showing
        if showing is None:
            self.advance()
        else:
            self._arm(showing, floor_ms=0)

    @Slot()
    def advance(self) -> None:
        """Show whatever comes next now; the slide timer calls this at each deadline."""
        if not self._running:
            return
        try:
            showing = self.playback.advance(self._clock())
            view = self._view_of(showing)
        except Exception:
            # The playback loop's boundary: whatever went wrong, the last slide stays up.
            logger.exception("could not work out the next slide; keeping the current one")
            self._slide_timer.start(IDLE_RECHECK_MS)
            return
        if showing is None:
            self._presented_assets = {}
        else:
            item = showing.slot.item
            self._presented_assets = {
                file_url(self._asset_path(sha)): sha for sha in referenced_assets(item)
            }
        self._present(view)
        self._arm(showing, floor_ms=MIN_SLIDE_MS)
        self.showing_changed.emit(showing)

    def _view_of(self, showing: Showing | None) -> SlideView:
        manifest = self.playback.manifest
        if showing is None or manifest is None:
            return idle_view(manifest.location if manifest is not None else None)
        return slide_view(
            showing.slot.item, location=manifest.location, asset_path=self._asset_path
        )

    def _present(self, view: SlideView) -> None:
        # The same slide again (a one-slide playlist, the idle card) needs no new fade.
        if view == self._presented:
            return
        self._presented = view
        self._stage.present(view)

    def _arm(self, showing: Showing | None, *, floor_ms: int) -> None:
        if showing is None:
            self._slide_timer.start(IDLE_RECHECK_MS)
            return
        remaining_ms = (showing.deadline - self._clock()).total_seconds() * 1000
        # Never longer than the slide itself: after the clock was set back, the old deadline
        # lies far ahead and the screen would freeze on one slide.
        longest_ms = showing.slot.duration_s * 1000
        self._slide_timer.start(round(max(floor_ms, min(remaining_ms, longest_ms))))

    def _usable(self, sha256: str) -> bool:
        return sha256 not in self._broken and self._is_cached(sha256)

    @Slot(str)
    def _on_slide_failed(self, image_url: str) -> None:
        sha = self._presented_assets.get(image_url)
        if sha is None:
            return
        self._broken.add(sha)
        showing = self.playback.showing
        item_id = showing.slot.item.id if showing is not None else "?"
        logger.error("skipping item %s: its image %s cannot be shown", item_id, image_url)
        self._presented = None
        self.advance()

    @Slot()
    def _tick_clock(self) -> None:
        manifest = self.playback.manifest
        if manifest is None:
            # Without a manifest the screen's time zone is unknown; a wrong time is worse.
            self._stage.set_clock_text("")
            return
        local = self._clock().astimezone(manifest.location.zone)
        self._stage.set_clock_text(local.strftime("%H:%M"))
