"""Hooks monitoring into the running player: plays as slides change, screenshots of the window.

The GUI thread only notes what changed and grabs a frame when asked; writing
plays to disk, talking to the server and encoding screenshots happen on the
monitoring thread, so a slow SD card or a dead network never stalls a slide.
"""

from __future__ import annotations

import functools
import logging
import queue
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QImage, QImageWriter

from player.cache import AssetCache
from player.monitoring import (
    HeartbeatProbe,
    Monitor,
    MonitoringClient,
    NowPlaying,
    RecentErrors,
    play_report,
    player_version,
)
from player.play_queue import PlayQueue
from player.playback import Showing
from player.settings import PlayerSettings
from player.store import ManifestStore
from player.ui.controller import Controller
from player.ui.window import PlayerWindow
from player.updates import PlayerUpdater
from playlists.reports import PlayReport

logger = logging.getLogger(__name__)

# Wide enough to read a slide's text on the dashboard, small enough for a mobile link.
SCREENSHOT_WIDTH = 1280
SCREENSHOT_QUALITY = 80
# The player's modules log under "player": their warnings and errors go into the heartbeat.
REPORTED_LOGGER = "player"


def encode_screenshot(frame: QImage) -> bytes:
    """`frame` as a JPEG at most `SCREENSHOT_WIDTH` wide; safe off the GUI thread."""
    if frame.width() > SCREENSHOT_WIDTH:
        frame = frame.scaledToWidth(SCREENSHOT_WIDTH, Qt.TransformationMode.SmoothTransformation)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # A writer rather than QImage.save: PySide's save() refuses the bytes its stubs ask for.
    writer = QImageWriter(buffer, QByteArray(b"jpeg"))
    writer.setQuality(SCREENSHOT_QUALITY)
    if not writer.write(frame):
        raise OSError(f"could not encode the screenshot as JPEG: {writer.errorString()}")
    return bytes(buffer.data().data())


class _Stop:
    pass


_Task = PlayReport | QImage | _Stop


