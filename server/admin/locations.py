"""The admin's location pages: the list, the form to add or change one, and deleting one."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from server.admin.location_form import (
    Errors,
    LocationForm,
    day_namer,
    describe_hours,
    language_names,
    problem_errors,
)
from server.admin.pages import LanguageDep, render, user_context
from server.admin.security import CurrentLogin, ScreenAdminForm, ScreenAdminLogin
from server.api.deps import ClockDep, SessionDep
from server.errors import AlreadyExists, InUse, StaleEdit
from server.i18n import Translator
from server.models import Location, LoginSession
from server.services.location_rules import MAX_PERIODS_PER_DAY, InvalidLocation, zone_choices
from server.services.locations import (
    create_location,
    delete_location,
    get_location,
    list_locations,
    own_assignment_count,
    screens_at,
    update_location,
)
from server.services.permissions import login_actor

router = APIRouter(prefix="/admin/locations", include_in_schema=False)


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.get("")
def location_list(
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    login: CurrentLogin,
    deleted: str | None = None,
) -> Response:
    locations = list_locations(session)
    return render(
        request,
        "locations/list.html",
        language=language,
        context={
            **user_context(login),
            "section": "locations",
            "locations": locations,
            "screen_counts": {
                location.id: len(screens_at(session, location_id=location.id))
                for location in locations
                if location.id is not None
            },
            "language_names": language_names(Translator(language)),
            "hours": {
                location.id: describe_hours(location.opening_hours, language)
                for location in locations
            },
            "deleted": deleted,
        },
    )


def _form_page(
    request: Request,
    session: Session,
    language: str,
    login: LoginSession,
    form: LocationForm,
    *,
    location: Location | None = None,
    errors: Errors | None = None,
    notice: str | None = None,
    saved: bool = False,
    removed: bool = False,
    status_code: int = 200,
) -> Response:
    translate = Translator(language)
    screens = (
        []
        if location is None or location.id is None
        else screens_at(session, location_id=location.id)
    )
    return render(
        request,
        "locations/form.html",
        language=language,
        context={
            **user_context(login),
            "section": "locations",
            "form": form,
            "location": location,
            "screens": screens,
            "errors": errors or {},
            "notice": notice,
            "saved": saved,
            "removed": removed,
            "zones": zone_choices(),
            "language_names": language_names(translate),
            "day_name": day_namer(language),
            "periods": range(MAX_PERIODS_PER_DAY),
        },
        status_code=status_code,
    )


@router.get("/new")
def new_location_form(
    request: Request, session: SessionDep, language: LanguageDep, login: ScreenAdminLogin
) -> Response:
    return _form_page(request, session, language, login, LocationForm())


@router.post("/new")
async def add_location(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    language: LanguageDep,
    login: ScreenAdminForm,
) -> Response:
    return await _save(request, session, clock(), language, login, location=None)


@router.get("/{location_id}")
def location_form(
    location_id: int,
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    login: ScreenAdminLogin,
    saved: bool = False,
    removed: bool = False,
) -> Response:
    location = get_location(session, location_id=location_id)
    form = LocationForm.of(location)
    return _form_page(
        request, session, language, login, form, location=location, saved=saved, removed=removed
    )


@router.post("/{location_id}")
async def change_location(
    location_id: int,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    language: LanguageDep,
    login: ScreenAdminForm,
) -> Response:
    location = get_location(session, location_id=location_id)
    return await _save(request, session, clock(), language, login, location=location)


async def _save(
    request: Request,
    session: Session,
    now: datetime,
    language: str,
    login: LoginSession,
    *,
    location: Location | None,
) -> Response:
    translate = Translator(language)
    posted = await request.form()
    form = LocationForm.posted(posted)

    def again(
        errors: Errors | None = None, notice: str | None = None, status: int = 422
    ) -> Response:
        return _form_page(
            request,
            session,
            language,
            login,
            form,
            location=location,
            errors=errors,
            notice=notice,
            status_code=status,
        )

    # The helper buttons change the form and show it again; nothing is saved.
    if isinstance(move := posted.get("move"), str):
        form.move_language(move)
        return again(status=200)
    if "copy_monday" in posted:
        form.copy_monday()
        return again(status=200)
    details, errors = form.details(translate)
    if details is None:
        return again(errors)
    actor = login_actor(login)
    try:
        if location is None:
            saved = create_location(session, details=details, actor=actor, now=now)
        else:
            assert location.id is not None
            saved = update_location(
                session,
                location_id=location.id,
                details=details,
                expected_version=form.version,
                actor=actor,
                now=now,
            )
    except InvalidLocation as exc:
        session.rollback()
        return again(problem_errors(exc.problems, translate))
    except AlreadyExists:
        session.rollback()
        message = translate(
            "Another location already has the short name %(slug)s.", slug=details.slug
        )
        return again({"slug": [message]}, status=409)
    except StaleEdit:
        session.rollback()
        assert location is not None
        session.refresh(location)
        # Saving again now replaces the other change: the person has been told.
        form.version = location.version
        notice = translate(
            "Someone else saved this location while you were editing it. Your changes are"
            " below but not saved: check them against the saved version and save again."
        )
        return again(notice=notice, status=409)
    return _see_other(f"/admin/locations/{saved.id}?saved=true")


@router.get("/{location_id}/delete")
def delete_form(
    location_id: int,
    request: Request,
    session: SessionDep,
    language: LanguageDep,
    login: ScreenAdminLogin,
) -> Response:
    return _delete_page(request, session, language, login, location_id)


def _delete_page(
    request: Request,
    session: Session,
    language: str,
    login: LoginSession,
    location_id: int,
    *,
    status_code: int = 200,
) -> Response:
    location = get_location(session, location_id=location_id)
    return render(
        request,
        "locations/delete.html",
        language=language,
        context={
            **user_context(login),
            "section": "locations",
            "location": location,
            "screens": screens_at(session, location_id=location_id),
            "assignments": own_assignment_count(session, location_id=location_id),
        },
        status_code=status_code,
    )


@router.post("/{location_id}/delete")
def delete(
    location_id: int,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    language: LanguageDep,
    login: ScreenAdminForm,
) -> Response:
    name = get_location(session, location_id=location_id).name
    try:
        delete_location(session, location_id=location_id, actor=login_actor(login), now=clock())
    except InUse:
        session.rollback()
        return _delete_page(request, session, language, login, location_id, status_code=409)
    return _see_other(f"/admin/locations?{urlencode({'deleted': name})}")
