"""The display follows the opening hours: off and black when closed, content again at opening."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path

import pytest
from anslag_testing.manifests import simple_manifest, utc
from anslag_testing.screens import (
    SLIDE_AREA,
    Rgb,
    RunningClock,
    black_share,
    png_bytes,
    share_close_to,
)
from pytestqt.qtbot import QtBot

from player.display_power import DisplayPower
from player.ui.controller import Controller
from player.ui.display_schedule import DisplaySchedule
from player.ui.stage import Stage
from player.ui.window import PlayerWindow
from playlists.manifest import Manifest, OpeningHours

pytestmark = pytest.mark.gui

ORANGE: Rgb = (232, 120, 32)
# Monday 2 March 2026, 21:55 in Stockholm: five minutes before the shop closes.
MONDAY_2155_LOCAL = utc("2026-03-02 20:55")


class Shop:
    """A screen in a shop open 07:00-22:00 every day, with a display command that keeps a log."""

    def __init__(self, folder: Path, *, on_command: str | None, off_command: str | None) -> None:
        self.log = folder / "display.log"
        self.clock = RunningClock(MONDAY_2155_LOCAL)
        self.stage = Stage(fade_ms=40)
        self.window = PlayerWindow(self.stage, size=(640, 360))
        (folder / simple_manifest("poster").assets[0].sha256).write_bytes(png_bytes(ORANGE))
        self.controller = Controller(
            stage=self.stage,
            is_cached=lambda sha256: (folder / sha256).is_file(),
            asset_path=lambda sha256: folder / sha256,
            clock=self.clock,
        )
        self.display = DisplaySchedule(
            controller=self.controller,
            stage=self.stage,
            power=DisplayPower(
                on_command=self.command("on") if on_command is None else on_command,
                off_command=self.command("off") if off_command is None else off_command,
            ),
            check_ms=50,
        )

    def command(self, word: str) -> str:
        return f"sh -c {shlex.quote(f'echo {word} >> {shlex.quote(str(self.log))}')}"

    def commands_run(self) -> list[str]:
        return self.log.read_text().split() if self.log.exists() else []

    def open(self, manifest: Manifest) -> None:
        self.controller.set_manifest(manifest)
        self.window.show()
        self.controller.start()
        self.display.start()


def shop_hours(hours: tuple[OpeningHours, ...]) -> Manifest:
    content = simple_manifest("poster")
    location = content.location.model_copy(update={"opening_hours": hours})
    return content.model_copy(update={"location": location})


SEVEN_TO_TEN = tuple(
    OpeningHours(weekday=day, opens=time(7), closes=time(22)) for day in range(1, 8)
)


@pytest.fixture
def shop(qtbot: QtBot, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Shop]:
    commands = getattr(request, "param", {})
    shop = Shop(tmp_path, on_command=commands.get("on"), off_command=commands.get("off"))
    yield shop
    shop.display.close()
    shop.controller.stop()
    shop.window.close()
    shop.window.deleteLater()


def test_at_closing_the_display_goes_off_and_black_and_on_again_at_opening(
    qtbot: QtBot, shop: Shop
) -> None:
    shop.open(shop_hours(SEVEN_TO_TEN))
    qtbot.waitUntil(lambda: share_close_to(shop.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97)
    assert shop.display.display_on is True
    # It may have been left off by the hours before a restart: on it goes.
    qtbot.waitUntil(lambda: shop.commands_run() == ["on"], timeout=5000)
    showings: list[object] = []
    shop.controller.showing_changed.connect(showings.append)

    shop.clock.jump(timedelta(minutes=5))  # 22:00
    qtbot.waitUntil(lambda: shop.commands_run() == ["on", "off"], timeout=5000)

    assert shop.display.display_on is False
    assert black_share(shop.window.grab_frame()) == 1
    assert showings == [None], "nothing counts as played to a closed shop"

    shop.clock.jump(timedelta(hours=9))  # 07:00
    qtbot.waitUntil(lambda: shop.commands_run() == ["on", "off", "on"], timeout=5000)
    qtbot.waitUntil(lambda: share_close_to(shop.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97)
    assert shop.display.display_on is True


@pytest.mark.parametrize("shop", [{"off": "wlopm-is-not-installed --off '*'"}], indirect=True)
def test_without_a_working_command_a_closed_shop_gets_a_black_screen(
    qtbot: QtBot, shop: Shop
) -> None:
    shop.clock.jump(timedelta(hours=2))  # 23:55, closed

    shop.open(shop_hours(SEVEN_TO_TEN))

    qtbot.waitUntil(lambda: black_share(shop.window.grab_frame()) == 1)
    assert shop.display.display_on is False


def test_hours_past_midnight_keep_the_display_on_after_midnight(qtbot: QtBot, shop: Shop) -> None:
    # Monday 18:00 until Tuesday 02:00: the Monday-night dance at the community hall.
    late = (OpeningHours(weekday=1, opens=time(18), closes=time(2)),)
    shop.clock.jump(timedelta(hours=2, minutes=30))  # Tuesday 00:25

    shop.open(shop_hours(late))
    qtbot.waitUntil(lambda: share_close_to(shop.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97)
    assert shop.display.display_on is True

    shop.clock.jump(timedelta(hours=2))  # Tuesday 02:25
    qtbot.waitUntil(lambda: shop.commands_run() == ["on", "off"], timeout=5000)
    assert black_share(shop.window.grab_frame()) == 1


def test_no_opening_hours_means_always_on_and_no_command(qtbot: QtBot, shop: Shop) -> None:
    shop.open(shop_hours(()))

    qtbot.waitUntil(lambda: share_close_to(shop.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97)
    shop.clock.jump(timedelta(hours=5))  # 02:55
    shop.display.check()

    assert shop.display.display_on is True
    assert shop.commands_run() == []
    assert share_close_to(shop.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97
