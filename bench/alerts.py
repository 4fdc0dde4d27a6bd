"""`make bench`, alerts: from the operator's POST to the screens, beside a bare request.

Two figures, each on its own real server process (uvicorn on 127.0.0.1):
- one real player (in this process, offscreen, polling only every five minutes): from
  the operator's POST of the alert form to the player's display acknowledgement
  stored on the server;
- 1,000 simulated screens, each a raw connection holding the push stream open: from
  the POST to each screen's receipt of the `alert` event, p50 and p99.
Beside each, the round trip of GET /api/health on the same server in the same run.
"""

from __future__ import annotations

import asyncio
import functools
import json
import statistics
import sys
import tempfile
import time as stopwatch
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import httpx
from anslag_testing.alerting import add_operator, cancel_alert, log_in_operator, raise_water_alert
from anslag_testing.processes import ServerProcess
from anslag_testing.screens import Rgb
from anslag_testing.seeds import SHOP, seed_coloured_slides
from figures import Figure
from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QGuiApplication
from sqlmodel import Session, select

from player.settings import PlayerSettings
from player.ui.app import Player, build_player
from server.db import create_engine_for, migrate
from server.models import AlertDelivery
from server.services import content

T = TypeVar("T")

SCREENS = 1_000
PLAYER_ROUNDS = 10
SCREEN_ROUNDS = 5
BETWEEN_ALERTS_S = 1.0
# Opened one after another: a screen's first request writes its "last seen", and SQLite
# refuses a write that races another (see docs/benchmarks.md).
CONNECT_BATCH = 1
RED: Rgb = (200, 40, 40)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def health_round_trips(url: str, repeat: int = 200) -> list[float]:
    samples = []
    with httpx.Client(base_url=url) as client:
        for _ in range(repeat):
            started = stopwatch.perf_counter()
            client.get("/api/health").raise_for_status()
            samples.append(stopwatch.perf_counter() - started)
    return samples


def _acknowledged(database_url: str, alert_id: int) -> AlertDelivery | None:
    """The screen's delivery of the alert, once the screen has acknowledged it."""
    engine = create_engine_for(database_url)
    try:
        with Session(engine) as session:
            row = session.exec(
                select(AlertDelivery).where(AlertDelivery.alert_id == alert_id)
            ).first()
            return row if row is not None and row.acknowledged_at is not None else None
    finally:
        engine.dispose()


@dataclass
class PlayerRounds:
    """Seconds per alert: POST to the stored acknowledgement, and its two parts as the
    delivery records them; the health round trips on the same server."""

    total: list[float] = field(default_factory=list)
    # The operator's send to the screen's fetch of the manifest carrying it (server's clock).
    to_fetch: list[float] = field(default_factory=list)
    # The manifest's arrival to the frame showing the alert (the player's clock).
    on_screen: list[float] = field(default_factory=list)
    health: list[float] = field(default_factory=list)

    def add(self, delivery: AlertDelivery | None, *, posted: datetime) -> None:
        assert delivery is not None
        assert delivery.acknowledged_at is not None
        assert delivery.fetched_at is not None
        assert delivery.displayed_at is not None
        assert delivery.received_at is not None
        self.total.append((delivery.acknowledged_at - posted).total_seconds())
        self.to_fetch.append((delivery.fetched_at - delivery.sent_at).total_seconds())
        self.on_screen.append((delivery.displayed_at - delivery.received_at).total_seconds())


def _alerts_on(player: Player) -> int | None:
    """How many alerts the player's manifest carries; None before it has one."""
    manifest = player.controller.playback.manifest
    return len(manifest.alerts) if manifest is not None else None


def one_player(directory: Path) -> PlayerRounds:
    """One real player acknowledging `PLAYER_ROUNDS` alerts, one after another."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])

    def wait_until(condition: Callable[[], T], within_s: float = 30) -> T:
        """The condition's first true value, the player running meanwhile."""
        deadline = stopwatch.monotonic() + within_s
        while not (value := condition()):
            if stopwatch.monotonic() > deadline:
                raise TimeoutError("the player did not get there in time")
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        return value

    database_url = f"sqlite:///{directory / 'anslag.db'}"
    _screen_id, token = seed_coloured_slides(
        database_url, directory / "media", {"red": RED}, duration_s=5
    )
    engine = create_engine_for(database_url)
    add_operator(engine, now=datetime.now(UTC))
    engine.dispose()
    rounds = PlayerRounds()
    with ServerProcess(data_dir=directory, database_url=database_url) as server:
        settings = PlayerSettings(
            server_url=server.url,
            data_dir=directory / "player",
            # Only the push channel can bring an alert within the run.
            poll_interval_s=300,
            window_size="640x360",
        )
        settings.token_file.parent.mkdir(parents=True)
        settings.token_file.write_text(token)
        player = build_player(settings, clock=lambda: datetime.now(UTC))
        player.start()
        try:
            wait_until(lambda: _alerts_on(player) == 0)
            with httpx.Client(base_url=server.url, timeout=30) as operator:
                csrf = log_in_operator(operator)
                for _ in range(PLAYER_ROUNDS):
                    posted = datetime.now(UTC)
                    alert_id = raise_water_alert(operator, csrf, where={"locations": [SHOP]})
                    delivery = wait_until(functools.partial(_acknowledged, database_url, alert_id))
                    rounds.add(delivery, posted=posted)
                    cancel_alert(operator, csrf, alert_id)
                    wait_until(lambda: _alerts_on(player) == 0)
            rounds.health = health_round_trips(server.url)
        finally:
            player.stop()
            player.window.close()
    return rounds


