"""What each slide shows, as plain data for QML: texts in display order, date lines, image URLs.

Everything a resident reads is decided here, without Qt, so it can be tested
as data: which languages appear and in which order (together, or one after the
other where the location alternates them), how an event's date reads in the
screen's language and time zone, what the idle card says.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Literal, TypedDict
from urllib.parse import urlsplit

from babel.dates import format_datetime

from player.messages import messages, primary_subtag
from player.pairing import format_code
from playlists.manifest import (
    AnyItem,
    EventItem,
    ImageItem,
    LocalizedText,
    LocationInfo,
    TextItem,
    VideoItem,
)

# More than two languages do not fit legibly on one screen read from three metres.
MAX_LANGUAGES = 2

# Typography's range dash, between times and between days.
_DASH = "\N{EN DASH}"

SlideKind = Literal["image", "video", "text", "event", "idle", "pairing"]


class TextBlock(TypedDict):
    lang: str
    title: str
    body: str


class SlideView(TypedDict):
    """One slide as QML reads it; every key is present for every kind."""

    kind: SlideKind
    itemId: str
    imageUrl: str
    videoUrl: str
    loop: bool
    muted: bool
    fit: Literal["fill", "fit"]
    texts: list[TextBlock]
    dateLine: str
    place: str
    organiser: str
    placeLabel: str
    organiserLabel: str
    # A screen being paired: the code to type into the admin ("K7M 4PX"; "" until the
    # server gave one) and the server it is paired with.
    pairingCode: str
    serverAddress: str
    serverLabel: str


@dataclass(frozen=True)
class _DateStyle:
    """How one language writes an event's date: CLDR names plus local typography."""

    locale: str
    day: str
    time: str
    # The word before a time of day ("kl. 10.00", as the Nordic language councils
    # recommend), joined to the time by a no-break space so a line never ends in "kl.".
    at: str


_SWEDISH_DATES = _DateStyle("sv", "EEEE d MMMM", "HH.mm", "kl.\N{NO-BREAK SPACE}")
_FINNISH_DATES = _DateStyle("fi", "EEEE d. MMMM", "H.mm", "klo\N{NO-BREAK SPACE}")
_DATE_STYLES = {
    "sv": _SWEDISH_DATES,
    "fi": _FINNISH_DATES,
    # CLDR has no Meänkieli; Finnish names are the closest a reader will recognise.
    "fit": _FINNISH_DATES,
    "nb": _DateStyle("nb", "EEEE d. MMMM", "HH.mm", "kl.\N{NO-BREAK SPACE}"),
    "nn": _DateStyle("nn", "EEEE d. MMMM", "HH.mm", "kl.\N{NO-BREAK SPACE}"),
    "se": _DateStyle("se", "EEEE d. MMMM", "HH.mm", ""),
    "en": _DateStyle("en", "EEEE d MMMM", "HH:mm", ""),
}


def slide_view(
    item: AnyItem,
    *,
    location: LocationInfo,
    asset_path: Callable[[str], Path],
) -> SlideView:
    """The slide for `item` on a screen at `location`; `asset_path` maps a sha256 to its file."""
    return _slide_view(item, location, location.languages, asset_path)


def slide_views(
    item: AnyItem,
    *,
    location: LocationInfo,
    asset_path: Callable[[str], Path],
) -> list[SlideView]:
    """What `item` shows in its slot, in turn: its languages one after the other where the
    location alternates them ("alternate"), else one slide with them together ("both").

    Alternating, each language the item has gets its share of the slot, primary first; a
    display language it lacks adds no turn (the primary text already had one), and the
    date and labels of an event read in the language of the turn.
    """
    if location.language_mode == "alternate" and isinstance(item, TextItem | EventItem):
        turns = display_texts(item.texts, location.languages, limit=None)
        return [_slide_view(item, location, (turn["lang"],), asset_path) for turn in turns]
    return [slide_view(item, location=location, asset_path=asset_path)]


def _slide_view(
    item: AnyItem,
    location: LocationInfo,
    languages: Sequence[str],
    asset_path: Callable[[str], Path],
) -> SlideView:
    words = messages(languages[0])
    view = _empty_view("image", item.id)
    view["placeLabel"] = words("Place")
    view["organiserLabel"] = words("Organiser")
    if isinstance(item, ImageItem):
        view["imageUrl"] = file_url(asset_path(item.asset))
        view["fit"] = item.fit
        return view
    if isinstance(item, VideoItem):
        view["kind"] = "video"
        view["videoUrl"] = file_url(asset_path(item.asset))
        view["fit"] = item.fit
        view["loop"] = item.loop
        view["muted"] = item.muted
        return view
    view["kind"] = item.kind
    view["texts"] = display_texts(item.texts, languages)
    if item.image is not None:
        view["imageUrl"] = file_url(asset_path(item.image))
    if isinstance(item, EventItem):
        view["dateLine"] = date_line(item, language=languages[0], zone=location.zone)
        view["place"] = item.place
        view["organiser"] = item.organiser
    return view


def idle_view(location: LocationInfo | None) -> SlideView:
    """The card shown when nothing can play: a welcome, never a black screen."""
    languages: Sequence[str] = location.languages if location is not None else ("sv",)
    return _notice_view(languages, "Welcome", "News and events will appear here soon.")


