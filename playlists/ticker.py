"""The ticker line: which short texts run along the bottom of a screen at a moment, and where
the server finds them (so far, the headlines of the warnings that take only a banner)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from playlists.manifest import Alert, TickerLine, Validity


def ticker_in_force(lines: Iterable[TickerLine], now: datetime) -> list[TickerLine]:
    """The lines valid at `now`, in the order the manifest lists them."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must carry a time zone, got naive {now.isoformat()}")
    return [line for line in lines if line.validity.contains(now)]


def alert_ticker_lines(alerts: Iterable[Alert]) -> list[TickerLine]:
    """A line for every real banner-level warning, its headline in each of its languages,
    valid while the warning is in force.

    A warning that takes the whole screen needs no ticker, and an exercise is left out:
    a headline running past without its "exercise" label would read as the real thing.
    """
    return [
        TickerLine(
            id=alert.id,
            texts={language: text.headline for language, text in alert.texts.items()},
            validity=Validity(valid_from=alert.effective, valid_until=alert.expires),
        )
        for alert in alerts
        if alert.layout == "banner" and alert.status == "actual"
    ]
