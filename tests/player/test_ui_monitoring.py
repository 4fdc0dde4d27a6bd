"""The running player reports: plays as slides change, screenshots of its window, never a stall."""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from anslag_testing.fake_monitoring import FakeMonitoringServer
from anslag_testing.fake_server import image_manifest
from anslag_testing.players import Build, players
from anslag_testing.screens import (
    SLIDE_AREA,
    Rgb,
    RunningClock,
    close_to,
    fill_data_dir,
    png_bytes,
    share_close_to,
)
from PIL import Image
from pytestqt.qtbot import QtBot

from playlists.manifest import Manifest

pytestmark = pytest.mark.gui

ORANGE: Rgb = (232, 120, 32)
BLUE: Rgb = (30, 80, 200)
MONDAY_MORNING = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def build(qtbot: QtBot, tmp_path: Path) -> Iterator[Build]:
    """Builds players on tmp_path/data reporting every 0.1 s, and stops them after the test."""
    with players(
        tmp_path / "data",
        starting_at=MONDAY_MORNING,
        poll_interval_s=0.1,
        heartbeat_interval_s=0.1,
        window_size="640x360",
    ) as build:
        yield build


@pytest.fixture
def server(build: Build) -> Iterator[FakeMonitoringServer]:
    # Set up after `build`, so torn down before it: a hanging server lets go before players stop.
    server = FakeMonitoringServer()
    yield server
    server.release.set()


def cache_slides(data_dir: Path, server: FakeMonitoringServer, *colours: Rgb) -> Manifest:
    """A data folder with a slide of each colour, each shown for half a second."""
    pictures = [png_bytes(colour) for colour in colours]
    refs = [server.add_asset(picture) for picture in pictures]
    manifest = image_manifest(*refs)
    quick = tuple(item.model_copy(update={"duration_s": 0.5}) for item in manifest.items)
    manifest = manifest.model_copy(update={"items": quick})
    fill_data_dir(
        data_dir, manifest, dict(zip((ref.sha256 for ref in refs), pictures, strict=True))
    )
    server.publish(manifest)
    return manifest


def queued(data_dir: Path) -> list[dict[str, Any]]:
    """The play queue's records as the player wrote them so far (read only: it is in use)."""
    try:
        lines = (data_dir / "plays.jsonl").read_text().splitlines()
    except FileNotFoundError:
        return []
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            continue  # a line being written right now
    return records


def test_slides_shown_are_reported_as_plays_and_the_heartbeat_names_the_one_on_screen(
    qtbot: QtBot, build: Build, server: FakeMonitoringServer, tmp_path: Path
) -> None:
    cache_slides(tmp_path / "data", server, ORANGE, BLUE)
    player = build(server.transport())

    player.start()

    qtbot.waitUntil(lambda: len(server.plays) >= 3, timeout=10_000)
    items = [play.item for play in server.plays]
    assert items[:3] in (["image-1", "image-2", "image-1"], ["image-2", "image-1", "image-2"])
    assert all(play.playlist == "all-day" and play.duration_s > 0 for play in server.plays)
    first, second = server.plays[0], server.plays[1]
    assert first.started_at < second.started_at
    assert {heartbeat.current_item for heartbeat in server.heartbeats} <= {
        "image-1",
        "image-2",
        None,
    }
    assert any(heartbeat.current_item is not None for heartbeat in server.heartbeats)


def test_a_requested_screenshot_shows_what_is_on_screen(
    qtbot: QtBot, build: Build, server: FakeMonitoringServer, tmp_path: Path
) -> None:
    cache_slides(tmp_path / "data", server, ORANGE)
    player = build(server.transport(), window_size="1920x1080")
    with qtbot.waitSignal(player.stage.transition_finished, timeout=5000):
        player.start()

    server.screenshot_requested = True

    qtbot.waitUntil(lambda: bool(server.screenshots), timeout=10_000)
    media_type, data = server.screenshots[0]
    assert media_type == "image/jpeg"
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.format == "JPEG"
        # Scaled down for a mobile link, still wide enough to read a slide.
        assert picture.size == (1280, 720)
        assert close_to(picture.convert("RGB").getpixel((640, 300)), ORANGE, tolerance=16)


def test_a_server_that_never_answers_a_heartbeat_does_not_stop_the_slides(
    qtbot: QtBot, build: Build, server: FakeMonitoringServer, tmp_path: Path
) -> None:
    cache_slides(tmp_path / "data", server, ORANGE, BLUE)
    server.hang_heartbeats = True
    player = build(server.transport())

    player.start()
    qtbot.waitUntil(lambda: bool(server.requests_to("/api/device/v1/heartbeat")), timeout=5000)

    seen: set[Rgb] = set()

    def both_colours_seen() -> bool:
        frame = player.window.grab_frame()
        seen.update(c for c in (ORANGE, BLUE) if share_close_to(frame, c, SLIDE_AREA) > 0.9)
        return seen == {ORANGE, BLUE}

    qtbot.waitUntil(both_colours_seen, timeout=5000)
    assert server.heartbeats == []


