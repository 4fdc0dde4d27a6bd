"""From the player's heartbeat to the admin's dashboard, through a real server, end to end.

A real `anslag-server serve` (uvicorn on a free 127.0.0.1 port), the whole player
in-process and offscreen, and an admin reading the dashboard over HTTP as a
browser would: the screen turns up online with what it reports, its plays are
counted, and a screenshot asked for in the admin arrives showing the slide.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from anslag_testing.admin import PASSWORD, form_token
from anslag_testing.dashboard import card_text
from anslag_testing.processes import ServerProcess
from anslag_testing.screens import Rgb, close_to
from anslag_testing.seeds import seed_coloured_slides
from PIL import Image
from pytestqt.qtbot import QtBot

from player.monitoring import player_version
from player.settings import PlayerSettings
from player.ui.app import Player, build_player
from server.db import create_engine_for, session_scope
from server.models import Role
from server.services.accounts import create_user

pytestmark = [pytest.mark.e2e, pytest.mark.gui]

RED: Rgb = (200, 40, 40)


def real_clock() -> datetime:
    return datetime.now(UTC)


def add_admin(database_url: str) -> None:
    engine = create_engine_for(database_url)
    try:
        with session_scope(engine) as session:
            create_user(
                session, username="ida", password=PASSWORD, role=Role.ADMIN, now=real_clock()
            )
    finally:
        engine.dispose()


@pytest.fixture
def server(tmp_path: Path, database_url: str) -> Iterator[tuple[ServerProcess, int, str]]:
    server_dir = tmp_path / "server"
    screen_id, token = seed_coloured_slides(
        database_url, server_dir / "media", {"röd": RED}, duration_s=1.0
    )
    add_admin(database_url)
    with ServerProcess(data_dir=server_dir, database_url=database_url) as server:
        yield server, screen_id, token


@pytest.fixture
def player(
    qtbot: QtBot, tmp_path: Path, server: tuple[ServerProcess, int, str]
) -> Iterator[Player]:
    process, _screen_id, token = server
    settings = PlayerSettings(
        server_url=process.url,
        data_dir=tmp_path / "player",
        poll_interval_s=0.5,
        heartbeat_interval_s=0.5,
        window_size="640x360",
    )
    settings.token_file.parent.mkdir(parents=True)
    settings.token_file.write_text(token)
    player = build_player(settings, clock=real_clock)
    yield player
    player.stop()
    player.window.close()


def card(admin: httpx.Client, screen_id: int) -> str:
    page = admin.get("/admin/")
    page.raise_for_status()
    return card_text(page.text, screen_id)


def test_a_players_reports_appear_on_the_dashboard_and_a_requested_screenshot_arrives(
    qtbot: QtBot, server: tuple[ServerProcess, int, str], player: Player
) -> None:
    process, screen_id, _token = server
    with httpx.Client(base_url=process.url, timeout=10) as admin:
        login = admin.get("/admin/login")
        admin.post(
            "/admin/login",
            data={"username": "ida", "password": PASSWORD, "csrf_token": form_token(login.text)},
        )
        assert "Vid kassan" in card(admin, screen_id)
        assert "enligt schemat" in card(admin, screen_id)

        player.start()

        qtbot.waitUntil(
            lambda: "enligt skärmen Bild: röd.png" in card(admin, screen_id), timeout=20_000
        )
        qtbot.waitUntil(lambda: "Visningar i dag 0" not in card(admin, screen_id), timeout=10_000)
        reported = card(admin, screen_id)
        assert "Online" in reported
        assert f"Spelarversion {player_version()}" in reported
        assert "Cachefyllnad" in reported
        assert "av 2 GB" in reported, "the cache against the limit the player reports"

        asked = admin.post(
            f"/admin/screens/{screen_id}/screenshot-request",
            data={"csrf_token": form_token(admin.get("/admin/").text)},
        )
        assert asked.status_code == 303
        qtbot.waitUntil(lambda: "Begärd" not in card(admin, screen_id), timeout=20_000)
        page = admin.get("/admin/").text
        [src] = re.findall(rf'<img src="(/admin/screens/{screen_id}/screenshot[^"]*)"', page)
        shot = admin.get(html.unescape(src))

    assert shot.status_code == 200
    assert shot.headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(shot.content)) as picture:
        assert picture.size == (640, 360)
        assert close_to(picture.convert("RGB").getpixel((320, 150)), RED, tolerance=16)
