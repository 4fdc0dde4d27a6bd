"""Whole players built in-process for tests, each stopped and closed when the test ends."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from anslag_testing.fake_server import SERVER_URL
from anslag_testing.screens import RunningClock
from player.settings import PlayerSettings
from player.ui.app import Player, build_player


class Build(Protocol):
    """Builds a player talking to `transport`; `settings` override the test's defaults."""

    def __call__(self, transport: httpx.BaseTransport | None = None, **settings: Any) -> Player: ...


@contextmanager
def players(
    data_dir: Path,
    *,
    starting_at: datetime,
    clock: RunningClock | None = None,
    environ: Mapping[str, str] | None = None,
    **defaults: Any,
) -> Iterator[Build]:
    """A `Build` for players on `data_dir` whose clock starts at `starting_at` (or that go by
    `clock`, for a test to set it)."""
    built: list[Player] = []

    def build(transport: httpx.BaseTransport | None = None, **settings: Any) -> Player:
        options = {"server_url": SERVER_URL, "data_dir": data_dir, **defaults, **settings}
        player = build_player(
            PlayerSettings(**options),
            clock=clock or RunningClock(starting_at),
            transport=transport,
            environ=environ if environ is not None else {},
        )
        built.append(player)
        return player

    try:
        yield build
    finally:
        for player in built:
            player.stop()
            player.window.close()
            player.window.deleteLater()
