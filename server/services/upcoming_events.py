"""The dynamic entry "upcoming events here within N days, at most M": the calendar on screens.

At each location it becomes one event slide per approved event the location
carries (`server.services.event_targets`), soonest first, each with the window
`playlists.upcoming` works out: shown from N days before it starts, moved up
when an earlier one is over, gone once it is over.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TypeGuard
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from playlists import manifest as wire
from playlists.upcoming import Happening, showing_windows
from server.i18n import marked as _
from server.models import Location, MediaAsset
from server.services.dynamic_entries import (
    Description,
    DynamicEntryRefused,
    Expansion,
    within,
)
from server.services.event_targets import events_at
from server.services.events import wire_event
from server.services.wire import asset_ref

# Long enough to read a title, a date and a place from a few metres away.
EVENT_SLIDE_S = 10.0
DEFAULT_DAYS = 14
DEFAULT_COUNT = 5
MAX_DAYS = 60
MAX_COUNT = 20


class UpcomingEvents:
    """Approved events this location carries, within `days` days of starting, at most `count`."""

    name = "upcoming_events"
    title = _("Upcoming events")

    def checked_options(self, options: Mapping[str, object]) -> dict[str, object]:
        days, count = _read(options)
        return {"days": days, "count": count}

    def describe(self, options: Mapping[str, object]) -> Description:
        days, count = _read(options)
        return Description(
            _("Upcoming events here within %(days)d days, at most %(count)d at a time"),
            {"days": days, "count": count},
        )

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
        days, count = _read(options)
        lead = timedelta(days=days)
        zone = ZoneInfo(location.timezone)
        events = events_at(
            session, location=location, over_after=now, starts_before=now + horizon + lead
        )
        items = {
            item.id: item
            for item in (wire_event(event, zone=zone, duration_s=EVENT_SLIDE_S) for event in events)
        }
        happenings = [
            Happening(item.id, item.starts_at, item.validity.valid_until)
            for item in items.values()
            if item.validity.valid_until is not None
        ]
        entries = []
        for happening, shown in showing_windows(happenings, within=lead, at_most=count):
            inside = within(window, shown)
            if inside is not None:
                entries.append(
                    wire.PlaylistEntry(item=happening.id, duration_s=duration_s, validity=inside)
                )
        used = {entry.item for entry in entries}
        kept = tuple(item for item_id, item in items.items() if item_id in used)
        shas = {item.image for item in kept if item.image is not None}
        assets = session.exec(select(MediaAsset).where(col(MediaAsset.sha256).in_(shas))).all()
        return Expansion(
            items=kept,
            assets=tuple(asset_ref(asset) for asset in assets),
            entries=tuple(entries),
        )


def _read(options: Mapping[str, object]) -> tuple[int, int]:
    """(days ahead, count at a time) from the options; DynamicEntryRefused when unusable."""
    days = _number(options.get("days", DEFAULT_DAYS))
    count = _number(options.get("count", DEFAULT_COUNT))
    if not _whole(days) or not 1 <= days <= MAX_DAYS:
        raise DynamicEntryRefused(
            _("Upcoming events: the days ahead must be a whole number from 1 to %(max)d"),
            max=MAX_DAYS,
        )
    if not _whole(count) or not 1 <= count <= MAX_COUNT:
        raise DynamicEntryRefused(
            _("Upcoming events: the number of events must be a whole number from 1 to %(max)d"),
            max=MAX_COUNT,
        )
    return days, count


def _number(value: object) -> object:
    # A form sends text; what is stored is a number already.
    return int(value.strip()) if isinstance(value, str) and value.strip().isdigit() else value


def _whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
