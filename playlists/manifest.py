"""The manifest: the versioned wire format that tells one screen what to show for the coming days.

The server assembles a manifest per location and the player evaluates it with
`playlists.schedule`, so the two sides agree on what plays when, offline too.
Every model is frozen and forbids unknown fields: a manifest that does not
validate is rejected whole, and the player keeps its last good one.

All instants are timezone-aware and normalised to UTC on the wire. Wall-clock
rules (weekdays, time-of-day windows) are local to the location's time zone.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, time
from typing import Annotated, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_serializer,
    field_validator,
    model_validator,
)

MANIFEST_VERSION: Final = 1

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Identifier = Annotated[str, StringConstraints(min_length=1, max_length=64)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]


def _require_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must carry a time zone (naive times are ambiguous)")
    return value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_require_utc)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Validity(_Model):
    """A half-open window [valid_from, valid_until); an open end means unbounded."""

    valid_from: UtcDatetime | None = None
    valid_until: UtcDatetime | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Validity:
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        return self

    def contains(self, moment: datetime) -> bool:
        if self.valid_from is not None and moment < self.valid_from:
            return False
        return self.valid_until is None or moment < self.valid_until


class OpeningHours(_Model):
    """The screen is on from `opens` to `closes` (local wall clock) on ISO `weekday`.

    A `closes` that is not after `opens` runs past midnight, like an assignment window.
    """

    weekday: int = Field(ge=1, le=7)
    opens: time
    closes: time

    @model_validator(mode="after")
    def _local(self) -> OpeningHours:
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("opens and closes are local wall-clock times")
        return self


class LocationInfo(_Model):
    """The place a screen stands: its zone, languages and opening hours.

    `language_mode` says how an item in several display languages is shown:
    "alternate" gives each language the screen in turn, "both" shows them together.
    No `opening_hours` means the screen stays on around the clock.
    """

    id: Identifier
    name: str
    timezone: str
    # Display languages in order of preference; the first is the primary one.
    languages: tuple[LanguageCode, ...] = Field(min_length=1)
    language_mode: Literal["alternate", "both"] = "both"
    opening_hours: tuple[OpeningHours, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class AssetRef(_Model):
    """A file the screen needs, addressed by the sha256 of its bytes."""

    sha256: Sha256
    size: int = Field(ge=0)
    media_type: str


class LocalizedText(_Model):
    title: str = Field(max_length=300)
    body: str = Field(default="", max_length=4000)


class _ItemBase(_Model):
    id: Identifier
    duration_s: float = Field(gt=0, le=24 * 3600)
    validity: Validity = Validity()


class ImageItem(_ItemBase):
    kind: Literal["image"] = "image"
    asset: Sha256
    fit: Literal["fill", "fit"] = "fill"


class VideoItem(_ItemBase):
    """A video clip, muted unless `muted` is false.

    Played once, the slot lasts the clip's length (`duration_s` is that length as
    measured at upload, a fallback when the player cannot tell); with `loop`, the
    clip repeats until `duration_s` is up.
    """

    kind: Literal["video"] = "video"
    asset: Sha256
    fit: Literal["fill", "fit"] = "fit"
    loop: bool = False
    muted: bool = True


class TextItem(_ItemBase):
    """A news or notice slide: title and body per language, optionally a picture."""

    kind: Literal["text"] = "text"
    texts: dict[LanguageCode, LocalizedText] = Field(min_length=1)
    image: Sha256 | None = None


class EventItem(_ItemBase):
    """An event slide; the player formats the date in the screen's language and zone."""

    kind: Literal["event"] = "event"
    texts: dict[LanguageCode, LocalizedText] = Field(min_length=1)
    starts_at: UtcDatetime
    ends_at: UtcDatetime | None = None
    all_day: bool = False
    place: str = ""
    organiser: str = ""
    image: Sha256 | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> EventItem:
        if self.ends_at is not None and self.ends_at < self.starts_at:
            raise ValueError("ends_at must not be before starts_at")
        return self


AnyItem = ImageItem | VideoItem | TextItem | EventItem
Item = Annotated[AnyItem, Field(discriminator="kind")]


class PlaylistEntry(_Model):
    item: Identifier
    # Overrides the item's own duration when set.
    duration_s: float | None = Field(default=None, gt=0, le=24 * 3600)
    validity: Validity = Validity()


class Playlist(_Model):
    id: Identifier
    name: str
    entries: tuple[PlaylistEntry, ...]
    validity: Validity = Validity()


class Assignment(_Model):
    """When a playlist is in force on this screen, in the location's local time.

    `weekdays` are ISO numbers (1 = Monday … 7 = Sunday). A time window whose
    end is not after its start runs past midnight and belongs to the weekday
    on which it starts. No window means the whole day. Among the assignments
    in force, the highest priority with something playable wins.
    """

    id: Identifier
    playlist: Identifier
    priority: int = 0
    weekdays: frozenset[Annotated[int, Field(ge=1, le=7)]] = frozenset(range(1, 8))
    start_time: time | None = None
    end_time: time | None = None
    validity: Validity = Validity()

    @field_serializer("weekdays")
    def _sorted_weekdays(self, weekdays: frozenset[int]) -> list[int]:
        # Sorted, so that the same assignment always hashes to the same ETag.
        return sorted(weekdays)

    @model_validator(mode="after")
    def _window(self) -> Assignment:
        if (self.start_time is None) != (self.end_time is None):
            raise ValueError("start_time and end_time go together")
        for value in (self.start_time, self.end_time):
            if value is not None and value.tzinfo is not None:
                raise ValueError("start_time and end_time are local wall-clock times")
        return self


