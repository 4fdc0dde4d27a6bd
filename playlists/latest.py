"""When each news slide is on a screen, so that the latest N valid ones show, newest first.

A playlist entry "the latest N news from source X" becomes one entry per news
slide, each with its own validity windows. The windows alone encode the rule,
so a screen that is offline for days still drops a news slide once it expires
and lets an older one move up, without asking the server.

At a moment t, the slides on screen are the first N, newest first, of those
valid at t. So a slide shows while it is valid and fewer than N newer ones
are: a sweep over the moments the newer ones begin and end finds those times.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise

from playlists.manifest import Validity

# Stand-ins for an open end while sweeping; never on the wire.
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_LATEST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class News:
    """A news slide as the rule sees it: an id, its date, and when it is valid (aware)."""

    id: str
    published_at: datetime
    validity: Validity


def latest_windows(news: Iterable[News], *, at_most: int) -> list[tuple[News, Validity]]:
    """Each window in which a slide is among the latest `at_most` valid ones, newest first.

    A slide may have several windows (an older one moves up while a newer one is
    not yet valid); one never shown has none. Ties in date are broken by id, so
    the result depends on content alone.
    """
    if at_most < 1:
        raise ValueError(f"at_most must be at least 1, got {at_most}")
    ordered = sorted(news, key=lambda slide: (slide.published_at, slide.id), reverse=True)
    windows = []
    for rank, slide in enumerate(ordered):
        newer = [_bounds(other.validity) for other in ordered[:rank]]
        for start, end in _shown(_bounds(slide.validity), newer, at_most):
            windows.append((slide, _validity(start, end)))
    return windows


def _shown(
    own: tuple[datetime, datetime], newer: list[tuple[datetime, datetime]], at_most: int
) -> list[tuple[datetime, datetime]]:
    """The parts of `own` during which fewer than `at_most` of `newer` are valid."""
    start, end = own
    valid = sum(1 for since, until in newer if since <= start < until)
    # How the number of valid newer slides changes inside `own`, moment by moment.
    changes: dict[datetime, int] = {}
    for since, until in newer:
        if start < since < end:
            changes[since] = changes.get(since, 0) + 1
        if start < until < end:
            changes[until] = changes.get(until, 0) - 1
    shown: list[tuple[datetime, datetime]] = []
    moments = [start, *sorted(changes), end]
    for begins, ends in pairwise(moments):
        valid += changes.get(begins, 0)
        if valid >= at_most:
            continue
        if shown and shown[-1][1] == begins:
            shown[-1] = (shown[-1][0], ends)
        else:
            shown.append((begins, ends))
    return shown


def _bounds(validity: Validity) -> tuple[datetime, datetime]:
    return (validity.valid_from or _EARLIEST, validity.valid_until or _LATEST)


def _validity(start: datetime, end: datetime) -> Validity:
    return Validity(
        valid_from=None if start == _EARLIEST else start,
        valid_until=None if end == _LATEST else end,
    )
