"""Reporting without Qt: heartbeats measured for real, plays kept on disk, screenshots when due."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from anslag_testing.fake_monitoring import FakeMonitoringServer
from anslag_testing.fake_server import DEVICE_TOKEN, SERVER_URL, image_manifest
from anslag_testing.screens import fill_data_dir, png_bytes
from anslag_testing.server_app import FakeClock

from player.cache import AssetCache
from player.monitoring import (
    HeartbeatProbe,
    Monitor,
    MonitoringClient,
    NowPlaying,
    RecentErrors,
    play_report,
)
from player.play_queue import PlayQueue
from player.store import ManifestStore
from player.updates import PlayerUpdater
from playlists.reports import MAX_ERROR_LENGTH, PlayerUpdate, PlayReport

MORNING = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)
STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Ticker:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Rig:
    server: FakeMonitoringServer
    data_dir: Path
    clock: FakeClock
    ticker: Ticker
    errors: RecentErrors
    monitor: Monitor

    def play(self, item: str, *, seconds_ago: float) -> PlayReport:
        started_at = self.clock() - timedelta(seconds=seconds_ago)
        return play_report(
            item=item, playlist="playlist-1", started_at=started_at, ended_at=self.clock()
        )

    def reopened_queue(self) -> list[str]:
        queue = PlayQueue(self.data_dir / "plays.jsonl")
        return [queued.record.item for queued in queue.oldest(len(queue))]


def build_monitor(
    server: FakeMonitoringServer,
    data_dir: Path,
    clock: FakeClock,
    ticker: Ticker,
    errors: RecentErrors,
    *,
    screenshot_interval_s: float | None = 900,
    updater: PlayerUpdater | None = None,
) -> Monitor:
    probe = HeartbeatProbe(
        cache=AssetCache(data_dir / "objects"),
        store=ManifestStore(data_dir / "manifest.json"),
        data_dir=data_dir,
        clock=clock,
        monotonic=ticker,
        errors=errors,
        cache_limit_bytes=500_000_000,
    )
    return Monitor(
        client=MonitoringClient(
            server_url=SERVER_URL, token=DEVICE_TOKEN, transport=server.transport()
        ),
        queue=PlayQueue(data_dir / "plays.jsonl"),
        probe=probe,
        monotonic=ticker,
        heartbeat_interval_s=60,
        screenshot_interval_s=screenshot_interval_s,
        updater=updater,
    )


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    server = FakeMonitoringServer()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    clock, ticker = FakeClock(MORNING), Ticker()
    errors = RecentErrors(clock=clock, monotonic=ticker)
    logging.getLogger("player").addHandler(errors)
    monitor = build_monitor(server, data_dir, clock, ticker, errors)
    yield Rig(server, data_dir, clock, ticker, errors, monitor)
    monitor.close()
    logging.getLogger("player").removeHandler(errors)


def test_the_heartbeat_reports_what_the_player_measures(rig: Rig) -> None:
    pictures = [png_bytes((200, 40, 40)), png_bytes((40, 160, 90), (640, 360))]
    refs = [rig.server.add_asset(picture) for picture in pictures]
    manifest = image_manifest(*refs)
    fill_data_dir(
        rig.data_dir, manifest, dict(zip((ref.sha256 for ref in refs), pictures, strict=True))
    )
    rig.ticker.advance(42.5)
    rig.monitor.now_playing = NowPlaying("image-2", "all-day", STOCKHOLM)

    rig.monitor.tick()

    [heartbeat] = rig.server.heartbeats
    assert (heartbeat.current_item, heartbeat.current_playlist) == ("image-2", "all-day")
    assert heartbeat.manifest_etag == manifest.content_hash()
    assert heartbeat.cache_bytes == sum(len(picture) for picture in pictures)
    assert heartbeat.cache_limit_bytes == 500_000_000
    assert 0 < heartbeat.free_disk_bytes <= shutil.disk_usage(rig.data_dir).total
    assert heartbeat.uptime_s == 42.5
    assert heartbeat.player_time == MORNING
    assert heartbeat.player_version == version("anslag")
    assert heartbeat.recent_errors == ()


def test_an_empty_player_reports_nothing_on_screen_and_an_empty_cache(rig: Rig) -> None:
    rig.monitor.tick()

    [heartbeat] = rig.server.heartbeats
    assert (heartbeat.current_item, heartbeat.manifest_etag, heartbeat.cache_bytes) == (
        None,
        None,
        0,
    )


def test_warnings_reach_the_heartbeat_on_the_locations_clock_repeats_counted_old_ones_gone(
    rig: Rig,
) -> None:
    log = logging.getLogger("player.sync")
    log.warning("sync failed: connection refused")
    rig.clock.advance(timedelta(minutes=1))
    for _ in range(3):
        log.warning("sync failed: %s", "timed out")
    logging.getLogger("player.cache").info("cached an asset")
    log.error("x" * 500)
    rig.monitor.now_playing = NowPlaying(zone=STOCKHOLM)

    rig.monitor.tick()
    rig.ticker.advance(3601)
    rig.monitor.tick()

    first, an_hour_later = rig.server.heartbeats
    assert first.recent_errors[:2] == (
        "09:00 sync failed: connection refused",
        "09:01 sync failed: timed out (3 times)",
    )
    assert len(first.recent_errors[2]) == MAX_ERROR_LENGTH
    assert first.recent_errors[2].startswith("09:01 xxx")
    assert first.recent_errors[2].endswith("x…")
    # An hour later none of them is recent any more.
    assert an_hour_later.recent_errors == ()


def test_plays_wait_on_disk_while_offline_and_are_sent_once_the_server_answers(
    rig: Rig,
) -> None:
    rig.server.offline = True
    rig.monitor.record_play(rig.play("item-1", seconds_ago=20))
    rig.monitor.record_play(rig.play("item-2", seconds_ago=10))

    rig.monitor.tick()
    waiting_after_a_failed_heartbeat = rig.reopened_queue()
    rig.server.offline = False
    rig.ticker.advance(59)
    rig.monitor.tick()
    still_waiting_before_the_next_heartbeat = rig.reopened_queue()
    rig.ticker.advance(1)
    rig.monitor.tick()

    assert waiting_after_a_failed_heartbeat == ["item-1", "item-2"]
    assert still_waiting_before_the_next_heartbeat == ["item-1", "item-2"]
    assert [play.item for play in rig.server.plays] == ["item-1", "item-2"]
    assert rig.server.plays[0].duration_s == 20
    assert rig.reopened_queue() == []


def test_plays_whose_answer_was_lost_are_sent_again_and_stored_once(rig: Rig) -> None:
    rig.monitor.record_play(rig.play("item-1", seconds_ago=10))
    rig.server.lose_answers = True
    rig.monitor.flush_plays()
    kept_after_the_lost_answer = rig.reopened_queue()

    rig.server.lose_answers = False
    rig.monitor.record_play(rig.play("item-2", seconds_ago=5))
    rig.monitor.flush_plays()

    assert kept_after_the_lost_answer == ["item-1"]
    assert [play.item for play in rig.server.plays] == ["item-1", "item-2"]
    assert rig.reopened_queue() == []


def test_a_week_of_plays_goes_in_batches_the_server_accepts(rig: Rig) -> None:
    for number in range(1200):
        rig.monitor.record_play(rig.play(f"item-{number}", seconds_ago=12_000 - 10 * number))

    sent = rig.monitor.flush_plays()

    assert sent == 1200
    assert rig.server.play_requests == 3
    assert len(rig.server.plays) == 1200
    assert rig.reopened_queue() == []


def test_a_batch_the_server_refuses_as_malformed_is_dropped_not_retried_for_ever(
    rig: Rig,
) -> None:
    rig.monitor.record_play(rig.play("item-1", seconds_ago=10))
    rig.server.plays_status = 503
    rig.monitor.flush_plays()
    kept_while_unavailable = rig.reopened_queue()
    rig.server.plays_status = 422
    rig.monitor.flush_plays()

    assert kept_while_unavailable == ["item-1"]
    assert rig.reopened_queue() == []
    assert any("refuses" in line for line in rig.errors.lines())


def test_a_screenshot_is_wanted_when_requested_and_every_interval_while_online(
    rig: Rig,
) -> None:
    wanted = []
    rig.server.screenshot_requested = True
    wanted.append(rig.monitor.tick())  # the first heartbeat: requested
    rig.server.screenshot_requested = False
    rig.ticker.advance(60)
    wanted.append(rig.monitor.tick())  # nothing due
    rig.ticker.advance(840)
    wanted.append(rig.monitor.tick())  # 15 minutes after the last one
    rig.server.offline = True
    rig.ticker.advance(900)
    wanted.append(rig.monitor.tick())  # due, but a screenshot could not be sent

    assert wanted == [True, False, True, False]
    # Offline, the loop wakes only for the next heartbeat.
    assert rig.monitor.seconds_until_due() == 60


def test_the_first_regular_screenshot_comes_a_minute_after_start(rig: Rig) -> None:
    wanted = [rig.monitor.tick()]
    rig.ticker.advance(rig.monitor.seconds_until_due())
    wanted.append(rig.monitor.tick())

    assert wanted == [False, True]
    assert len(rig.server.heartbeats) == 2


def test_a_screenshot_is_uploaded_as_it_was_encoded(rig: Rig) -> None:
    assert rig.monitor.upload_screenshot(b"\xff\xd8jpeg bytes", "image/jpeg")

    rig.server.offline = True
    assert not rig.monitor.upload_screenshot(b"\xff\xd8jpeg bytes", "image/jpeg")
    assert rig.server.screenshots == [("image/jpeg", b"\xff\xd8jpeg bytes")]


def test_a_revoked_token_loses_no_plays(rig: Rig) -> None:
    rig.server.token = None
    rig.monitor.record_play(rig.play("item-1", seconds_ago=10))

    rig.monitor.tick()
    rig.monitor.flush_plays()

    assert rig.reopened_queue() == ["item-1"]
    assert any("refused the device token" in line for line in rig.errors.lines())


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(9.5, 9.5), (-30, 0.0), (3 * 24 * 3600, 24 * 3600.0)],
)
def test_a_clock_set_during_a_slide_cannot_make_its_play_invalid(
    seconds: float, expected: float
) -> None:
    play = play_report(
        item="item-1",
        playlist="",
        started_at=MORNING,
        ended_at=MORNING + timedelta(seconds=seconds),
    )

    assert play.duration_s == expected


def test_a_player_update_in_the_heartbeats_answer_is_passed_to_the_update_command(
    rig: Rig,
) -> None:
    asked: list[str] = []
    updater = PlayerUpdater(
        command="request-update",
        server_url=SERVER_URL,
        running_version="0.1.0",
        monotonic=rig.ticker,
        run=lambda line: (asked.append(line) is None, "requested"),
    )
    monitor = build_monitor(
        rig.server, rig.data_dir, rig.clock, rig.ticker, rig.errors, updater=updater
    )
    rig.server.player_update = PlayerUpdate(
        version="0.2.0", path="/api/device/v1/player-releases/w.whl", sha256="ab" * 32, size=9
    )

    monitor.tick()
    rig.ticker.advance(60)
    monitor.tick()
    monitor.close()

    assert len(rig.server.heartbeats) == 2
    assert asked == [
        f"request-update 0.2.0 {SERVER_URL}/api/device/v1/player-releases/w.whl {'ab' * 32}"
    ]
