"""The mail a submitter gets: a receipt with the status link, and the moderator's decision.

Each is written in the language the form was filled in.
"""

from __future__ import annotations

from server.i18n import LANGUAGES, Translator
from server.models import Event, EventSubmission
from server.services.mail import Mail
from server.services.naming import event_title


def receipt_mail(
    submission: EventSubmission, event: Event, *, status_url: str, municipality: str
) -> Mail:
    """Thanks, and the link to follow and edit the event, which only this mail holds."""
    translate = _translator(submission)
    title = event_title(event, (translate.language, "sv"))
    return Mail(
        to=submission.contact_email,
        subject=translate("We have received '%(title)s'", title=title),
        body=translate(
            "Hello %(name)s,\n\nthank you! Your event '%(title)s' now waits for a moderator. "
            "Follow it, and change it, here:\n%(link)s\n\nKeep this link: it is your key to "
            "the event.\n\n%(municipality)s",
            name=submission.contact_name,
            title=title,
            link=status_url,
            municipality=municipality,
        ),
    )


def decision_mail(
    submission: EventSubmission, event: Event, *, calendar_url: str, municipality: str
) -> Mail:
    """The moderator's decision: approved and in the calendar, or rejected and why."""
    translate = _translator(submission)
    title = event_title(event, (translate.language, "sv"))
    if event.status == "approved":
        return Mail(
            to=submission.contact_email,
            subject=translate("'%(title)s' is approved", title=title),
            body=translate(
                "Hello %(name)s,\n\nyour event '%(title)s' is approved and in the calendar:\n"
                "%(link)s\n\nTo change it, use the link in our first mail; the change is "
                "moderated again.\n\n%(municipality)s",
                name=submission.contact_name,
                title=title,
                link=calendar_url,
                municipality=municipality,
            ),
        )
    return Mail(
        to=submission.contact_email,
        subject=translate("'%(title)s' could not be approved", title=title),
        body=translate(
            "Hello %(name)s,\n\nyour event '%(title)s' could not be approved. The moderator "
            "wrote:\n\n%(reason)s\n\nYou can change the event with the link in our first mail "
            "and send it again.\n\n%(municipality)s",
            name=submission.contact_name,
            title=title,
            reason=event.rejection_reason,
            municipality=municipality,
        ),
    )


def _translator(submission: EventSubmission) -> Translator:
    return Translator(submission.language if submission.language in LANGUAGES else "sv")
