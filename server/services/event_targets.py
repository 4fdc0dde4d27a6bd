"""Where an event is shown: the locations and villages (location tags) it targets.

An event names locations, tags, both, or nothing; nothing means the whole
municipality. A location sees an event that names it, one of its tags, or
nothing. A village (a tag) lists the events that name it, name a location
carrying it, or name nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from server.models import Event, Location


def everywhere(event: Event) -> bool:
    return not event.location_ids and not event.location_tags


def reaches(event: Event, location: Location) -> bool:
    """Whether screens and feeds of `location` carry `event`."""
    return (
        everywhere(event)
        or location.id in event.location_ids
        or any(tag in event.location_tags for tag in location.tags)
    )


def in_village(event: Event, tag: str, locations: Iterable[Location]) -> bool:
    """Whether `event` concerns the village `tag`, whose locations are among `locations`."""
    if everywhere(event) or tag in event.location_tags:
        return True
    return any(location.id in event.location_ids and tag in location.tags for location in locations)


def approved_events(
    session: Session, *, over_after: datetime, starts_before: datetime | None = None
) -> list[Event]:
    """Approved events not over by `over_after` (and starting before `starts_before`), by start."""
    query = (
        select(Event)
        .where(Event.status == "approved", col(Event.over_at) > over_after)
        .order_by(col(Event.starts_at), col(Event.id))
    )
    if starts_before is not None:
        query = query.where(col(Event.starts_at) < starts_before)
    return list(session.exec(query))


def events_at(
    session: Session,
    *,
    location: Location,
    over_after: datetime,
    starts_before: datetime | None = None,
) -> list[Event]:
    """The approved events `location` carries, not over by `over_after`, by start."""
    return [
        event
        for event in approved_events(session, over_after=over_after, starts_before=starts_before)
        if reaches(event, location)
    ]


def villages(session: Session) -> list[str]:
    """Every tag some location carries, in alphabetical order: the villages to filter by."""
    tags = {tag for location in session.exec(select(Location)) for tag in location.tags}
    return sorted(tags)


def target_names(event: Event, locations: Sequence[Location]) -> list[str]:
    """The event's targets as people read them: location names, then tags."""
    names = {location.id: location.name for location in locations}
    return [
        *(names[location_id] for location_id in event.location_ids if location_id in names),
        *event.location_tags,
    ]
