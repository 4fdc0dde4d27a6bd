"""Events in the calendar for tests: one line each, on the municipality's clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from server.models import Event
from server.services.events import EventDraft, EventStatus, create_event
from server.services.permissions import SYSTEM_ACTOR

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def add_event(
    session: Session,
    title: str,
    *,
    now: datetime,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    days: tuple[date, date] | None = None,
    tags: Sequence[str] = (),
    location_ids: Sequence[int] = (),
    status: EventStatus = "approved",
    place: str = "",
    body: str = "",
) -> Event:
    """A Swedish event: timed from `starts_at`, or all day on `days` (first, end exclusive)."""
    draft = EventDraft(
        texts={"sv": (title, body)},
        all_day=days is not None,
        starts_at=starts_at,
        ends_at=ends_at,
        first_day=days[0] if days else None,
        end_day=days[1] if days else None,
        place=place,
        location_tags=tags,
        location_ids=location_ids,
    )
    return create_event(
        session, draft=draft, status=status, zone=STOCKHOLM, actor=SYSTEM_ACTOR, now=now
    )
