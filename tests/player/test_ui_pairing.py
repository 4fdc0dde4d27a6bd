"""Pairing on screen: a large code and the server's address, content once claimed, and back to
pairing (cache kept) when the screen is revoked."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anslag_testing.fake_server import FakeDeviceServer, image_manifest
from anslag_testing.players import Build, players
from anslag_testing.screens import (
    SLIDE_AREA,
    Region,
    Rgb,
    fill_data_dir,
    png_bytes,
    share_close_to,
)
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from player.ui.app import Player

pytestmark = pytest.mark.gui

ORANGE: Rgb = (232, 120, 32)
ACCENT: Rgb = (0xFF, 0xC8, 0x45)


@pytest.fixture
def build(qtbot: QtBot, tmp_path: Path) -> Iterator[Build]:
    with players(
        tmp_path / "data",
        starting_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        poll_interval_s=0.05,
        window_size="960x540",
    ) as build:
        yield build


def shows_code(player: Player, code: str) -> bool:
    texts = player.window.rootObject().findChildren(QObject, "pairingCode")
    return code in [text.property("text") for text in texts]


def test_an_unpaired_screen_shows_a_large_code_and_plays_once_it_is_claimed(
    qtbot: QtBot, build: Build, tmp_path: Path
) -> None:
    server = FakeDeviceServer()
    server.token = None
    picture = png_bytes(ORANGE)
    server.publish(image_manifest(server.add_asset(picture)))
    player = build(server.transport(), window_size="1920x1080")

    player.start()
    qtbot.waitUntil(lambda: shows_code(player, "K7M 001"), timeout=5000)

    root = player.window.rootObject()
    [code] = [t for t in root.findChildren(QObject, "pairingCode") if t.property("text")]
    [address] = root.findChildren(QObject, "serverAddress")[-1:]
    # About 12 cm tall on a 43-inch screen: readable from across the shop.
    assert code.property("font").pixelSize() >= 200
    assert address.property("text") == "Server  anslag.test"
    qtbot.waitUntil(
        lambda: (
            share_close_to(player.window.grab_frame(), ACCENT, Region(0.2, 0.3, 0.8, 0.7), grid=96)
            > 0.05
        )
    )
    assert not player.paired
    player.window.grab_frame().save(str(tmp_path / "pairing.png"))

    server.claim("K7M001")

    qtbot.waitUntil(
        lambda: share_close_to(player.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97,
        timeout=5000,
    )
    token_file = tmp_path / "data" / "device-token"
    assert token_file.read_text() == "pairing-token-1"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert player.paired


def test_a_revoked_screen_goes_back_to_pairing_and_keeps_its_cache(
    qtbot: QtBot, build: Build, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    server = FakeDeviceServer()
    picture = png_bytes(ORANGE)
    ref = server.add_asset(picture)
    server.publish(image_manifest(ref))
    fill_data_dir(data_dir, image_manifest(ref), {ref.sha256: picture})
    player = build(server.transport())
    player.start()
    qtbot.waitUntil(lambda: share_close_to(player.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97)

    server.token = None  # an admin revoked the screen

    qtbot.waitUntil(lambda: shows_code(player, "K7M 001"), timeout=5000)
    assert not player.paired
    assert (data_dir / "objects" / ref.sha256).read_bytes() == picture
    assert (data_dir / "manifest.json").exists()
    assert (data_dir / "device-token.refused").read_text() == "test-device-token"
    assert not (data_dir / "device-token").exists()

    downloads_before = len(server.asset_requests())
    server.claim("K7M001")
    qtbot.waitUntil(
        lambda: share_close_to(player.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97,
        timeout=5000,
    )
    qtbot.waitUntil(lambda: player.paired)
    assert len(server.asset_requests()) == downloads_before, "paired again, nothing refetched"
