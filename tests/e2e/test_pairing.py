"""Pairing a new screen against a real server: the code on screen, an admin's claim, content.

A real `anslag-server serve` on a free port and the whole player in-process and
offscreen. The admin's part, typing the code the screen shows, is done through
`server.services.pairing.claim_pairing` on the server's database, as the admin
page does; revoking goes through `server.services.screens.revoke_screen`.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anslag_testing.processes import ServerProcess
from anslag_testing.screens import SLIDE_AREA, Rgb, share_close_to
from anslag_testing.seeds import SHOP, seed_shop_without_a_screen
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot
from sqlmodel import select

from player.settings import PlayerSettings
from player.ui.app import Player, build_player
from server.db import create_engine_for, session_scope
from server.models import Location
from server.services.pairing import claim_pairing
from server.services.permissions import Actor
from server.services.screens import revoke_screen

pytestmark = [pytest.mark.e2e, pytest.mark.gui]

GREEN: Rgb = (40, 160, 90)
ADMIN = Actor(user_id=None, name="ida (test)", role="admin")


def real_clock() -> datetime:
    return datetime.now(UTC)


def claim(database_url: str, code: str) -> int:
    """What an admin does with the code read off the screen; the new screen's id."""
    engine = create_engine_for(database_url)
    try:
        with session_scope(engine) as session:
            shop = session.exec(select(Location).where(Location.slug == SHOP)).one()
            screen = claim_pairing(
                session, code=code, location=shop, name="Vid kassan", actor=ADMIN, now=real_clock()
            )
            assert screen.id is not None
            return screen.id
    finally:
        engine.dispose()


def revoke(database_url: str, screen_id: int) -> None:
    engine = create_engine_for(database_url)
    try:
        with session_scope(engine) as session:
            revoke_screen(session, screen_id=screen_id, actor=ADMIN, now=real_clock())
    finally:
        engine.dispose()


def code_on_screen(player: Player) -> str:
    """The pairing code as a person reads it off the screen ("K7M 4PX"), or ""."""
    texts = player.window.rootObject().findChildren(QObject, "pairingCode")
    return next((str(text.property("text")) for text in texts if text.property("text")), "")


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[ServerProcess]:
    server_dir = tmp_path / "server"
    seed_shop_without_a_screen(database_url, server_dir / "media", {"grön": GREEN}, duration_s=1)
    with ServerProcess(data_dir=server_dir, database_url=database_url) as server:
        yield server


@pytest.fixture
def player(qtbot: QtBot, tmp_path: Path, server: ServerProcess) -> Iterator[Player]:
    settings = PlayerSettings(
        server_url=server.url,
        data_dir=tmp_path / "player",
        poll_interval_s=0.5,
        window_size="640x360",
    )
    player = build_player(settings, clock=real_clock)
    yield player
    player.stop()
    player.window.close()
    player.window.deleteLater()


def started_showing_a_code(qtbot: QtBot, player: Player) -> str:
    player.start()
    qtbot.waitUntil(lambda: code_on_screen(player) != "", timeout=20_000)
    return code_on_screen(player)


def claimed_and_playing(qtbot: QtBot, player: Player, database_url: str, code: str) -> int:
    """Claim the code as an admin would, and wait for the shop's slide; the screen's id."""
    screen_id = claim(database_url, code.lower())  # typed on a phone, with the space
    qtbot.waitUntil(
        lambda: share_close_to(player.window.grab_frame(), GREEN, SLIDE_AREA) > 0.97,
        timeout=20_000,
    )
    return screen_id


def test_a_new_screen_shows_a_code_an_admin_claims_it_and_it_plays(
    qtbot: QtBot, player: Player, server: ServerProcess, database_url: str, tmp_path: Path
) -> None:
    code = started_showing_a_code(qtbot, player)
    address = player.window.rootObject().findChildren(QObject, "serverAddress")[-1]
    assert address.property("text").endswith(server.url.removeprefix("http://"))

    claimed_and_playing(qtbot, player, database_url, code)

    token_file = tmp_path / "player" / "device-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert player.paired


def test_a_revoked_screen_shows_a_new_code_and_keeps_its_cache(
    qtbot: QtBot, player: Player, server: ServerProcess, database_url: str, tmp_path: Path
) -> None:
    first_code = started_showing_a_code(qtbot, player)
    screen_id = claimed_and_playing(qtbot, player, database_url, first_code)
    cached = sorted(path.name for path in (tmp_path / "player" / "objects").iterdir())

    revoke(database_url, screen_id)

    qtbot.waitUntil(lambda: code_on_screen(player) not in ("", first_code), timeout=20_000)
    assert not player.paired
    assert sorted(path.name for path in (tmp_path / "player" / "objects").iterdir()) == cached
    assert (tmp_path / "player" / "manifest.json").exists()
