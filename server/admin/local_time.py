"""Times in forms: what editors type is the municipality's wall clock; what is stored is UTC.

Browsers send `<input type="datetime-local">` as "2026-03-29T10:00", `date` as
"2026-03-29" and `time` as "10:00"; an empty field means "not set". A wall-clock
reading the clocks skip or repeat is taken at its first occurrence.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal


def parse_local_datetime(value: str, zone: ZoneInfo) -> datetime | None:
    """The instant a clock in `zone` shows as `value`; ValueError when it is not one."""
    value = value.strip()
    if not value:
        return None
    reading = datetime.fromisoformat(value)
    if reading.tzinfo is not None:
        raise ValueError(f"{value!r} is a wall-clock reading and carries no zone")
    return reading.replace(tzinfo=zone)


def parse_date(value: str) -> date | None:
    value = value.strip()
    return date.fromisoformat(value) if value else None


def parse_time(value: str) -> time | None:
    value = value.strip()
    return time.fromisoformat(value) if value else None


def parse_seconds(value: str) -> float | None:
    """A number of seconds as typed: "8", "7.5" or, as Swedes write it, "7,5"."""
    value = value.strip().replace(",", ".")
    return float(value) if value else None


def datetime_input(moment: datetime | None, zone: ZoneInfo) -> str:
    """`moment` as a datetime-local field shows it, on `zone`'s wall clock."""
    if moment is None:
        return ""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def time_input(moment: time | None) -> str:
    return moment.strftime("%H:%M") if moment is not None else ""


def date_input(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def local_datetime(moment: datetime, zone: ZoneInfo, language: str) -> str:
    """ "29 mars 2026 10:00" in Swedish, "29 Mar 2026, 10:00" in English."""
    return format_datetime(moment.astimezone(zone), format="d MMM y HH:mm", locale=language)


def local_date(day: date, language: str) -> str:
    return format_date(day, format="d MMM y", locale=language)


def seconds(value: float, language: str) -> str:
    """A length as people read it: "8 s", "7,5 s", "2 min 10 s"."""
    minutes, rest = divmod(round(value, 1), 60)
    rest_text = format_decimal(rest, format="#.#", locale=language)
    if not minutes:
        return f"{rest_text} s"
    if minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours:.0f} h {minutes:.0f} min" if minutes else f"{hours:.0f} h"
    return f"{minutes:.0f} min {rest_text} s" if rest else f"{minutes:.0f} min"
