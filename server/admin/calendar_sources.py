"""The calendar sources' pages: the iCalendar feeds imported into the events, how each fared
the last time it was fetched, adding, editing, fetching at once and deleting one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import anyio.to_thread
import httpx
from fastapi import APIRouter, Response
from sqlmodel import col, select
from starlette.datastructures import FormData

from server.admin.editing import EditorFormDep, EditorPage, EditorPageDep
from server.admin.forms import describe_day_and_time, explain, field, fields, see_other
from server.api.deps import ClockDep
from server.api.errors import status_code_for
from server.errors import AnslagError, NotFound
from server.models import CalendarSource, Location
from server.services.calendar_fetch import refresh_source
from server.services.calendar_sources import (
    SourceDraft,
    create_source,
    delete_source,
    find_source,
    list_sources,
    update_source,
)
from server.services.event_targets import villages
from server.services.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES
from server.services.permissions import login_actor

router = APIRouter(prefix="/admin/events/sources", include_in_schema=False)


@dataclass(frozen=True)
class SourceForm:
    """The fields as typed, so that a refused form shows them again."""

    name: str = ""
    url: str = ""
    language: str = "sv"
    location_ids: tuple[str, ...] = ()
    location_tags: tuple[str, ...] = ()
    enabled: bool = True
    version: int | None = None

    @classmethod
    def posted(cls, form: FormData) -> SourceForm:
        version = field(form, "version")
        return cls(
            name=field(form, "name"),
            url=field(form, "url"),
            language=field(form, "language") or "sv",
            location_ids=tuple(fields(form, "location")),
            location_tags=tuple(fields(form, "tag")),
            enabled=bool(field(form, "enabled")),
            version=int(version) if version.isdigit() else None,
        )

    @classmethod
    def of_source(cls, source: CalendarSource) -> SourceForm:
        return cls(
            name=source.name,
            url=source.url,
            language=source.language,
            location_ids=tuple(str(location_id) for location_id in source.location_ids),
            location_tags=tuple(source.location_tags),
            enabled=source.enabled,
            version=source.version,
        )

    def draft(self) -> SourceDraft:
        return SourceDraft(
            name=self.name,
            url=self.url,
            language=self.language,
            location_ids=tuple(int(value) for value in self.location_ids if value.isdigit()),
            location_tags=self.location_tags,
            enabled=self.enabled,
        )


@router.get("")
def sources_page(page: EditorPageDep, deleted: str | None = None) -> Response:
    rows = [(source, _outcome(page, source)) for source in list_sources(page.session)]
    notice = page.translate("'%(name)s' was deleted.", name=deleted) if deleted else None
    return page.render("events/sources.html", {"rows": rows, "notice": notice})


@router.get("/new")
def new_source(page: EditorPageDep) -> Response:
    return _form(page, SourceForm())


@router.post("/new")
async def create(page: EditorFormDep, clock: ClockDep) -> Response:
    form = SourceForm.posted(await page.request.form())
    try:
        source = create_source(
            page.session, draft=form.draft(), actor=login_actor(page.login), now=clock()
        )
    except AnslagError as exc:
        error = explain(page.translate, exc)
        return _form(page, form, error=error, status_code=status_code_for(exc))
    # Fetched at once: the editor sees straight away whether the address works.
    return await _refreshed(page, source, clock())


@router.get("/{source_id}")
def edit_source(source_id: int, page: EditorPageDep, saved: bool = False) -> Response:
    try:
        source = find_source(page.session, source_id=source_id)
    except NotFound:
        return page.missing(back="/admin/events/sources")
    notice = page.translate("Saved.") if saved else None
    return _form(page, SourceForm.of_source(source), source, notice=notice)


@router.post("/{source_id}")
async def save_source(source_id: int, page: EditorFormDep, clock: ClockDep) -> Response:
    try:
        source = find_source(page.session, source_id=source_id)
    except NotFound:
        return page.missing(back="/admin/events/sources")
    form = SourceForm.posted(await page.request.form())
    try:
        update_source(
            page.session,
            source_id=source_id,
            draft=form.draft(),
            expected_version=form.version or 0,
            actor=login_actor(page.login),
            now=clock(),
        )
    except AnslagError as exc:
        error = explain(page.translate, exc)
        return _form(page, form, source, error=error, status_code=status_code_for(exc))
    return see_other(f"/admin/events/sources/{source_id}?saved=1")


@router.post("/{source_id}/refresh")
async def refresh(source_id: int, page: EditorFormDep, clock: ClockDep) -> Response:
    try:
        source = find_source(page.session, source_id=source_id)
    except NotFound:
        return page.missing(back="/admin/events/sources")
    return await _refreshed(page, source, clock())


@router.post("/{source_id}/delete")
def remove_source(source_id: int, page: EditorFormDep, clock: ClockDep) -> Response:
    try:
        name = find_source(page.session, source_id=source_id).name
        delete_source(page.session, source_id=source_id, actor=login_actor(page.login), now=clock())
    except NotFound:
        return page.missing(back="/admin/events/sources")
    return see_other(f"/admin/events/sources?{urlencode({'deleted': name})}")


async def _refreshed(page: EditorPage, source: CalendarSource, now: datetime) -> Response:
    def fetch() -> None:
        with httpx.Client() as client:
            refresh_source(
                page.session, source=source, client=client, zone=page.settings.zone, now=now
            )

    # Off the event loop: a slow calendar server must not hold up every other request.
    await anyio.to_thread.run_sync(fetch)
    return see_other(f"/admin/events/sources/{source.id}")


def _outcome(page: EditorPage, source: CalendarSource) -> str:
    """How the last fetch went, in the reader's language."""
    translate, zone = page.translate, page.settings.zone
    if source.last_error:
        message = str(source.last_error.get("message", ""))
        values = source.last_error.get("values", {})
        detail = translate(message, **values) if isinstance(values, dict) else message
        return translate(
            "Failed %(when)s: %(problem)s", when=_when(page, source.checked_at), problem=detail
        )
    if source.succeeded_at is None:
        return translate("Not fetched yet")
    return translate(
        "Fetched %(when)s: %(count)d events ahead",
        when=describe_day_and_time(source.succeeded_at, zone=zone, translate=translate),
        count=source.event_count,
    )


def _when(page: EditorPage, moment: datetime | None) -> str:
    if moment is None:
        return ""
    return describe_day_and_time(moment, zone=page.settings.zone, translate=page.translate)


def _form(
    page: EditorPage,
    form: SourceForm,
    source: CalendarSource | None = None,
    *,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    translate = page.translate
    locations = list(page.session.exec(select(Location).order_by(col(Location.name))))
    context = {
        "form": form,
        "source": source,
        "outcome": _outcome(page, source) if source is not None else "",
        "failed": bool(source is not None and source.last_error),
        "text_languages": [(code, translate(LANGUAGE_NAMES[code])) for code in CONTENT_LANGUAGES],
        "locations": locations,
        "villages": sorted({*villages(page.session), *form.location_tags}),
        "notice": notice,
        "error": error,
    }
    return page.render("events/source_form.html", context, status_code=status_code)
