"""The public event calendar: upcoming events by day, filtered by village, and the iCalendar
feeds to subscribe to (everything, one village, one location)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from sqlmodel import select

from server.admin.event_times import describe_when
from server.admin.pages import LanguageDep
from server.api.conditional import etag_matches
from server.api.deps import ClockDep, SessionDep, SettingsDep, StorageDep
from server.errors import NotFound
from server.i18n import Translator
from server.models import Event, Location, MediaAsset
from server.public.pages import render
from server.services.event_targets import approved_events, events_at, in_village, villages
from server.services.ical_export import FeedWords, calendar_feed
from server.services.naming import event_title
from server.storage import is_sha256

router = APIRouter(include_in_schema=False)

# A subscribed phone keeps what happened lately; the page shows only what is to come.
FEED_HISTORY = timedelta(days=90)
# The page lists this far ahead, this many at most; the feeds hold everything.
PAGE_AHEAD = timedelta(days=120)
PAGE_MOST = 300
ICALENDAR = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class Card:
    """An event as the calendar page shows it, in the reader's language where it has one."""

    event: Event
    title: str
    body: str
    time: str
    picture: str | None


@dataclass(frozen=True)
class Day:
    heading: str
    cards: tuple[Card, ...]


@router.get("/calendar")
def calendar_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    village: str = "",
) -> Response:
    now, zone, translate = clock(), settings.zone, Translator(language)
    known = villages(session)
    chosen = village if village in known else ""
    events = approved_events(session, over_after=now, starts_before=now + PAGE_AHEAD)
    if chosen:
        locations = session.exec(select(Location)).all()
        events = [event for event in events if in_village(event, chosen, locations)]
    feed = f"/calendar/villages/{chosen}.ics" if chosen else "/calendar.ics"
    return render(
        request,
        "calendar.html",
        language=language,
        settings=settings,
        context={
            "days": _days(
                events[:PAGE_MOST], now=now, zone=zone, language=language, translate=translate
            ),
            "villages": known,
            "village": chosen,
            "feed": f"{str(request.base_url).rstrip('/')}{feed}?{urlencode({'lang': language})}",
            "webcal": _webcal(request, feed, language),
        },
    )


def _webcal(request: Request, path: str, language: str) -> str:
    # webcal:// makes a phone offer to subscribe rather than download the file once.
    return f"webcal://{request.url.netloc}{path}?{urlencode({'lang': language})}"


def _days(
    events: Sequence[Event], *, now: datetime, zone: ZoneInfo, language: str, translate: Translator
) -> list[Day]:
    """The events under the day they happen; one that began earlier and goes on, under today."""
    today = now.astimezone(zone).date()
    by_day: dict[date, list[Card]] = {}
    for event in events:
        first = (
            event.first_day
            if event.all_day and event.first_day
            else event.starts_at.astimezone(zone).date()
        )
        by_day.setdefault(max(first, today), []).append(
            _card(event, zone=zone, language=language, translate=translate)
        )
    return [
        Day(format_date(day, format="full", locale=language), tuple(cards))
        for day, cards in sorted(by_day.items())
    ]


def _card(event: Event, *, zone: ZoneInfo, language: str, translate: Translator) -> Card:
    languages = (language, "sv")
    text = next(
        (event.texts[code] for code in (*languages, *event.texts) if code in event.texts), {}
    )
    return Card(
        event=event,
        title=event_title(event, languages),
        body=text.get("body", ""),
        time=_time(event, zone=zone, language=language, translate=translate),
        picture=event.asset_sha256,
    )


def _time(event: Event, *, zone: ZoneInfo, language: str, translate: Translator) -> str:
    """The start and end of a timed event within a day, "All day" for one whole day."""
    if event.all_day:
        if event.first_day and event.end_day and (event.end_day - event.first_day).days > 1:
            return describe_when(event, zone=zone, language=language)
        return translate("All day")
    start = event.starts_at.astimezone(zone)
    end = event.ends_at.astimezone(zone) if event.ends_at is not None else None
    if end is None or end <= start:
        return f"{start:%H:%M}"
    if end.date() == start.date():
        return f"{start:%H:%M}\u2013{end:%H:%M}"
    return describe_when(event, zone=zone, language=language)


@router.get("/calendar.ics")
def whole_calendar(
    request: Request, session: SessionDep, settings: SettingsDep, clock: ClockDep, lang: str = "sv"
) -> Response:
    events = approved_events(session, over_after=clock() - FEED_HISTORY)
    translate = _feed_translator(lang)
    name = translate("Events in %(municipality)s", municipality=settings.municipality_name)
    return _feed(request, events, name=name, translate=translate)


@router.get("/calendar/villages/{tag}.ics")
def village_calendar(
    tag: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    lang: str = "sv",
) -> Response:
    if tag not in villages(session):
        raise NotFound(f"no location carries the tag {tag!r}")
    locations = session.exec(select(Location)).all()
    events = [
        event
        for event in approved_events(session, over_after=clock() - FEED_HISTORY)
        if in_village(event, tag, locations)
    ]
    translate = _feed_translator(lang)
    name = translate(
        "Events in %(village)s, %(municipality)s",
        village=tag.title(),
        municipality=settings.municipality_name,
    )
    return _feed(request, events, name=name, translate=translate)


@router.get("/calendar/locations/{slug}.ics")
def location_calendar(
    slug: str, request: Request, session: SessionDep, clock: ClockDep, lang: str = "sv"
) -> Response:
    location = session.exec(select(Location).where(Location.slug == slug)).first()
    if location is None:
        raise NotFound(f"no location with slug {slug!r}")
    events = events_at(session, location=location, over_after=clock() - FEED_HISTORY)
    translate = _feed_translator(lang)
    name = translate("Events at %(location)s", location=location.name)
    return _feed(request, events, name=name, translate=translate)


@router.get("/calendar/pictures/{sha256}")
def event_picture(sha256: str, session: SessionDep, storage: StorageDep) -> Response:
    """The picture of an approved event; nothing else in the media library is public."""
    shown = (
        is_sha256(sha256)
        and session.exec(
            select(Event.id).where(Event.asset_sha256 == sha256, Event.status == "approved")
        ).first()
        is not None
    )
    if not shown or not storage.exists(sha256):
        raise NotFound(f"no public picture {sha256}")
    asset = session.get(MediaAsset, sha256)
    return FileResponse(
        storage.path(sha256),
        media_type=asset.media_type if asset is not None else "application/octet-stream",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


def _feed_translator(lang: str) -> Translator:
    return Translator(lang if lang in ("sv", "en") else "sv")


def _feed(
    request: Request, events: Sequence[Event], *, name: str, translate: Translator
) -> Response:
    # Without values the translator gives the text with its placeholder, for the feed to fill.
    words = FeedWords(name=name, organiser=translate("Organiser: %(name)s"))
    body = calendar_feed(events, words=words, languages=(translate.language, "sv"))
    etag = f'"{hashlib.sha256(body).hexdigest()}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=900"}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ICALENDAR, headers=headers)
