"""Slide changes cross-fade: every frame of a transition is content, never a black flash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from anslag_testing.manifests import sha
from anslag_testing.screens import Rgb, black_share, close_to, png_bytes, sample
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from player.slides import SlideView, slide_view
from player.ui.stage import FADE_MS, Stage
from player.ui.window import PlayerWindow
from playlists.manifest import ImageItem, LocationInfo

pytestmark = pytest.mark.gui

RED: Rgb = (210, 40, 40)
BLUE: Rgb = (40, 90, 220)
PAJALA = LocationInfo(
    id="pajala", name="Pajala bibliotek", timezone="Europe/Stockholm", languages=("sv",)
)


@pytest.fixture
def screen(qtbot: QtBot) -> Iterator[tuple[Stage, PlayerWindow]]:
    stage = Stage(fade_ms=FADE_MS)
    window = PlayerWindow(stage, size=(960, 540))
    window.show()
    qtbot.waitExposed(window)
    yield stage, window
    window.close()
    window.deleteLater()


def picture_slide(tmp_path: Path, name: str, colour: Rgb) -> SlideView:
    path = tmp_path / sha(name)
    path.write_bytes(png_bytes(colour, size=(1600, 900)))
    item = ImageItem(id=name, duration_s=10, asset=sha(name))
    return slide_view(item, location=PAJALA, asset_path=lambda _: path)


def centre(frame: QImage) -> Rgb:
    colour = frame.pixelColor(frame.width() // 2, frame.height() // 3)
    return (colour.red(), colour.green(), colour.blue())


def test_no_frame_of_a_cross_fade_is_black(
    qtbot: QtBot, screen: tuple[Stage, PlayerWindow], tmp_path: Path
) -> None:
    stage, window = screen
    with qtbot.waitSignal(stage.transition_finished):
        stage.present(picture_slide(tmp_path, "red", RED))
    finished: list[bool] = []
    stage.transition_finished.connect(lambda: finished.append(True))
    frames: list[QImage] = []

    def grab_until_finished() -> bool:
        frames.append(window.grab_frame())
        return bool(finished)

    stage.present(picture_slide(tmp_path, "blue", BLUE))
    qtbot.waitUntil(grab_until_finished, timeout=5000)

    assert len(frames) >= 3
    assert all(black_share(frame) == 0 for frame in frames)
    colours = [centre(frame) for frame in frames]
    assert close_to(colours[0], RED)
    assert close_to(colours[-1], BLUE)
    blends = [c for c in colours if not close_to(c, RED) and not close_to(c, BLUE)]
    assert blends, "the change is a fade, not a cut"
    assert all(max(c) > 60 for c in blends)


# Qt Quick reports the file itself; that warning is the expected outcome here.
@pytest.mark.qt_log_ignore("Error decoding")
def test_a_picture_that_does_not_decode_never_replaces_the_slide_on_screen(
    qtbot: QtBot, screen: tuple[Stage, PlayerWindow], tmp_path: Path
) -> None:
    stage, window = screen
    with qtbot.waitSignal(stage.transition_finished):
        stage.present(picture_slide(tmp_path, "red", RED))
    broken = tmp_path / sha("broken")
    broken.write_bytes(b"this is not a PNG")
    view = slide_view(
        ImageItem(id="broken", duration_s=10, asset=sha("broken")),
        location=PAJALA,
        asset_path=lambda _: broken,
    )

    with (
        qtbot.assertNotEmitted(stage.transition_finished),
        qtbot.waitSignal(stage.slide_failed) as failure,
    ):
        stage.present(view)

    assert failure.args == [view["imageUrl"]]
    assert all(close_to(colour, RED) for colour in sample(window.grab_frame(), grid=8)[:32])