def test_plays_recorded_offline_survive_a_restart_and_reach_the_server_later(
    qtbot: QtBot, build: Build, server: FakeMonitoringServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    cache_slides(data_dir, server, ORANGE, BLUE)
    server.offline = True
    offline = build(server.transport())
    offline.start()
    qtbot.waitUntil(lambda: len(queued(data_dir)) >= 2, timeout=10_000)
    on_screen = offline.controller.playback.showing
    offline.stop()
    offline.window.close()
    recorded = queued(data_dir)

    server.offline = False
    online = build(server.transport())
    online.start()

    # The slide on screen when the player stopped counts as played until then.
    assert on_screen is not None
    assert recorded[-1]["item"] == on_screen.slot.item.id
    assert datetime.fromisoformat(recorded[-1]["started_at"]) == on_screen.started_at
    qtbot.waitUntil(lambda: len(server.plays) >= len(recorded), timeout=10_000)
    assert [play.model_dump(mode="json") for play in server.plays[: len(recorded)]] == [
        {name: value for name, value in record.items() if name != "seq"} for record in recorded
    ]
    sent = {record["seq"] for record in recorded}
    qtbot.waitUntil(lambda: not sent & {record["seq"] for record in queued(data_dir)})


@pytest.mark.parametrize(
    ("made", "trusted"),
    [(MONDAY_MORNING - timedelta(days=1), True), (MONDAY_MORNING + timedelta(days=30), False)],
)
def test_the_heartbeat_says_whether_the_clock_can_be_trusted_and_the_display_is_on(
    qtbot: QtBot,
    build: Build,
    server: FakeMonitoringServer,
    tmp_path: Path,
    made: datetime,
    trusted: bool,
) -> None:
    picture = png_bytes(ORANGE)
    manifest = image_manifest(server.add_asset(picture), generated_at=made)
    fill_data_dir(tmp_path / "data", manifest, {manifest.assets[0].sha256: picture})
    server.publish(manifest)
    player = build(server.transport(), cache_limit_mb=750)

    player.start()

    # The first heartbeat may leave before the display schedule has looked at the hours.
    qtbot.waitUntil(
        lambda: any(heartbeat.display_on is not None for heartbeat in server.heartbeats),
        timeout=10_000,
    )
    heartbeat = server.heartbeats[-1]
    assert heartbeat.clock_trusted is trusted
    assert heartbeat.cache_limit_bytes == 750_000_000
    assert heartbeat.display_on is True, "no opening hours: always on"


def test_a_clock_set_back_during_slides_still_counts_the_time_each_was_shown(
    qtbot: QtBot, server: FakeMonitoringServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    clock = RunningClock(MONDAY_MORNING)
    pictures = [png_bytes(ORANGE), png_bytes(BLUE)]
    refs = [server.add_asset(picture) for picture in pictures]
    # Made a day ago: the player goes by its own clock, back and forth.
    manifest = image_manifest(*refs, generated_at=MONDAY_MORNING - timedelta(days=1))
    quick = tuple(item.model_copy(update={"duration_s": 0.5}) for item in manifest.items)
    manifest = manifest.model_copy(update={"items": quick})
    fill_data_dir(
        data_dir, manifest, {ref.sha256: p for ref, p in zip(refs, pictures, strict=True)}
    )
    server.publish(manifest)
    # Offline: every play stays in the queue to be read.
    server.offline = True
    with players(data_dir, starting_at=MONDAY_MORNING, clock=clock, window_size="640x360") as build:
        player = build(server.transport(), heartbeat_interval_s=0.1)
        player.start()
        qtbot.waitUntil(lambda: len(queued(data_dir)) >= 1, timeout=5000)

        # NTP steps the clock back an hour while a slide shows, and later the player stops.
        clock.jump(-timedelta(hours=1))
        qtbot.waitUntil(lambda: len(queued(data_dir)) >= 3, timeout=5000)
        player.stop()

    durations = [record["duration_s"] for record in queued(data_dir)]
    assert len(durations) >= 4
    # The last one ended when the player stopped, whenever that came.
    assert all(duration > 0.2 for duration in durations[:-1]), durations
    assert durations[-1] > 0
    starts = [datetime.fromisoformat(record["started_at"]) for record in queued(data_dir)]
    assert any(later < earlier for earlier, later in itertools.pairwise(starts)), "set back"
