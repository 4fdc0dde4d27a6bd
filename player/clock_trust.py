"""Whether the system clock can be believed, and the time the player goes by when it cannot.

A Raspberry Pi has no battery-backed clock: after a power cut it may boot into
1970 or into last week and stay there until NTP answers, and NTP may later step
the clock back. Played by such a clock, every item would be expired or not yet
valid. So the player never goes by a time earlier than one it knows has passed:
the newest manifest's `generated_at` (the server's clock, at or before the true
time), carried forward by the monotonic clock since it was learned. A clock that
reads earlier than that, or that jumps back, is reported (`ClockTrust.report`,
for the heartbeat) and logged once per incident.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

logger = logging.getLogger(__name__)

# NTP corrects small errors by slewing and a sync can step a few seconds either way; only
# larger differences say that the clock was wrong.
JUMP_TOLERANCE = timedelta(seconds=60)
# After a jump back the clock is doubted this long: it may jump again.
DOUBT_AFTER_JUMP = timedelta(minutes=10)


@dataclass(frozen=True)
class ClockReport:
    """What the heartbeat can say about the system clock."""

    trusted: bool
    # Why not, in words for a technician; "" while trusted.
    problem: str
    # How far the clock reads earlier than a time known to have passed; None when it does not.
    behind_by: timedelta | None
    # Jumps back seen since the player started, and the last one's size and moment.
    jumps_back: int
    last_jump_back: timedelta | None
    last_jump_back_at: datetime | None


class ClockTrust:
    """The player's time: the system clock, never earlier than what is known to have passed."""

    def __init__(
        self,
        *,
        system_clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._system_clock = system_clock
        self._monotonic = monotonic
        # A time known to have passed, and the monotonic reading when it was learned.
        self._floor: tuple[datetime, float] | None = None
        # The previous reading of both clocks, to see jumps between two readings.
        self._previous: tuple[datetime, float] | None = None
        self._behind_by: timedelta | None = None
        self._jumps_back = 0
        self._last_jump: tuple[timedelta, datetime, float] | None = None

    def learn(self, passed: datetime) -> None:
        """`passed` has certainly come (a manifest's `generated_at`): never go by earlier."""
        floor = self._floor_now(self._monotonic())
        if floor is None or passed > floor:
            self._floor = (passed, self._monotonic())

    def now(self) -> datetime:
        """The time to play by; every reading also checks the system clock."""
        reading, ticks = self._system_clock(), self._monotonic()
        self._check_jump(reading, ticks)
        floor = self._floor_now(ticks)
        self._check_behind(reading, floor)
        return reading if floor is None or reading >= floor else floor

    def report(self) -> ClockReport:
        jump = self._last_jump
        doubted = jump is not None and (
            timedelta(seconds=self._monotonic() - jump[2]) < DOUBT_AFTER_JUMP
        )
        problems = []
        if self._behind_by is not None:
            problems.append(
                f"the system clock reads {_duration(self._behind_by)} earlier than the newest "
                "manifest was made"
            )
        if doubted and jump is not None:
            problems.append(f"the system clock jumped back by {_duration(jump[0])}")
        return ClockReport(
            trusted=not problems,
            problem="; ".join(problems),
            behind_by=self._behind_by,
            jumps_back=self._jumps_back,
            last_jump_back=jump[0] if jump is not None else None,
            last_jump_back_at=jump[1] if jump is not None else None,
        )

    def _floor_now(self, ticks: float) -> datetime | None:
        if self._floor is None:
            return None
        passed, learned_at = self._floor
        return passed + timedelta(seconds=max(0.0, ticks - learned_at))

    def _check_jump(self, reading: datetime, ticks: float) -> None:
        previous = self._previous
        self._previous = (reading, ticks)
        if previous is None:
            return
        expected = previous[0] + timedelta(seconds=ticks - previous[1])
        if expected - reading <= JUMP_TOLERANCE:
            return
        size = expected - reading
        self._jumps_back += 1
        self._last_jump = (size, reading, ticks)
        logger.warning(
            "the system clock jumped back by %s (from %s to %s); playing on without going "
            "back before the newest manifest",
            _duration(size),
            expected.isoformat(timespec="seconds"),
            reading.isoformat(timespec="seconds"),
        )

    def _check_behind(self, reading: datetime, floor: datetime | None) -> None:
        if floor is not None and floor - reading > JUMP_TOLERANCE:
            if self._behind_by is None:
                logger.warning(
                    "the system clock reads %s, earlier than the newest manifest was made; "
                    "playing by %s until it is set right",
                    reading.isoformat(timespec="seconds"),
                    floor.isoformat(timespec="seconds"),
                )
            self._behind_by = floor - reading
        elif self._behind_by is not None:
            logger.info(
                "the system clock is right again: %s", reading.isoformat(timespec="seconds")
            )
            self._behind_by = None


def _duration(span: timedelta) -> str:
    """A span as people say it: "3 days 2:00:00" rather than "3 days, 2:00:00.000120"."""
    return str(timedelta(seconds=round(span.total_seconds()))).replace(",", "")
