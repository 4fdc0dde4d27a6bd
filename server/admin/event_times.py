"""When an event is, as a form has it: a first day and a time, a last day and a time, or
whole days; read on the municipality's clock, written back into the same fields, and
described in words.

An all-day event is its days, never moved by a time zone; the last day is the
one typed (inclusive), stored as the day after it (exclusive, as iCalendar has it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from server.admin.forms import FormProblem, read_day, read_time, wall_clock
from server.i18n import Translator
from server.models import Event


@dataclass(frozen=True)
class WhenFields:
    """The fields as typed: dates as 2026-02-14, times as 18:30."""

    all_day: bool = False
    starts_day: str = ""
    starts_time: str = ""
    ends_day: str = ""
    ends_time: str = ""


@dataclass(frozen=True)
class EventTimes:
    """A timed event's instants, or an all-day event's days (`end_day` exclusive)."""

    all_day: bool
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    first_day: date | None = None
    end_day: date | None = None


def read_event_times(when: WhenFields, *, zone: ZoneInfo, translate: Translator) -> EventTimes:
    """The times the fields name; FormProblem, in the reader's language, if unreadable."""
    first = read_day(when.starts_day, translate)
    if first is None:
        raise FormProblem(translate("Give the day the event starts."))
    last = read_day(when.ends_day, translate)
    if when.all_day:
        return EventTimes(True, first_day=first, end_day=(last or first) + timedelta(days=1))
    starts = read_time(when.starts_time, translate)
    if starts is None:
        raise FormProblem(
            translate("Give the time the event starts, or mark it as lasting all day.")
        )
    starts_at = wall_clock(first, starts, zone=zone, translate=translate)
    ends = read_time(when.ends_time, translate)
    if ends is None:
        if last is not None:
            raise FormProblem(translate("Give the time the event ends."))
        return EventTimes(False, starts_at=starts_at)
    return EventTimes(
        False,
        starts_at=starts_at,
        ends_at=wall_clock(last or first, ends, zone=zone, translate=translate),
    )


def timed_fields(starts_at: datetime, ends_at: datetime | None, *, zone: ZoneInfo) -> WhenFields:
    """The fields that read back as a timed event from `starts_at` to `ends_at`."""
    start = starts_at.astimezone(zone)
    end = ends_at.astimezone(zone) if ends_at is not None else None
    return WhenFields(
        False,
        start.date().isoformat(),
        start.strftime("%H:%M"),
        end.date().isoformat() if end is not None else "",
        end.strftime("%H:%M") if end is not None else "",
    )


def all_day_fields(first_day: date, end_day: date | None) -> WhenFields:
    """The fields that read back as an all-day event on those days."""
    last = end_day - timedelta(days=1) if end_day is not None else first_day
    return WhenFields(True, first_day.isoformat(), "", last.isoformat(), "")


def describe_when(event: Event, *, zone: ZoneInfo, language: str) -> str:
    """When the event is, as a reader of `language` writes it, on `zone`'s clock.

    "lördag 14 februari 2026, 18:00-21:00" (with an en dash); whole days without
    times, the last day included ("14 feb. 2026 - 16 feb. 2026").
    """
    if event.all_day and event.first_day is not None:
        last = (event.end_day or event.first_day + timedelta(days=1)) - timedelta(days=1)
        if last <= event.first_day:
            return format_date(event.first_day, format="full", locale=language)
        first = format_date(event.first_day, format="medium", locale=language)
        return f"{first} \u2013 {format_date(last, format='medium', locale=language)}"
    start = event.starts_at.astimezone(zone)
    end = event.ends_at.astimezone(zone) if event.ends_at is not None else None
    day = format_date(start.date(), format="full", locale=language)
    if end is None or end <= start:
        return f"{day}, {start:%H:%M}"
    if end.date() == start.date():
        return f"{day}, {start:%H:%M}\u2013{end:%H:%M}"
    end_day = format_date(end.date(), format="medium", locale=language)
    return f"{day}, {start:%H:%M} \u2013 {end_day} {end:%H:%M}"
