"""The item form: what an editor typed, kept as text so a refused form shows it again,
read into an ItemDraft, or filled in from a stored item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData

from server.admin.event_times import WhenFields, read_event_times
from server.admin.forms import FormProblem, local_midnight, moment_fields, parse_moment
from server.admin.text_fields import (
    TextFields,
    checked_titles,
    languages_left,
    posted_texts,
    stored_texts,
)
from server.i18n import Translator
from server.models import Item
from server.services.items import Fit, ItemDraft, ItemKind, event_over

FITS: tuple[Fit, ...] = ("fill", "fit")


@dataclass(frozen=True)
class ItemForm:
    """The fields of the item form, as typed (dates and times on the municipality's clock)."""

    kind: ItemKind
    version: int | None = None
    duration: str = ""
    asset: str = ""
    fit: str = ""
    loop: bool = False
    sound: bool = False
    texts: tuple[TextFields, ...] = ()
    starts_day: str = ""
    starts_time: str = ""
    ends_day: str = ""
    ends_time: str = ""
    all_day: bool = False
    place: str = ""
    organiser: str = ""
    from_day: str = ""
    from_time: str = ""
    until_day: str = ""
    until_time: str = ""

    @property
    def languages_left(self) -> tuple[str, ...]:
        """Languages the editor may still add, in the order the admin offers them."""
        return languages_left(self.texts)

    @property
    def has_texts(self) -> bool:
        return self.kind in ("text", "event")

    @classmethod
    def blank(cls, kind: ItemKind, *, asset: str = "") -> ItemForm:
        """A new item's form: Swedish to write in, a picture chosen when one was given."""
        texts = (TextFields("sv"),) if kind in ("text", "event") else ()
        return cls(kind=kind, asset=asset, texts=texts, fit="fit" if kind == "video" else "fill")

    @classmethod
    def posted(cls, form: FormData, *, kind: ItemKind) -> ItemForm:
        def text(name: str) -> str:
            value = form.get(name, "")
            return value if isinstance(value, str) else ""

        version = text("version")
        return cls(
            kind=kind,
            version=int(version) if version.isdigit() else None,
            duration=text("duration"),
            asset=text("asset"),
            fit=text("fit"),
            loop=bool(text("loop")),
            sound=bool(text("sound")),
            texts=posted_texts(form),
            starts_day=text("starts_day"),
            starts_time=text("starts_time"),
            ends_day=text("ends_day"),
            ends_time=text("ends_time"),
            all_day=bool(text("all_day")),
            place=text("place"),
            organiser=text("organiser"),
            from_day=text("from_day"),
            from_time=text("from_time"),
            until_day=text("until_day"),
            until_time=text("until_time"),
        )

    @classmethod
    def of_item(cls, item: Item, *, zone: ZoneInfo) -> ItemForm:
        """The form that shows `item` as stored; defaults the editor did not choose stay empty."""
        kind = cast(ItemKind, item.kind)
        clip = item.asset.duration_s if item.asset is not None else None
        duration = "" if kind == "video" and item.duration_s == clip else _number(item.duration_s)
        valid_until = item.valid_until
        starts_day = starts_time = ends_day = ends_time = ""
        if item.starts_at is not None:
            if valid_until == event_over(item.starts_at, item.ends_at, zone=zone):
                valid_until = None  # "until the event is over", not a date the editor typed
            starts_day, starts_time = moment_fields(item.starts_at, zone=zone)
            ends_day, ends_time = moment_fields(item.ends_at, zone=zone, until=item.all_day)
            if item.all_day:
                starts_time = ends_time = ""
        from_day, from_time = moment_fields(item.valid_from, zone=zone)
        until_day, until_time = moment_fields(valid_until, zone=zone, until=True)
        return cls(
            kind=kind,
            version=item.version,
            duration=duration,
            asset=item.asset_sha256 or "",
            fit=item.fit,
            loop=item.loop,
            sound=not item.muted,
            texts=stored_texts(item.texts),
            starts_day=starts_day,
            starts_time=starts_time,
            ends_day=ends_day,
            ends_time=ends_time,
            all_day=item.all_day,
            place=item.place,
            organiser=item.organiser,
            from_day=from_day,
            from_time=from_time,
            until_day=until_day,
            until_time=until_time,
        )

    def draft(self, *, zone: ZoneInfo, translate: Translator) -> ItemDraft:
        """The draft the form describes; FormProblem, in the reader's language, if unreadable."""
        starts_at, ends_at = self._event_times(zone=zone, translate=translate)
        texts = checked_titles(self.texts, translate)
        return ItemDraft(
            kind=self.kind,
            duration_s=self._duration(translate),
            valid_from=parse_moment(self.from_day, self.from_time, zone=zone, translate=translate),
            valid_until=parse_moment(
                self.until_day, self.until_time, zone=zone, translate=translate, until=True
            ),
            asset_sha256=self.asset or None,
            fit=self.fit if self.fit in FITS else None,
            loop=self.loop,
            muted=not self.sound,
            texts=texts,
            starts_at=starts_at,
            ends_at=ends_at,
            all_day=self.all_day,
            place=self.place,
            organiser=self.organiser,
        )

    def _duration(self, translate: Translator) -> float | None:
        typed = self.duration.strip().replace(",", ".")
        if not typed:
            return None
        try:
            return float(typed)
        except ValueError:
            raise FormProblem(
                translate("'%(value)s' is not a number of seconds.", value=self.duration)
            ) from None

    def _event_times(
        self, *, zone: ZoneInfo, translate: Translator
    ) -> tuple[datetime | None, datetime | None]:
        if self.kind != "event":
            return None, None
        when = WhenFields(
            self.all_day, self.starts_day, self.starts_time, self.ends_day, self.ends_time
        )
        times = read_event_times(when, zone=zone, translate=translate)
        if times.first_day is not None and times.end_day is not None:
            # Midnight to midnight; the end is the morning after the last day.
            return local_midnight(times.first_day, zone), local_midnight(times.end_day, zone)
        return times.starts_at, times.ends_at


def _number(value: float) -> str:
    return f"{value:g}"
