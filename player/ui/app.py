"""Wires the player together in one place: cache, last good manifest, window, then sync.

The order is the lesson of earlier signage players: open the cache, restore the
last good manifest, put it on screen, and only then start talking to the
server. A server that is down, slow or broken can delay new content, never
blank the screen.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from datetime import datetime

import httpx
from PySide6.QtGui import QGuiApplication

from player.cache import AssetCache
from player.display_power import DisplayPower
from player.settings import PlayerSettings
from player.store import ManifestStore
from player.sync import SyncClient, read_token
from player.systemd_notify import SystemdNotifier, watchdog_interval
from player.ui.controller import Controller
from player.ui.display_schedule import DisplaySchedule
from player.ui.monitoring import MonitoringHook, build_monitoring
from player.ui.quit_signals import quit_on_signals
from player.ui.screenshots import ScreenshotWriter
from player.ui.stage import Stage
from player.ui.sync_thread import SyncThread
from player.ui.systemd_watch import SystemdWatch
from player.ui.window import PlayerWindow

logger = logging.getLogger(__name__)


class Player:
    """The whole player in one process: build it with `build_player`, then `start()`."""

    def __init__(
        self,
        *,
        settings: PlayerSettings,
        stage: Stage,
        window: PlayerWindow,
        controller: Controller,
        display: DisplaySchedule,
        client: SyncClient | None,
        sync: SyncThread | None,
        screenshots: ScreenshotWriter | None,
        monitoring: MonitoringHook | None = None,
        systemd: SystemdWatch | None = None,
    ) -> None:
        self.settings = settings
        self.stage = stage
        self.window = window
        self.controller = controller
        self.display = display
        self.client = client
        self.sync = sync
        self.screenshots = screenshots
        self.monitoring = monitoring
        self.systemd = systemd
        self._stopped = False
        stage.transition_finished.connect(self._save_screenshot)

    @property
    def paired(self) -> bool:
        """Whether the screen has a device token (and so a sync client)."""
        return self.client is not None

    def start(self) -> None:
        """Show the window with what the cache holds, then start syncing."""
        if self.systemd is not None:
            self.systemd.start()
        self.window.show_on_screen(fullscreen=self.settings.fullscreen)
        if self.sync is None:
            self.controller.show_unpaired()
            return
        if self.monitoring is not None:
            self.monitoring.start()
        self.controller.start()
        self.display.start()
        self.sync.start()

    def stop(self) -> None:
        """Stop syncing and the timers, finish pending screenshots; the caller closes the window."""
        if self._stopped:
            return
        self._stopped = True
        self.stage.transition_finished.disconnect(self._save_screenshot)
        self.controller.stop()
        self.display.stop()
        if self.monitoring is not None:
            self.monitoring.stop()
        if self.sync is not None:
            self.sync.stop()
        if self.client is not None:
            self.client.close()
        if self.screenshots is not None:
            self.screenshots.close()
        if self.systemd is not None:
            self.systemd.stop()

    def _save_screenshot(self) -> None:
        if self.screenshots is not None:
            self.screenshots.submit(self.window.grab_frame())


def build_player(
    settings: PlayerSettings,
    *,
    clock: Callable[[], datetime],
    transport: httpx.BaseTransport | None = None,
    environ: Mapping[str, str] = os.environ,
) -> Player:
    """Build every part of the player, with the last good manifest already in place.

    Needs a `QGuiApplication`. `transport` replaces the network in tests; `environ`
    says whether systemd watches the player (`NOTIFY_SOCKET`, `WATCHDOG_USEC`).
    """
    cache = AssetCache(settings.cache_dir, limit_bytes=settings.cache_limit_bytes)
    store = ManifestStore(settings.manifest_file)
    stored = store.load()

    stage = Stage()
    window = PlayerWindow(stage, size=settings.window_size)
    controller = Controller(stage=stage, is_cached=cache.has, asset_path=cache.path, clock=clock)
    display = DisplaySchedule(
        controller=controller,
        stage=stage,
        power=DisplayPower(
            on_command=settings.display_on_command, off_command=settings.display_off_command
        ),
    )
    if stored is not None:
        logger.info(
            "restored the last good manifest for %s (%d items)",
            stored.manifest.location.name,
            len(stored.manifest.items),
        )
        controller.set_manifest(stored.manifest)

    token = read_token(settings.token_file)
    client: SyncClient | None = None
    sync: SyncThread | None = None
    monitoring: MonitoringHook | None = None
    if token is None:
        logger.warning("no device token at %s: the screen is not paired", settings.token_file)
    else:
        client = SyncClient(
            server_url=settings.server_url,
            token=token,
            cache=cache,
            store=store,
            transport=transport,
        )
        sync = SyncThread(client, interval_s=settings.poll_interval_s)
        sync.manifest_changed.connect(controller.set_manifest)
        sync.manifest_changed.connect(display.check)
        monitoring = build_monitoring(
            settings,
            token=token,
            cache=cache,
            store=store,
            controller=controller,
            window=window,
            clock=clock,
            transport=transport,
            display_on=lambda: display.display_on,
        )

    screenshots = None
    if settings.screenshot_dir is not None:
        screenshots = ScreenshotWriter(settings.screenshot_dir)
    notifier = SystemdNotifier.from_environ(environ)
    systemd = None
    if notifier is not None:
        systemd = SystemdWatch(
            notifier=notifier, stage=stage, interval=watchdog_interval(environ), parent=window
        )
    return Player(
        settings=settings,
        stage=stage,
        window=window,
        controller=controller,
        display=display,
        client=client,
        sync=sync,
        screenshots=screenshots,
        monitoring=monitoring,
        systemd=systemd,
    )


def run(settings: PlayerSettings, *, clock: Callable[[], datetime]) -> int:
    """Run the player until SIGINT, SIGTERM or the window closes; the process exit code."""
    app = QGuiApplication(sys.argv[:1])
    app.setApplicationName("anslag-player")
    restore_signals = quit_on_signals(app)
    player = build_player(settings, clock=clock)
    if not player.paired:
        print(
            f"anslag-player: no device token in {settings.token_file}; this screen is not "
            "paired with a server yet. Put the device token into that file and restart.",
            file=sys.stderr,
        )
    player.start()
    try:
        return app.exec()
    finally:
        player.stop()
        player.window.close()
        restore_signals()
