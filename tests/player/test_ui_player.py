"""The whole player built in-process: cached content first, the server second, never a blank."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from anslag_testing.fake_server import SERVER_URL, FakeDeviceServer, image_manifest
from anslag_testing.players import Build, players
from anslag_testing.screens import (
    SLIDE_AREA,
    Rgb,
    black_share,
    fill_data_dir,
    png_bytes,
    share_close_to,
)
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from player.cache import AssetCache
from player.ui.app import Player
from player.ui.screenshots import ScreenshotWriter

pytestmark = pytest.mark.gui

ORANGE: Rgb = (232, 120, 32)
GREEN: Rgb = (40, 160, 90)
MONDAY_MORNING = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def build(qtbot: QtBot, tmp_path: Path) -> Iterator[Build]:
    """Builds players on tmp_path/data and stops them after the test."""
    with players(
        tmp_path / "data", starting_at=MONDAY_MORNING, poll_interval_s=0.05, window_size="960x540"
    ) as build:
        yield build


def cached_orange_screen(data_dir: Path, server: FakeDeviceServer) -> None:
    """A data folder holding an orange slide from an earlier run."""
    picture = png_bytes(ORANGE)
    ref = server.add_asset(picture)
    fill_data_dir(data_dir, image_manifest(ref), {ref.sha256: picture})


def start_and_collect_sync_failures(qtbot: QtBot, player: Player) -> list[str]:
    """Start the player, wait for its first slide, and keep what each failed sync reported."""
    assert player.sync is not None
    failures: list[str] = []
    player.sync.sync_failed.connect(failures.append)
    with qtbot.waitSignal(player.stage.transition_finished, timeout=5000):
        player.start()
    return failures


def test_with_the_server_down_the_cached_content_plays_at_once(
    qtbot: QtBot, build: Build, tmp_path: Path
) -> None:
    server = FakeDeviceServer()
    server.offline = True
    cached_orange_screen(tmp_path / "data", server)
    player = build(server.transport())

    failures = start_and_collect_sync_failures(qtbot, player)
    assert share_close_to(player.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97

    qtbot.waitUntil(lambda: len(failures) >= 2, timeout=5000)
    assert "connection refused" in failures[0]
    assert share_close_to(player.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97


def test_content_is_on_screen_before_the_first_sync_answers(
    qtbot: QtBot, build: Build, tmp_path: Path
) -> None:
    server = FakeDeviceServer()
    cached_orange_screen(tmp_path / "data", server)
    answer = threading.Event()

    def slow_network(request: httpx.Request) -> httpx.Response:
        answer.wait(timeout=10)
        raise httpx.ConnectTimeout("no answer", request=request)

    player = build(httpx.MockTransport(slow_network))
    try:
        with qtbot.waitSignal(player.stage.transition_finished, timeout=5000):
            player.start()
        assert share_close_to(player.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97
    finally:
        answer.set()


def test_new_content_from_the_server_replaces_the_cached_slide(
    qtbot: QtBot, build: Build, tmp_path: Path
) -> None:
    server = FakeDeviceServer()
    cached_orange_screen(tmp_path / "data", server)
    server.publish(image_manifest(server.add_asset(png_bytes(GREEN))))
    player = build(server.transport())

    player.start()

    qtbot.waitUntil(
        lambda: share_close_to(player.window.grab_frame(), GREEN, SLIDE_AREA) > 0.97,
        timeout=5000,
    )


def test_an_invalid_manifest_from_the_server_leaves_the_last_good_slide_on_screen(
    qtbot: QtBot, build: Build, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = FakeDeviceServer()
    cached_orange_screen(tmp_path / "data", server)
    server.publish_raw(b'{"version": 1, "items": "not a list"}', etag="broken")
    player = build(server.transport())

    failures = start_and_collect_sync_failures(qtbot, player)

    qtbot.waitUntil(lambda: len(failures) >= 2, timeout=5000)
    assert SERVER_URL in failures[0]
    assert "items" in failures[0], "the failure names what is wrong with the manifest"
    assert any(
        SERVER_URL in record.getMessage() and "items" in record.getMessage()
        for record in caplog.records
    )
    assert share_close_to(player.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97


def test_a_corrupted_download_never_replaces_the_last_good_slide(
    qtbot: QtBot, build: Build, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = FakeDeviceServer()
    cached_orange_screen(tmp_path / "data", server)
    green = server.add_asset(png_bytes(GREEN))
    damaged = bytearray(png_bytes(GREEN))
    damaged[len(damaged) // 2] ^= 0xFF  # one flipped byte on the way, the size unchanged
    server.wrong_bytes[green.sha256] = bytes(damaged)
    server.publish(image_manifest(green))
    player = build(server.transport())

    failures = start_and_collect_sync_failures(qtbot, player)

    qtbot.waitUntil(lambda: len(failures) >= 2, timeout=5000)
    assert green.sha256 in failures[0]
    assert any(green.sha256 in record.getMessage() for record in caplog.records)
    assert share_close_to(player.window.grab_frame(), ORANGE, SLIDE_AREA) > 0.97


def test_a_full_disk_mid_download_leaves_the_screen_as_it_was_until_a_retry_succeeds(
    qtbot: QtBot, build: Build, tmp_path: Path
) -> None:
    server = FakeDeviceServer()
    cached_orange_screen(tmp_path / "data", server)
    green = server.add_asset(png_bytes(GREEN))
    server.publish(image_manifest(green))
    # The kernel refuses every write there with ENOSPC, as on an SD card that filled up.
    AssetCache(tmp_path / "data" / "objects").partial_path(green.sha256).symlink_to("/dev/full")
    player = build(server.transport())
    assert player.sync is not None
    when_it_failed: list[QImage] = []
    player.sync.sync_failed.connect(lambda _: when_it_failed.append(player.window.grab_frame()))

    failures = start_and_collect_sync_failures(qtbot, player)

    # The failed sync discarded the partial file; the next one fetches the picture.
    qtbot.waitUntil(
        lambda: share_close_to(player.window.grab_frame(), GREEN, SLIDE_AREA) > 0.97,
        timeout=5000,
    )
    assert len(failures) == 1
    assert "no room on the disk" in failures[0]
    # Failing changed nothing: the screen was (fading in) the cached slide, never dark.
    assert share_close_to(when_it_failed[0], GREEN, SLIDE_AREA) == 0
    assert black_share(when_it_failed[0]) == 0


def test_an_unpaired_screen_that_cannot_get_a_code_says_so_instead_of_going_black(
    qtbot: QtBot, build: Build, tmp_path: Path
) -> None:
    fill_data_dir(tmp_path / "data", None, {}, token=None)
    server = FakeDeviceServer()
    server.offline = True
    player = build(server.transport())
    shown: list[dict[str, object]] = []
    player.stage.present_requested.connect(shown.append)

    with qtbot.waitSignal(player.stage.transition_finished, timeout=5000):
        player.start()

    assert player.sync is None
    assert [text["title"] for text in shown[-1]["texts"]] == [  # type: ignore[attr-defined]
        "Skärmen är inte ansluten än",
        "This screen is not connected yet",
    ]
    assert shown[-1]["serverAddress"] == "anslag.test"
    assert black_share(player.window.grab_frame()) == 0


def test_each_transition_is_saved_as_a_screenshot(
    qtbot: QtBot, build: Build, tmp_path: Path
) -> None:
    server = FakeDeviceServer()
    server.offline = True
    cached_orange_screen(tmp_path / "data", server)
    screens = tmp_path / "screens"
    player = build(server.transport(), screenshot_dir=screens)

    player.start()
    qtbot.waitUntil(lambda: (screens / "latest.png").is_file(), timeout=5000)

    latest = QImage(str(screens / "latest.png"))
    assert (latest.width(), latest.height()) == (960, 540)
    assert share_close_to(latest, ORANGE, SLIDE_AREA) > 0.97
    assert (screens / "slide-0001.png").is_file()


@pytest.mark.parametrize("existing", [0, 25])
def test_screenshot_folder_keeps_the_newest_twenty(tmp_path: Path, existing: int) -> None:
    for number in range(1, existing + 1):
        (tmp_path / f"slide-{number:04d}.png").write_bytes(b"old")
    frame = QImage(64, 36, QImage.Format.Format_RGB32)
    frame.fill(QColor(*GREEN))
    writer = ScreenshotWriter(tmp_path)

    for _ in range(22):
        writer.submit(frame)
    writer.close()

    numbered = sorted(path.name for path in tmp_path.glob("slide-*.png"))
    assert len(numbered) == 20
    assert numbered[-1] == f"slide-{existing + 22:04d}.png"
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []
    assert QImage(str(tmp_path / "latest.png")).pixelColor(5, 5) == QColor(*GREEN)
