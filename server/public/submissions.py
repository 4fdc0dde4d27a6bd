"""The public event form and each submitter's status page: send an event without an account,
follow what the moderator decides, edit it (which sends it back to moderation).

Spam is kept out without third-party services: the form's token (double submit),
a honeypot field people never see, a pace per address, and limits on the size
of every field and of the picture. Whatever anyone types is shown as text.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from server.admin.event_times import describe_when
from server.admin.forms import FormProblem, explain
from server.admin.pages import LanguageDep, site_url
from server.admin.security import client_address
from server.api.deps import ClockDep, SessionDep, SettingsDep, StorageDep
from server.api.errors import status_code_for
from server.api.uploads import ReceivedForm, received_form
from server.errors import AnslagError, EditedMeanwhile, NotFound, Refused, TooManyAttempts
from server.i18n import Translator
from server.i18n import marked as _
from server.models import Event, EventSubmission
from server.public.form_token import FORM_FIELD, form_token, form_token_matches, set_form_cookie
from server.public.pages import render
from server.public.submission_form import HONEYPOT_FIELD, SubmissionForm
from server.services.event_targets import villages
from server.services.events import check_event, find_event
from server.services.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES
from server.services.mail import mail_enabled, send_mail
from server.services.media import add_media, clean_name
from server.services.sniffing import sniff
from server.services.submission_mail import receipt_mail
from server.services.submissions import (
    check_contact,
    check_pace,
    edit_submission,
    find_submission,
    public_actor,
    submit_event,
)
from server.settings import Settings
from server.storage import MediaStorage

router = APIRouter(include_in_schema=False)

SUBMIT_PATH = "/calendar/submit"
# The form's fields, with room to spare; anything more is not our form.
MAX_FIELDS = 24
MEGABYTE = 1024 * 1024
# The status link is a key: it must not leak to other sites or into search engines.
PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


class _Forged(Exception):
    """A post without the token of the form it claims to come from."""


@router.get(SUBMIT_PATH)
def submission_page(
    request: Request, session: SessionDep, settings: SettingsDep, language: LanguageDep
) -> Response:
    return _form_page(request, session, settings, language, SubmissionForm.blank(language=language))


@router.post(SUBMIT_PATH)
async def submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    storage: StorageDep,
    language: LanguageDep,
    background: BackgroundTasks,
) -> Response:
    translate = Translator(language)
    seen: dict[str, str] = {}
    try:
        async with _received(request, settings, seen) as received:
            form = SubmissionForm.posted(received.fields)
            if received.fields.get(HONEYPOT_FIELD, "").strip():
                # Only a program fills in a field nobody sees; it is told what it hopes to hear.
                return render(request, "received.html", language=language, settings=settings)
            now = clock()
            known = villages(session)
            draft = form.draft(zone=settings.zone, translate=translate, villages=known)
            check_contact(form.contact())
            check_event(session, draft=draft, zone=settings.zone)
            address = client_address(request)
            check_pace(session, address=address, now=now, per_hour=settings.submissions_per_hour)
            picture = _picture(session, storage, received, form, now=now)
            submission, token = submit_event(
                session,
                contact=form.contact(),
                draft=replace(draft, asset_sha256=picture),
                address=address,
                language=language,
                zone=settings.zone,
                now=now,
                per_hour=settings.submissions_per_hour,
            )
    except _Forged:
        error = translate("The form had expired. Your text is still here: send it again.")
        return _form_page(request, session, settings, language, _kept(seen), error, 403)
    except FormProblem as problem:
        return _form_page(request, session, settings, language, _kept(seen), str(problem), 422)
    except TooManyAttempts as exc:
        minutes = max(1, exc.retry_after_s // 60)
        error = translate(
            "Many events have been sent from your connection this hour. Try again in "
            "%(minutes)d min.",
            minutes=minutes,
        )
        response = _form_page(request, session, settings, language, _kept(seen), error, 429)
        response.headers["Retry-After"] = str(exc.retry_after_s)
        return response
    except AnslagError as exc:
        error = explain(translate, exc)
        return _form_page(
            request, session, settings, language, _kept(seen), error, status_code_for(exc)
        )
    status_url = f"{site_url(request, settings)}/calendar/submissions/{token}"
    if mail_enabled(settings):
        assert submission.event is not None
        mail = receipt_mail(
            submission,
            submission.event,
            status_url=status_url,
            municipality=settings.municipality_name,
        )
        # After the response, and so after the commit: the mail never tells of an unsaved event.
        background.add_task(send_mail, settings, mail)
    return RedirectResponse(
        f"/calendar/submissions/{token}?sent=1", status_code=303, headers=PRIVATE_HEADERS
    )


@router.get("/calendar/submissions/{token}")
def status_page(
    token: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    sent: bool = False,
    saved: bool = False,
) -> Response:
    try:
        submission = find_submission(session, token=token)
    except NotFound:
        return _nowhere(request, settings, language)
    event = find_event(session, event_id=submission.event_id or 0)
    form = SubmissionForm.of_submission(submission, event, zone=settings.zone)
    notice = None
    if sent:
        notice = Translator(language)("Thank you! Your event now waits for a moderator.")
    elif saved:
        notice = Translator(language)("Saved. The moderator looks at the event again.")
    return _status_page(
        request, session, settings, language, submission, event, form, notice=notice
    )


@router.post("/calendar/submissions/{token}")
async def edit(
    token: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    storage: StorageDep,
    language: LanguageDep,
) -> Response:
    try:
        submission = find_submission(session, token=token)
    except NotFound:
        return _nowhere(request, settings, language)
    event = find_event(session, event_id=submission.event_id or 0)
    translate = Translator(language)
    seen: dict[str, str] = {}
    try:
        async with _received(request, settings, seen) as received:
            form = SubmissionForm.posted(received.fields)
            now = clock()
            draft = form.draft(
                zone=settings.zone, translate=translate, villages=villages(session), stored=event
            )
            check_contact(form.contact())
            check_event(session, draft=draft, zone=settings.zone)
            picture = _picture(session, storage, received, form, now=now)
            edit_submission(
                session,
                submission=submission,
                contact=form.contact(),
                draft=replace(draft, asset_sha256=picture or draft.asset_sha256),
                expected_version=form.version or 0,
                zone=settings.zone,
                now=now,
            )
    except _Forged:
        error = translate("The form had expired. Your text is still here: send it again.")
        return _status_page(
            request,
            session,
            settings,
            language,
            submission,
            event,
            _kept(seen),
            error=error,
            status_code=403,
        )
    except FormProblem as problem:
        return _status_page(
            request,
            session,
            settings,
            language,
            submission,
            event,
            _kept(seen),
            error=str(problem),
            status_code=422,
        )
    except EditedMeanwhile:
        session.refresh(event)
        error = translate(
            "The moderator changed the event while you were editing it. Your text is below; "
            "look it over and save again."
        )
        kept = replace(_kept(seen), version=event.version)
        return _status_page(
            request,
            session,
            settings,
            language,
            submission,
            event,
            kept,
            error=error,
            status_code=409,
        )
    except AnslagError as exc:
        return _status_page(
            request,
            session,
            settings,
            language,
            submission,
            event,
            _kept(seen),
            error=explain(translate, exc),
            status_code=status_code_for(exc),
        )
    return RedirectResponse(
        f"/calendar/submissions/{token}?saved=1", status_code=303, headers=PRIVATE_HEADERS
    )


@asynccontextmanager
async def _received(
    request: Request, settings: Settings, seen: dict[str, str]
) -> AsyncIterator[ReceivedForm]:
    """The posted form, once its token is known to be ours; `seen` keeps what was typed,
    so that a refusal, even of a picture too large to read, shows it again."""

    def before_file(fields: Mapping[str, str]) -> None:
        seen.update(fields)
        if not form_token_matches(request, fields.get(FORM_FIELD, "")):
            raise _Forged

    async with received_form(
        request,
        directory=settings.upload_dir,
        limit_bytes=settings.submission_image_mb * MEGABYTE,
        max_fields=MAX_FIELDS,
        before_file=before_file,
        keep_fields=True,
    ) as received:
        seen.update(received.fields)
        if not form_token_matches(request, received.fields.get(FORM_FIELD, "")):
            raise _Forged
        yield received


def _picture(
    session: Session,
    storage: MediaStorage,
    received: ReceivedForm,
    form: SubmissionForm,
    *,
    now: datetime,
) -> str | None:
    """The chosen picture, stored in the media library; None when none was chosen."""
    upload = received.upload
    if upload is None:
        return None
    if sniff(upload.path).family != "image":
        raise Refused(
            _("'%(name)s' is not a picture; choose a JPEG or PNG picture"),
            name=clean_name(upload.original_name),
        )
    asset, _new = add_media(
        session, storage, upload=upload, actor=public_actor(form.contact()), now=now
    )
    return asset.sha256


def _kept(seen: Mapping[str, str]) -> SubmissionForm:
    return SubmissionForm.posted(seen)


def _context(session: Session, settings: Settings, language: str) -> dict[str, Any]:
    translate = Translator(language)
    return {
        "villages": villages(session),
        "text_languages": [(code, translate(LANGUAGE_NAMES[code])) for code in CONTENT_LANGUAGES],
        "max_mb": settings.submission_image_mb,
        "honeypot": HONEYPOT_FIELD,
    }


def _form_page(
    request: Request,
    session: Session,
    settings: Settings,
    language: str,
    form: SubmissionForm,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    token = form_token(request)
    response = render(
        request,
        "submit.html",
        language=language,
        settings=settings,
        context={
            **_context(session, settings, language),
            "form": form,
            "error": error,
            "form_token": token,
        },
        status_code=status_code,
    )
    set_form_cookie(response, request, token)
    return response


def _status_page(
    request: Request,
    session: Session,
    settings: Settings,
    language: str,
    submission: EventSubmission,
    event: Event,
    form: SubmissionForm,
    *,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    token = form_token(request)
    response = render(
        request,
        "submission.html",
        language=language,
        settings=settings,
        context={
            **_context(session, settings, language),
            "submission": submission,
            "event": event,
            "when": describe_when(event, zone=settings.zone, language=language),
            "form": form,
            "notice": notice,
            "error": error,
            "form_token": token,
            "link": str(request.url.remove_query_params(["sent", "saved", "lang"])),
        },
        status_code=status_code,
    )
    set_form_cookie(response, request, token)
    response.headers.update(PRIVATE_HEADERS)
    return response


def _nowhere(request: Request, settings: Settings, language: str) -> Response:
    response = render(
        request, "nowhere.html", language=language, settings=settings, status_code=404
    )
    response.headers.update(PRIVATE_HEADERS)
    return response
