"""The alert sources page: the CAP feeds the server polls, added, changed and switched off,
each with how its last poll went and what its latest messages did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from fastapi import APIRouter, Request, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from server.admin.forms import explain, see_other
from server.admin.pages import LanguageDep, describe_moment, render, user_context
from server.admin.security import AlertSourceAdminForm, AlertSourceAdminLogin
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.cap.sources import (
    STATUS_CHOICES,
    SourceSettings,
    all_sources,
    create_source,
    find_source,
    recent_messages,
    update_source,
)
from server.errors import InvalidContent, Refused, StaleEdit
from server.i18n import Translator
from server.i18n import marked as _
from server.models import CapSource, LoginSession
from server.services.permissions import login_actor
from server.settings import Settings

router = APIRouter(prefix="/admin/cap-sources", tags=["admin"], include_in_schema=False)


@dataclass
class SourceForm:
    """The form as the admin filled it in; kept whole when something is refused."""

    name: str = ""
    url: str = ""
    poll_minutes: str = "5"
    lifetime_hours: str = "24"
    statuses: list[str] = field(default_factory=lambda: ["actual"])
    enabled: bool = True
    version: int = 0

    @classmethod
    def parse(cls, form: FormData) -> SourceForm:
        def text(name: str) -> str:
            value = form.get(name)
            return value.strip() if isinstance(value, str) else ""

        version = text("version")
        return cls(
            name=text("name"),
            url=text("url"),
            poll_minutes=text("poll_minutes"),
            lifetime_hours=text("lifetime_hours"),
            statuses=[value for value in form.getlist("statuses") if isinstance(value, str)],
            enabled=text("enabled") == "on",
            version=int(version) if version.isdigit() else 0,
        )

    @classmethod
    def of(cls, source: CapSource) -> SourceForm:
        return cls(
            name=source.name,
            url=source.url,
            poll_minutes=str(source.poll_minutes),
            lifetime_hours=f"{source.lifetime_hours:g}",
            statuses=list(source.statuses),
            enabled=source.enabled,
            version=source.version,
        )

    def settings(self) -> SourceSettings:
        try:
            minutes = int(self.poll_minutes)
        except ValueError:
            raise Refused(_("Poll the source every 1 to 1440 minutes.")) from None
        try:
            hours = float(self.lifetime_hours.replace(",", "."))
        except ValueError:
            raise Refused(_("A warning without an end time lasts 1 to 336 hours.")) from None
        return SourceSettings(
            name=self.name,
            url=self.url,
            poll_minutes=minutes,
            lifetime_hours=hours,
            statuses=tuple(self.statuses),
            enabled=self.enabled,
        )


@dataclass(frozen=True)
class SourceRow:
    source: CapSource
    last_polled: str
    last_succeeded: str


def _rows(
    sources: list[CapSource], *, settings: Settings, now: datetime, language: str
) -> list[SourceRow]:
    translate = Translator(language)

    def moment(value: datetime | None) -> str:
        return describe_moment(value, zone=settings.zone, now=now, translate=translate)

    return [
        SourceRow(source, moment(source.last_polled_at), moment(source.last_succeeded_at))
        for source in sources
    ]


def _page(
    request: Request,
    session: Session,
    settings: Settings,
    language: str,
    login: LoginSession,
    *,
    now: datetime,
    form: SourceForm,
    source: CapSource | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    context: dict[str, object] = {
        **user_context(login),
        "section": "cap-sources",
        "form": form,
        "source": source,
        "error": error,
        "status_choices": STATUS_CHOICES,
    }
    if source is None:
        context["rows"] = _rows(all_sources(session), settings=settings, now=now, language=language)
        template = "cap_sources/list.html"
    else:
        [context["row"]] = _rows([source], settings=settings, now=now, language=language)
        context["messages"] = [
            (
                message,
                describe_moment(
                    message.received_at, zone=settings.zone, now=now, translate=Translator(language)
                ),
            )
            for message in recent_messages(session, source_id=source.id or 0)
        ]
        template = "cap_sources/edit.html"
    return render(request, template, language=language, context=context, status_code=status_code)


@router.get("")
def sources(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AlertSourceAdminLogin,
) -> Response:
    return _page(request, session, settings, language, login, now=clock(), form=SourceForm())


@router.post("")
async def add_source(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AlertSourceAdminForm,
) -> Response:
    form = SourceForm.parse(await request.form())
    try:
        create_source(session, settings=form.settings(), actor=login_actor(login), now=clock())
    except InvalidContent as exc:
        error = explain(Translator(language), exc)
        return _page(
            request,
            session,
            settings,
            language,
            login,
            now=clock(),
            form=form,
            error=error,
            status_code=422,
        )
    return see_other("/admin/cap-sources?saved=true")


@router.get("/{source_id}")
def source_page(
    source_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AlertSourceAdminLogin,
) -> Response:
    source = find_source(session, source_id=source_id)
    return _page(
        request,
        session,
        settings,
        language,
        login,
        now=clock(),
        form=SourceForm.of(source),
        source=source,
    )


@router.post("/{source_id}")
async def save_source(
    source_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AlertSourceAdminForm,
) -> Response:
    source = find_source(session, source_id=source_id)
    form = SourceForm.parse(await request.form())
    try:
        update_source(
            session,
            source_id=source_id,
            expected_version=form.version,
            settings=form.settings(),
            actor=login_actor(login),
            now=clock(),
        )
    except (InvalidContent, StaleEdit) as exc:
        error = explain(Translator(language), exc)
        return _page(
            request,
            session,
            settings,
            language,
            login,
            now=clock(),
            form=form,
            source=source,
            error=error,
            status_code=409 if isinstance(exc, StaleEdit) else 422,
        )
    return see_other("/admin/cap-sources?saved=true")
