"""The admin's view of screens' reports: dashboard card wording, screenshots, requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from babel.numbers import format_decimal
from fastapi import APIRouter, Header, Response
from fastapi.responses import FileResponse, RedirectResponse

from server.admin.pages import describe_moment
from server.admin.security import CurrentLogin, ScreenAdminForm
from server.api.conditional import etag_matches
from server.api.deps import ClockDep, SessionDep, StorageDep
from server.i18n import Translator
from server.services.dashboard import ScreenStatus
from server.services.monitoring import latest_screenshot, request_screenshot
from server.services.permissions import login_actor

router = APIRouter(prefix="/admin/screens", tags=["admin"], include_in_schema=False)

_BYTE_UNITS = ("B", "kB", "MB", "GB", "TB")


@dataclass(frozen=True)
class ScreenCard:
    """A screen's status and the sentences its dashboard card needs, in the page's language."""

    status: ScreenStatus
    last_seen: str
    screenshot_taken: str | None
    screenshot_url: str | None
    requested: str | None
    cache_text: str | None
    clock_warning: str | None


def screen_card(status: ScreenStatus, *, now: datetime, translate: Translator) -> ScreenCard:
    def moment(value: datetime | None) -> str:
        return describe_moment(value, zone=status.timezone, now=now, translate=translate)

    screenshot_url = None
    if status.screenshot_sha256 is not None:
        # The hash in the URL makes the browser fetch a new screenshot and reuse an old one.
        screenshot_url = (
            f"/admin/screens/{status.screen_id}/screenshot?v={status.screenshot_sha256[:16]}"
        )
    requested_at = status.screenshot_requested_at
    return ScreenCard(
        status=status,
        last_seen=moment(status.last_seen_at),
        screenshot_taken=moment(status.screenshot_at) if status.screenshot_at else None,
        screenshot_url=screenshot_url,
        requested=moment(requested_at) if requested_at is not None else None,
        cache_text=_cache_text(status, translate),
        clock_warning=_clock_warning(status, translate),
    )


def _cache_text(status: ScreenStatus, translate: Translator) -> str | None:
    cache = status.cache
    if cache is None:
        return None
    used = describe_bytes(cache.used_bytes, translate.language)
    if cache.limit_bytes is not None:
        limit = describe_bytes(cache.limit_bytes, translate.language)
        return translate("%(used)s of %(limit)s", used=used, limit=limit)
    free = describe_bytes(cache.free_disk_bytes, translate.language)
    return translate("%(used)s, %(free)s free on disk", used=used, free=free)


def _clock_warning(status: ScreenStatus, translate: Translator) -> str | None:
    off_by = status.clock_off_by
    if off_by is not None:
        offset = describe_duration(abs(off_by), translate)
        if off_by > timedelta(0):
            return translate("The screen's clock is %(offset)s fast.", offset=offset)
        return translate("The screen's clock is %(offset)s slow.", offset=offset)
    if status.clock_distrusted:
        return translate("The screen reports that its clock is wrong.")
    return None


def describe_bytes(count: int, language: str) -> str:
    """A size as people read it: "840 kB", "1,2 GB" (decimal units, like disks are sold)."""
    value = float(count)
    unit = _BYTE_UNITS[0]
    for unit in _BYTE_UNITS:
        if value < 1000 or unit == _BYTE_UNITS[-1]:
            break
        value /= 1000
    pattern = "#,##0" if unit == "B" or value >= 100 else "#,##0.#"
    return f"{format_decimal(value, format=pattern, locale=language)} {unit}"


def describe_duration(duration: timedelta, translate: Translator) -> str:
    """A rough length: minutes up to two hours, hours up to two days, then days."""
    minutes = int(duration.total_seconds() // 60)
    if minutes < 120:
        return translate("%(count)d min", count=minutes)
    if minutes < 48 * 60:
        return translate("%(count)d h", count=minutes // 60)
    return translate("%(count)d days", count=minutes // (24 * 60))


@router.get("/{screen_id}/screenshot")
def screenshot(
    screen_id: int,
    session: SessionDep,
    storage: StorageDep,
    _login: CurrentLogin,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The screen's latest screenshot, for anyone logged in."""
    shot = latest_screenshot(session, storage, screen_id=screen_id)
    # Private: only logged-in people may see it; no-cache: ask each time, a 304 is cheap.
    headers = {"ETag": f'"{shot.sha256}"', "Cache-Control": "private, no-cache"}
    if etag_matches(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return FileResponse(storage.path(shot.sha256), media_type=shot.media_type, headers=headers)


@router.post("/{screen_id}/screenshot-request")
def screenshot_request(
    screen_id: int, session: SessionDep, clock: ClockDep, login: ScreenAdminForm
) -> Response:
    """Ask the screen for a screenshot now; the dashboard shows it once it has arrived."""
    request_screenshot(session, screen_id=screen_id, actor=login_actor(login), now=clock())
    return RedirectResponse(f"/admin/#screen-{screen_id}", status_code=303)
