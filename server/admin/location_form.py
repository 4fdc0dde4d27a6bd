"""The location form as a person fills it in: raw texts kept as typed, read into details.

A refused form is shown again from this state, so nothing typed is lost. The
form's helper buttons (move a language up or down, copy Monday's hours to the
other weekdays) change the state without saving, for browsers without script.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time

from babel.dates import get_day_names
from starlette.datastructures import FormData

from playlists.manifest import OpeningHours
from server.i18n import Translator
from server.models import Location
from server.services.languages import LANGUAGE_NAMES
from server.services.location_rules import (
    DISPLAY_LANGUAGES,
    MAX_PERIODS_PER_DAY,
    NORDIC_ZONES,
    FieldProblem,
    LocationDetails,
    split_tags,
)

WEEKDAYS = tuple(range(1, 8))
WORKDAYS = (2, 3, 4, 5)  # what "copy Monday" fills in
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?$")

Errors = dict[str, list[str]]


def language_names(translate: Translator) -> dict[str, str]:
    """Each display language named in the admin's language."""
    return {code: translate(LANGUAGE_NAMES[code]) for code in DISPLAY_LANGUAGES}


def day_namer(language: str) -> Callable[[int], str]:
    """ISO weekday → its name in `language`, capitalised as it starts a label."""
    names = get_day_names("wide", locale=language)
    return lambda weekday: str(names[weekday - 1]).capitalize()


@dataclass
class DayHours:
    """One weekday's row: closed, or up to two periods as typed ("08:00", "17:00")."""

    weekday: int
    closed: bool = False
    periods: list[tuple[str, str]] = field(default_factory=lambda: [("", "")] * MAX_PERIODS_PER_DAY)


@dataclass
class LocationForm:
    """What the form's fields hold; `version` is the one the person started editing."""

    name: str = ""
    slug: str = ""
    address: str = ""
    latitude: str = ""
    longitude: str = ""
    municipality_code: str = ""
    tags: str = ""
    timezone: str = NORDIC_ZONES[0]
    language_order: list[str] = field(default_factory=lambda: list(DISPLAY_LANGUAGES))
    languages: list[str] = field(default_factory=lambda: ["sv"])
    language_mode: str = "both"
    always_on: bool = True
    days: list[DayHours] = field(default_factory=lambda: [DayHours(day) for day in WEEKDAYS])
    version: int = 0

    @classmethod
    def of(cls, location: Location) -> LocationForm:
        """The form filled in with what is stored."""
        chosen = [code for code in location.languages if code in DISPLAY_LANGUAGES]
        return cls(
            name=location.name,
            slug=location.slug,
            address=location.address,
            latitude=_number(location.latitude),
            longitude=_number(location.longitude),
            municipality_code=location.municipality_code,
            tags=", ".join(location.tags),
            timezone=location.timezone,
            language_order=chosen + [code for code in DISPLAY_LANGUAGES if code not in chosen],
            languages=chosen,
            language_mode=location.language_mode,
            always_on=not location.opening_hours,
            days=_days_of(location.opening_hours),
            version=location.version,
        )

    @classmethod
    def posted(cls, form: FormData) -> LocationForm:
        """The form as the browser sent it."""
        order = [code for code in form.getlist("language_order") if code in DISPLAY_LANGUAGES]
        order += [code for code in DISPLAY_LANGUAGES if code not in order]
        checked = set(form.getlist("languages"))
        return cls(
            name=_text(form, "name"),
            slug=_text(form, "slug").strip(),
            address=_text(form, "address"),
            latitude=_text(form, "latitude").strip(),
            longitude=_text(form, "longitude").strip(),
            municipality_code=_text(form, "municipality_code").strip(),
            tags=_text(form, "tags"),
            timezone=_text(form, "timezone"),
            language_order=order,
            languages=[code for code in order if code in checked],
            language_mode=_text(form, "language_mode"),
            always_on=_text(form, "hours_mode") != "hours",
            days=[
                DayHours(
                    weekday=day,
                    closed=f"day-{day}-closed" in form,
                    periods=[
                        (
                            _text(form, f"day-{day}-opens-{period}").strip(),
                            _text(form, f"day-{day}-closes-{period}").strip(),
                        )
                        for period in range(1, MAX_PERIODS_PER_DAY + 1)
                    ],
                )
                for day in WEEKDAYS
            ],
            version=_whole(_text(form, "version")),
        )

    def move_language(self, command: str) -> None:
        """Carry out "fi:up" or "fi:down" from the form's move buttons."""
        code, _, direction = command.partition(":")
        if code not in self.language_order:
            return
        index = self.language_order.index(code)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(self.language_order):
            order = self.language_order
            order[index], order[other] = order[other], order[index]
            self.languages = [code for code in order if code in self.languages]

    def copy_monday(self) -> None:
        monday = self.days[0]
        for day in self.days:
            if day.weekday in WORKDAYS:
                day.closed, day.periods = monday.closed, list(monday.periods)

    def details(self, translate: Translator) -> tuple[LocationDetails | None, Errors]:
        """The typed details, or the problems with what could not even be read."""
        errors: Errors = {}
        latitude = _coordinate(self.latitude, "latitude", errors, translate)
        longitude = _coordinate(self.longitude, "longitude", errors, translate)
        hours = self._opening_hours(errors, translate)
        if errors:
            return None, errors
        return LocationDetails(
            name=self.name.strip(),
            slug=self.slug,
            timezone=self.timezone,
            languages=tuple(self.languages),
            language_mode=self.language_mode,
            address=self.address.strip(),
            latitude=latitude,
            longitude=longitude,
            municipality_code=self.municipality_code.replace(" ", ""),
            tags=tuple(split_tags(self.tags)),
            opening_hours=hours,
        ), errors

    def _opening_hours(self, errors: Errors, translate: Translator) -> tuple[OpeningHours, ...]:
        if self.always_on:
            return ()
        open_days = [day for day in self.days if not day.closed]
        if not any(any(period) for day in open_days for period in day.periods):
            errors["hours_mode"] = [
                translate("Give opening hours for at least one day, or choose always on.")
            ]
            return ()
        day_name = day_namer(translate.language)
        hours = []
        for day in open_days:
            name = day_name(day.weekday)
            problems = []
            typed = [period for period in day.periods if any(period)]
            if not typed:
                problems.append(
                    translate("%(day)s: give the opening hours, or tick closed.", day=name)
                )
            for opens, closes in typed:
                if not (opens and closes):
                    problems.append(
                        translate("%(day)s: give both the opening and the closing time.", day=name)
                    )
                    continue
                clocks = [_clock(text) for text in (opens, closes)]
                for text, clock in zip((opens, closes), clocks, strict=True):
                    if clock is None:
                        problems.append(
                            translate(
                                "%(day)s: %(time)s is not a time; write it like 08:30.",
                                day=name,
                                time=text,
                            )
                        )
                if clocks[0] is not None and clocks[1] is not None:
                    hours.append(
                        OpeningHours(weekday=day.weekday, opens=clocks[0], closes=clocks[1])
                    )
            if problems:
                errors[f"day-{day.weekday}"] = problems
        return tuple(hours)


