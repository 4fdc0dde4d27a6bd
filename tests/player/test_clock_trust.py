"""Clock trust: a plainly wrong clock is reported, and the player never goes back in time."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from player.clock_trust import DOUBT_AFTER_JUMP, ClockTrust

MANIFEST_MADE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
# What a Pi without a clock battery may believe after a power cut.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class PiClocks:
    """The system clock a test can set, and the monotonic clock that only ever runs on."""

    def __init__(self, start: datetime) -> None:
        self.wall = start
        self.ticks = 1000.0

    def system(self) -> datetime:
        return self.wall

    def monotonic(self) -> float:
        return self.ticks

    def run(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.ticks += seconds

    def set_to(self, reading: datetime) -> None:
        """What NTP, a person or a reboot does: the wall clock moves, time runs on as ever."""
        self.wall = reading


@pytest.fixture
def clocks() -> PiClocks:
    return PiClocks(MANIFEST_MADE + timedelta(minutes=5))


@pytest.fixture
def trust(clocks: PiClocks) -> ClockTrust:
    trust = ClockTrust(system_clock=clocks.system, monotonic=clocks.monotonic)
    trust.learn(MANIFEST_MADE)
    return trust


def test_a_right_clock_is_trusted_and_played_by(clocks: PiClocks, trust: ClockTrust) -> None:
    assert trust.now() == clocks.wall
    clocks.run(3600)
    assert trust.now() == clocks.wall

    report = trust.report()
    assert report.trusted
    assert report.problem == ""
    assert report.jumps_back == 0


def test_a_pi_booted_into_1970_plays_from_the_manifests_time_onwards(
    clocks: PiClocks, caplog: pytest.LogCaptureFixture
) -> None:
    clocks.set_to(EPOCH)
    trust = ClockTrust(system_clock=clocks.system, monotonic=clocks.monotonic)
    trust.learn(MANIFEST_MADE)  # the manifest restored from the cache at start

    with caplog.at_level(logging.WARNING, logger="player.clock_trust"):
        assert trust.now() == MANIFEST_MADE
        clocks.run(90)
        assert trust.now() == MANIFEST_MADE + timedelta(seconds=90)
        trust.now()

    report = trust.report()
    assert not report.trusted
    assert report.behind_by == MANIFEST_MADE - EPOCH
    assert "earlier than the newest manifest was made" in report.problem
    [incident] = caplog.records
    assert incident.getMessage().startswith("the system clock reads 1970-01-01T00:00:00+00:00")


def test_once_ntp_sets_the_clock_right_it_is_trusted_again(clocks: PiClocks) -> None:
    clocks.set_to(EPOCH)
    trust = ClockTrust(system_clock=clocks.system, monotonic=clocks.monotonic)
    trust.learn(MANIFEST_MADE)
    trust.now()

    right = MANIFEST_MADE + timedelta(days=2)
    clocks.set_to(right)

    assert trust.now() == right
    assert trust.report().trusted
    assert trust.report().jumps_back == 0, "a jump forward is a clock being set right"


def test_a_jump_back_is_reported_but_never_below_the_manifests_time(
    clocks: PiClocks, trust: ClockTrust, caplog: pytest.LogCaptureFixture
) -> None:
    clocks.run(2 * 3600)
    trust.now()

    with caplog.at_level(logging.WARNING, logger="player.clock_trust"):
        clocks.set_to(clocks.wall - timedelta(minutes=4))
        assert trust.now() == clocks.wall, "four minutes back is still after the manifest"
        clocks.set_to(MANIFEST_MADE - timedelta(days=30))
        # The manifest was made two hours of running ago: that much has certainly passed.
        assert trust.now() == MANIFEST_MADE + timedelta(hours=2)

    report = trust.report()
    assert not report.trusted
    assert report.jumps_back == 2
    assert report.last_jump_back == timedelta(days=30, hours=2, minutes=1)
    assert "jumped back by 30 days 2:01:00" in report.problem
    assert sum("jumped back" in record.getMessage() for record in caplog.records) == 2


def test_after_a_jump_back_the_clock_is_doubted_for_a_while_then_trusted(
    clocks: PiClocks, trust: ClockTrust
) -> None:
    trust.now()
    clocks.set_to(clocks.wall - timedelta(minutes=3))
    trust.now()
    assert not trust.report().trusted

    clocks.run(DOUBT_AFTER_JUMP.total_seconds() + 1)
    trust.now()

    report = trust.report()
    assert report.trusted
    assert report.jumps_back == 1, "the jump stays on record"


def test_small_steps_back_from_ntp_are_not_jumps(clocks: PiClocks, trust: ClockTrust) -> None:
    trust.now()
    for _ in range(10):
        clocks.run(1)
        clocks.set_to(clocks.wall - timedelta(seconds=2))
        trust.now()

    assert trust.report().trusted
    assert trust.report().jumps_back == 0


def test_a_newer_manifest_moves_the_floor_an_older_one_does_not(clocks: PiClocks) -> None:
    clocks.set_to(EPOCH)
    trust = ClockTrust(system_clock=clocks.system, monotonic=clocks.monotonic)
    trust.learn(MANIFEST_MADE)
    clocks.run(60)

    trust.learn(MANIFEST_MADE - timedelta(days=1))
    assert trust.now() == MANIFEST_MADE + timedelta(seconds=60)

    trust.learn(MANIFEST_MADE + timedelta(hours=6))
    assert trust.now() == MANIFEST_MADE + timedelta(hours=6)
