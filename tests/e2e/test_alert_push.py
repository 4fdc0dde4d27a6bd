"""An alert from the duty officer's form to the screen and back, end to end.

A real `anslag-server serve` (uvicorn on a free port) and the whole player
in-process, offscreen, polling only every five minutes: what reaches it sooner
came over the push channel. The operator raises a severe alert through the admin
form; the player gives it the whole screen (its colour on the grabbed frame) and
acknowledges it; the operator's list of screens says "displayed"; the operator
cancels and the playlist's slides are back on the screen.
A player whose channel a proxy blocks still gets the alert by polling, and the
server stops at once with screens connected.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from anslag_testing.alerting import add_operator, cancel_alert, log_in_operator, raise_water_alert
from anslag_testing.live_server import event_stream
from anslag_testing.processes import ServerProcess
from anslag_testing.screens import SEVERE, SLIDE_AREA, WHOLE, Rgb, share_close_to
from anslag_testing.seeds import SHOP, seed_coloured_slides
from pytestqt.qtbot import QtBot

from player.push import EVENTS_PATH
from player.settings import PlayerSettings
from player.ui.app import Player, build_player
from server.db import create_engine_for

pytestmark = [pytest.mark.e2e, pytest.mark.gui]

RED: Rgb = (200, 40, 40)
GREEN: Rgb = (40, 170, 80)
FIVE_MINUTES_S = 300.0


def real_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Installation:
    server: ServerProcess
    screen_id: int
    token: str


@pytest.fixture
def installation(tmp_path: Path, database_url: str) -> Iterator[Installation]:
    server_dir = tmp_path / "server"
    screen_id, token = seed_coloured_slides(
        database_url, server_dir / "media", {"red": RED, "green": GREEN}, duration_s=1.5
    )
    engine = create_engine_for(database_url)
    try:
        add_operator(engine, now=real_clock())
    finally:
        engine.dispose()
    with ServerProcess(data_dir=server_dir, database_url=database_url) as server:
        yield Installation(server, screen_id, token)


@pytest.fixture
def operator(installation: Installation) -> Iterator[tuple[httpx.Client, str]]:
    with httpx.Client(base_url=installation.server.url, timeout=10) as client:
        yield client, log_in_operator(client)


@pytest.fixture
def players(qtbot: QtBot, tmp_path: Path, installation: Installation) -> Iterator[PlayerFactory]:
    built: list[Player] = []

    def build(*, poll_interval_s: float, transport: httpx.BaseTransport | None = None) -> Player:
        settings = PlayerSettings(
            server_url=installation.server.url,
            data_dir=tmp_path / f"player-{len(built)}",
            poll_interval_s=poll_interval_s,
            window_size="640x360",
        )
        settings.token_file.parent.mkdir(parents=True)
        settings.token_file.write_text(installation.token)
        player = build_player(settings, clock=real_clock, transport=transport)
        built.append(player)
        return player

    yield build
    for player in built:
        player.stop()
        player.window.close()


class PlayerFactory:
    def __call__(
        self, *, poll_interval_s: float, transport: httpx.BaseTransport | None = None
    ) -> Player: ...


def alerts_on(player: Player) -> list[tuple[str, int]]:
    manifest = player.controller.playback.manifest
    return [(alert.id, alert.version) for alert in manifest.alerts] if manifest else []


def showing_the_alert(player: Player) -> bool:
    """The severe alert's colour over most of the screen: it has the whole screen."""
    return share_close_to(player.window.grab_frame(), SEVERE, WHOLE) > 0.6


def showing_the_playlist(player: Player) -> bool:
    frame = player.window.grab_frame()
    return any(share_close_to(frame, colour, SLIDE_AREA) > 0.9 for colour in (RED, GREEN))


def screen_state(client: httpx.Client, alert_id: int, screen_id: int) -> str:
    answer = client.get(f"/admin/alerts/{alert_id}/deliveries")
    answer.raise_for_status()
    [screen] = [row for row in answer.json()["screens"] if row["id"] == screen_id]
    return str(screen["state"])


def test_an_alert_reaches_the_screen_by_push_is_confirmed_and_when_cancelled_the_slides_return(
    qtbot: QtBot,
    installation: Installation,
    operator: tuple[httpx.Client, str],
    players: PlayerFactory,
) -> None:
    client, csrf = operator
    player = players(poll_interval_s=FIVE_MINUTES_S)
    assert player.session is not None
    assert player.session.push is not None
    # The channel's first event comes once it is connected.
    with qtbot.waitSignal(player.session.push.event_received, timeout=20_000):
        player.start()
    qtbot.waitUntil(lambda: showing_the_playlist(player), timeout=20_000)

    alert_id = raise_water_alert(client, csrf, where={"locations": [SHOP]})

    qtbot.waitUntil(lambda: showing_the_alert(player), timeout=10_000)
    assert alerts_on(player) == [(f"alert-{alert_id}", 1)]
    qtbot.waitUntil(
        lambda: screen_state(client, alert_id, installation.screen_id) == "displayed",
        timeout=10_000,
    )
    page = client.get(f"/admin/alerts/{alert_id}").text
    assert "1 av 1 skärmar visar det" in page

    cancel_alert(client, csrf, alert_id)

    qtbot.waitUntil(lambda: showing_the_playlist(player), timeout=10_000)
    assert alerts_on(player) == []


class WithoutPushChannel(httpx.BaseTransport):
    """The network through a proxy that refuses long-lived streams; the rest goes through."""

    def __init__(self) -> None:
        self._network = httpx.HTTPTransport()
        self.refused = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == EVENTS_PATH:
            self.refused += 1
            raise httpx.ConnectError("the proxy refuses event streams", request=request)
        return self._network.handle_request(request)

    def close(self) -> None:
        self._network.close()


def test_a_player_whose_channel_is_blocked_still_gets_the_alert_by_polling(
    qtbot: QtBot,
    installation: Installation,
    operator: tuple[httpx.Client, str],
    players: PlayerFactory,
) -> None:
    client, csrf = operator
    blocked = WithoutPushChannel()
    player = players(poll_interval_s=0.5, transport=blocked)
    player.start()
    qtbot.waitUntil(lambda: showing_the_playlist(player), timeout=20_000)

    alert_id = raise_water_alert(client, csrf, where={"locations": [SHOP]})

    qtbot.waitUntil(lambda: showing_the_alert(player), timeout=10_000)
    qtbot.waitUntil(
        lambda: screen_state(client, alert_id, installation.screen_id) == "displayed",
        timeout=10_000,
    )
    assert blocked.refused >= 1


def test_the_server_stops_at_once_with_screens_connected(installation: Installation) -> None:
    with event_stream(installation.server.url, installation.token) as stream:
        first = stream.next_event()

        installation.server.stop()

        assert stream.rest() == []
    assert json.loads(first.data)["etag"]
    assert installation.server.returncode == 0, installation.server.log()
