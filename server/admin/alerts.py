"""The duty officer's pages: raise an alert from a template, see its reach, follow it up, end it."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from server.admin.alert_deliveries import REFRESH_MS, delivery_panel, shows_deliveries
from server.admin.forms import explain
from server.admin.location_form import language_names
from server.admin.pages import LanguageDep, render, user_context
from server.admin.security import AlertOperatorForm, AlertOperatorLogin
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.cap.geometry import check_radius, read_circle, read_polygon, write_polygon
from server.errors import AnslagError, Conflict, InvalidContent, NotFound, Refused, StaleEdit
from server.i18n import Translator
from server.i18n import marked as _
from server.models import Alert, Location, LoginSession
from server.services.alert_areas import AlertTarget, Circle
from server.services.alert_templates import TEMPLATES, find_template
from server.services.alerts import (
    SEVERITIES,
    AlertContent,
    alert_reach,
    end_alert,
    raise_alert,
    recent_alerts,
    update_alert,
)
from server.services.permissions import login_actor
from server.settings import Settings

router = APIRouter(prefix="/admin/alerts", tags=["admin"], include_in_schema=False)

PRIMARY_LANGUAGE = "sv"
# A second language the notice may also be written in, named in Swedish and English.
EXTRA_LANGUAGES = ("en", "fit", "se", "fi", "nb")
RECENTLY_ENDED = timedelta(days=2)
HEADLINE_MAX_LENGTH = 200  # as the wire format allows
_PARAGRAPHS = re.compile(r"\n\s*\n")


@dataclass
class AlertForm:
    """The form as the operator filled it in; kept whole when something is refused."""

    headline: str = ""
    description: str = ""
    instruction: str = ""
    extra_language: str = ""
    extra_headline: str = ""
    extra_description: str = ""
    extra_instruction: str = ""
    severity: str = "severe"
    exercise: bool = False
    everywhere: bool = False
    locations: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    codes: str = ""
    # Polygons as latitude,longitude pairs, one polygon per paragraph; a circle's centre as
    # "latitude,longitude" (the form offers the locations) and its radius in kilometres.
    polygon: str = ""
    circle_centre: str = ""
    circle_radius: str = ""
    hours: str = ""
    version: int = 0

    @classmethod
    def parse(cls, form: FormData) -> AlertForm:
        def text(name: str) -> str:
            value = form.get(name)
            return value.strip() if isinstance(value, str) else ""

        version = text("version")
        return cls(
            headline=text("headline"),
            description=text("description"),
            instruction=text("instruction"),
            extra_language=text("extra_language"),
            extra_headline=text("extra_headline"),
            extra_description=text("extra_description"),
            extra_instruction=text("extra_instruction"),
            severity=text("severity"),
            exercise=text("exercise") == "on",
            everywhere=text("target") == "everywhere",
            locations=[value for value in form.getlist("locations") if isinstance(value, str)],
            tags=[value for value in form.getlist("tags") if isinstance(value, str)],
            codes=text("codes"),
            polygon=text("polygon"),
            circle_centre=text("circle_centre"),
            circle_radius=text("circle_radius"),
            hours=text("hours"),
            version=int(version) if version.isdigit() else 0,
        )

    @classmethod
    def of(cls, alert: Alert, *, now: datetime) -> AlertForm:
        texts = dict(alert.texts)
        primary = texts.pop(PRIMARY_LANGUAGE, {})
        extra_language, extra = next(iter(texts.items()), ("", {}))
        target = AlertTarget.model_validate(alert.target)
        left = max(alert.expires_at - now, timedelta(hours=1))
        circle = next(iter(target.circles), None)
        return cls(
            headline=primary.get("headline", ""),
            description=primary.get("description", ""),
            instruction=primary.get("instruction", ""),
            extra_language=extra_language,
            extra_headline=extra.get("headline", ""),
            extra_description=extra.get("description", ""),
            extra_instruction=extra.get("instruction", ""),
            severity=alert.severity,
            exercise=alert.status == "exercise",
            everywhere=target.everywhere,
            locations=list(target.locations),
            tags=list(target.tags),
            codes=" ".join(target.codes),
            polygon="\n\n".join(write_polygon(ring) for ring in target.polygons),
            circle_centre=f"{circle.latitude!r},{circle.longitude!r}" if circle else "",
            circle_radius=f"{circle.radius_km:g}" if circle else "",
            hours=f"{left.total_seconds() / 3600:g}",
            version=alert.version,
        )

    def target(self) -> AlertTarget:
        """Where the alert applies; Refused when the operator chose nowhere or a bad code."""
        codes = tuple(self.codes.replace(",", " ").split())
        if any(not code.isdigit() or len(code) not in (2, 4) for code in codes):
            raise Refused(_("An area code is 2 digits (county) or 4 digits (municipality)."))
        polygons = tuple(
            read_polygon(text, fix_swapped=False)[0]
            for text in _PARAGRAPHS.split(self.polygon)
            if text.strip()
        )
        circles = (self._circle(),) if self.circle_centre or self.circle_radius else ()
        if not (self.everywhere or self.locations or self.tags or codes or polygons or circles):
            raise Refused(
                _("Choose where the alert applies: everywhere, places, villages or codes.")
            )
        return AlertTarget(
            everywhere=self.everywhere,
            locations=tuple(self.locations),
            tags=tuple(self.tags),
            codes=codes,
            polygons=polygons,
            circles=circles,
        )

    def _circle(self) -> Circle:
        if not self.circle_centre:
            raise Refused(_("Choose the place at the centre of the circle."))
        try:
            radius = float(self.circle_radius.replace(",", "."))
        except ValueError:
            raise Refused(
                _("A circle's radius is more than 0 and at most 2000 kilometres.")
            ) from None
        shape, _swapped = read_circle(
            f"{self.circle_centre} {check_radius(radius)}", fix_swapped=False
        )
        return Circle(latitude=shape.latitude, longitude=shape.longitude, radius_km=shape.radius_km)

    def content(self, *, now: datetime, default_hours: float) -> AlertContent:
        if not self.headline or len(self.headline) > HEADLINE_MAX_LENGTH:
            raise Refused(_("Write a headline of at most 200 characters."))
        texts = {PRIMARY_LANGUAGE: (self.headline, self.description, self.instruction)}
        if self.extra_language in EXTRA_LANGUAGES and self.extra_headline:
            texts[self.extra_language] = (
                self.extra_headline,
                self.extra_description,
                self.extra_instruction,
            )
        lasts = _("Give how long the alert lasts in hours, at most two weeks.")
        try:
            hours = float(self.hours.replace(",", ".")) if self.hours else default_hours
        except ValueError:
            raise Refused(lasts) from None
        if not 0 < hours <= 24 * 14:
            raise Refused(lasts)
        return AlertContent(
            texts=texts,
            severity=self.severity,
            target=self.target(),
            expires_at=now + timedelta(hours=hours),
            status="exercise" if self.exercise else "actual",
        )


def _refusal(translate: Translator, error: Exception) -> str:
    if isinstance(error, StaleEdit):
        return translate(
            "Someone else updated this alert while you wrote. Read the current text below, "
            "then send your update again."
        )
    if isinstance(error, Conflict):
        return translate("This alert has already ended. Raise a new one instead.")
    # The form's own refusals are written to be translated; the services' (a text in the
    # second language too long, say) are shown as they are worded.
    return explain(translate, error) if isinstance(error, AnslagError) else str(error)


def _choices(session: Session) -> dict[str, object]:
    locations = session.exec(select(Location).order_by(col(Location.name))).all()
    tags = sorted({tag for location in locations for tag in location.tags})
    return {"locations": locations, "tags": tags, "extra_languages": EXTRA_LANGUAGES}


def _form_page(
    request: Request,
    session: Session,
    settings: Settings,
    language: str,
    login: LoginSession,
    *,
    form: AlertForm,
    alert: Alert | None = None,
    preview: AlertContent | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    reach = None
    if preview is not None:
        reach = alert_reach(session, target=preview.target, status=preview.status)
    deliveries = None
    if alert is not None and shows_deliveries(alert):
        deliveries = delivery_panel(session, alert=alert, translate=Translator(language))
    return render(
        request,
        "alerts/form.html",
        language=language,
        context={
            **user_context(login),
            "section": "alerts",
            **_choices(session),
            "form": form,
            "alert": alert,
            "preview": preview,
            "reach": reach,
            "deliveries": deliveries,
            "refresh_ms": REFRESH_MS,
            "error": error,
            "severities": SEVERITIES,
            "templates": TEMPLATES,
            "default_hours": f"{settings.alert_lifetime_hours:g}",
            "sender_name": settings.municipality_name,
            "language_names": language_names(Translator(language)),
        },
        status_code=status_code,
    )


@router.get("")
def alerts(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AlertOperatorLogin,
) -> Response:
    now = clock()
    rows = [
        {
            "alert": alert,
            "headline": alert.texts.get(PRIMARY_LANGUAGE, next(iter(alert.texts.values()), {})).get(
                "headline", ""
            ),
            "sent": alert.sent_at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M"),
            "expires": alert.expires_at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M"),
            "live": alert.ended_at is None and alert.expires_at > now,
        }
        for alert in recent_alerts(session, now=now, ended_within=RECENTLY_ENDED)
    ]
    return render(
        request,
        "alerts/list.html",
        language=language,
        context={**user_context(login), "section": "alerts", "rows": rows, "templates": TEMPLATES},
    )


@router.get("/new")
def new_alert(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: AlertOperatorLogin,
    template: str | None = None,
) -> Response:
    form = AlertForm(hours=f"{settings.alert_lifetime_hours:g}")
    chosen = find_template(template)
    if chosen is not None:
        form.severity = chosen.severity
        form.headline, form.description, form.instruction = chosen.texts[PRIMARY_LANGUAGE]
        form.extra_language = "en"
        form.extra_headline, form.extra_description, form.extra_instruction = chosen.texts["en"]
    return _form_page(request, session, settings, language, login, form=form)


@router.post("/new")
async def send_new_alert(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AlertOperatorForm,
) -> Response:
    posted = await request.form()
    form = AlertForm.parse(posted)
    now = clock()
    try:
        content = form.content(now=now, default_hours=settings.alert_lifetime_hours)
        if posted.get("action") != "send":
            return _form_page(
                request, session, settings, language, login, form=form, preview=content
            )
        alert = raise_alert(
            session,
            content=content,
            sender=settings.alert_sender,
            sender_name=settings.municipality_name,
            actor=login_actor(login),
            now=now,
        )
    except InvalidContent as exc:
        error = _refusal(Translator(language), exc)
        return _form_page(
            request, session, settings, language, login, form=form, error=error, status_code=422
        )
    return RedirectResponse(f"/admin/alerts/{alert.id}?sent=true", status_code=303)


def _alert(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert with id {alert_id}")
    return alert


@router.get("/{alert_id}")
def follow_up(
    alert_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AlertOperatorLogin,
) -> Response:
    alert = _alert(session, alert_id)
    form = AlertForm.of(alert, now=clock())
    content = form.content(now=clock(), default_hours=settings.alert_lifetime_hours)
    return _form_page(
        request, session, settings, language, login, form=form, alert=alert, preview=content
    )


@router.post("/{alert_id}")
async def send_update(
    alert_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AlertOperatorForm,
) -> Response:
    alert = _alert(session, alert_id)
    posted = await request.form()
    form = AlertForm.parse(posted)
    now = clock()
    try:
        content = form.content(now=now, default_hours=settings.alert_lifetime_hours)
        if posted.get("action") != "send":
            return _form_page(
                request, session, settings, language, login, form=form, alert=alert, preview=content
            )
        update_alert(
            session,
            alert_id=alert_id,
            expected_version=form.version,
            content=content,
            actor=login_actor(login),
            now=now,
        )
    except (InvalidContent, Conflict) as exc:
        error = _refusal(Translator(language), exc)
        status_code = 409 if isinstance(exc, Conflict) else 422
        return _form_page(
            request,
            session,
            settings,
            language,
            login,
            form=form,
            alert=alert,
            error=error,
            status_code=status_code,
        )
    return RedirectResponse(f"/admin/alerts/{alert_id}?sent=true", status_code=303)


@router.post("/{alert_id}/end")
async def end(
    alert_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    login: AlertOperatorForm,
) -> Response:
    posted = await request.form()
    all_clear = posted.get("how") == "all_clear"
    # Ended already, perhaps by a colleague: the list shows how.
    with contextlib.suppress(Conflict):
        end_alert(
            session,
            alert_id=alert_id,
            all_clear_for=timedelta(minutes=settings.all_clear_minutes) if all_clear else None,
            actor=login_actor(login),
            now=clock(),
        )
    return RedirectResponse("/admin/alerts", status_code=303)
