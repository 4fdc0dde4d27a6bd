"""The schedule pages: every assignment grouped by location and tag, and the form for one.

A refused form comes back with everything as typed and a message saying what
to change; a save based on an old reading is refused (409) with what is saved
now shown, so saving again is a deliberate choice to replace it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fastapi import APIRouter, Request, Response
from sqlmodel import Session, col, select

from server.admin.forms import FormRefused, field, fields, gone_page, see_other
from server.admin.local_time import date_input, parse_date, parse_time, time_input
from server.admin.pages import LanguageDep, render, user_context
from server.admin.schedule_text import dates_text, day_names, weekdays_text, window_text
from server.admin.security import EditorForm, EditorLogin
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.errors import NotFound, StaleEdit
from server.i18n import Translator
from server.models import Assignment, Location, LoginSession, Playlist
from server.services.assignments import (
    MAX_PRIORITY,
    MIN_PRIORITY,
    AssignmentDraft,
    AssignmentProblem,
    create_assignment,
    delete_assignment,
    find_assignment,
    first_day,
    last_day,
    location_tags,
    revision,
    schedule,
    update_assignment,
)
from server.services.permissions import login_actor
from server.settings import Settings

router = APIRouter(prefix="/admin/assignments", include_in_schema=False)


@dataclass(frozen=True)
class AssignmentForm:
    """The form's fields as the browser sent them, kept as typed so a refusal loses nothing."""

    playlist: str = ""
    target: str = ""
    weekdays: tuple[str, ...] = tuple(str(day) for day in range(1, 8))
    start_time: str = ""
    end_time: str = ""
    first_day: str = ""
    last_day: str = ""
    priority: str = "0"
    revision: str = ""


async def _posted(request: Request) -> AssignmentForm:
    form = await request.form()
    return AssignmentForm(
        playlist=field(form, "playlist"),
        target=field(form, "target"),
        weekdays=tuple(fields(form, "weekday")),
        start_time=field(form, "start_time"),
        end_time=field(form, "end_time"),
        first_day=field(form, "first_day"),
        last_day=field(form, "last_day"),
        priority=field(form, "priority"),
        revision=field(form, "revision"),
    )


def _stored_form(assignment: Assignment, settings: Settings) -> AssignmentForm:
    zone = settings.zone
    target = (
        f"tag:{assignment.location_tag}"
        if assignment.location_tag is not None
        else f"location:{assignment.location_id}"
    )
    return AssignmentForm(
        playlist=str(assignment.playlist_id),
        target=target,
        weekdays=tuple(str(day) for day in assignment.weekdays),
        start_time=time_input(assignment.start_time),
        end_time=time_input(assignment.end_time),
        first_day=date_input(first_day(assignment, zone)),
        last_day=date_input(last_day(assignment, zone)),
        priority=str(assignment.priority),
        revision=revision(assignment),
    )


def _draft(form: AssignmentForm, translate: Translator) -> AssignmentDraft:
    if not form.playlist.isdigit():
        raise FormRefused(translate("Choose a playlist."))
    kind, _, target = form.target.partition(":")
    if (
        kind not in ("location", "tag")
        or not target
        or (kind == "location" and not target.isdigit())
    ):
        raise FormRefused(translate("Choose where it plays: one location or one tag."))
    try:
        start_time, end_time = parse_time(form.start_time), parse_time(form.end_time)
    except ValueError:
        raise FormRefused(translate("Write the times of day like 07:00.")) from None
    try:
        first, last = parse_date(form.first_day), parse_date(form.last_day)
    except ValueError:
        raise FormRefused(translate("Write the dates like 2026-03-28.")) from None
    try:
        priority = int(form.priority.strip() or "0")
    except ValueError:
        raise FormRefused(_priority_message(translate)) from None
    return AssignmentDraft(
        playlist_id=int(form.playlist),
        location_id=int(target) if kind == "location" else None,
        location_tag=target if kind == "tag" else None,
        weekdays=tuple(int(day) for day in form.weekdays if day.isdigit()),
        start_time=start_time,
        end_time=end_time,
        first_day=first,
        last_day=last,
        priority=priority,
    )


def _priority_message(translate: Translator) -> str:
    return translate(
        "The priority must be a whole number from %(low)d to %(high)d.",
        low=MIN_PRIORITY,
        high=MAX_PRIORITY,
    )


def _problem_message(problem: AssignmentProblem, translate: Translator) -> str:
    messages = {
        "target": translate("Choose where it plays: one location or one tag."),
        "unknown_location": translate("That location no longer exists. Choose another."),
        "tag": translate("A tag has 1 to 64 characters."),
        "unknown_playlist": translate("That playlist no longer exists. Choose another."),
        "weekdays": translate("Choose at least one weekday."),
        "half_window": translate(
            "Give both a start and an end time, or leave both empty to play all day."
        ),
        "empty_window": translate(
            "The start and end times are the same. Leave both empty to play all day."
        ),
        "dates": translate("The last day comes before the first day."),
        "priority": _priority_message(translate),
    }
    return messages[problem.reason]


