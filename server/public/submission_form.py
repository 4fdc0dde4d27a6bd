"""The public event form: what a submitter typed, kept as text so a refused form shows it
again, read into their contact details and an EventDraft, or filled in from their event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from server.admin.event_times import (
    WhenFields,
    all_day_fields,
    read_event_times,
    timed_fields,
)
from server.admin.text_fields import TextFields, checked_titles
from server.i18n import Translator
from server.models import Event, EventSubmission
from server.services.events import EventDraft
from server.services.languages import CONTENT_LANGUAGES
from server.services.submissions import Contact

# Filled in by programs that fill in every field; people never see it.
HONEYPOT_FIELD = "website"


@dataclass(frozen=True)
class SubmissionForm:
    """The fields as typed; `village` is a location tag, empty for the whole municipality."""

    contact_name: str = ""
    contact_email: str = ""
    association: str = ""
    language: str = "sv"
    title: str = ""
    body: str = ""
    when: WhenFields = field(default_factory=WhenFields)
    place: str = ""
    organiser: str = ""
    village: str = ""
    version: int | None = None

    @classmethod
    def blank(cls, *, language: str) -> SubmissionForm:
        return cls(language=language)

    @classmethod
    def posted(cls, fields: Mapping[str, str]) -> SubmissionForm:
        def text(name: str) -> str:
            return fields.get(name, "")

        language = text("language")
        version = text("version")
        return cls(
            contact_name=text("contact_name"),
            contact_email=text("contact_email"),
            association=text("association"),
            language=language if language in CONTENT_LANGUAGES else "sv",
            title=text("title"),
            body=text("body"),
            when=WhenFields(
                all_day=bool(text("all_day")),
                starts_day=text("starts_day"),
                starts_time=text("starts_time"),
                ends_day=text("ends_day"),
                ends_time=text("ends_time"),
            ),
            place=text("place"),
            organiser=text("organiser"),
            village=text("village"),
            version=int(version) if version.isdigit() else None,
        )

    @classmethod
    def of_submission(
        cls, submission: EventSubmission, event: Event, *, zone: ZoneInfo
    ) -> SubmissionForm:
        """The form that shows the submitter's event as it is stored now."""
        language = submission.language if submission.language in event.texts else ""
        language = language or next(iter(event.texts), "sv")
        text = event.texts.get(language, {})
        if event.all_day and event.first_day is not None:
            when = all_day_fields(event.first_day, event.end_day)
        else:
            when = timed_fields(event.starts_at, event.ends_at, zone=zone)
        return cls(
            contact_name=submission.contact_name,
            contact_email=submission.contact_email,
            association=submission.association,
            language=language,
            title=text.get("title", ""),
            body=text.get("body", ""),
            when=when,
            place=event.place,
            organiser=event.organiser,
            village=event.location_tags[0] if event.location_tags else "",
            version=event.version,
        )

    def contact(self) -> Contact:
        return Contact(self.contact_name, self.contact_email, self.association)

    def draft(
        self,
        *,
        zone: ZoneInfo,
        translate: Translator,
        villages: Sequence[str],
        stored: Event | None = None,
        picture: str | None = None,
    ) -> EventDraft:
        """The event the form describes; FormProblem, in the reader's language, if unreadable.

        Editing `stored`, the texts in other languages stay, and so do the targets a
        moderator set, unless the village was changed.
        """
        times = read_event_times(self.when, zone=zone, translate=translate)
        texts = dict(checked_titles((TextFields(self.language, self.title, self.body),), translate))
        if stored is not None:
            others = {
                code: (text.get("title", ""), text.get("body", ""))
                for code, text in stored.texts.items()
                if code != self.language
            }
            texts = {**others, **texts}
        village = self.village if self.village in villages else ""
        location_ids: Sequence[int] = ()
        tags: Sequence[str] = (village,) if village else ()
        if stored is not None and village == (stored.location_tags or [""])[0]:
            location_ids, tags = stored.location_ids, stored.location_tags
        return EventDraft(
            texts=texts,
            all_day=times.all_day,
            starts_at=times.starts_at,
            ends_at=times.ends_at,
            first_day=times.first_day,
            end_day=times.end_day,
            place=self.place,
            organiser=self.organiser,
            asset_sha256=picture or (stored.asset_sha256 if stored is not None else None),
            location_ids=location_ids,
            location_tags=tags,
        )
