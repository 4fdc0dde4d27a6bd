"""A window, its stage and a controller over files in a folder, wired as the player wires them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from anslag_testing.manifests import sha
from anslag_testing.screens import RunningClock, png_bytes
from player.ui.controller import Controller
from player.ui.stage import Stage
from player.ui.window import PlayerWindow


class ControlledScreen:
    """What the controller presents is recorded in `presented`, in order."""

    def __init__(
        self,
        folder: Path,
        clock: RunningClock,
        *,
        size: tuple[int, int] = (960, 540),
        alert_turn_ms: int = 10_000,
    ) -> None:
        self.folder = folder
        self.clock = clock
        self.stage = Stage(fade_ms=40)
        self.window = PlayerWindow(self.stage, size=size)
        self.controller = Controller(
            stage=self.stage,
            is_cached=lambda sha256: (folder / sha256).is_file(),
            asset_path=lambda sha256: folder / sha256,
            clock=clock,
            alert_turn_ms=alert_turn_ms,
        )
        self.presented: list[dict[str, Any]] = []
        self.stage.present_requested.connect(self.presented.append)

    def add_file(self, item_id: str, data: bytes | None = None) -> None:
        (self.folder / sha(item_id)).write_bytes(data or png_bytes((200, 120, 40)))

    def shown_ids(self) -> list[str]:
        return [view["itemId"] or view["kind"] for view in self.presented]


@contextmanager
def controlled_screen(
    qtbot: QtBot, folder: Path, clock: RunningClock, **options: Any
) -> Iterator[ControlledScreen]:
    """A shown `ControlledScreen`, stopped and closed at the end."""
    screen = ControlledScreen(folder, clock, **options)
    screen.window.show()
    qtbot.waitExposed(screen.window)
    try:
        yield screen
    finally:
        screen.controller.stop()
        screen.window.close()
        screen.window.deleteLater()