def _form_page(
    request: Request,
    session: Session,
    settings: Settings,
    language: str,
    login: LoginSession,
    *,
    form: AssignmentForm,
    assignment: Assignment | None = None,
    error: str | None = None,
    stale: Assignment | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    translate = Translator(language)
    return render(
        request,
        "assignments/edit.html",
        language=language,
        context={
            **user_context(login),
            "section": "assignments",
            "assignment": assignment,
            "form": form,
            "playlists": session.exec(select(Playlist).order_by(col(Playlist.name))).all(),
            "locations": session.exec(select(Location).order_by(col(Location.name))).all(),
            "tags": location_tags(session),
            "days": day_names(language),
            "zone": settings.timezone,
            "min_priority": MIN_PRIORITY,
            "max_priority": MAX_PRIORITY,
            "error": error,
            "saved": saved,
            "stale": _describe(stale, settings, translate) if stale is not None else None,
        },
        status_code=status_code,
    )


def _describe(assignment: Assignment, settings: Settings, translate: Translator) -> dict[str, str]:
    """An assignment in words, as the schedule lists it."""
    zone = settings.zone
    if assignment.location_tag is not None:
        target = translate("tag %(tag)s", tag=assignment.location_tag)
    else:
        target = assignment.location.name if assignment.location is not None else ""
    return {
        "playlist": assignment.playlist.name,
        "target": target,
        "days": weekdays_text(assignment.weekdays, translate),
        "window": window_text(assignment.start_time, assignment.end_time, translate),
        "dates": dates_text(first_day(assignment, zone), last_day(assignment, zone), translate),
        "priority": str(assignment.priority),
    }


def _gone(request: Request, language: str, login: LoginSession) -> Response:
    return gone_page(
        request, language, login, template="assignments/gone.html", section="assignments"
    )


@router.get("")
def schedule_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorLogin,
    saved: bool = False,
    deleted: bool = False,
) -> Response:
    translate = Translator(language)
    groups = [
        {
            "group": group,
            "rows": [
                {"assignment": a, **_describe(a, settings, translate)} for a in group.assignments
            ],
        }
        for group in schedule(session)
    ]
    return render(
        request,
        "assignments/list.html",
        language=language,
        context={
            **user_context(login),
            "section": "assignments",
            "groups": groups,
            "saved": saved,
            "deleted": deleted,
        },
    )


@router.get("/new")
def new_assignment_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorLogin,
    playlist: int | None = None,
    location: int | None = None,
) -> Response:
    form = AssignmentForm(
        playlist=str(playlist) if playlist is not None else "",
        target=f"location:{location}" if location is not None else "",
    )
    return _form_page(request, session, settings, language, login, form=form)


@router.post("")
async def create_assignment_form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: EditorForm,
) -> Response:
    form = await _posted(request)
    translate = Translator(language)
    try:
        create_assignment(
            session,
            actor=login_actor(login),
            draft=_draft(form, translate),
            zone=settings.zone,
            now=clock(),
        )
    except FormRefused as refused:
        error = str(refused)
    except AssignmentProblem as problem:
        error = _problem_message(problem, translate)
    else:
        return see_other("/admin/assignments?saved=1")
    return _form_page(
        request, session, settings, language, login, form=form, error=error, status_code=422
    )


@router.get("/{assignment_id}")
def assignment_page(
    assignment_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorLogin,
) -> Response:
    try:
        assignment = find_assignment(session, assignment_id=assignment_id)
    except NotFound:
        return _gone(request, language, login)
    form = _stored_form(assignment, settings)
    return _form_page(request, session, settings, language, login, form=form, assignment=assignment)


@router.post("/{assignment_id}")
async def update_assignment_form(
    assignment_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: EditorForm,
) -> Response:
    try:
        assignment = find_assignment(session, assignment_id=assignment_id)
    except NotFound:
        return _gone(request, language, login)
    form = await _posted(request)
    translate = Translator(language)
    stale = None
    try:
        update_assignment(
            session,
            actor=login_actor(login),
            assignment_id=assignment_id,
            expected_revision=form.revision,
            draft=_draft(form, translate),
            zone=settings.zone,
            now=clock(),
        )
    except FormRefused as refused:
        error, status_code = str(refused), 422
    except AssignmentProblem as problem:
        error, status_code = _problem_message(problem, translate), 422
    except StaleEdit:
        error, status_code, stale = None, 409, assignment
        # Saving again is then a deliberate choice to replace what is saved now.
        form = replace(form, revision=revision(assignment))
    else:
        return see_other("/admin/assignments?saved=1")
    return _form_page(
        request,
        session,
        settings,
        language,
        login,
        form=form,
        assignment=assignment,
        error=error,
        stale=stale,
        status_code=status_code,
    )


@router.post("/{assignment_id}/delete")
async def delete_assignment_form(
    assignment_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: EditorForm,
) -> Response:
    try:
        assignment = find_assignment(session, assignment_id=assignment_id)
    except NotFound:
        return _gone(request, language, login)
    form = await _posted(request)
    try:
        delete_assignment(
            session,
            actor=login_actor(login),
            assignment_id=assignment_id,
            now=clock(),
            expected_revision=form.revision or None,
        )
    except StaleEdit:
        translate = Translator(language)
        error = translate(
            "Someone else changed this assignment after you opened it, so it was not deleted. "
            "Look it over and delete it again if you still want to."
        )
        return _form_page(
            request,
            session,
            settings,
            language,
            login,
            form=_stored_form(assignment, settings),
            assignment=assignment,
            error=error,
            status_code=409,
        )
    return see_other("/admin/assignments?deleted=1")