class AlertText(_Model):
    """An alert in one language, as CAP words it."""

    headline: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    instruction: str = Field(default="", max_length=1000)


Severity = Literal["extreme", "severe", "moderate", "minor", "unknown"]


class Alert(_Model):
    """A warning that overrides the screen while it is in force, [effective, expires).

    `kind` "all_clear" is the short card that says a warning is over. Each update
    keeps the id and raises `version`, so a screen can tell a new text from a
    repeat. Extreme and severe alerts take the whole screen; the rest a banner.
    An exercise is shown labelled as one; tests never reach a manifest.
    """

    id: Identifier
    version: int = Field(ge=1)
    kind: Literal["alert", "all_clear"] = "alert"
    status: Literal["actual", "exercise"] = "actual"
    severity: Severity
    urgency: Literal["immediate", "expected", "future", "past", "unknown"] = "unknown"
    certainty: Literal["observed", "likely", "possible", "unlikely", "unknown"] = "unknown"
    sender_name: str = Field(min_length=1, max_length=200)
    texts: dict[LanguageCode, AlertText] = Field(min_length=1)
    sent_at: UtcDatetime
    effective: UtcDatetime
    onset: UtcDatetime | None = None
    expires: UtcDatetime

    @model_validator(mode="after")
    def _expires_after_effective(self) -> Alert:
        if self.expires <= self.effective:
            raise ValueError("expires must be after effective")
        return self

    @property
    def layout(self) -> Literal["fullscreen", "banner"]:
        if self.kind == "all_clear" or self.severity in ("extreme", "severe"):
            return "fullscreen"
        return "banner"

    def in_force(self, moment: datetime) -> bool:
        return self.effective <= moment < self.expires


TickerText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class TickerLine(_Model):
    """A short text for the ticker along the bottom of the screen, per language, while valid.

    A line says one thing in a sentence (a warning's headline, a news item's title);
    the screen runs the lines in force one after the other, in manifest order.
    """

    id: Identifier
    texts: dict[LanguageCode, TickerText] = Field(min_length=1)
    validity: Validity = Validity()


class Manifest(_Model):
    version: Literal[1] = MANIFEST_VERSION
    generated_at: UtcDatetime
    # The horizon: the server promises the content is complete until then.
    valid_until: UtcDatetime
    location: LocationInfo
    assets: tuple[AssetRef, ...] = ()
    items: tuple[Item, ...] = ()
    playlists: tuple[Playlist, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    # Alerts override everything else while in force; listed here too so that a
    # screen that lost its connection still shows, and ends, them on time.
    alerts: tuple[Alert, ...] = ()
    # The ticker's lines; empty, the screen shows no ticker.
    ticker: tuple[TickerLine, ...] = ()

    @model_validator(mode="after")
    def _references_resolve(self) -> Manifest:
        assets = {asset.sha256 for asset in self.assets}
        items = set()
        for item in self.items:
            if item.id in items:
                raise ValueError(f"item {item.id!r} appears twice")
            items.add(item.id)
            for sha in referenced_assets(item):
                if sha not in assets:
                    raise ValueError(f"item {item.id!r} refers to unlisted asset {sha}")
        playlists = set()
        for playlist in self.playlists:
            if playlist.id in playlists:
                raise ValueError(f"playlist {playlist.id!r} appears twice")
            playlists.add(playlist.id)
            for entry in playlist.entries:
                if entry.item not in items:
                    raise ValueError(
                        f"playlist {playlist.id!r} refers to unknown item {entry.item!r}"
                    )
        if len({alert.id for alert in self.alerts}) != len(self.alerts):
            raise ValueError("an alert appears twice")
        if len({line.id for line in self.ticker}) != len(self.ticker):
            raise ValueError("a ticker line appears twice")
        for assignment in self.assignments:
            if assignment.playlist not in playlists:
                raise ValueError(
                    f"assignment {assignment.id!r} refers to unknown playlist "
                    f"{assignment.playlist!r}"
                )
        return self

    def item(self, item_id: str) -> AnyItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def playlist(self, playlist_id: str) -> Playlist:
        for playlist in self.playlists:
            if playlist.id == playlist_id:
                return playlist
        raise KeyError(playlist_id)

    def content_hash(self) -> str:
        """The ETag: a hash of what the screen would show, not of when it was made.

        `generated_at` and `valid_until` move on every request; including them
        would make every poll look like a change and defeat `If-None-Match`.
        """
        content = self.model_dump(mode="json", exclude={"generated_at", "valid_until"})
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def referenced_assets(item: AnyItem) -> tuple[str, ...]:
    """The sha256 of every file an item needs on screen."""
    if isinstance(item, ImageItem | VideoItem):
        return (item.asset,)
    return (item.image,) if item.image is not None else ()


def parse_manifest(raw: bytes | str) -> Manifest:
    """Parse and validate a manifest; raises pydantic.ValidationError when it is not one."""
    return Manifest.model_validate_json(raw)
