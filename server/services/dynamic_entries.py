"""Dynamic playlist entries: a position in a playlist that the manifest fills in per location.

An entry is either one item or a rule, stored as `PlaylistEntry.dynamic_kind`
and `dynamic_options`: "upcoming events here within 14 days, at most 5" today,
"the latest 5 news from source X" next. Each kind of rule is a `DynamicKind`:
it checks its options when an editor saves the playlist, names itself in the
editor, and expands into slides when a location's manifest is assembled.
The kinds are listed by name in `server.services.dynamic_kinds`.

What a rule expands into is ordinary manifest content: items, and one playlist
entry per item with its own validity window, so that what drops off or moves up
with time does so on the screen's own clock, offline too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlmodel import Session

from playlists import manifest as wire
from server.errors import Refused
from server.models import Location


class DynamicEntryRefused(Refused):
    """Options a kind of dynamic entry cannot work with; the message says which and why."""


@dataclass(frozen=True)
class Expansion:
    """What a dynamic entry is at one location: items, the files they need, their entries."""

    items: tuple[wire.AnyItem, ...] = ()
    assets: tuple[wire.AssetRef, ...] = ()
    entries: tuple[wire.PlaylistEntry, ...] = ()


@dataclass(frozen=True)
class Description:
    """How the editor names a dynamic entry: an English message id and its values."""

    message_id: str
    values: Mapping[str, object]


class DynamicKind(Protocol):
    """One kind of dynamic entry."""

    @property
    def name(self) -> str:
        """Stored in `PlaylistEntry.dynamic_kind`; stable across releases."""
        ...

    @property
    def title(self) -> str:
        """What the editor offers to add, as an English message id: "Upcoming events"."""
        ...

    def checked_options(self, options: Mapping[str, object]) -> dict[str, object]:
        """The options as stored, complete (defaults filled in) and normalised, from stored
        values or from a form's text; DynamicEntryRefused when they are unusable."""
        ...

    def describe(self, options: Mapping[str, object]) -> Description:
        """The entry with its checked `options`, for the editor's list."""
        ...

    def expand(
        self,
        session: Session,
        *,
        location: Location,
        options: Mapping[str, object],
        duration_s: float | None,
        window: wire.Validity,
        now: datetime,
        horizon: timedelta,
    ) -> Expansion:
        """The slides at `location` from `now` until `now + horizon`.

        `duration_s` is the entry's own duration (None: the kind's default) and
        `window` its validity, which every entry it expands into stays within.
        """
        ...


def within(window: wire.Validity, inner: wire.Validity) -> wire.Validity | None:
    """The part of `inner` that lies in `window`, or None when they do not meet."""
    starts = [moment for moment in (window.valid_from, inner.valid_from) if moment is not None]
    ends = [moment for moment in (window.valid_until, inner.valid_until) if moment is not None]
    valid_from = max(starts) if starts else None
    valid_until = min(ends) if ends else None
    if valid_from is not None and valid_until is not None and valid_until <= valid_from:
        return None
    return wire.Validity(valid_from=valid_from, valid_until=valid_until)
