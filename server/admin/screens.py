"""The admin's screen pages: pair a new screen by its code, and one screen's page, where it
is renamed, moved, revoked and, once revoked, removed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from server.admin.pages import LanguageDep, describe_moment, render, user_context
from server.admin.security import CurrentLogin, ScreenAdminForm, ScreenAdminLogin
from server.api.deps import ClockDep, SessionDep
from server.errors import Conflict, InvalidContent, NotFound
from server.i18n import Translator
from server.models import Location, LoginSession
from server.services.content import NAME_MAX_LENGTH
from server.services.dashboard import is_online
from server.services.locations import list_locations
from server.services.pairing import PAIRING_LIFETIME, format_code, normalise_code
from server.services.permissions import login_actor
from server.services.screens import (
    get_screen,
    move_screen,
    pair_screen,
    pairing_of,
    remove_screen,
    rename_screen,
    revoke_screen,
)

router = APIRouter(prefix="/admin/screens", include_in_schema=False)

FormText = Annotated[str, Form()]
Saved = Literal["paired", "renamed", "moved"]


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _pair_page(
    request: Request,
    session: Session,
    language: str,
    login: LoginSession,
    *,
    code: str = "",
    name: str = "",
    location_id: int | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "screens/pair.html",
        language=language,
        context={
            **user_context(login),
            "section": "screens",
            "locations": list_locations(session),
            "code": code,
            "name": name,
            "location_id": location_id,
            "error": error,
            "name_max_length": NAME_MAX_LENGTH,
        },
        status_code=status_code,
    )


@router.get("/pair")
def pair_form(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    login: ScreenAdminLogin,
    location: int | None = None,
) -> Response:
    return _pair_page(request, session, language, login, location_id=location)


@router.post("/pair")
def pair(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    language: LanguageDep,
    login: ScreenAdminForm,
    code: FormText = "",
    name: FormText = "",
    location: FormText = "",
) -> Response:
    translate = Translator(language)
    location_id = int(location) if location.isdigit() else None
    error = _pair_problem(session, translate, code=code, name=name, location_id=location_id)
    if error is None and location_id is not None:
        try:
            screen = pair_screen(
                session,
                code=code,
                location_id=location_id,
                name=name,
                actor=login_actor(login),
                now=clock(),
            )
        except NotFound:
            session.rollback()
            error = translate(
                "No screen is showing the code %(code)s. Check the code on the screen: a code"
                " is valid for %(hours)d hours, after which the screen shows a new one.",
                code=format_code(normalise_code(code)),
                hours=PAIRING_LIFETIME // timedelta(hours=1),
            )
        else:
            return _see_other(f"/admin/screens/{screen.id}?saved=paired")
    return _pair_page(
        request,
        session,
        language,
        login,
        code=code,
        name=name,
        location_id=location_id,
        error=error,
        status_code=422,
    )


def _pair_problem(
    session: Session, translate: Translator, *, code: str, name: str, location_id: int | None
) -> str | None:
    """What is missing from the pairing form before a code is even looked up."""
    if not normalise_code(code):
        return translate("Type the code the new screen shows.")
    if not name.strip() or len(name.strip()) > NAME_MAX_LENGTH:
        return translate(
            "Give the screen a name of at most %(count)d characters.", count=NAME_MAX_LENGTH
        )
    if location_id is None:
        return translate("Choose the location where the screen stands.")
    if session.get(Location, location_id) is None:
        return translate("That location no longer exists; choose another one.")
    return None


def _screen_page(
    request: Request,
    session: Session,
    now: datetime,
    language: str,
    login: LoginSession,
    screen_id: int,
    *,
    saved: Saved | None = None,
    name: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    screen = get_screen(session, screen_id=screen_id)
    zone = ZoneInfo(screen.location.timezone)
    translate = Translator(language)

    def moment(value: datetime | None) -> str:
        return describe_moment(value, zone=zone, now=now, translate=translate)

    return render(
        request,
        "screens/detail.html",
        language=language,
        context={
            **user_context(login),
            "section": "screens",
            "screen": screen,
            "online": screen.revoked_at is None and is_online(screen, now),
            "pairing": pairing_of(session, screen_id=screen_id),
            "locations": list_locations(session),
            "last_seen": moment(screen.last_seen_at),
            "paired_at": moment(screen.created_at),
            "revoked_at": moment(screen.revoked_at),
            "saved": saved,
            "name": screen.name if name is None else name,
            "error": error,
            "name_max_length": NAME_MAX_LENGTH,
        },
        status_code=status_code,
    )


@router.get("/{screen_id}")
def screen_page(
    screen_id: int,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    language: LanguageDep,
    login: CurrentLogin,
    saved: Saved | None = None,
) -> Response:
    return _screen_page(request, session, clock(), language, login, screen_id, saved=saved)


@router.post("/{screen_id}/name")
def rename(
    screen_id: int,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    language: LanguageDep,
    login: ScreenAdminForm,
    name: FormText = "",
) -> Response:
    try:
        rename_screen(
            session, screen_id=screen_id, name=name, actor=login_actor(login), now=clock()
        )
    except InvalidContent:
        session.rollback()
        error = Translator(language)(
            "Give the screen a name of at most %(count)d characters.", count=NAME_MAX_LENGTH
        )
        return _screen_page(
            request,
            session,
            clock(),
            language,
            login,
            screen_id,
            name=name,
            error=error,
            status_code=422,
        )
    return _see_other(f"/admin/screens/{screen_id}?saved=renamed")


@router.post("/{screen_id}/location")
def move(
    screen_id: int,
    session: SessionDep,
    clock: ClockDep,
    login: ScreenAdminForm,
    location: Annotated[int, Form()],
) -> Response:
    move_screen(
        session,
        screen_id=screen_id,
        location_id=location,
        actor=login_actor(login),
        now=clock(),
    )
    return _see_other(f"/admin/screens/{screen_id}?saved=moved")


def _confirm_page(
    request: Request,
    session: Session,
    language: str,
    login: LoginSession,
    screen_id: int,
    step: Literal["revoke", "remove"],
    *,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "screens/confirm.html",
        language=language,
        context={
            **user_context(login),
            "section": "screens",
            "screen": get_screen(session, screen_id=screen_id),
            "step": step,
        },
        status_code=status_code,
    )


@router.get("/{screen_id}/revoke")
def revoke_form(
    screen_id: int,
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    login: ScreenAdminLogin,
) -> Response:
    return _confirm_page(request, session, language, login, screen_id, "revoke")


@router.post("/{screen_id}/revoke")
def revoke(
    screen_id: int, session: SessionDep, clock: ClockDep, login: ScreenAdminForm
) -> Response:
    revoke_screen(session, screen_id=screen_id, actor=login_actor(login), now=clock())
    return _see_other(f"/admin/screens/{screen_id}")


@router.get("/{screen_id}/remove")
def remove_form(
    screen_id: int,
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    login: ScreenAdminLogin,
) -> Response:
    return _confirm_page(request, session, language, login, screen_id, "remove")


@router.post("/{screen_id}/remove")
def remove(
    screen_id: int,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    language: LanguageDep,
    login: ScreenAdminForm,
) -> Response:
    screen = get_screen(session, screen_id=screen_id)
    location_id = screen.location_id
    try:
        remove_screen(session, screen_id=screen_id, actor=login_actor(login), now=clock())
    except Conflict:
        # Still in use: the page says to revoke it first.
        session.rollback()
        return _confirm_page(
            request, session, language, login, screen_id, "remove", status_code=409
        )
    return _see_other(f"/admin/locations/{location_id}?removed=true")
