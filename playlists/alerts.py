"""Which alerts a screen shows at a moment, in what order: the same answer offline as online."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from playlists.manifest import Alert

# The most severe first; among equals, the newest.
_SEVERITY_RANK = {"extreme": 0, "severe": 1, "moderate": 2, "minor": 3, "unknown": 4}


def alerts_in_force(alerts: Iterable[Alert], now: datetime) -> list[Alert]:
    """The alerts to show at `now`, most severe first, then newest first.

    Several alerts take turns on screen in this order; an all-clear card comes
    after every alert still in force.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must carry a time zone, got naive {now.isoformat()}")
    live = [alert for alert in alerts if alert.in_force(now)]
    return sorted(
        live,
        key=lambda alert: (
            alert.kind == "all_clear",
            _SEVERITY_RANK[alert.severity],
            -alert.sent_at.timestamp(),
            alert.id,
        ),
    )


def takes_whole_screen(alerts: Iterable[Alert], now: datetime) -> bool:
    """Whether normal playback gives way entirely at `now` (a banner leaves it running)."""
    return any(alert.layout == "fullscreen" for alert in alerts_in_force(alerts, now))
