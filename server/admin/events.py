"""The events' pages: the calendar as editors see it, a new event, editing with its version,
deleting. Submitted events wait under moderation; imported ones come from their source."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Response
from sqlmodel import col, select

from server.admin.editing import EditorFormDep, EditorPage, EditorPageDep
from server.admin.event_form import EventForm
from server.admin.event_times import describe_when
from server.admin.forms import FormProblem, explain, see_other
from server.admin.text_fields import language_change
from server.api.deps import ClockDep
from server.api.errors import status_code_for
from server.errors import AnslagError, EditedMeanwhile, NotFound
from server.models import CalendarSource, Event, Location
from server.services.event_targets import target_names, villages
from server.services.events import (
    EventStatus,
    create_event,
    delete_event,
    find_event,
    list_events,
    update_event,
)
from server.services.languages import LANGUAGE_NAMES
from server.services.media import media_library
from server.services.naming import event_title
from server.services.permissions import login_actor

router = APIRouter(prefix="/admin/events", include_in_schema=False)

Show = Literal["upcoming", "pending", "rejected", "past"]
SHOWS: tuple[Show, ...] = ("upcoming", "pending", "rejected", "past")


@dataclass(frozen=True)
class Row:
    """An event as the list shows it."""

    event: Event
    title: str
    when: str
    origin: str
    targets: tuple[str, ...]


@router.get("")
def events_page(
    page: EditorPageDep, clock: ClockDep, show: str = "upcoming", deleted: str | None = None
) -> Response:
    chosen: Show = next((known for known in SHOWS if known == show), "upcoming")
    now, zone, translate = clock(), page.settings.zone, page.translate
    if chosen == "upcoming":
        events = [e for e in list_events(page.session, over_after=now) if e.status in _SHOWN]
    elif chosen == "past":
        events = [e for e in list_events(page.session, status="approved") if e.over_at <= now]
        events.reverse()
    else:
        events = list_events(page.session, status=chosen)
    locations = _locations(page)
    sources = {source.id: source.name for source in page.session.exec(select(CalendarSource)).all()}
    rows = [
        Row(
            event=event,
            title=event_title(event),
            when=describe_when(event, zone=zone, language=page.language),
            origin=sources.get(event.source_id, "") if event.origin == "ical" else "",
            targets=tuple(target_names(event, locations)),
        )
        for event in events
    ]
    notice = translate("'%(name)s' was deleted.", name=deleted) if deleted else None
    return page.render("events/list.html", {"rows": rows, "show": chosen, "notice": notice})


_SHOWN: tuple[EventStatus, ...] = ("approved", "draft")


@router.get("/new")
def new_event(page: EditorPageDep) -> Response:
    return _form(page, EventForm.blank())


@router.post("/new")
async def create(page: EditorFormDep, clock: ClockDep) -> Response:
    posted = await page.request.form()
    form = EventForm.posted(posted)
    changed = language_change(form, posted)
    if changed is not None:
        return _form(page, changed)
    zone, translate = page.settings.zone, page.translate
    try:
        event = create_event(
            page.session,
            draft=form.draft(zone=zone, translate=translate),
            status="approved" if form.publish else "draft",
            zone=zone,
            actor=login_actor(page.login),
            now=clock(),
        )
    except FormProblem as problem:
        return _form(page, form, error=str(problem), status_code=422)
    except AnslagError as exc:
        return _form(page, form, error=explain(translate, exc), status_code=status_code_for(exc))
    return see_other(f"/admin/events/{event.id}?saved=1")


@router.get("/{event_id}")
def edit_event(event_id: int, page: EditorPageDep, saved: bool = False) -> Response:
    try:
        event = find_event(page.session, event_id=event_id)
    except NotFound:
        return page.missing(back="/admin/events")
    notice = page.translate("Saved.") if saved else None
    return _form(page, EventForm.of_event(event, zone=page.settings.zone), event, notice=notice)


@router.post("/{event_id}")
async def save_event(event_id: int, page: EditorFormDep, clock: ClockDep) -> Response:
    try:
        event = find_event(page.session, event_id=event_id)
    except NotFound:
        return page.missing(back="/admin/events")
    posted = await page.request.form()
    form = EventForm.posted(posted)
    changed = language_change(form, posted)
    if changed is not None:
        return _form(page, changed, event)
    zone, translate = page.settings.zone, page.translate
    # Publishing or keeping a draft is the editor's choice; a submission's fate the moderator's.
    status: EventStatus | None = None
    if event.status in _SHOWN:
        status = "approved" if form.publish else "draft"
    try:
        update_event(
            page.session,
            event_id=event_id,
            draft=form.draft(zone=zone, translate=translate),
            expected_version=form.version or 0,
            zone=zone,
            actor=login_actor(page.login),
            now=clock(),
            status=status,
        )
    except FormProblem as problem:
        return _form(page, form, event, error=str(problem), status_code=422)
    except EditedMeanwhile as exc:
        # Their input stays, now based on the stored version: saving again is a choice.
        current = find_event(page.session, event_id=event_id)
        error = explain(translate, exc)
        form = replace(form, version=current.version)
        return _form(page, form, current, error=error, stale=True, status_code=409)
    except AnslagError as exc:
        error = explain(translate, exc)
        return _form(page, form, event, error=error, status_code=status_code_for(exc))
    return see_other(f"/admin/events/{event_id}?saved=1")


@router.post("/{event_id}/delete")
def remove_event(event_id: int, page: EditorFormDep, clock: ClockDep) -> Response:
    try:
        title = event_title(find_event(page.session, event_id=event_id))
        delete_event(page.session, event_id=event_id, actor=login_actor(page.login), now=clock())
    except NotFound:
        return page.missing(back="/admin/events")
    return see_other(f"/admin/events?{urlencode({'deleted': title})}")


def _locations(page: EditorPage) -> list[Location]:
    return list(page.session.exec(select(Location).order_by(col(Location.name))))


def _form(
    page: EditorPage,
    form: EventForm,
    event: Event | None = None,
    *,
    notice: str | None = None,
    error: str | None = None,
    stale: bool = False,
    status_code: int = 200,
) -> Response:
    """The event form (new or edit) with what it needs around the fields."""
    translate = page.translate
    source = (
        page.session.get(CalendarSource, event.source_id)
        if event is not None and event.source_id is not None
        else None
    )
    context = {
        "form": form,
        "event": event,
        "title": event_title(event) if event is not None else None,
        "source": source,
        "library": [entry.asset for entry in media_library(page.session, kind="image")],
        "language_names": {code: translate(name) for code, name in LANGUAGE_NAMES.items()},
        "locations": _locations(page),
        "villages": sorted({*villages(page.session), *form.location_tags}),
        "timezone": page.settings.timezone,
        "notice": notice,
        "error": error,
        "stale": stale,
    }
    return page.render("events/form.html", context, status_code=status_code)
