"""Events sent in through the public form: who sent them, their status link, and the pace.

A submission is an event with status pending and origin submission, plus
who sent it. The sender gets a status link holding a token we only keep
hashed; with it they see what the moderator decided, and edit the event, which
sends it back to moderation (an approved one too). Each address may submit a
few events an hour.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from server.errors import NotFound, Refused, TooManyAttempts
from server.i18n import marked as _
from server.models import Event, EventSubmission
from server.services.events import EventDraft, create_event, update_event
from server.services.permissions import Actor

RATE_WINDOW = timedelta(hours=1)
CONTACT_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
# Enough to tell a typing mistake from an address; the mail server has the last word.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Contact:
    """Who sends the event: a name and an email address for questions, an association."""

    name: str
    email: str
    association: str = ""


def public_actor(contact: Contact) -> Actor:
    """The sender as the log names them: no account, their own words for who they are."""
    return Actor(user_id=None, name=f"{contact.name.strip()} via the public form", role="public")


def submit_event(
    session: Session,
    *,
    contact: Contact,
    draft: EventDraft,
    address: str,
    language: str,
    zone: ZoneInfo,
    now: datetime,
    per_hour: int,
) -> tuple[EventSubmission, str]:
    """A pending event and its submission; the token of its status link, shown this once.

    TooManyAttempts when `address` has sent `per_hour` events within the last hour.
    """
    check_pace(session, address=address, now=now, per_hour=per_hour)
    checked = _checked_contact(contact)
    event = create_event(
        session,
        draft=draft,
        status="pending",
        origin="submission",
        zone=zone,
        actor=public_actor(checked),
        now=now,
    )
    token = secrets.token_urlsafe(32)
    submission = EventSubmission(
        event=event,
        event_id=event.id,
        contact_name=checked.name,
        contact_email=checked.email,
        association=checked.association,
        token_hash=hash_status_token(token),
        address=address[:64],
        language=language,
        created_at=now,
        updated_at=now,
    )
    session.add(submission)
    session.flush()
    return submission, token


def check_pace(session: Session, *, address: str, now: datetime, per_hour: int) -> None:
    """TooManyAttempts when `address` has sent `per_hour` events within the last hour."""
    within = (
        EventSubmission.address == address[:64],
        col(EventSubmission.created_at) > now - RATE_WINDOW,
    )
    recent = session.exec(select(func.count()).select_from(EventSubmission).where(*within)).one()
    if recent < per_hour:
        return
    first = session.exec(select(func.min(EventSubmission.created_at)).where(*within)).one()
    wait = first + RATE_WINDOW - now if first is not None else RATE_WINDOW
    raise TooManyAttempts(
        f"{address} has sent {recent} events within the hour",
        retry_after_s=max(60, int(wait.total_seconds())),
    )


def check_contact(contact: Contact) -> None:
    """Refused when the sender's details could not be saved."""
    _checked_contact(contact)


def find_submission(session: Session, *, token: str) -> EventSubmission:
    """The submission whose status link holds `token`; NotFound for any other token."""
    submission = session.exec(
        select(EventSubmission).where(EventSubmission.token_hash == hash_status_token(token))
    ).first()
    if submission is None:
        raise NotFound("no submission has that status link (or its event was deleted)")
    return submission


def submission_of(session: Session, *, event_id: int) -> EventSubmission | None:
    return session.exec(select(EventSubmission).where(EventSubmission.event_id == event_id)).first()


def edit_submission(
    session: Session,
    *,
    submission: EventSubmission,
    contact: Contact,
    draft: EventDraft,
    expected_version: int,
    zone: ZoneInfo,
    now: datetime,
) -> Event:
    """The sender's edit, which sends the event back to moderation whatever its status was."""
    checked = _checked_contact(contact)
    assert submission.event_id is not None  # a stored submission has its event
    event = update_event(
        session,
        event_id=submission.event_id,
        draft=draft,
        expected_version=expected_version,
        zone=zone,
        actor=public_actor(checked),
        now=now,
        status="pending",
    )
    submission.contact_name = checked.name
    submission.contact_email = checked.email
    submission.association = checked.association
    submission.updated_at = now
    session.add(submission)
    session.flush()
    return event


def pending_submissions(session: Session) -> list[tuple[Event, EventSubmission]]:
    """Events waiting for a moderator, the longest waiting first, with who sent them."""
    rows = session.exec(
        select(Event, EventSubmission)
        .join(EventSubmission, col(EventSubmission.event_id) == col(Event.id))
        .where(Event.status == "pending")
        .order_by(col(EventSubmission.updated_at), col(Event.id))
    ).all()
    return [(event, submission) for event, submission in rows]


def decided_submissions(
    session: Session, *, limit: int = 10
) -> list[tuple[Event, EventSubmission]]:
    """The latest submissions a moderator approved or rejected, newest first."""
    rows = session.exec(
        select(Event, EventSubmission)
        .join(EventSubmission, col(EventSubmission.event_id) == col(Event.id))
        .where(col(Event.status).in_(("approved", "rejected")))
        .order_by(col(Event.updated_at).desc(), col(Event.id).desc())
        .limit(limit)
    ).all()
    return [(event, submission) for event, submission in rows]


def hash_status_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _checked_contact(contact: Contact) -> Contact:
    name, email = contact.name.strip(), contact.email.strip()
    association = contact.association.strip()
    if not name:
        raise Refused(_("Write your name, so that the moderator knows who sent the event"))
    if not _EMAIL.fullmatch(email) or len(email) > EMAIL_MAX_LENGTH:
        raise Refused(
            _("'%(email)s' does not look like an email address; write it as name@example.se"),
            email=email[:60],
        )
    if len(name) > CONTACT_MAX_LENGTH or len(association) > CONTACT_MAX_LENGTH:
        raise Refused(
            _("Your name and the association may have at most %(count)d characters each"),
            count=CONTACT_MAX_LENGTH,
        )
    return Contact(name, email, association)
