"""Places in Tornedalen and Finnmark for CAP tests, a source to take messages from, and what
each place's screens would show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from server.cap.ingest import Intake, take_in
from server.cap.reading import read_message
from server.cap.sources import SourceSettings, create_source
from server.db import session_scope
from server.models import CapSource, Location
from server.services import content
from server.services.alerts import alerts_for_location
from server.services.permissions import SYSTEM_ACTOR

ALL_CLEAR_FOR = timedelta(minutes=10)


@dataclass(frozen=True)
class Place:
    slug: str
    name: str
    latitude: float
    longitude: float
    code: str
    exercise_group: bool = False


PLACES = (
    # Övertorneå (2518) and Haparanda (2583) in Norrbotten (25); Alta (5601) in Finnmark.
    Place("byabutiken", "Byabutiken i Svanstein", 66.6452, 23.8714, "2518"),
    Place("bangarden", "Haparanda bangård", 65.8360, 24.1290, "2583", exercise_group=True),
    Place("kukkola", "Kukkolaforsen", 65.9520, 24.0580, "2583"),
    Place("alta", "Alta bibliotek", 69.9689, 23.2716, "5601"),
)


def add_places(engine: Engine, now: datetime) -> None:
    with session_scope(engine) as session:
        for place in PLACES:
            location = content.create_location(
                session,
                slug=place.slug,
                name=place.name,
                timezone="Europe/Stockholm",
                languages=["sv", "en"],
                now=now,
            )
            location.latitude, location.longitude = place.latitude, place.longitude
            location.municipality_code = place.code
            location.exercise_group = place.exercise_group


def add_source(
    engine: Engine,
    now: datetime,
    *,
    name: str = "Länsstyrelsen",
    url: str = "http://127.0.0.1:9/cap.atom",
    statuses: tuple[str, ...] = ("actual", "exercise"),
    lifetime_hours: float = 24,
) -> int:
    with session_scope(engine) as session:
        source = create_source(
            session,
            settings=SourceSettings(
                name=name, url=url, statuses=statuses, lifetime_hours=lifetime_hours
            ),
            actor=SYSTEM_ACTOR,
            now=now,
        )
        assert source.id is not None
        return source.id


def take(engine: Engine, document: bytes, *, source_id: int, now: datetime) -> str:
    """Take in one CAP document from the source, as a poll would; returns its note."""
    with session_scope(engine) as session:
        source = session.get(CapSource, source_id)
        assert source is not None
        intake = Intake(source=source, now=now, all_clear_for=ALL_CLEAR_FOR)
        return take_in(session, read_message(document), intake=intake)


@dataclass(frozen=True)
class Shown:
    """An alert as a place's screens get it: its kind, Swedish (or first) headline, version."""

    kind: str
    headline: str
    version: int


def shown(engine: Engine, slug: str, now: datetime) -> list[Shown]:
    with Session(engine) as session:
        location = session.exec(select(Location).where(Location.slug == slug)).one()
        return [
            Shown(alert.kind, _headline(alert.texts), alert.version)
            for alert in alerts_for_location(session, location=location, now=now)
            if alert.in_force(now)
        ]


def _headline(texts: dict[str, object]) -> str:
    text = texts.get("sv") or next(iter(texts.values()))
    return str(getattr(text, "headline", ""))


def headlines(engine: Engine, now: datetime) -> dict[str, list[str]]:
    """Per place, the headlines its screens show now (an all-clear card as "ALL CLEAR: …")."""
    return {
        place.slug: [
            f"ALL CLEAR: {alert.headline}" if alert.kind == "all_clear" else alert.headline
            for alert in shown(engine, place.slug, now)
        ]
        for place in PLACES
    }
