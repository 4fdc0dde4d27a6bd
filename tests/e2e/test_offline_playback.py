"""From the server's database to pixels and on without the server: the walking skeleton, end to end.

A real `anslag-server serve` (uvicorn on a free 127.0.0.1 port) on SQLite, and on
PostgreSQL when configured; the whole player in-process, offscreen. What is
checked is what a person in the shop would see: the colours on the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anslag_testing.processes import ServerProcess
from anslag_testing.screens import SLIDE_AREA, Rgb, black_share, share_close_to
from anslag_testing.seeds import seed_coloured_slides
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from player.settings import PlayerSettings
from player.ui.app import Player, build_player

pytestmark = [pytest.mark.e2e, pytest.mark.gui]

RED: Rgb = (200, 40, 40)
GREEN: Rgb = (40, 170, 80)
SLIDE_S = 1.5


def real_clock() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def players(qtbot: QtBot) -> Iterator[Callable[[PlayerSettings], Player]]:
    built: list[Player] = []

    def start(settings: PlayerSettings) -> Player:
        player = build_player(settings, clock=real_clock)
        built.append(player)
        player.start()
        return player

    yield start
    for player in built:
        player.stop()
        player.window.close()


def showing(frame: QImage, colour: Rgb) -> bool:
    return share_close_to(frame, colour, SLIDE_AREA) > 0.9


def showing_a_slide(player: Player) -> bool:
    frame = player.window.grab_frame()
    return showing(frame, RED) or showing(frame, GREEN)


def test_player_shows_server_content_then_keeps_cycling_from_cache_without_the_server(
    qtbot: QtBot,
    tmp_path: Path,
    database_url: str,
    players: Callable[[PlayerSettings], Player],
) -> None:
    server_dir = tmp_path / "server"
    _screen_id, token = seed_coloured_slides(
        database_url, server_dir / "media", {"red": RED, "green": GREEN}, duration_s=SLIDE_S
    )
    server = ServerProcess(data_dir=server_dir, database_url=database_url)
    settings = PlayerSettings(
        server_url=server.url,
        data_dir=tmp_path / "player",
        poll_interval_s=0.5,
        window_size="640x360",
    )
    settings.token_file.parent.mkdir(parents=True)
    settings.token_file.write_text(token)

    with server:
        player = players(settings)
        qtbot.waitUntil(lambda: showing_a_slide(player), timeout=20_000)

    # The server is gone: both slides keep taking turns, and no frame in between is black.
    seen: set[Rgb] = set()
    darkest = 0.0

    def both_seen_since_the_server_stopped() -> bool:
        nonlocal darkest
        frame = player.window.grab_frame()
        darkest = max(darkest, black_share(frame, SLIDE_AREA))
        seen.update(colour for colour in (RED, GREEN) if showing(frame, colour))
        return seen == {RED, GREEN}

    qtbot.waitUntil(both_seen_since_the_server_stopped, timeout=4 * SLIDE_S * 1000)
    assert darkest < 0.05, f"{darkest:.0%} of a frame was black between slides"
    player.stop()
    player.window.close()

    # A reboot while the server is still down: the cache alone puts content on screen.
    restarted = players(settings)
    qtbot.waitUntil(lambda: showing_a_slide(restarted), timeout=3_000)
