"""What the admin's form pages share: posted fields, a refused form, the redirect after a
save, the page for something that is gone, dates and times on the municipality's wall
clock, refusals in the reader's language, and how sizes, lengths and moments read.

Dates and times are typed in the municipality's zone and stored in UTC. A time
the clocks skip (02:30 on the last Sunday of March in Sweden) is refused with
a message; one they pass twice (in October) means the first, summer-time one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal
from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from server.admin.pages import render, user_context
from server.errors import AnslagError, Explained
from server.i18n import Translator
from server.models import LoginSession

END_OF_DAY = time(0)


class FormProblem(Exception):
    """A form field that cannot be read; the message is already in the reader's language."""


def explain(translate: Translator, error: AnslagError) -> str:
    """The error's message in the reader's language, when it was written to be translated."""
    if isinstance(error, Explained):
        return translate(error.message_id, **error.values)
    return str(error)


def see_other(path: str) -> RedirectResponse:
    # 303: after a form post the browser follows with a GET.
    return RedirectResponse(path, status_code=303)


def parse_moment(
    day: str,
    clock: str,
    *,
    zone: ZoneInfo,
    translate: Translator,
    until: bool = False,
) -> datetime | None:
    """The instant a date and a time name on `zone`'s wall clock; None when both are empty.

    No time means the start of the day, or with `until` its end (the next midnight),
    so "until 14 February" includes all of the 14th.
    """
    parsed_day, parsed_time = read_day(day, translate), read_time(clock, translate)
    if parsed_day is None:
        if parsed_time is not None:
            raise FormProblem(translate("Give a date with the time %(time)s.", time=clock.strip()))
        return None
    if parsed_time is None:
        return local_midnight(parsed_day + timedelta(days=1) if until else parsed_day, zone)
    return wall_clock(parsed_day, parsed_time, zone=zone, translate=translate)


def read_day(typed: str, translate: Translator) -> date | None:
    """A date field (2026-02-14, as browsers send it); None when empty."""
    if not typed.strip():
        return None
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        raise FormProblem(
            translate("'%(date)s' is not a date; write it as 2026-02-14.", date=typed)
        ) from None


def read_time(typed: str, translate: Translator) -> time | None:
    """A time field (18:30); None when empty."""
    if not typed.strip():
        return None
    try:
        return time.fromisoformat(typed.strip())
    except ValueError:
        raise FormProblem(
            translate("'%(time)s' is not a time; write it as 18:30.", time=typed)
        ) from None


def wall_clock(day: date, clock: time, *, zone: ZoneInfo, translate: Translator) -> datetime:
    """`day` at `clock` in `zone`; FormProblem when the clocks skip that time."""
    moment = datetime.combine(day, clock, tzinfo=zone)
    # A skipped time does not survive the round trip through UTC.
    back = moment.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise FormProblem(
            translate(
                "%(time)s on %(date)s does not exist here: the clocks are put forward that "
                "night. Choose another time.",
                time=clock.strftime("%H:%M"),
                date=day.isoformat(),
            )
        )
    return moment


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=zone)


def moment_fields(
    moment: datetime | None, *, zone: ZoneInfo, until: bool = False
) -> tuple[str, str]:
    """The date and time fields that `parse_moment` reads back as `moment`."""
    if moment is None:
        return "", ""
    local = moment.astimezone(zone)
    if local.time() == END_OF_DAY and local.second == 0:
        day = local.date() - timedelta(days=1) if until else local.date()
        return day.isoformat(), ""
    return local.date().isoformat(), local.strftime("%H:%M")


def describe_day_and_time(
    moment: datetime, *, zone: ZoneInfo, translate: Translator, until: bool = False
) -> str:
    """ "14 feb. 2026 18:30" on the municipality's wall clock; midnight shows the date only.

    With `until` a midnight names the day before: the last day included.
    """
    day, clock = moment_fields(moment, zone=zone, until=until)
    shown = format_date(date.fromisoformat(day), format="medium", locale=translate.language)
    return f"{shown} {clock}" if clock else shown


def describe_size(size: int, *, translate: Translator) -> str:
    """Bytes as people read them: "820 kB", "12,5 MB"."""
    if size < 1000 * 1000:
        kilobytes = max(1, round(size / 1000))
        return translate("%(size)s kB", size=format_decimal(kilobytes, locale=translate.language))
    megabytes = format_decimal(round(size / 1_000_000, 1), locale=translate.language)
    return translate("%(size)s MB", size=megabytes)


def describe_seconds(seconds: float, *, translate: Translator) -> str:
    """A length on screen: "8 s", "12,5 s", "2:05 min"."""
    if seconds < 60:
        shown = format_decimal(round(seconds, 1), locale=translate.language)
        return translate("%(seconds)s s", seconds=shown)
    minutes, rest = divmod(round(seconds), 60)
    return translate("%(minutes)d:%(seconds)s min", minutes=minutes, seconds=f"{rest:02d}")


class FormRefused(Exception):
    """A form that cannot be saved as sent; the message is translated and shown above it."""


def field(form: Any, name: str) -> str:
    """A posted text field, "" when it is missing or a file."""
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def fields(form: Any, name: str) -> list[str]:
    """Every value posted under `name`, in the form's order."""
    return [value if isinstance(value, str) else "" for value in form.getlist(name)]


def gone_page(
    request: Request, language: str, login: LoginSession, *, template: str, section: str
) -> Response:
    """404: what was asked for no longer exists (someone else may have deleted it)."""
    return render(
        request,
        template,
        language=language,
        context={**user_context(login), "section": section},
        status_code=404,
    )
