"""A CAP message's info blocks as an alert's content: texts per language, level, area, times.

Several infos in one language are different areas or levels, not translations
(SMHI sends yellow for the coast and orange for the valley in one message): per
language the gravest is taken, and the alert's area is the union of all of them,
so everyone in any of the areas sees the gravest text. Over-warning the milder
area is the price of one alert per message; under-warning is never the outcome.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError

from server.cap.geometry import looks_swapped
from server.cap.model import CERTAINTIES, SEVERITIES, URGENCIES, Info, Message, Point
from server.services.alert_areas import AlertTarget, Circle

HEADLINE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000
INSTRUCTION_MAX_LENGTH = 1000
SENDER_NAME_MAX_LENGTH = 200
# CAP languages (RFC 3066) as the content languages locations are set to.
_LANGUAGE_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "swe": "sv", "fin": "fi", "eng": "en"}
_LANGUAGE = re.compile(r"[a-z]{2,3}")
# Geocode names for a municipality (4 digits) and a county (2 digits), as the Swedish and
# Norwegian services and Anslag's own feed write them; compared in lower case.
MUNICIPALITY_CODE_NAMES = frozenset(
    {"kommun", "kommunkod", "kommunnummer", "kommunenummer", "municipality", "municipalityid"}
)
COUNTY_CODE_NAMES = frozenset({"län", "lan", "länskod", "county", "countycode", "fylke"})
_CODE_SEPARATORS = re.compile(r"[;,\s]+")


@dataclass(frozen=True)
class CapContent:
    """What an alert shows and where, taken from one message; `target` None when nowhere fits."""

    texts: dict[str, dict[str, str]]
    severity: str
    urgency: str
    certainty: str
    sender_name: str
    target: AlertTarget | None
    effective_at: datetime
    onset_at: datetime | None
    expires_at: datetime
    problems: tuple[str, ...]


def content_language(cap_language: str) -> str:
    """`cap_language` ("sv-SE", "no", "en-GB") as a content language ("sv", "nb", "en")."""
    primary = cap_language.strip().lower().replace("_", "-").partition("-")[0]
    primary = _LANGUAGE_ALIASES.get(primary, primary)
    return primary if _LANGUAGE.fullmatch(primary) else "en"


def _gravity(info: Info) -> tuple[int, int, int]:
    return (
        SEVERITIES.index(info.severity),
        URGENCIES.index(info.urgency),
        CERTAINTIES.index(info.certainty),
    )


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _codes(info: Info) -> set[str]:
    codes = set()
    pairs = [pair for area in info.areas for pair in area.geocodes]
    pairs += [pair for pair in info.parameters if pair[0].lower() == "municipalityid"]
    for name, value in pairs:
        width = 4 if name.lower() in MUNICIPALITY_CODE_NAMES else 2
        if name.lower() not in MUNICIPALITY_CODE_NAMES | COUNTY_CODE_NAMES:
            continue
        for code in _CODE_SEPARATORS.split(value.strip()):
            # A leading zero lost on the way ("180" for Stockholm's 0180) is put back.
            if code.isdigit() and len(code) <= width:
                codes.add(code.zfill(width))
    return codes


def _target(infos: Sequence[Info], places: list[Point], problems: list[str]) -> AlertTarget | None:
    polygons: list[tuple[Point, ...]] = []
    circles: list[Circle] = []
    codes: set[str] = set()
    for info in infos:
        codes |= _codes(info)
        for area in info.areas:
            for ring in area.polygons:
                if looks_swapped(ring, places=places):
                    problems.append(f"a polygon of {area.description!r} was read swapped")
                    ring = tuple((longitude, latitude) for latitude, longitude in ring)
                if ring not in polygons:
                    polygons.append(ring)
            for circle in area.circles:
                shape = Circle(
                    latitude=circle.latitude,
                    longitude=circle.longitude,
                    radius_km=circle.radius_km,
                )
                if shape not in circles:
                    circles.append(shape)
    try:
        return AlertTarget(
            polygons=tuple(polygons), circles=tuple(circles), codes=tuple(sorted(codes))
        )
    except ValidationError:
        described = sorted({area.description for info in infos for area in info.areas})
        problems.append(f"no polygon, circle or known code in {', '.join(described) or 'any area'}")
        return None


def content_of(
    message: Message,
    *,
    lifetime: timedelta,
    source_name: str,
    places: list[Point],
) -> CapContent | None:
    """The alert `message` describes, or None when it has no info block to show.

    `lifetime` is how long a message without an expiry lasts; `places` are the
    locations' coordinates, against which polygons written reversed are recognised.
    """
    if not message.infos:
        return None
    problems: list[str] = []
    gravest: dict[str, Info] = {}
    for info in message.infos:
        language = content_language(info.language)
        if language not in gravest or _gravity(info) < _gravity(gravest[language]):
            gravest[language] = info
    chosen = list(gravest.values())
    top = min(chosen, key=_gravity)
    texts = {
        language: {
            "headline": _shortened(info.headline, HEADLINE_MAX_LENGTH),
            "description": _shortened(info.description, DESCRIPTION_MAX_LENGTH),
            "instruction": _shortened(info.instruction, INSTRUCTION_MAX_LENGTH),
        }
        for language, info in gravest.items()
    }
    effective = min((info.effective for info in chosen if info.effective), default=message.sent)
    onset = min((info.onset for info in chosen if info.onset), default=None)
    expires = max((info.expires for info in message.infos if info.expires), default=None)
    if expires is not None and expires <= effective:
        problems.append(f"it expires ({expires:%Y-%m-%d %H:%M}Z) before it takes effect")
        expires = None
    if expires is None:
        expires = max(message.sent, effective) + lifetime
    return CapContent(
        texts=texts,
        severity=top.severity,
        urgency=top.urgency,
        certainty=top.certainty,
        sender_name=_shortened(top.sender_name or source_name, SENDER_NAME_MAX_LENGTH),
        target=_target(message.infos, places, problems),
        effective_at=effective,
        onset_at=onset,
        expires_at=expires,
        problems=tuple(problems),
    )
