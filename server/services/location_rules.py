"""What a location's details must be: slugs, tags, coordinates, languages and opening hours.

The checks collect every problem at once, each tied to the field it concerns and
worded as an English message id with placeholders: the API answers with the
English text, the admin translates it next to the field the person has to fix.
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time

from playlists.manifest import OpeningHours
from server.errors import InvalidContent
from server.i18n import marked as _
from server.services.languages import CONTENT_LANGUAGES

NAME_MAX_LENGTH = 200
SLUG_MAX_LENGTH = 64
ADDRESS_MAX_LENGTH = 300
TAG_MAX_LENGTH = 64  # the length of an assignment's location_tag
MAX_TAGS = 20
MAX_PERIODS_PER_DAY = 2
# The languages a screen can show: those content is written in.
DISPLAY_LANGUAGES = CONTENT_LANGUAGES
LANGUAGE_MODES = ("alternate", "both")
# The zones of the municipalities Anslag is made for come first in the picker.
NORDIC_ZONES = ("Europe/Stockholm", "Europe/Oslo", "Europe/Helsinki")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MUNICIPALITY_CODE = re.compile(r"^[0-9]{4}$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Letters that Unicode does not decompose into a base letter and a mark.
_SPELLED_OUT = str.maketrans({"æ": "ae", "ø": "o", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss"})
_DAY = 24 * 60
_WEEK = 7 * _DAY


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with one field; `weekday` marks a problem with that day's hours."""

    field: str
    message: str
    values: Mapping[str, object] = dataclasses.field(default_factory=dict)
    weekday: int | None = None

    def text(
        self, translate: Callable[..., str], day_name: Callable[[int], str] | None = None
    ) -> str:
        """The message through `translate`, a weekday in it named by `day_name`."""
        values = dict(self.values)
        if self.weekday is not None:
            values["day"] = (day_name or _english_day)(self.weekday)
        return translate(self.message, **values)


def _english_day(weekday: int) -> str:
    return calendar.day_name[weekday - 1]


class InvalidLocation(InvalidContent):
    """Location details that cannot be stored; `problems` says what, field by field."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        super().__init__("; ".join(problem.text(_english) for problem in problems))
        self.problems = tuple(problems)


def _english(message_id: str, /, **values: object) -> str:
    return message_id % values if values else message_id


@dataclass(frozen=True)
class LocationDetails:
    """Everything a person sets about a location, already typed (the slug may be suggested)."""

    name: str
    slug: str
    timezone: str
    languages: tuple[str, ...]
    language_mode: str = "both"
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    municipality_code: str = ""
    tags: tuple[str, ...] = ()
    opening_hours: tuple[OpeningHours, ...] = ()


def suggest_slug(name: str) -> str:
    """A slug for `name`: "Byabutiken i Övertorneå" → "byabutiken-i-overtornea"."""
    return _slugify(name)[:SLUG_MAX_LENGTH].rstrip("-")


def _slugify(text: str) -> str:
    spelled = unicodedata.normalize("NFKD", text.lower().translate(_SPELLED_OUT))
    plain = "".join(char for char in spelled if not unicodedata.combining(char))
    return _NOT_SLUG.sub("-", plain).strip("-")


def normalise_tags(tags: Iterable[str]) -> tuple[tuple[str, ...], list[FieldProblem]]:
    """Tags as lowercase slugs, each once, in the order given; and what is wrong with them."""
    normalised: list[str] = []
    problems = []
    for tag in tags:
        if not tag.strip():
            continue
        slug = _slugify(tag)
        if not slug:
            problems.append(
                FieldProblem("tags", _("The tag %(tag)s has no letters or digits."), {"tag": tag})
            )
        elif len(slug) > TAG_MAX_LENGTH:
            problems.append(
                FieldProblem(
                    "tags",
                    _("The tag %(tag)s is longer than %(count)d characters."),
                    {"tag": tag.strip()[:40], "count": TAG_MAX_LENGTH},
                )
            )
        elif slug not in normalised:
            normalised.append(slug)
    if len(normalised) > MAX_TAGS:
        problems.append(
            FieldProblem(
                "tags", _("A location can have at most %(count)d tags."), {"count": MAX_TAGS}
            )
        )
    return tuple(normalised), problems


def split_tags(text: str) -> list[str]:
    """Tags as a person types them: separated by commas or new lines."""
    return [part for part in re.split(r"[,;\n]", text) if part.strip()]


@functools.cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_choices() -> tuple[str, ...]:
    """The time zones to pick from: the Nordic ones first, then every other, alphabetically."""
    rest = sorted(known_zones() - set(NORDIC_ZONES))
    return (*NORDIC_ZONES, *rest)


def location_problems(details: LocationDetails) -> list[FieldProblem]:
    """Everything wrong with `details`, in the order of the form's fields; empty when fine."""
    problems = [*_name_problems(details), *_place_problems(details)]
    problems += _display_problems(details)
    problems += opening_hours_problems(details.opening_hours)
    return problems


def check_location(details: LocationDetails) -> None:
    """Raise InvalidLocation naming every problem with `details`."""
    problems = location_problems(details)
    if problems:
        raise InvalidLocation(problems)


def _name_problems(details: LocationDetails) -> list[FieldProblem]:
    problems = []
    if not details.name.strip():
        problems.append(FieldProblem("name", _("Give the location a name.")))
    elif len(details.name) > NAME_MAX_LENGTH:
        problems.append(
            FieldProblem(
                "name",
                _("The name can be at most %(count)d characters."),
                {"count": NAME_MAX_LENGTH},
            )
        )
    if len(details.slug) > SLUG_MAX_LENGTH or not _SLUG.fullmatch(details.slug):
        problems.append(
            FieldProblem(
                "slug",
                _(
                    "The short name may hold lowercase letters a-z, digits and single hyphens,"
                    " at most %(count)d characters."
                ),
                {"count": SLUG_MAX_LENGTH},
            )
        )
    return problems