def pairing_view(
    code: str | None, *, server_url: str, languages: Sequence[str] = ("sv", "en")
) -> SlideView:
    """The card of a screen without a device token: the pairing code to type into the admin,
    large enough to read from across the room, and the server it waits for.

    In Swedish and English: who pairs a screen may not be from here.
    """
    if code:
        view = _notice_view(
            languages,
            "Pair this screen",
            "In the Anslag admin, open Screens, choose Pair a screen and type in this code:",
        )
    else:
        view = _notice_view(
            languages,
            "This screen is not connected yet",
            "Waiting for a pairing code from the server.",
        )
    view["kind"] = "pairing"
    view["pairingCode"] = format_code(code) if code else ""
    view["serverAddress"] = _address(server_url)
    view["serverLabel"] = messages(languages[0])("Server")
    return view


def display_texts(
    texts: dict[str, LocalizedText], languages: Sequence[str], *, limit: int | None = MAX_LANGUAGES
) -> list[TextBlock]:
    """The texts to show, in the screen's language order, at most `limit`, never one twice
    (see `display_languages`), so a slide always carries words."""
    return [
        {"lang": chosen, "title": texts[chosen].title.strip(), "body": texts[chosen].body.strip()}
        for chosen in display_languages(texts, languages, limit=limit)
    ]


def display_languages(
    available: Collection[str], languages: Sequence[str], *, limit: int | None = MAX_LANGUAGES
) -> list[str]:
    """Which of the `available` languages to show, in the screen's order, at most `limit`.

    A language something was not written in falls back to the screen's primary
    language, and failing that to whatever language it has; none comes twice.
    """
    primary = languages[0]
    chosen: list[str] = []
    for language in languages:
        pick = language if language in available else primary
        if pick not in available:
            pick = next(iter(available))
        if pick in chosen:
            continue
        chosen.append(pick)
        if len(chosen) == limit:
            break
    return chosen


def date_line(event: EventItem, *, language: str, zone: tzinfo) -> str:
    """When an event happens, as a reader of `language` writes it, in the screen's zone.

    "lördag 28 november kl. 10.00", an en dash and the end time. All-day events
    carry no times, and an all-day end at local midnight is exclusive (the
    iCalendar convention), so an event ending at the next midnight is one day.
    """
    style = _date_style(language)
    start = event.starts_at.astimezone(zone)
    end = event.ends_at.astimezone(zone) if event.ends_at is not None else None
    if end is not None and end <= start:
        end = None

    def day(moment: datetime) -> str:
        return format_datetime(moment, style.day, tzinfo=zone, locale=style.locale)

    def clock(moment: datetime) -> str:
        return format_datetime(moment, style.time, tzinfo=zone, locale=style.locale)

    if event.all_day:
        if end is not None and end.time() == datetime.min.time():
            end = end - timedelta(days=1)
        if end is None or end.date() <= start.date():
            return day(start)
        return f"{day(start)} {_DASH} {day(end)}"
    if end is None:
        return f"{day(start)} {style.at}{clock(start)}"
    if end.date() == start.date():
        return f"{day(start)} {style.at}{clock(start)}{_DASH}{clock(end)}"
    return f"{day(start)} {style.at}{clock(start)} {_DASH} {day(end)} {style.at}{clock(end)}"


def time_words(moment: datetime, *, language: str, zone: tzinfo, now: datetime) -> str:
    """When `moment` was, as a reader of `language` says it on the screen's clock: the time of
    day ("kl. 09.05"), and the day before it when that is not today ("måndag 2 mars kl. 09.05").
    """
    style = _date_style(language)
    local = moment.astimezone(zone)
    time = style.at + format_datetime(local, style.time, tzinfo=zone, locale=style.locale)
    if local.date() == now.astimezone(zone).date():
        return time
    return f"{format_datetime(local, style.day, tzinfo=zone, locale=style.locale)} {time}"


def _date_style(language: str) -> _DateStyle:
    return _DATE_STYLES.get(primary_subtag(language), _SWEDISH_DATES)


def _notice_view(languages: Sequence[str], title: str, body: str) -> SlideView:
    view = _empty_view("idle", "")
    blocks: list[TextBlock] = []
    for language in languages:
        words = messages(language)
        # Beyond the first language, only words a translator wrote: a Swedish
        # fallback under the Swedish original would say the same thing twice.
        own_title = words(title) if not blocks else words.own(title)
        if own_title is None or any(block["title"] == own_title for block in blocks):
            continue
        own_body = words(body) if not blocks else (words.own(body) or "")
        blocks.append({"lang": words.language, "title": own_title, "body": own_body})
        if len(blocks) == MAX_LANGUAGES:
            break
    view["texts"] = blocks
    return view


def _empty_view(kind: SlideKind, item_id: str) -> SlideView:
    return {
        "kind": kind,
        "itemId": item_id,
        "imageUrl": "",
        "videoUrl": "",
        "loop": False,
        "muted": True,
        "fit": "fill",
        "texts": [],
        "dateLine": "",
        "place": "",
        "organiser": "",
        "placeLabel": "",
        "organiserLabel": "",
        "pairingCode": "",
        "serverAddress": "",
        "serverLabel": "",
    }


def _address(server_url: str) -> str:
    """A server as people say it: its host (and port), without "https://"."""
    parts = urlsplit(server_url)
    return f"{parts.netloc}{parts.path.rstrip('/')}" or server_url


def file_url(path: Path) -> str:
    """The URL QML loads a cached file from."""
    return path.absolute().as_uri()
