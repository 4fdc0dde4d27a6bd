"""Reading an iCalendar feed (RFC 5545) from the web into the occurrences it holds.

What real feeds send is handled: a byte-order mark, CRLF, LF or lone CR line
ends, folded lines; VTIMEZONE blocks, Windows zone names and X-WR-TIMEZONE with
floating times (`x-wr-timezone`); RRULE, RDATE, EXDATE (in UTC while DTSTART has
a TZID, too) and RECURRENCE-ID moving one occurrence (`recurring-ical-events`);
all-day events (their days kept as days), events without DTEND, HTML in
DESCRIPTION. A download that was cut short, or that is not a calendar at all,
is refused with a message saying so, which is recorded on the source.

Each occurrence is keyed by its UID and the start it had in the recurrence, so
a fetch that finds the same occurrence again updates it instead of adding one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import recurring_ical_events
import x_wr_timezone
from icalendar import Calendar

from server.errors import Refused
from server.i18n import marked as _
from server.services.content import NAME_MAX_LENGTH
from server.services.items import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from server.services.plain_text import plain_text

# Enough for a year of a busy association's calendar; the soonest are kept.
MAX_OCCURRENCES = 2000
_BOM = b"\xef\xbb\xbf"


class CalendarUnreadable(Refused):
    """A download that is not a whole iCalendar file; the message says what is wrong."""


@dataclass(frozen=True)
class Occurrence:
    """One occurrence as it will be stored: timed (aware) or all day (days, end exclusive)."""

    key: str
    title: str
    body: str
    place: str
    organiser: str
    all_day: bool
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    first_day: date | None = None
    end_day: date | None = None

    @property
    def sort_key(self) -> tuple[str, str]:
        start = self.first_day.isoformat() if self.first_day else ""
        return (self.starts_at.isoformat() if self.starts_at else start, self.key)


def read_calendar(
    data: bytes, *, zone: ZoneInfo, start: datetime, end: datetime
) -> list[Occurrence]:
    """The occurrences in `data` that overlap [start, end), soonest first.

    Floating times with no X-WR-TIMEZONE are read on `zone`'s clock (the
    municipality's). CalendarUnreadable when `data` is not a whole calendar.
    """
    calendar = _parsed(_text(data))
    try:
        standard = x_wr_timezone.to_standard(calendar)
        components = recurring_ical_events.of(standard).between(start, end)
    except (ValueError, TypeError, KeyError) as exc:
        raise CalendarUnreadable(
            _("The calendar's dates or recurrences cannot be read: %(problem)s"),
            problem=str(exc)[:200],
        ) from exc
    occurrences = [
        occurrence
        for component in components
        if (occurrence := _occurrence(component, zone=zone)) is not None
    ]
    occurrences.sort(key=lambda occurrence: occurrence.sort_key)
    unique = {occurrence.key: occurrence for occurrence in occurrences}
    return list(unique.values())[:MAX_OCCURRENCES]


def _text(data: bytes) -> str:
    """The file as text with CRLF line ends, whatever it came with."""
    data = data.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Older Windows programs write their own code page; Latin-1 reads any byte.
        text = data.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    stripped = text.strip()
    if not stripped.upper().startswith("BEGIN:VCALENDAR"):
        raise CalendarUnreadable(
            _("The address gave no calendar: what came starts with '%(start)s'"),
            start=stripped[:40],
        )
    if not stripped.upper().endswith("END:VCALENDAR"):
        raise CalendarUnreadable(
            _("The calendar ends before END:VCALENDAR: the download was cut short")
        )
    return "\r\n".join(text.split("\n"))


def _parsed(text: str) -> Calendar:
    try:
        return Calendar.from_ical(text)
    except ValueError as exc:
        raise CalendarUnreadable(
            _("The calendar cannot be read: %(problem)s"), problem=str(exc)[:200]
        ) from exc


def _occurrence(component: Any, *, zone: ZoneInfo) -> Occurrence | None:
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        return None
    title = _line(component.get("SUMMARY"), TITLE_MAX_LENGTH)
    start = component.get("DTSTART")
    if not title or start is None:
        return None
    end = component.get("DTEND")
    begins, finishes = start.dt, end.dt if end is not None else None
    uid = str(component.get("UID", "")) or f"{title}/{begins}"
    recurrence = component.get("RECURRENCE-ID")
    key = f"{uid}/{_instant_key(recurrence.dt if recurrence is not None else begins)}"
    described = _Described(
        key=key[:500],
        title=title,
        body=_clip(plain_text(str(component.get("DESCRIPTION", ""))), BODY_MAX_LENGTH),
        place=_line(component.get("LOCATION"), NAME_MAX_LENGTH),
        organiser=_organiser(component.get("ORGANIZER")),
    )
    if not isinstance(begins, datetime):
        last = (
            finishes if isinstance(finishes, date) and not isinstance(finishes, datetime) else None
        )
        end_day = last if last is not None and last > begins else begins + timedelta(days=1)
        return described.on_days(begins, end_day)
    starts_at = _aware(begins, zone)
    ends_at = _aware(finishes, zone) if isinstance(finishes, datetime) else None
    if ends_at is not None and ends_at <= starts_at:
        ends_at = None  # no DTEND: the event takes no time, and is over when its day is
    return described.at(starts_at, ends_at)


@dataclass(frozen=True)
class _Described:
    """What an occurrence says, before it is known whether it is timed or all day."""

    key: str
    title: str
    body: str
    place: str
    organiser: str

    def at(self, starts_at: datetime, ends_at: datetime | None) -> Occurrence:
        return Occurrence(
            self.key, self.title, self.body, self.place, self.organiser, False, starts_at, ends_at
        )

    def on_days(self, first_day: date, end_day: date) -> Occurrence:
        return Occurrence(
            self.key,
            self.title,
            self.body,
            self.place,
            self.organiser,
            True,
            first_day=first_day,
            end_day=end_day,
        )


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    # A floating time is the municipality's wall clock.
    local = moment if moment.utcoffset() is not None else moment.replace(tzinfo=zone)
    return local.astimezone(UTC)


def _instant_key(moment: date) -> str:
    if isinstance(moment, datetime) and moment.utcoffset() is not None:
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    if isinstance(moment, datetime):
        return moment.strftime("%Y%m%dT%H%M%S")
    return moment.strftime("%Y%m%d")


def _line(value: object, limit: int) -> str:
    return _clip(" ".join(plain_text(str(value)).split()) if value is not None else "", limit)


def _organiser(value: object) -> str:
    """ORGANIZER;CN=Name:mailto:… as the name, else the address without its scheme."""
    if value is None:
        return ""
    params = getattr(value, "params", {})
    name = str(params.get("CN", "")) or str(value).removeprefix("mailto:").removeprefix("MAILTO:")
    return _clip(name.strip(), NAME_MAX_LENGTH)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1].rstrip()}\u2026"