def seed_screens(database_url: str, count: int) -> list[str]:
    """The village shop with `count` screens; their tokens."""
    migrate(database_url)
    engine = create_engine_for(database_url)
    now = datetime.now(UTC)
    try:
        with Session(engine) as session:
            shop = content.create_location(
                session,
                slug=SHOP,
                name="Byabutiken",
                timezone="Europe/Stockholm",
                languages=["sv"],
                now=now,
            )
            tokens = [
                content.create_screen(session, location=shop, name=f"Skärm {n}", now=now)[1]
                for n in range(count)
            ]
            session.commit()
        add_operator(engine, now=now)
    finally:
        engine.dispose()
    return tokens


class SimulatedScreen:
    """A screen holding the push stream open on a raw connection, noting when alerts arrive."""

    def __init__(self, port: int, token: str) -> None:
        self._port = port
        self._token = token
        self.connected = asyncio.Event()
        # The `alert` events' data, and when each arrived.
        self.alerts: dict[str, float] = {}

    async def run(self) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self._port)
        writer.write(
            f"GET /api/device/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {self._token}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        event = b""
        try:
            while line := await reader.readline():
                if line.startswith(b"event: "):
                    event = line.strip()
                    if event == b"event: manifest-changed":
                        self.connected.set()
                elif line.startswith(b"data: ") and event == b"event: alert":
                    self.alerts.setdefault(line[6:].strip().decode(), stopwatch.perf_counter())
        finally:
            writer.close()


async def _all_heard(screens: list[SimulatedScreen], alert_id: int, version: int) -> None:
    data = json.dumps({"id": f"alert-{alert_id}", "version": version}, separators=(",", ":"))
    # Looking now and then does not delay the arrivals: each screen notes its own time.
    while not all(data in screen.alerts for screen in screens):
        await asyncio.sleep(0.01)


async def _thousand_screens(
    port: int, url: str, tokens: list[str]
) -> tuple[list[float], list[float]]:
    screens = [SimulatedScreen(port, token) for token in tokens]
    tasks = []
    for start in range(0, len(screens), CONNECT_BATCH):
        batch = screens[start : start + CONNECT_BATCH]
        tasks += [asyncio.create_task(screen.run()) for screen in batch]
        await asyncio.wait_for(asyncio.gather(*(screen.connected.wait() for screen in batch)), 60)
    latencies = []
    try:
        health = await asyncio.to_thread(health_round_trips, url)
        with httpx.Client(base_url=url, timeout=30) as operator:
            csrf = await asyncio.to_thread(log_in_operator, operator)
            for _ in range(SCREEN_ROUNDS):
                posted = stopwatch.perf_counter()
                alert_id = await asyncio.to_thread(
                    raise_water_alert, operator, csrf, where={"target": ["everywhere"]}
                )
                await asyncio.wait_for(_all_heard(screens, alert_id, 1), 120)
                data = json.dumps({"id": f"alert-{alert_id}", "version": 1}, separators=(",", ":"))
                latencies += [screen.alerts[data] - posted for screen in screens]
                await asyncio.to_thread(cancel_alert, operator, csrf, alert_id)
                await asyncio.wait_for(_all_heard(screens, alert_id, 2), 120)
                # As between a duty officer's alerts: what the last one left to store, is.
                await asyncio.sleep(BETWEEN_ALERTS_S)
        return latencies, health
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def thousand_screens(directory: Path) -> tuple[list[float], list[float]]:
    """Seconds from POST to each screen's receipt of the alert; health round trips meanwhile."""
    database_url = f"sqlite:///{directory / 'anslag.db'}"
    tokens = seed_screens(database_url, SCREENS)
    with ServerProcess(data_dir=directory, database_url=database_url) as server:
        return asyncio.run(_thousand_screens(server.port, server.url, tokens))


def bench_alerts() -> list[Figure]:
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        player = one_player(Path(first))
        screen_latencies, screen_health = thousand_screens(Path(second))
    return [
        Figure(
            f"alert: operator's POST to the display acknowledgement, one real player "
            f"({PLAYER_ROUNDS} alerts)",
            f"{ms(statistics.median(player.total))} (max {ms(max(player.total))})",
            "GET /api/health",
            ms(statistics.median(player.health)),
            "the duty officer sees the screen confirm the alert; of it, send to the manifest "
            f"fetched {ms(statistics.median(player.to_fetch))}, manifest to the alert's frame "
            f"on screen {ms(statistics.median(player.on_screen))}",
        ),
        Figure(
            f"alert: operator's POST to receipt at {SCREENS} connected screens "
            f"({SCREEN_ROUNDS} alerts)",
            f"p50 {ms(percentile(screen_latencies, 0.5))}, "
            f"p99 {ms(percentile(screen_latencies, 0.99))}",
            f"GET /api/health, {SCREENS} streams open",
            ms(statistics.median(screen_health)),
            "one server process pushing an alert to a whole region's screens",
        ),
    ]
