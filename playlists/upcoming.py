"""When each upcoming event is on a screen, so that at most N show at once, the soonest first.

A playlist entry "upcoming events here within D days, at most N" becomes one
entry per event, each with its own validity window. The windows alone encode
the rule, so a screen that is offline for a week still drops an event once it
is over and lets the next one move up, without asking the server.

At a moment t, the events on screen are the first N, in order of start, of
those whose lead time has begun (t >= start - D) and which are not over
(t < over). For the k-th event every earlier one has begun its lead time when
the k-th has, so the k-th is shown exactly when fewer than N earlier events are
still not over: from the N-th latest end among the earlier events on.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from playlists.manifest import Validity


@dataclass(frozen=True)
class Happening:
    """An event as the rule sees it: an id, when it starts and when it is over (aware)."""

    id: str
    starts_at: datetime
    over_at: datetime


def showing_windows(
    happenings: Iterable[Happening], *, within: timedelta, at_most: int
) -> list[tuple[Happening, Validity]]:
    """Each event that is ever shown with its window [shown from, over), soonest first.

    Events that are never among the first `at_most` are left out. Ties in start
    are broken by id, so the result depends on content alone.
    """
    if at_most < 1:
        raise ValueError(f"at_most must be at least 1, got {at_most}")
    if within <= timedelta(0):
        raise ValueError(f"within must be positive, got {within}")
    ordered = sorted(happenings, key=lambda happening: (happening.starts_at, happening.id))
    # The `at_most` latest ends among the events before the current one (a min-heap).
    latest_ends: list[datetime] = []
    windows = []
    for happening in ordered:
        shown_from = happening.starts_at - within
        if len(latest_ends) == at_most:
            shown_from = max(shown_from, latest_ends[0])
        if shown_from < happening.over_at:
            windows.append(
                (happening, Validity(valid_from=shown_from, valid_until=happening.over_at))
            )
        if len(latest_ends) < at_most:
            heapq.heappush(latest_ends, happening.over_at)
        else:
            heapq.heappushpop(latest_ends, happening.over_at)
    return windows
