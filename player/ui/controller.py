"""Drives the slides: asks `Playback` what comes next, prepares it, and presents it in time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from player.alert_views import ticker_texts
from player.clock_trust import ClockTrust
from player.playback import Playback, Showing
from player.slides import SlideView, file_url, idle_view, slide_views
from player.ui.alert_screen import TURN_MS, AlertScreen
from player.ui.stage import Stage
from playlists import schedule
from playlists.manifest import Manifest, referenced_assets
from playlists.ticker import ticker_in_force

logger = logging.getLogger(__name__)

# While nothing can play, look again this often: a file may have arrived or a window opened.
IDLE_RECHECK_MS = 5_000
# A fresh slide stays at least this long, so that a schedule quirk cannot spin the CPU.
MIN_SLIDE_MS = 100
CLOCK_TICK_MS = 1_000
# The next slide is loaded this long before its turn: a clip has its first frame decoded and
# a picture is scaled by the time the fade begins.
PREPARE_AHEAD_MS = 2_000


class Controller(QObject):
    """Owns the playback state and the timers that move the screen along."""

    # Each new slot on screen (a `player.playback.Showing`), or None for the idle card, and
    # while the slides stand still (display off, a full-screen alert).
    showing_changed = Signal(object)
    # An alert (id, version) has been seen on the display for the first time: emitted once the
    # frame with it was presented, with the trusted time (`clock_trust.now()`) of that moment.
    alert_displayed = Signal(str, int, object)

    def __init__(
        self,
        *,
        stage: Stage,
        is_cached: Callable[[str], bool],
        asset_path: Callable[[str], Path],
        clock: Callable[[], datetime],
        alert_turn_ms: int = TURN_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._stage = stage
        self._is_cached = is_cached
        self._asset_path = asset_path
        # Everything here goes by the clock trust's time, never earlier than a manifest was made.
        self.clock_trust = ClockTrust(system_clock=clock)
        self._clock = self.clock_trust.now
        # Files that are in the cache but do not decode; their items are skipped from now on.
        self._broken: set[str] = set()
        self._presented: SlideView | None = None
        self._presented_assets: dict[str, str] = {}
        # The turns still to come within the slot on screen (its other languages).
        self._turns: list[SlideView] = []
        # What the stage holds out of sight for the next turn: its item and its files by URL.
        self._prepared_item: str | None = None
        self._prepared_assets: dict[str, str] = {}
        self._running = False
        # Stopped by `pause` (outside opening hours), to go on at `resume`.
        self._paused = False
        # A full-screen alert has the screen: the slides wait where they are, counting nothing.
        self._held = False
        self.playback = Playback(is_cached=self._usable)
        self.alerts = AlertScreen(
            stage=stage, clock=self._clock, turn_ms=alert_turn_ms, parent=self
        )
        self.alerts.displayed.connect(self.alert_displayed)
        self.alerts.holding_changed.connect(self._on_alert_holding)

        self._slide_timer = QTimer(self)
        self._slide_timer.setObjectName("slide-timer")
        self._slide_timer.setSingleShot(True)
        self._slide_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._slide_timer.timeout.connect(self.advance)

        self._prepare_timer = QTimer(self)
        self._prepare_timer.setObjectName("prepare-timer")
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.timeout.connect(self._prepare_next)

        self._language_timer = QTimer(self)
        self._language_timer.setObjectName("language-timer")
        self._language_timer.timeout.connect(self._next_turn)

        self._clock_timer = QTimer(self)
        self._clock_timer.setObjectName("clock-timer")
        self._clock_timer.setInterval(CLOCK_TICK_MS)
        self._clock_timer.timeout.connect(self._tick_clock)

        stage.slide_failed.connect(self._on_slide_failed)
        stage.slide_ended.connect(self._on_slide_ended)

    def start(self) -> None:
        """Put the first slide (or the idle card) on screen and keep going."""
        if self.playback.manifest is not None:
            self._stage.set_location_name(self.playback.manifest.location.name)
        self._running = True
        self._clock_timer.start()
        self.alerts.start()
        self._tick_clock()
        self.advance()

    def stop(self) -> None:
        self._stop_slides()
        self._clock_timer.stop()
        self.alerts.stop()

    def pause(self) -> None:
        """Stop moving on while the display is off: nothing counts as played meanwhile."""
        if not self._running:
            return
        self._stop_slides()
        self._paused = True
        self.showing_changed.emit(None)

    def resume(self) -> None:
        """Go on after `pause`, with whatever comes next now."""
        if self._paused:
            self._paused = False
            self._running = True
            self.advance()

    @property
    def now(self) -> datetime:
        """The time the player goes by (see `player.clock_trust`)."""
        return self._clock()

    def show_pairing(self, view: SlideView) -> None:
        """Show how to pair the screen (`player.slides.pairing_view`), and nothing else."""
        was_running = self._running
        self._stop_slides()
        self._paused = False
        # Until it is paired (again), the screen belongs to no location and tells no time.
        self._clock_timer.stop()
        self.alerts.stop()
        self._stage.set_location_name("")
        self._stage.set_clock_text("")
        self._stage.set_ticker([])
        if was_running:
            self.showing_changed.emit(None)
        self._present(view)

    @Slot(object)
    def set_manifest(self, manifest: Manifest) -> None:
        """Swap in a newer manifest (from the sync thread) without interrupting needlessly."""
        self.clock_trust.learn(manifest.generated_at)
        self.playback.set_manifest(manifest)
        self._stage.set_location_name(manifest.location.name)
        self.alerts.set_manifest(manifest)
        self._tick_clock()
        if not self._running or self._held:
            return
        showing = self.playback.showing
        if showing is None:
            self.advance()
        else:
            self._arm(showing, floor_ms=0)

    @Slot()
    def advance(self) -> None:
        """Show whatever comes next now; the slide timer calls this at each deadline."""
        if not self._running or self._held:
            return
        self._language_timer.stop()
        try:
            showing = self.playback.advance(self._clock())
            turns = self._views_of(showing.slot if showing is not None else None)
        except Exception:
            # The playback loop's boundary: whatever went wrong, the last slide stays up.
            logger.exception("could not work out the next slide; keeping the current one")
            self._slide_timer.start(IDLE_RECHECK_MS)
            return
        self._presented_assets = self._assets_of(showing.slot if showing is not None else None)
        self._present(turns[0])
        self._turns = turns[1:]
        delay_ms = self._arm(showing, floor_ms=MIN_SLIDE_MS)
        if self._turns:
            # The languages share the slot equally.
            self._language_timer.start(delay_ms // len(turns))
        self.showing_changed.emit(showing)

    def _stop_slides(self) -> None:
        self._running = False
        self._stop_timers()

    def _stop_timers(self) -> None:
        for timer in (self._slide_timer, self._prepare_timer, self._language_timer):
            timer.stop()

    @Slot(bool)
    def _on_alert_holding(self, holding: bool) -> None:
        """A full-screen alert came (the slides stop where they are) or went (they go on)."""
        self._held = holding
        if not self._running:
            return
        if holding:
            self._stop_timers()
            self.showing_changed.emit(None)
        else:
            self.advance()

    @Slot()
    def _next_turn(self) -> None:
        """The slot's next language takes the screen."""
        if not self._turns:
            self._language_timer.stop()
            return
        self._present(self._turns.pop(0))
        if not self._turns:
            self._language_timer.stop()
            self._prepare_timer.start(max(0, self._slide_timer.remainingTime() - PREPARE_AHEAD_MS))

    def _views_of(self, slot: schedule.Slot | None) -> list[SlideView]:
        """The slot's turns (one per language where the location alternates them)."""
        manifest = self.playback.manifest
        if slot is None or manifest is None:
            return [idle_view(manifest.location if manifest is not None else None)]
        return slide_views(slot.item, location=manifest.location, asset_path=self._asset_path)

    def _assets_of(self, slot: schedule.Slot | None) -> dict[str, str]:
        """The files a slot shows, by the URL QML reports a failure with."""
        if slot is None:
            return {}
        return {file_url(self._asset_path(sha)): sha for sha in referenced_assets(slot.item)}

    def _present(self, view: SlideView) -> None:
        # The same slide again (a one-slide playlist, the idle card) needs no new fade; a clip
        # does, since it has played to its end and must start again.
        if view == self._presented and view["kind"] != "video":
            return
        self._presented = view
        self._prepared_item = None
        self._stage.present(view)

    def _arm(self, showing: Showing | None, *, floor_ms: int) -> int:
        """Start the slide and prepare timers for `showing`; the milliseconds until it ends."""
        if showing is None:
            self._slide_timer.start(IDLE_RECHECK_MS)
            self._prepare_timer.stop()
            return IDLE_RECHECK_MS
        remaining_ms = (showing.deadline - self._clock()).total_seconds() * 1000
        # Never longer than the slide itself: after the clock was set back, the old deadline
        # lies far ahead and the screen would freeze on one slide.
        longest_ms = showing.slot.duration_s * 1000
        delay_ms = round(max(floor_ms, min(remaining_ms, longest_ms)))
        self._slide_timer.start(delay_ms)
        self._prepare_timer.start(max(0, delay_ms - PREPARE_AHEAD_MS))
        return delay_ms

    @Slot()
    def _prepare_next(self) -> None:
        """Have the stage load the slide that follows the current one, out of sight."""
        showing = self.playback.showing
        # While other languages are still to come, they need the layer the slide would take;
        # the last of them prepares it.
        if not self._running or self._held or showing is None or self._turns:
            return
        due = self._clock() + timedelta(milliseconds=self._slide_timer.remainingTime())
        try:
            slot = self.playback.upcoming(due)
            view = self._views_of(slot)[0]
        except Exception:
            # The playback loop's boundary: without a prepared slide the next one simply
            # loads at its turn.
            logger.exception("could not work out the slide after %s", showing.slot.item.id)
            return
        if slot is None or (view == self._presented and view["kind"] != "video"):
            return
        self._prepared_item = slot.item.id
        self._prepared_assets = self._assets_of(slot)
        self._stage.prepare(view)

    def _usable(self, sha256: str) -> bool:
        return sha256 not in self._broken and self._is_cached(sha256)

    @Slot(str)
    def _on_slide_failed(self, url: str) -> None:
        showing = self.playback.showing
        if url in self._presented_assets:
            item_id = showing.slot.item.id if showing is not None else "?"
            self._skip_broken(item_id, self._presented_assets[url], url)
            self._presented = None
            self.advance()
        elif url in self._prepared_assets and self._prepared_item is not None:
            self._skip_broken(self._prepared_item, self._prepared_assets[url], url)
            self._prepared_item = None
            # Found before its turn: prepare whatever comes instead.
            self._prepare_next()

    def _skip_broken(self, item_id: str, sha256: str, url: str) -> None:
        if sha256 in self._broken:
            return
        self._broken.add(sha256)
        logger.error("skipping item %s: its file %s cannot be shown", item_id, url)

    @Slot(str)
    def _on_slide_ended(self, item_id: str) -> None:
        """A clip reached its end before its slot did: the next slide comes now."""
        showing = self.playback.showing
        if self._running and showing is not None and showing.slot.item.id == item_id:
            self.advance()

    @Slot()
    def _tick_clock(self) -> None:
        manifest = self.playback.manifest
        now = self._clock()
        self.alerts.refresh()
        if manifest is not None:
            lines = ticker_in_force(manifest.ticker, now)
            self._stage.set_ticker(ticker_texts(lines, location=manifest.location))
        # Without a manifest the screen's time zone is unknown, and a system clock reading
        # earlier than the manifest is plainly wrong: no time is better than a wrong one.
        if manifest is None or self.clock_trust.report().behind_by is not None:
            self._stage.set_clock_text("")
            return
        self._stage.set_clock_text(now.astimezone(manifest.location.zone).strftime("%H:%M"))
