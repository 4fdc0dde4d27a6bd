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
from dataclasses import dataclass
from datetime import datetime

import httpx
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication

from player.acknowledgements import Acknowledger, AckOutbox
from player.cache import AssetCache
from player.display_power import DisplayPower
from player.monitoring import MonitoringClient, player_version
from player.pairing import Enrollment, PairingClient
from player.push import PushClient
from player.settings import PlayerSettings
from player.slides import pairing_view
from player.store import ManifestStore
from player.sync import SyncClient, read_token
from player.systemd_notify import SystemdNotifier, watchdog_interval
from player.ui.acknowledgement import AcknowledgementThread, AlertAcknowledgements
from player.ui.controller import Controller
from player.ui.display_schedule import DisplaySchedule
from player.ui.monitoring import MonitoringHook, build_monitoring
from player.ui.pairing_thread import PairingThread
from player.ui.push_thread import PushThread
from player.ui.quit_signals import quit_on_signals
from player.ui.screenshots import ScreenshotWriter
from player.ui.stage import Stage
from player.ui.sync_thread import SyncThread
from player.ui.systemd_watch import SystemdWatch
from player.ui.window import PlayerWindow

logger = logging.getLogger(__name__)


# A refused device token is believed after this many syncs in a row: one 401 may be a
# server restoring its database, and going back to pairing cannot be undone from afar.
REFUSALS_BEFORE_PAIRING = 3


@dataclass
class Session:
    """What a paired screen runs with its device token: sync, the push channel, monitoring
    and the acknowledgement of alerts."""

    client: SyncClient
    sync: SyncThread
    push: PushThread | None
    monitoring: MonitoringHook
    controller: Controller
    alerts_shown: AlertAcknowledgements
    acknowledgements: AcknowledgementThread

    def start_talking(self) -> None:
        """Start what talks to the server (monitoring starts first, before the first slide)."""
        self.acknowledgements.start()
        self.sync.start()
        if self.push is not None:
            self.push.start()

    def stop(self) -> None:
        if self.push is not None:
            self.push.stop()
        self.monitoring.stop()
        self.controller.alert_displayed.disconnect(self.alerts_shown.alert_displayed)
        self.acknowledgements.stop()
        self.sync.stop()
        self.client.close()


