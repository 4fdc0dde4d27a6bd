"""The calendar as iCalendar feeds that residents subscribe to from their phones (RFC 5545).

Each approved event is one VEVENT under its stable `uid`, so a phone that
fetches the feed again updates the events it has instead of doubling them.
A timed event is written in UTC (no VTIMEZONE needed, every client agrees on
the instant); an all-day event as DATE values, its DTEND the day after the last,
never moved by a zone. `icalendar` escapes the text and folds long lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta

from icalendar import Calendar, vDuration
from icalendar import Event as CalendarEvent

from server.models import Event

PRODUCT_ID = "-//Anslag//Evenemangskalender//SV"
# How often a subscribed calendar should look again (Apple and Google read these).
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class FeedWords:
    """The feed's own words in its language: its name, and how the organiser is introduced."""

    name: str
    organiser: str  # "Arrangör: %(name)s"


def calendar_feed(events: Iterable[Event], *, words: FeedWords, languages: Sequence[str]) -> bytes:
    """The events as one VCALENDAR, texts in the first of `languages` each event has."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", words.name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for event in events:
        calendar.add_component(_vevent(event, words=words, languages=languages))
    feed: bytes = calendar.to_ical()
    return feed


def _vevent(event: Event, *, words: FeedWords, languages: Sequence[str]) -> CalendarEvent:
    text = _text(event, languages)
    vevent = CalendarEvent()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", event.updated_at.astimezone(UTC))
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    vevent.add("sequence", event.version - 1)
    if event.all_day and event.first_day is not None:
        vevent.add("dtstart", event.first_day)
        vevent.add("dtend", event.end_day or event.first_day + timedelta(days=1))
    else:
        vevent.add("dtstart", event.starts_at.astimezone(UTC))
        if event.ends_at is not None and event.ends_at > event.starts_at:
            vevent.add("dtend", event.ends_at.astimezone(UTC))
    vevent.add("summary", text.get("title", ""))
    description = text.get("body", "")
    if event.organiser:
        line = words.organiser % {"name": event.organiser}
        description = f"{description}\n\n{line}" if description else line
    if description:
        vevent.add("description", description)
    if event.place:
        vevent.add("location", event.place)
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "TRANSPARENT")
    return vevent


def _text(event: Event, languages: Sequence[str]) -> dict[str, str]:
    for language in (*languages, *event.texts):
        if language in event.texts:
            return event.texts[language]
    return {}
