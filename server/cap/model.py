"""A CAP message as Anslag reads it, whichever CAP version and sender it came from.

Enumerated values are kept as CAP words in lower case ("actual", "update",
"allclear"); instants are aware and in UTC; coordinates are (latitude,
longitude) in degrees and circle radii kilometres, as CAP has them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

Point = tuple[float, float]

STATUSES = ("actual", "exercise", "system", "test", "draft")
MESSAGE_TYPES = ("alert", "update", "cancel", "ack", "error")
SCOPES = ("public", "restricted", "private")
SEVERITIES = ("extreme", "severe", "moderate", "minor", "unknown")
URGENCIES = ("immediate", "expected", "future", "past", "unknown")
CERTAINTIES = ("observed", "likely", "possible", "unlikely", "unknown")


@dataclass(frozen=True)
class Reference:
    """An earlier message this one updates or cancels: `sender,identifier,sent`."""

    sender: str
    identifier: str
    sent: datetime | None


@dataclass(frozen=True)
class Circle:
    latitude: float
    longitude: float
    radius_km: float


@dataclass(frozen=True)
class Area:
    """Where an info block applies: its description, shapes and administrative codes."""

    description: str
    polygons: tuple[tuple[Point, ...], ...] = ()
    circles: tuple[Circle, ...] = ()
    # (valueName, value) pairs as sent, such as ("Kommun", "2518").
    geocodes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Info:
    """One `<info>` block: the warning in one language, for some areas, at one level."""

    language: str
    event: str
    headline: str
    description: str
    instruction: str
    severity: str
    urgency: str
    certainty: str
    response_types: tuple[str, ...] = ()
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    sender_name: str = ""
    # (valueName, value) pairs, such as MET Norway's ("MunicipalityId", "5401;5402").
    parameters: tuple[tuple[str, str], ...] = ()
    areas: tuple[Area, ...] = ()


@dataclass(frozen=True)
class Message:
    """One CAP `<alert>`: named by sender and identifier, never changed once sent."""

    cap_version: str
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    references: tuple[Reference, ...] = ()
    infos: tuple[Info, ...] = ()
    # What was read past rather than refused: a degenerate polygon, an unknown severity.
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def all_clear(self) -> bool:
        """Whether the message says the danger is over (responseType AllClear)."""
        return any("allclear" in info.response_types for info in self.infos)
