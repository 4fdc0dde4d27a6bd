"""The preview page: pick a location, a date and a time, and see what its screens show then.

A plain GET form, so a preview is a link one editor can send another. The
date and time are read on the location's own wall clock; a reading the clocks
skip or show twice is explained rather than silently moved.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from fastapi import APIRouter, Request, Response

from server.admin.local_time import date_input, parse_date, parse_time, seconds, time_input
from server.admin.pages import LanguageDep, render, user_context
from server.admin.playlists import THUMBNAIL_URL
from server.admin.schedule_text import RANGE
from server.admin.security import EditorLogin
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.i18n import Translator
from server.services.preview import Preview, preview, preview_locations

router = APIRouter(prefix="/admin/preview", include_in_schema=False)
# Each playlist of the day keeps one colour on the timeline.
PALETTE_SIZE = 6


def _moment(
    day: date, clock_time: str, zone: ZoneInfo, translate: Translator
) -> tuple[datetime, str | None]:
    """The instant the location's clock shows `clock_time` on `day`, and a note when that
    reading is skipped or repeated by a clock change."""
    reading = datetime.combine(day, parse_time(clock_time) or datetime.min.time())
    first = reading.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = reading.replace(tzinfo=zone, fold=1).astimezone(UTC)
    shown = first.astimezone(zone).replace(tzinfo=None)
    if shown != reading:
        return first, translate(
            "The clocks go forward that night, so they never show %(typed)s: this is %(shown)s.",
            typed=time_input(reading.time()),
            shown=time_input(shown.time()),
        )
    if first != second:
        return first, translate(
            "The clocks go back that night and show %(typed)s twice: this is the first time.",
            typed=time_input(reading.time()),
        )
    return first, None


def _share(start: datetime, end: datetime, result: Preview) -> dict[str, float]:
    """Where a stretch sits on the day's bar, in percent."""
    day = (result.day_end - result.day_start).total_seconds()
    left = (start - result.day_start).total_seconds() / day * 100
    width = (end - start).total_seconds() / day * 100
    return {"left": round(left, 3), "width": round(width, 3)}


def _span(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    return f"{start.astimezone(zone):%H:%M}{RANGE}{end.astimezone(zone):%H:%M}"


def _view(result: Preview, language: str) -> dict[str, object]:
    zone = result.location.zone
    colours: dict[str, int] = {}
    for period in result.periods:
        if period.playlist is not None:
            colours.setdefault(period.playlist, len(colours) % PALETTE_SIZE)
    ticks = []
    for hour in (0, 6, 12, 18):
        tick = datetime.combine(result.day_start.astimezone(zone).date(), datetime.min.time())
        instant = (tick + timedelta(hours=hour)).replace(tzinfo=zone).astimezone(UTC)
        ticks.append({"label": f"{hour:02d}", **_share(instant, instant, result)})
    return {
        "result": result,
        "heading": format_datetime(
            result.moment.astimezone(zone), format="EEEE d MMMM y HH:mm", locale=language
        ),
        "slots": [
            {
                "slot": slot,
                "at": f"{slot.starts_at.astimezone(zone):%H:%M:%S}",
                "length": seconds(slot.length_s, language),
                "event_at": (
                    format_datetime(
                        slot.card.starts_at.astimezone(zone), format="d MMM HH:mm", locale=language
                    )
                    if slot.card.starts_at is not None
                    else ""
                ),
            }
            for slot in result.slots
        ],
        "periods": [
            {
                "period": period,
                "span": _span(period.start, period.end, zone),
                "colour": colours.get(period.playlist, -1) if period.playlist else -1,
                "current": period.start <= result.moment < period.end,
                **_share(period.start, period.end, result),
            }
            for period in result.periods
        ],
        "opening": [
            {
                "stretch": stretch,
                "span": _span(stretch.start, stretch.end, zone),
                **_share(stretch.start, stretch.end, result),
            }
            for stretch in result.opening
        ],
        "has_opening_hours": bool(result.location.opening_hours),
        "now": _share(result.moment, result.moment, result)["left"],
        "ticks": ticks,
    }


@router.get("")
def preview_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: EditorLogin,
    location: str = "",
    day: str = "",
    at: str = "",
) -> Response:
    translate = Translator(language)
    locations = preview_locations(session)
    chosen = next((place for place in locations if str(place.id) == location), None)
    if chosen is None and not location and locations:
        chosen = locations[0]
    context: dict[str, object] = {
        **user_context(login),
        "section": "preview",
        "locations": locations,
        "chosen": chosen,
        "form": {"location": location, "day": day, "at": at},
        "thumbnail_url": THUMBNAIL_URL,
        "error": None,
        "note": None,
        "view": None,
    }
    if chosen is None:
        if location:
            context["error"] = translate("That location no longer exists. Choose another.")
        return render(
            request,
            "preview/preview.html",
            language=language,
            context=context,
            status_code=404 if location else 200,
        )
    zone = ZoneInfo(chosen.timezone)
    now = clock().astimezone(zone)
    form = {
        "location": str(chosen.id),
        "day": day or date_input(now.date()),
        "at": at or time_input(now.time().replace(second=0, microsecond=0)),
    }
    context["form"] = form
    try:
        moment, note = _moment(parse_date(form["day"]) or now.date(), form["at"], zone, translate)
    except ValueError:
        context["error"] = translate("Write the date like 2026-03-28 and the time like 10:00.")
        return render(
            request, "preview/preview.html", language=language, context=context, status_code=422
        )
    assert chosen.id is not None  # a stored location has its key
    result = preview(
        session,
        location_id=chosen.id,
        moment=moment,
        horizon=timedelta(days=settings.manifest_horizon_days),
    )
    context["note"] = note
    context["view"] = _view(result, language)
    return render(request, "preview/preview.html", language=language, context=context)
