"""Video slides: a clip plays silently from its first frame, ends its turn, loops, or is skipped."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from anslag_testing.manifests import (
    asset_refs,
    assignment,
    image,
    location,
    playlist,
    sha,
    utc,
)
from anslag_testing.screens import (
    NAVY,
    SLIDE_AREA,
    Rgb,
    RunningClock,
    black_share,
    close_to,
    png_bytes,
    share_close_to,
)
from anslag_testing.videos import make_clip, video_messages
from PySide6.QtCore import QObject
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from player.slides import SlideView, slide_view
from player.ui.controller import Controller
from player.ui.stage import Stage
from player.ui.window import PlayerWindow
from playlists.manifest import AnyItem, LocationInfo, Manifest, VideoItem

pytestmark = [pytest.mark.gui, video_messages()]

GREEN: Rgb = (40, 160, 90)
BLUE: Rgb = (40, 90, 220)
ORANGE: Rgb = (232, 120, 32)
PAJALA = LocationInfo(
    id="pajala", name="Pajala bibliotek", timezone="Europe/Stockholm", languages=("sv",)
)


class Screen:
    """A window and a controller over files in a folder, as the player wires them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.stage = Stage(fade_ms=120)
        self.window = PlayerWindow(self.stage, size=(640, 360))
        self.controller = Controller(
            stage=self.stage,
            is_cached=lambda sha256: (folder / sha256).is_file(),
            asset_path=lambda sha256: folder / sha256,
            clock=RunningClock(utc("2026-03-02 08:05")),
        )
        self.presented: list[dict[str, Any]] = []
        self.stage.present_requested.connect(self.presented.append)

    def file(self, item_id: str) -> Path:
        return self.folder / sha(item_id)

    def view(self, item: AnyItem) -> SlideView:
        return slide_view(item, location=PAJALA, asset_path=lambda _: self.file(item.id))

    def players(self) -> list[QObject]:
        """The media players of the slides loaded now, on screen or prepared."""
        return self.window.rootObject().findChildren(QObject, "videoPlayer")


@pytest.fixture
def screen(qtbot: QtBot, tmp_path: Path) -> Iterator[Screen]:
    screen = Screen(tmp_path)
    screen.window.show()
    qtbot.waitExposed(screen.window)
    yield screen
    screen.controller.stop()
    screen.window.close()
    screen.window.deleteLater()


def clip_item(
    screen: Screen, item_id: str, colours: list[Rgb], *, duration_s: float = 60, loop: bool = False
) -> VideoItem:
    make_clip(screen.file(item_id), colours, seconds_each=0.4)
    return VideoItem(id=item_id, duration_s=duration_s, asset=sha(item_id), loop=loop)


def picture_item(screen: Screen, item_id: str, colour: Rgb) -> AnyItem:
    screen.file(item_id).write_bytes(png_bytes(colour))
    return image(item_id, duration_s=60)


def one_playlist(*items: AnyItem) -> Manifest:
    return Manifest(
        generated_at=utc("2026-03-01 00:00"),
        valid_until=utc("2026-03-08 00:00"),
        location=location(),
        assets=asset_refs(items),
        items=items,
        playlists=(playlist("main", *(item.id for item in items)),),
        assignments=(assignment("always", "main"),),
    )


