"""The event form: what an editor or moderator typed, kept as text so a refused form shows
it again, read into an EventDraft, or filled in from a stored event."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData

from server.admin.event_times import (
    WhenFields,
    all_day_fields,
    read_event_times,
    timed_fields,
)
from server.admin.forms import field as posted_field
from server.admin.forms import fields as posted_fields
from server.admin.text_fields import (
    TextFields,
    checked_titles,
    languages_left,
    posted_texts,
    stored_texts,
)
from server.i18n import Translator
from server.models import Event
from server.services.events import EventDraft


@dataclass(frozen=True)
class EventForm:
    """The fields of the event form, as typed (dates and times on the municipality's clock).

    `publish` is the editor's choice between approved (public) and a draft;
    `location_ids` and `location_tags` are the targets ticked, none for everywhere.
    """

    version: int | None = None
    texts: tuple[TextFields, ...] = ()
    when: WhenFields = field(default_factory=WhenFields)
    place: str = ""
    organiser: str = ""
    asset: str = ""
    location_ids: tuple[str, ...] = ()
    location_tags: tuple[str, ...] = ()
    publish: bool = True

    @property
    def languages_left(self) -> tuple[str, ...]:
        return languages_left(self.texts)

    @classmethod
    def blank(cls) -> EventForm:
        return cls(texts=(TextFields("sv"),))

    @classmethod
    def posted(cls, form: FormData) -> EventForm:
        version = posted_field(form, "version")
        return cls(
            version=int(version) if version.isdigit() else None,
            texts=posted_texts(form),
            when=WhenFields(
                all_day=bool(posted_field(form, "all_day")),
                starts_day=posted_field(form, "starts_day"),
                starts_time=posted_field(form, "starts_time"),
                ends_day=posted_field(form, "ends_day"),
                ends_time=posted_field(form, "ends_time"),
            ),
            place=posted_field(form, "place"),
            organiser=posted_field(form, "organiser"),
            asset=posted_field(form, "asset"),
            location_ids=tuple(posted_fields(form, "location")),
            location_tags=tuple(posted_fields(form, "tag")),
            publish=posted_field(form, "publish") != "draft",
        )

    @classmethod
    def of_event(cls, event: Event, *, zone: ZoneInfo) -> EventForm:
        """The form that shows `event` as stored."""
        if event.all_day and event.first_day is not None:
            when = all_day_fields(event.first_day, event.end_day)
        else:
            when = timed_fields(event.starts_at, event.ends_at, zone=zone)
        return cls(
            version=event.version,
            texts=stored_texts(event.texts),
            when=when,
            place=event.place,
            organiser=event.organiser,
            asset=event.asset_sha256 or "",
            location_ids=tuple(str(location_id) for location_id in event.location_ids),
            location_tags=tuple(event.location_tags),
            publish=event.status != "draft",
        )

    def draft(self, *, zone: ZoneInfo, translate: Translator) -> EventDraft:
        """The draft the form describes; FormProblem, in the reader's language, if unreadable."""
        times = read_event_times(self.when, zone=zone, translate=translate)
        return EventDraft(
            texts=checked_titles(self.texts, translate),
            all_day=times.all_day,
            starts_at=times.starts_at,
            ends_at=times.ends_at,
            first_day=times.first_day,
            end_day=times.end_day,
            place=self.place,
            organiser=self.organiser,
            asset_sha256=self.asset or None,
            location_ids=tuple(int(value) for value in self.location_ids if value.isdigit()),
            location_tags=self.location_tags,
        )