class Player:
    """The whole player in one process: build it with `build_player`, then `start()`.

    Without a device token it pairs first (`PairingThread`), showing the code; a
    token the server keeps refusing (the screen was revoked) sends it back to
    pairing, with its cache kept for when it is paired again.
    """

    def __init__(
        self,
        *,
        settings: PlayerSettings,
        stage: Stage,
        window: PlayerWindow,
        controller: Controller,
        display: DisplaySchedule,
        cache: AssetCache,
        store: ManifestStore,
        clock: Callable[[], datetime],
        transport: httpx.BaseTransport | None,
        screenshots: ScreenshotWriter | None,
        systemd: SystemdWatch | None = None,
    ) -> None:
        self.settings = settings
        self.stage = stage
        self.window = window
        self.controller = controller
        self.display = display
        self.screenshots = screenshots
        self.systemd = systemd
        self.session: Session | None = None
        self.pairing: PairingThread | None = None
        self._cache = cache
        self._store = store
        self._clock = clock
        self._transport = transport
        self._refusals = 0
        self._stopped = False
        stage.transition_finished.connect(self._save_screenshot)
        token = read_token(settings.token_file)
        if token is not None:
            self.session = self._session(token)

    @property
    def paired(self) -> bool:
        """Whether the screen runs as a paired screen (with a device token) right now."""
        return self.session is not None

    @property
    def sync(self) -> SyncThread | None:
        return self.session.sync if self.session is not None else None

    @property
    def client(self) -> SyncClient | None:
        return self.session.client if self.session is not None else None

    @property
    def monitoring(self) -> MonitoringHook | None:
        return self.session.monitoring if self.session is not None else None

    def start(self) -> None:
        """Show the window with what the cache holds, then start syncing (or pairing)."""
        if self.systemd is not None:
            self.systemd.start()
        self.window.show_on_screen(fullscreen=self.settings.fullscreen)
        if self.session is None:
            logger.warning("no device token at %s: pairing first", self.settings.token_file)
            self._start_pairing()
        else:
            self._start_session()

    def stop(self) -> None:
        """Stop syncing and the timers, finish pending screenshots; the caller closes the window."""
        if self._stopped:
            return
        self._stopped = True
        self.stage.transition_finished.disconnect(self._save_screenshot)
        self.controller.stop()
        self.display.close()
        if self.pairing is not None:
            self.pairing.stop()
        if self.session is not None:
            self.session.stop()
        if self.screenshots is not None:
            self.screenshots.close()
        if self.systemd is not None:
            self.systemd.stop()

    def _session(self, token: str) -> Session:
        settings = self.settings
        client = SyncClient(
            server_url=settings.server_url,
            token=token,
            cache=self._cache,
            store=self._store,
            transport=self._transport,
        )
        sync = SyncThread(client, interval_s=settings.poll_interval_s)
        sync.manifest_changed.connect(self.controller.set_manifest)
        sync.manifest_changed.connect(self.display.check)
        acknowledger = Acknowledger(
            sender=MonitoringClient(
                server_url=settings.server_url, token=token, transport=self._transport
            ),
            outbox=AckOutbox(settings.ack_outbox_file),
        )
        alerts_shown = AlertAcknowledgements(
            acknowledger=acknowledger, clock=lambda: self.controller.now
        )
        # Connected after set_manifest: an alert arrives before its first frame is presented.
        sync.manifest_changed.connect(alerts_shown.manifest_applied)
        self.controller.alert_displayed.connect(alerts_shown.alert_displayed)
        push = None
        if settings.push_channel:
            push = PushThread(
                PushClient(server_url=settings.server_url, token=token, transport=self._transport)
            )
            # Direct: the push thread itself wakes the sync thread, without the GUI thread.
            push.event_received.connect(sync.sync_now, Qt.ConnectionType.DirectConnection)
        sync.sync_succeeded.connect(self._on_sync_succeeded)
        sync.device_refused.connect(self._on_device_refused)
        monitoring = build_monitoring(
            settings,
            token=token,
            cache=self._cache,
            store=self._store,
            controller=self.controller,
            window=self.window,
            clock=self._clock,
            transport=self._transport,
            display_on=lambda: self.display.display_on,
        )
        return Session(
            client=client,
            sync=sync,
            push=push,
            monitoring=monitoring,
            controller=self.controller,
            alerts_shown=alerts_shown,
            acknowledgements=AcknowledgementThread(acknowledger),
        )

    def _start_session(self) -> None:
        assert self.session is not None
        self._refusals = 0
        self.session.monitoring.start()
        self.controller.start()
        self.display.start()
        self.session.start_talking()

    def _start_pairing(self) -> None:
        settings = self.settings
        self.controller.show_pairing(pairing_view(None, server_url=settings.server_url))
        enrollment = Enrollment(
            client=PairingClient(server_url=settings.server_url, transport=self._transport),
            token_file=settings.token_file,
            pending_file=settings.pairing_file,
            player_version=player_version(),
        )
        self.pairing = PairingThread(enrollment, retry_s=settings.poll_interval_s)
        self.pairing.code_changed.connect(self._show_code)
        self.pairing.paired.connect(self._on_paired)
        self.pairing.start()

    @Slot(str)
    def _show_code(self, code: str) -> None:
        self.controller.show_pairing(pairing_view(code, server_url=self.settings.server_url))

    @Slot(str)
    def _on_paired(self, token: str) -> None:
        if self.pairing is not None:
            self.pairing.stop()
            self.pairing = None
        if not self._stopped:
            self.session = self._session(token)
            self._start_session()

    @Slot()
    def _on_sync_succeeded(self) -> None:
        self._refusals = 0

    @Slot(str)
    def _on_device_refused(self, reason: str) -> None:
        self._refusals += 1
        if self._refusals < REFUSALS_BEFORE_PAIRING or self.session is None or self._stopped:
            return
        logger.warning("the server refuses this screen (%s): pairing it again", reason)
        self.session.stop()
        self.session = None
        self.display.suspend()
        # Kept, not deleted: should the refusals have been the server's mistake, putting the
        # file back restores the screen. The cache stays too, for when it is paired again.
        token_file = self.settings.token_file
        token_file.replace(token_file.with_name(f"{token_file.name}.refused"))
        self._start_pairing()

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
        cache=cache,
        store=store,
        clock=clock,
        transport=transport,
        screenshots=screenshots,
        systemd=systemd,
    )


def run(settings: PlayerSettings, *, clock: Callable[[], datetime]) -> int:
    """Run the player until SIGINT, SIGTERM or the window closes; the process exit code."""
    app = QGuiApplication(sys.argv[:1])
    app.setApplicationName("anslag-player")
    restore_signals = quit_on_signals(app)
    player = build_player(settings, clock=clock)
    player.start()
    if not player.paired:
        print(
            f"anslag-player: this screen is not paired yet; it shows a pairing code to type "
            f"into the admin of {settings.server_url}",
            file=sys.stderr,
        )
    try:
        return app.exec()
    finally:
        player.stop()
        player.window.close()
        restore_signals()
