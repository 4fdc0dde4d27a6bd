"""The schedule in words: weekdays, time windows and date ranges as the page's language says them.

Day names come from Babel's locale data, so they need no catalog entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import Literal

from babel.dates import get_day_names

from server.admin.local_time import local_date, time_input
from server.i18n import Translator

ALL_WEEKDAYS = tuple(range(1, 8))
# Between the ends of a range, as typography has it: "mån-fre", "07:00-10:00".
RANGE = "\N{EN DASH}"


def day_names(language: str, width: Literal["abbreviated", "wide"] = "wide") -> dict[int, str]:
    """ISO weekday (1 = Monday) → its name: "måndag" or "mån" in Swedish."""
    names = get_day_names(width, locale=language)
    return {iso: str(names[iso - 1]) for iso in ALL_WEEKDAYS}


def weekdays_text(weekdays: Iterable[int], translate: Translator) -> str:
    """ "Every day", "mån-fre", "lör, sön" or "mån, ons, fre", with an en dash."""
    days = sorted(set(weekdays))
    if days == list(ALL_WEEKDAYS):
        return translate("every day")
    names = day_names(translate.language, "abbreviated")
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}{RANGE}{names[run[-1]]}")
        else:
            parts.extend(names[day] for day in run)
    return ", ".join(parts)


def window_text(start: time | None, end: time | None, translate: Translator) -> str:
    """ "07:00-10:00", "22:00-02:00 (past midnight)" or "all day", with an en dash."""
    if start is None or end is None:
        return translate("all day")
    span = f"{time_input(start)}{RANGE}{time_input(end)}"
    return translate("%(span)s (past midnight)", span=span) if end <= start else span


def dates_text(first: date | None, last: date | None, translate: Translator) -> str:
    """A range of days, "from 28 mars 2026", "until …" or "until further notice"."""
    language = translate.language
    if first and last:
        if first == last:
            return local_date(first, language)
        return f"{local_date(first, language)}{RANGE}{local_date(last, language)}"
    if first:
        return translate("from %(day)s", day=local_date(first, language))
    if last:
        return translate("until %(day)s", day=local_date(last, language))
    return translate("until further notice")
