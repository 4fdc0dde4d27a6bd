"""An alert from the duty officer to the shop's screen: raised on a real server, shown whole
screen by the player, ended with an all-clear, then the slides again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anslag_testing.players import players
from anslag_testing.processes import ServerProcess
from anslag_testing.screens import (
    ALL_CLEAR,
    EXTREME,
    SLIDE_AREA,
    WHOLE,
    Rgb,
    fill_data_dir,
    share_close_to,
)
from anslag_testing.seeds import seed_coloured_slides
from pytestqt.qtbot import QtBot

from player.ui.app import Player
from server.db import create_engine_for, session_scope
from server.services.alert_areas import AlertTarget
from server.services.alerts import AlertContent, end_alert, raise_alert
from server.services.permissions import Actor

pytestmark = [pytest.mark.e2e, pytest.mark.gui]

RED: Rgb = (200, 40, 40)
DUTY_OFFICER = Actor(user_id=None, name="tib", role="alert_operator")


@pytest.fixture
def shop(tmp_path: Path, database_url: str) -> Iterator[tuple[ServerProcess, str]]:
    """The shop's slide on a running server, and its screen's device token."""
    server_dir = tmp_path / "server"
    _screen_id, token = seed_coloured_slides(
        database_url, server_dir / "media", {"red": RED}, duration_s=2
    )
    with ServerProcess(data_dir=server_dir, database_url=database_url) as server:
        yield server, token


def covered_by(player: Player, colour: Rgb) -> bool:
    return share_close_to(player.window.grab_frame(), colour, WHOLE) > 0.6


def test_an_alert_raised_on_the_server_takes_the_screen_and_its_all_clear_gives_it_back(
    qtbot: QtBot, tmp_path: Path, database_url: str, shop: tuple[ServerProcess, str]
) -> None:
    server, token = shop
    data_dir = tmp_path / "player"
    fill_data_dir(data_dir, None, {}, token=token)
    with players(
        data_dir,
        starting_at=datetime.now(UTC),
        server_url=server.url,
        poll_interval_s=0.5,
        window_size="640x360",
    ) as build:
        player = build()
        player.start()
        qtbot.waitUntil(
            lambda: share_close_to(player.window.grab_frame(), RED, SLIDE_AREA) > 0.9,
            timeout=20_000,
        )
        engine = create_engine_for(database_url)
        with session_scope(engine) as session:
            raised = raise_alert(
                session,
                content=AlertContent(
                    texts={"sv": ("Skogsbrand vid Kuivakangas", "", "Stäng fönster och dörrar.")},
                    severity="extreme",
                    target=AlertTarget(everywhere=True),
                    expires_at=datetime.now(UTC) + timedelta(hours=1),
                ),
                sender="overtornea.se",
                sender_name="Övertorneå kommun",
                actor=DUTY_OFFICER,
                now=datetime.now(UTC),
            )
            alert_id = raised.id
        assert alert_id is not None

        with qtbot.waitSignal(player.controller.alert_displayed, timeout=10_000) as shown:
            pass
        assert shown.args[:2] == [f"alert-{alert_id}", 1]
        assert covered_by(player, EXTREME)

        with session_scope(engine) as session:
            end_alert(
                session,
                alert_id=alert_id,
                all_clear_for=timedelta(seconds=3),
                actor=DUTY_OFFICER,
                now=datetime.now(UTC),
            )
        engine.dispose()
        qtbot.waitUntil(lambda: covered_by(player, ALL_CLEAR), timeout=10_000)
        # The all-clear card ends by the player's own clock, and the slide comes back.
        qtbot.waitUntil(
            lambda: share_close_to(player.window.grab_frame(), RED, SLIDE_AREA) > 0.9,
            timeout=10_000,
        )
