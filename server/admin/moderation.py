"""The moderators' pages: the queue of events sent in through the public form, and the review
where a moderator approves one (after editing it, if need be) or rejects it with a reason.

The submitter hears of the decision by mail when the installation sends mail,
and on their status page either way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Response
from sqlmodel import col, select

from server.admin.editing import EditorPage, ModeratorFormDep, ModeratorPageDep
from server.admin.event_form import EventForm
from server.admin.event_times import describe_when
from server.admin.forms import FormProblem, describe_day_and_time, explain, field, see_other
from server.admin.pages import site_url
from server.admin.text_fields import language_change
from server.api.deps import ClockDep
from server.api.errors import status_code_for
from server.errors import AnslagError, EditedMeanwhile, NotFound
from server.models import Event, EventSubmission, Location
from server.services.event_targets import target_names, villages
from server.services.events import find_event, set_status, update_event
from server.services.languages import LANGUAGE_NAMES
from server.services.mail import mail_enabled, send_mail
from server.services.media import media_library
from server.services.naming import event_title
from server.services.permissions import login_actor
from server.services.submission_mail import decision_mail
from server.services.submissions import decided_submissions, pending_submissions, submission_of

router = APIRouter(prefix="/admin/moderation", include_in_schema=False)


@dataclass(frozen=True)
class Row:
    """A submitted event as the queue lists it."""

    event: Event
    submission: EventSubmission
    title: str
    when: str
    sent: str
    targets: tuple[str, ...]


@router.get("")
def queue(page: ModeratorPageDep, decided: str = "", title: str = "") -> Response:
    locations = _locations(page)
    notice = None
    if decided == "approved":
        notice = page.translate("'%(title)s' is approved and public.", title=title)
    elif decided == "rejected":
        notice = page.translate("'%(title)s' was rejected.", title=title)
    return page.render(
        "moderation/queue.html",
        {
            "waiting": [
                _row(page, event, sent, locations)
                for event, sent in pending_submissions(page.session)
            ],
            "decided": [
                _row(page, event, sent, locations)
                for event, sent in decided_submissions(page.session)
            ],
            "notice": notice,
        },
    )


@router.get("/{event_id}")
def review(event_id: int, page: ModeratorPageDep) -> Response:
    try:
        event = find_event(page.session, event_id=event_id)
    except NotFound:
        return page.missing(back="/admin/moderation")
    return _review(page, event, EventForm.of_event(event, zone=page.settings.zone))


@router.post("/{event_id}")
async def decide(
    event_id: int, page: ModeratorFormDep, clock: ClockDep, background: BackgroundTasks
) -> Response:
    try:
        event = find_event(page.session, event_id=event_id)
    except NotFound:
        return page.missing(back="/admin/moderation")
    posted = await page.request.form()
    form = EventForm.posted(posted)
    changed = language_change(form, posted)
    if changed is not None:
        return _review(page, event, changed)
    action, reason = field(posted, "action"), field(posted, "reason")
    zone, translate, actor = page.settings.zone, page.translate, login_actor(page.login)
    try:
        if action == "reject":
            set_status(
                page.session,
                event_id=event_id,
                status="rejected",
                expected_version=form.version or 0,
                actor=actor,
                now=clock(),
                reason=reason,
            )
        else:
            # Approving saves the moderator's edits with it, as one version.
            update_event(
                page.session,
                event_id=event_id,
                draft=form.draft(zone=zone, translate=translate),
                expected_version=form.version or 0,
                zone=zone,
                actor=actor,
                now=clock(),
                status="approved",
                action="approve",
            )
    except FormProblem as problem:
        return _review(page, event, form, reason=reason, error=str(problem), status_code=422)
    except EditedMeanwhile as exc:
        current = find_event(page.session, event_id=event_id)
        kept = replace(form, version=current.version)
        return _review(
            page, current, kept, reason=reason, error=explain(translate, exc), status_code=409
        )
    except AnslagError as exc:
        error = explain(translate, exc)
        return _review(
            page, event, form, reason=reason, error=error, status_code=status_code_for(exc)
        )
    submission = submission_of(page.session, event_id=event_id)
    if submission is not None and mail_enabled(page.settings):
        mail = decision_mail(
            submission,
            event,
            calendar_url=f"{site_url(page.request, page.settings)}/calendar",
            municipality=page.settings.municipality_name,
        )
        # After the response, and so after the commit.
        background.add_task(send_mail, page.settings, mail)
    query = urlencode({"decided": event.status, "title": event_title(event)})
    return see_other(f"/admin/moderation?{query}")


def _locations(page: EditorPage) -> list[Location]:
    return list(page.session.exec(select(Location).order_by(col(Location.name))))


def _row(
    page: EditorPage, event: Event, submission: EventSubmission, locations: list[Location]
) -> Row:
    zone, translate = page.settings.zone, page.translate
    return Row(
        event=event,
        submission=submission,
        title=event_title(event),
        when=describe_when(event, zone=zone, language=page.language),
        sent=describe_day_and_time(submission.updated_at, zone=zone, translate=translate),
        targets=tuple(target_names(event, locations)),
    )


def _review(
    page: EditorPage,
    event: Event,
    form: EventForm,
    *,
    reason: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    translate = page.translate
    submission = submission_of(page.session, event_id=event.id or 0)
    context = {
        "event": event,
        "title": event_title(event),
        "submission": submission,
        "sent": (
            describe_day_and_time(
                submission.updated_at, zone=page.settings.zone, translate=translate
            )
            if submission is not None
            else ""
        ),
        "form": form,
        "reason": reason,
        "error": error,
        "library": [entry.asset for entry in media_library(page.session, kind="image")],
        "language_names": {code: translate(name) for code, name in LANGUAGE_NAMES.items()},
        "locations": _locations(page),
        "villages": sorted({*villages(page.session), *form.location_tags}),
        "timezone": page.settings.timezone,
    }
    return page.render("moderation/review.html", context, status_code=status_code)
