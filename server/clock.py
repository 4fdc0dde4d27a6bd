"""The clock the server reads: a callable, so that tests can hand in a fake one."""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real time, aware and in UTC."""
    return datetime.now(UTC)