def middle(frame: QImage) -> Rgb:
    """The colour in the middle of the slide area, where clips (letterboxed) and pictures are."""
    pixel = frame.pixelColor(frame.width() // 2, int(frame.height() * 0.42))
    return (pixel.red(), pixel.green(), pixel.blue())


def watch(qtbot: QtBot, screen: Screen, until: Rgb, *, timeout: int = 10_000) -> list[QImage]:
    """The frames grabbed while waiting for the middle of the slide area to turn `until`."""
    frames: list[QImage] = []

    def arrived() -> bool:
        frames.append(screen.window.grab_frame())
        return close_to(middle(frames[-1]), until, tolerance=16)

    qtbot.waitUntil(arrived, timeout=timeout)
    return frames


def colour_runs(frames: list[QImage], palette: list[Rgb]) -> list[Rgb]:
    """The palette colours the middle of the frames showed, in order, repeats folded."""
    runs: list[Rgb] = []
    for frame in frames:
        match = next((c for c in palette if close_to(middle(frame), c, tolerance=16)), None)
        if match is not None and (not runs or runs[-1] != match):
            runs.append(match)
    return runs


def test_a_clip_starts_at_its_first_frame_and_plays(qtbot: QtBot, screen: Screen) -> None:
    clip = clip_item(screen, "winter", [GREEN, BLUE])

    with qtbot.waitSignal(screen.stage.transition_finished, timeout=5000):
        screen.stage.present(screen.view(clip))

    frames = [screen.window.grab_frame()]
    frames += watch(qtbot, screen, until=BLUE)
    assert colour_runs(frames, [GREEN, BLUE]) == [GREEN, BLUE]
    assert all(black_share(frame) == 0 for frame in frames)


@pytest.mark.parametrize(("fit", "green_share"), [("fill", 1.0), ("fit", 0.9)])
def test_a_clip_fills_the_slide_or_fits_into_it_as_the_item_says(
    qtbot: QtBot, screen: Screen, fit: str, green_share: float
) -> None:
    make_clip(screen.file("meadow"), [GREEN], seconds_each=1, size=(320, 180))
    clip = VideoItem(id="meadow", duration_s=5, asset=sha("meadow"), fit=fit)

    with qtbot.waitSignal(screen.stage.transition_finished, timeout=5000):
        screen.stage.present(screen.view(clip))

    # The slide area is 640x325: a 16:9 clip fitted into it is 578 wide, between navy bars.
    frame = screen.window.grab_frame()
    assert share_close_to(frame, GREEN, SLIDE_AREA, tolerance=16) == pytest.approx(
        green_share, abs=0.03
    )
    assert share_close_to(frame, NAVY, SLIDE_AREA) == pytest.approx(1 - green_share, abs=0.03)


def test_a_clip_is_silent_unless_the_item_asks_for_sound(qtbot: QtBot, screen: Screen) -> None:
    silent = clip_item(screen, "silent", [GREEN])
    loud = VideoItem(id="loud", duration_s=5, asset=sha("silent"), muted=False)

    with qtbot.waitSignal(screen.stage.transition_finished, timeout=5000):
        screen.stage.present(screen.view(silent))
    [player] = screen.players()
    assert player.property("audioOutput") is None

    with qtbot.waitSignal(screen.stage.transition_finished, timeout=5000):
        screen.stage.present(
            slide_view(loud, location=PAJALA, asset_path=lambda _: screen.file("silent"))
        )
    # The silent clip's slide is gone once its layer has been cleared.
    qtbot.waitUntil(lambda: len(screen.players()) == 1)
    [player] = screen.players()
    sound = player.property("audioOutput")
    assert sound is not None
    assert sound.property("muted") is False


def test_a_prepared_clip_waits_on_its_first_frame_out_of_sight(
    qtbot: QtBot, screen: Screen
) -> None:
    picture = picture_item(screen, "poster", ORANGE)
    clip = clip_item(screen, "winter", [GREEN, BLUE])
    with qtbot.waitSignal(screen.stage.transition_finished, timeout=5000):
        screen.stage.present(screen.view(picture))

    screen.stage.prepare(screen.view(clip))
    qtbot.waitUntil(lambda: len(screen.players()) == 1, timeout=5000)
    [player] = screen.players()
    # Paused on its first frame, behind the picture that is still on screen.
    qtbot.waitUntil(lambda: player.property("position") == 0 and player.property("hasVideo"))
    assert share_close_to(screen.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97

    finished: list[bool] = []
    screen.stage.transition_finished.connect(lambda: finished.append(True))
    frames: list[QImage] = []

    def faded_in() -> bool:
        frames.append(screen.window.grab_frame())
        return bool(finished)

    screen.stage.present(screen.view(clip))
    qtbot.waitUntil(faded_in, timeout=5000)

    assert screen.players() == [player], "the prepared clip is the one shown"
    assert colour_runs(frames, [ORANGE, GREEN, BLUE])[:2] == [ORANGE, GREEN]
    assert all(black_share(frame) == 0 for frame in frames)


# Qt Multimedia reports the file itself; that warning is the expected outcome here.
@video_messages("^Could not open media")
def test_a_clip_that_does_not_decode_never_replaces_the_slide_on_screen(
    qtbot: QtBot, screen: Screen
) -> None:
    picture = picture_item(screen, "poster", ORANGE)
    screen.file("scrambled").write_bytes(b"\x00\x00\x00\x18ftypmp42 but nothing more")
    broken = VideoItem(id="scrambled", duration_s=10, asset=sha("scrambled"))
    with qtbot.waitSignal(screen.stage.transition_finished, timeout=5000):
        screen.stage.present(screen.view(picture))

    with (
        qtbot.assertNotEmitted(screen.stage.transition_finished),
        qtbot.waitSignal(screen.stage.slide_failed, timeout=5000) as failure,
    ):
        screen.stage.present(screen.view(broken))

    assert failure.args == [screen.view(broken)["videoUrl"]]
    assert share_close_to(screen.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97


def test_a_clip_played_once_gives_way_when_it_ends_not_at_its_duration(
    qtbot: QtBot, screen: Screen
) -> None:
    # Sixty seconds is the slot's upper bound; the clip lasts 0.8 s.
    content = one_playlist(
        clip_item(screen, "winter", [GREEN, BLUE], duration_s=60),
        picture_item(screen, "poster", ORANGE),
    )
    screen.controller.set_manifest(content)

    screen.controller.start()
    frames = watch(qtbot, screen, until=ORANGE)

    assert colour_runs(frames, [GREEN, BLUE, ORANGE]) == [GREEN, BLUE, ORANGE]
    assert all(black_share(frame) == 0 for frame in frames)
    assert [view["itemId"] for view in screen.presented] == ["winter", "poster"]


def test_a_clip_longer_than_its_slot_is_cut_at_the_slot_end(qtbot: QtBot, screen: Screen) -> None:
    yellow: Rgb = (230, 210, 40)
    red: Rgb = (200, 40, 40)
    make_clip(screen.file("long"), [GREEN, BLUE, BLUE, yellow], seconds_each=0.4)
    picture_item(screen, "poster", ORANGE)
    picture_item(screen, "closing", red)
    content = one_playlist(
        image("poster", duration_s=1),
        VideoItem(id="long", duration_s=0.5, asset=sha("long")),
        image("closing", duration_s=60),
    )
    screen.controller.set_manifest(content)

    screen.controller.start()
    frames = watch(qtbot, screen, until=red)

    runs = colour_runs(frames, [ORANGE, GREEN, BLUE, yellow, red])
    assert runs[:2] == [ORANGE, GREEN]
    assert runs[-1] == red
    assert yellow not in runs, "the clip gave way at its slot's end, long before its own"


def test_a_looping_clip_repeats_until_its_duration_is_up(qtbot: QtBot, screen: Screen) -> None:
    content = one_playlist(
        clip_item(screen, "aurora", [GREEN, BLUE], duration_s=2.5, loop=True),
        picture_item(screen, "poster", ORANGE),
    )
    screen.controller.set_manifest(content)

    screen.controller.start()
    frames = watch(qtbot, screen, until=ORANGE)

    runs = colour_runs(frames, [GREEN, BLUE, ORANGE])
    assert runs[:4] == [GREEN, BLUE, GREEN, BLUE], "the clip started over"
    assert runs[-1] == ORANGE
    assert all(black_share(frame) == 0 for frame in frames)


def test_a_one_clip_playlist_plays_the_clip_again_and_again(qtbot: QtBot, screen: Screen) -> None:
    screen.controller.set_manifest(one_playlist(clip_item(screen, "winter", [GREEN, BLUE])))

    screen.controller.start()
    frames: list[QImage] = []

    def played_three_times() -> bool:
        frames.append(screen.window.grab_frame())
        return len(screen.presented) >= 3

    qtbot.waitUntil(played_three_times, timeout=10_000)
    frames += watch(qtbot, screen, until=BLUE)

    assert colour_runs(frames, [GREEN, BLUE])[:4] == [GREEN, BLUE, GREEN, BLUE]
    assert all(black_share(frame) == 0 for frame in frames)


@video_messages("^Could not open media")
def test_a_broken_clip_in_a_playlist_is_skipped_and_logged(
    qtbot: QtBot, screen: Screen, caplog: pytest.LogCaptureFixture
) -> None:
    screen.file("scrambled").write_bytes(b"not a video at all")
    content = one_playlist(
        picture_item(screen, "poster", ORANGE),
        VideoItem(id="scrambled", duration_s=0.5, asset=sha("scrambled")),
        clip_item(screen, "winter", [GREEN, BLUE]),
    )
    # Short turns, so that the broken clip's turn comes soon.
    short = tuple(item.model_copy(update={"duration_s": 0.5}) for item in content.items)
    content = content.model_copy(update={"items": short})
    screen.controller.set_manifest(content)

    with caplog.at_level(logging.ERROR, logger="player.ui.controller"):
        screen.controller.start()
        frames = watch(qtbot, screen, until=GREEN)

    assert [view["itemId"] for view in screen.presented] == ["poster", "winter"]
    assert any("skipping item scrambled" in record.getMessage() for record in caplog.records)
    assert all(black_share(frame) == 0 for frame in frames)
