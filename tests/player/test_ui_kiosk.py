"""Kiosk behaviour: no cursor over a fullscreen screen, and systemd told ready and alive."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anslag_testing.fake_server import FakeDeviceServer, image_manifest
from anslag_testing.players import players
from anslag_testing.screens import (
    SLIDE_AREA,
    Rgb,
    fill_data_dir,
    png_bytes,
    share_close_to,
)
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from player.ui.app import Player

pytestmark = pytest.mark.gui

ORANGE: Rgb = (232, 120, 32)


class SystemdSocket:
    """Where systemd listens for a Type=notify service: what the player sent, in order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(str(path))
        self._socket.setblocking(False)
        # The first frame on screen when READY=1 arrived.
        self.frames_at_ready: list[QImage] = []
        self.received: list[str] = []

    def read(self, player: Player | None = None) -> list[str]:
        """Everything that arrived so far."""
        while True:
            try:
                message = self._socket.recv(4096).decode()
            except BlockingIOError:
                return self.received
            if message.startswith("READY=1") and player is not None:
                self.frames_at_ready.append(player.window.grab_frame())
            self.received.append(message)

    def close(self) -> None:
        self._socket.close()


@pytest.fixture
def systemd(tmp_path: Path) -> Iterator[SystemdSocket]:
    listener = SystemdSocket(tmp_path / "notify")
    yield listener
    listener.close()


@pytest.fixture
def player(qtbot: QtBot, tmp_path: Path, systemd: SystemdSocket) -> Iterator[Player]:
    picture = png_bytes(ORANGE)
    server = FakeDeviceServer()
    server.offline = True
    ref = server.add_asset(picture)
    fill_data_dir(tmp_path / "data", image_manifest(ref), {ref.sha256: picture})
    with players(
        tmp_path / "data",
        starting_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        # What systemd sets for a unit with Type=notify and WatchdogSec=0.4.
        environ={"NOTIFY_SOCKET": str(systemd.path), "WATCHDOG_USEC": "400000"},
        window_size="640x360",
    ) as build:
        yield build(server.transport())


def test_ready_is_sent_once_the_first_frame_is_on_screen(
    qtbot: QtBot, player: Player, systemd: SystemdSocket
) -> None:
    player.start()

    qtbot.waitUntil(lambda: "READY=1\nSTATUS=Showing content" in systemd.read(player))

    assert share_close_to(systemd.frames_at_ready[0], ORANGE, SLIDE_AREA) > 0.97
    assert systemd.read().count("READY=1\nSTATUS=Showing content") == 1


def test_the_watchdog_is_pinged_from_the_gui_thread_so_a_hung_screen_stops_the_pings(
    qtbot: QtBot, player: Player, systemd: SystemdSocket
) -> None:
    player.start()
    qtbot.waitUntil(lambda: systemd.read().count("WATCHDOG=1") >= 3, timeout=5000)
    [timer] = [t for t in player.window.findChildren(QTimer) if t.objectName() == "watchdog-timer"]
    assert timer.thread() is QCoreApplication.instance().thread()
    assert timer.interval() == 200, "half of WatchdogSec"

    # The GUI thread hangs for three watchdog periods (this test holds it).
    pinged_before = systemd.read().count("WATCHDOG=1")
    time.sleep(0.6)
    assert systemd.read().count("WATCHDOG=1") == pinged_before

    # Once it runs again, so do the pings.
    qtbot.waitUntil(lambda: systemd.read().count("WATCHDOG=1") > pinged_before, timeout=5000)


def test_stopping_is_announced(qtbot: QtBot, player: Player, systemd: SystemdSocket) -> None:
    player.start()
    qtbot.waitUntil(lambda: "READY=1\nSTATUS=Showing content" in systemd.read())

    player.stop()

    assert systemd.read()[-1] == "STOPPING=1"


def test_fullscreen_hides_the_cursor(qtbot: QtBot, player: Player) -> None:
    player.window.show_on_screen(fullscreen=True)
    qtbot.waitExposed(player.window)

    assert player.window.cursor().shape() == Qt.CursorShape.BlankCursor
    assert player.window.visibility() == player.window.Visibility.FullScreen


def test_a_windowed_player_keeps_its_cursor(qtbot: QtBot, player: Player) -> None:
    player.window.show_on_screen(fullscreen=False)
    qtbot.waitExposed(player.window)

    assert player.window.cursor().shape() == Qt.CursorShape.ArrowCursor