def describe_hours(opening_hours: Iterable[Mapping[str, str | int]], language: str) -> list[str]:
    """Stored opening hours in a few words, days with the same hours together: in Swedish
    "mån-fre 09:00-18:00" and "lör 10:00-14:00", with en dashes."""
    names = get_day_names("abbreviated", locale=language)
    periods: dict[int, list[str]] = {}
    for period in opening_hours:
        periods.setdefault(int(period["weekday"]), []).append(
            f"{period['opens']}\N{EN DASH}{period['closes']}"
        )
    runs: list[tuple[int, int, str]] = []  # first day, last day, their hours
    for weekday in sorted(periods):
        hours = ", ".join(periods[weekday])
        if runs and runs[-1][1] == weekday - 1 and runs[-1][2] == hours:
            runs[-1] = (runs[-1][0], weekday, hours)
        else:
            runs.append((weekday, weekday, hours))
    lines = []
    for first, last, hours in runs:
        days = str(names[first - 1])
        if last > first:
            joiner = "\N{EN DASH}" if last > first + 1 else ", "
            days += joiner + str(names[last - 1])
        lines.append(f"{days} {hours}")
    return lines


def problem_errors(
    problems: Iterable[FieldProblem], translate: Translator, errors: Errors | None = None
) -> Errors:
    """The service's problems, translated and filed by the form field they concern."""
    errors = errors if errors is not None else {}
    day_name = day_namer(translate.language)
    for problem in problems:
        key = f"day-{problem.weekday}" if problem.weekday is not None else problem.field
        errors.setdefault(key, []).append(problem.text(translate, day_name))
    return errors


def _days_of(opening_hours: Iterable[Mapping[str, str | int]]) -> list[DayHours]:
    stored: dict[int, list[tuple[str, str]]] = {}
    for period in opening_hours:
        stored.setdefault(int(period["weekday"]), []).append(
            (str(period["opens"]), str(period["closes"]))
        )
    days = []
    for weekday in WEEKDAYS:
        periods = stored.get(weekday, [])
        padded = (periods + [("", "")] * MAX_PERIODS_PER_DAY)[:MAX_PERIODS_PER_DAY]
        days.append(DayHours(weekday, closed=bool(stored) and not periods, periods=padded))
    return days


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _whole(text: str) -> int:
    return int(text) if text.isdigit() else 0


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def _coordinate(text: str, name: str, errors: Errors, translate: Translator) -> float | None:
    if not text:
        return None
    try:
        # A Swedish keyboard types a decimal comma.
        return float(text.replace(",", ".").replace("\N{MINUS SIGN}", "-"))
    except ValueError:
        message = (
            translate("The latitude is not a number; write it like 65.85.")
            if name == "latitude"
            else translate("The longitude is not a number; write it like 23.78.")
        )
        errors[name] = [message]
        return None


def _clock(text: str) -> time | None:
    """A time as people type it: "8", "08:30", "8.30", "0830"; "24:00" is midnight."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if (hour, minute) == (24, 0):
        return time(0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)