def _place_problems(details: LocationDetails) -> list[FieldProblem]:
    problems = []
    if len(details.address) > ADDRESS_MAX_LENGTH:
        problems.append(
            FieldProblem(
                "address",
                _("The address can be at most %(count)d characters."),
                {"count": ADDRESS_MAX_LENGTH},
            )
        )
    latitude, longitude = details.latitude, details.longitude
    if (latitude is None) != (longitude is None):
        missing = "latitude" if latitude is None else "longitude"
        problems.append(FieldProblem(missing, _("Give both latitude and longitude, or neither.")))
    if latitude is not None and not -90 <= latitude <= 90:
        problems.append(FieldProblem("latitude", _("The latitude must be between -90 and 90.")))
    if longitude is not None and not -180 <= longitude <= 180:
        problems.append(FieldProblem("longitude", _("The longitude must be between -180 and 180.")))
    if details.municipality_code and not _MUNICIPALITY_CODE.fullmatch(details.municipality_code):
        problems.append(
            FieldProblem(
                "municipality_code",
                _("The municipality code is four digits, like 2518 for Övertorneå."),
            )
        )
    _tags, tag_problems = normalise_tags(details.tags)
    problems += tag_problems
    return problems


def _display_problems(details: LocationDetails) -> list[FieldProblem]:
    problems = []
    if details.timezone not in known_zones():
        problems.append(
            FieldProblem(
                "timezone",
                _("%(zone)s is not a time zone; choose one from the list."),
                {"zone": details.timezone},
            )
        )
    if not details.languages:
        problems.append(FieldProblem("languages", _("Choose at least one display language.")))
    for code in details.languages:
        if code not in DISPLAY_LANGUAGES:
            problems.append(
                FieldProblem(
                    "languages",
                    _("%(code)s is not one of the display languages: %(known)s."),
                    {"code": code, "known": ", ".join(DISPLAY_LANGUAGES)},
                )
            )
    if len(set(details.languages)) != len(details.languages):
        problems.append(FieldProblem("languages", _("Each display language can be chosen once.")))
    if details.language_mode not in LANGUAGE_MODES:
        problems.append(
            FieldProblem(
                "language_mode",
                _("Show several languages either in turn or together."),
            )
        )
    return problems


def opening_hours_problems(hours: Sequence[OpeningHours]) -> list[FieldProblem]:
    """Periods that open and close at once, overlap, or crowd a day; by weekday."""
    problems = []
    per_day: dict[int, int] = {}
    for period in hours:
        per_day[period.weekday] = per_day.get(period.weekday, 0) + 1
        if _has_seconds(period.opens) or _has_seconds(period.closes):
            problems.append(_day_problem(period, _("%(day)s: give times in whole minutes.")))
        elif period.opens == period.closes:
            problems.append(
                _day_problem(period, _("%(day)s: it opens and closes at the same time."))
            )
    for weekday, count in sorted(per_day.items()):
        if count > MAX_PERIODS_PER_DAY:
            problems.append(
                FieldProblem(
                    "opening_hours",
                    _("%(day)s: at most %(count)d periods a day."),
                    {"count": MAX_PERIODS_PER_DAY},
                    weekday=weekday,
                )
            )
    if not problems:
        problems += _overlaps(hours)
    return problems


def _day_problem(period: OpeningHours, message: str) -> FieldProblem:
    return FieldProblem("opening_hours", message, weekday=period.weekday)


def _has_seconds(clock: time) -> bool:
    return clock.second != 0 or clock.microsecond != 0


def _overlaps(hours: Sequence[OpeningHours]) -> list[FieldProblem]:
    """Periods that run into each other, on the week's clock (Sunday night runs into Monday)."""
    spans = sorted(
        (_minute_of_week(period.weekday, period.opens), _length(period), period) for period in hours
    )
    problems = []
    for index, (start, length, period) in enumerate(spans):
        if index + 1 < len(spans):
            next_start, next_period = spans[index + 1][0], spans[index + 1][2]
        elif len(spans) > 1:
            next_start, next_period = spans[0][0] + _WEEK, spans[0][2]
        else:
            break
        if start + length > next_start:
            message = (
                _("%(day)s: the opening hours overlap.")
                if next_period.weekday == period.weekday
                else _("%(day)s: the hours past midnight run into the next day's.")
            )
            problems.append(_day_problem(period, message))
    return problems


def _minute_of_week(weekday: int, clock: time) -> int:
    return (weekday - 1) * _DAY + clock.hour * 60 + clock.minute


def _length(period: OpeningHours) -> int:
    """Minutes the period lasts; one that closes at or before it opens runs past midnight."""
    opens = period.opens.hour * 60 + period.opens.minute
    closes = period.closes.hour * 60 + period.closes.minute
    return closes - opens if closes > opens else closes + _DAY - opens


def stored_opening_hours(hours: Iterable[OpeningHours]) -> list[dict[str, str | int]]:
    """Opening hours as the location row keeps them, by weekday and opening time."""
    ordered = sorted(hours, key=lambda period: (period.weekday, period.opens))
    return [
        {
            "weekday": period.weekday,
            "opens": period.opens.strftime("%H:%M"),
            "closes": period.closes.strftime("%H:%M"),
        }
        for period in ordered
    ]