class MonitorThread(QThread):
    """Runs `Monitor.tick()` when it is due and works through what the GUI thread hands over."""

    # A screenshot is due or was requested: the GUI thread grabs a frame and hands it back.
    screenshot_wanted = Signal()

    def __init__(self, monitor: Monitor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monitor-thread")
        self._monitor = monitor
        self._inbox: queue.SimpleQueue[_Task] = queue.SimpleQueue()
        # One screenshot at a time: a request repeated before the frame is sent asks for nothing.
        self._frame_pending = False

    def submit_play(self, play: PlayReport) -> None:
        self._inbox.put(play)

    def submit_frame(self, frame: QImage) -> None:
        self._inbox.put(frame)

    def stop(self) -> None:
        """Finish what was handed over (plays reach the disk), then end the loop and wait."""
        self._inbox.put(_Stop())
        self.wait()

    def run(self) -> None:
        while True:
            wait_s = self._monitor.seconds_until_due()
            if wait_s <= 0:
                self._guarded(self._tick)
                continue
            try:
                task = self._inbox.get(timeout=wait_s)
            except queue.Empty:
                continue
            if isinstance(task, _Stop):
                return
            self._guarded(functools.partial(self._handle, task))

    def _tick(self) -> None:
        if self._monitor.tick() and not self._frame_pending:
            self._frame_pending = True
            self.screenshot_wanted.emit()

    def _handle(self, task: PlayReport | QImage) -> None:
        if isinstance(task, PlayReport):
            self._monitor.record_play(task)
            return
        self._frame_pending = False
        if task.isNull():
            logger.warning("screenshot skipped: the window gave no frame")
            return
        started = time.monotonic()
        data = encode_screenshot(task)
        if self._monitor.upload_screenshot(data, "image/jpeg"):
            logger.info(
                "screenshot uploaded (%d bytes, %.1f s)", len(data), time.monotonic() - started
            )

    def _guarded(self, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:
            # The monitoring loop's boundary: log it, keep reporting, never touch playback.
            logger.exception("monitoring failed; trying again at the next heartbeat")


class MonitoringHook(QObject):
    """Turns slide changes into proof of play, and screenshot requests into frames.

    Lives on the GUI thread; `start()` attaches it to the player, `stop()` records
    the slide on screen as played until then and waits for the queue to reach disk.
    A play starts at the controller's trusted time and lasts what the monotonic
    clock measured: a system clock set back or forth meanwhile changes neither.
    """

    def __init__(
        self,
        *,
        monitor: Monitor,
        errors: RecentErrors,
        controller: Controller,
        window: PlayerWindow,
        monotonic: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.monitor = monitor
        self._errors = errors
        self._controller = controller
        self._window = window
        self._monotonic = monotonic
        # The slot on screen, and the monotonic reading when it came.
        self._showing: tuple[Showing, float] | None = None
        self.worker = MonitorThread(monitor)
        self.worker.screenshot_wanted.connect(self._take_screenshot)
        self._running = False

    def start(self) -> None:
        logging.getLogger(REPORTED_LOGGER).addHandler(self._errors)
        self._controller.showing_changed.connect(self._on_showing_changed)
        self._running = True
        self.worker.start()

    def stop(self) -> None:
        if not self._running:
            return
        self._running = False
        self._controller.showing_changed.disconnect(self._on_showing_changed)
        self._finish()
        self.worker.stop()
        self.monitor.close()
        logging.getLogger(REPORTED_LOGGER).removeHandler(self._errors)

    @Slot(object)
    def _on_showing_changed(self, showing: Showing | None) -> None:
        self._finish()
        self._showing = (showing, self._monotonic()) if showing is not None else None
        manifest = self._controller.playback.manifest
        zone = manifest.location.zone if manifest is not None else UTC
        if showing is None:
            self.monitor.now_playing = NowPlaying(zone=zone)
        else:
            slot = showing.slot
            self.monitor.now_playing = NowPlaying(slot.item.id, slot.playlist_id, zone)

    def _finish(self) -> None:
        on_screen, self._showing = self._showing, None
        if on_screen is None:
            return
        showing, since = on_screen
        shown = timedelta(seconds=self._monotonic() - since)
        self.worker.submit_play(
            play_report(
                item=showing.slot.item.id,
                playlist=showing.slot.playlist_id,
                started_at=showing.started_at,
                ended_at=showing.started_at + shown,
            )
        )

    @Slot()
    def _take_screenshot(self) -> None:
        if self._running:
            self.worker.submit_frame(self._window.grab_frame())


def build_monitoring(
    settings: PlayerSettings,
    *,
    token: str,
    cache: AssetCache,
    store: ManifestStore,
    controller: Controller,
    window: PlayerWindow,
    clock: Callable[[], datetime],
    transport: httpx.BaseTransport | None = None,
    monotonic: Callable[[], float] = time.monotonic,
    display_on: Callable[[], bool | None] = lambda: None,
) -> MonitoringHook:
    """Everything a paired player reports with, ready to `start()`."""
    errors = RecentErrors(clock=clock, monotonic=monotonic)
    probe = HeartbeatProbe(
        cache=cache,
        store=store,
        data_dir=settings.data_dir,
        clock=clock,
        monotonic=monotonic,
        errors=errors,
        cache_limit_bytes=cache.limit_bytes,
        clock_trusted=lambda: controller.clock_trust.report().trusted,
        display_on=display_on,
    )
    monitor = Monitor(
        client=MonitoringClient(server_url=settings.server_url, token=token, transport=transport),
        queue=PlayQueue(settings.play_queue_file),
        probe=probe,
        monotonic=monotonic,
        heartbeat_interval_s=settings.heartbeat_interval_s,
        screenshot_interval_s=settings.screenshot_interval_min * 60 or None,
        updater=PlayerUpdater(
            command=settings.update_command,
            server_url=settings.server_url,
            running_version=player_version(),
            monotonic=monotonic,
        ),
    )
    return MonitoringHook(
        monitor=monitor, errors=errors, controller=controller, window=window, monotonic=monotonic
    )
