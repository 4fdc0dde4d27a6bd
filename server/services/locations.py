"""Managing locations: create, change and delete them, every change audited.

Each function checks that its actor may manage screens, checks the details
against `location_rules` and the wire format (whatever is stored can be sent to
a screen), and writes its audit entry in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session, col, func, select

from playlists.manifest import OpeningHours
from server.errors import AlreadyExists, Forbidden, InUse, NotFound, StaleEdit
from server.models import Assignment, Location, Screen
from server.services.audit import record_change, snapshot
from server.services.location_rules import (
    LocationDetails,
    check_location,
    normalise_tags,
    stored_opening_hours,
    suggest_slug,
)
from server.services.permissions import Actor, Permission
from server.services.wire import checked, location_info


def require_screen_admin(actor: Actor) -> None:
    """Raise Forbidden unless `actor` may manage locations and screens."""
    if not actor.can(Permission.MANAGE_SCREENS):
        raise Forbidden(f"{actor.name} ({actor.role}) may not manage locations and screens")


def list_locations(session: Session) -> list[Location]:
    """Every location, by name."""
    return list(session.exec(select(Location).order_by(col(Location.name), col(Location.id))))


def get_location(session: Session, *, location_id: int) -> Location:
    location = session.get(Location, location_id)
    if location is None:
        raise NotFound(f"no location with id {location_id}")
    return location


def details_of(location: Location) -> LocationDetails:
    """What is stored about `location`, as details to change and save again."""
    return LocationDetails(
        name=location.name,
        slug=location.slug,
        timezone=location.timezone,
        languages=tuple(location.languages),
        language_mode=location.language_mode,
        address=location.address,
        latitude=location.latitude,
        longitude=location.longitude,
        municipality_code=location.municipality_code,
        tags=tuple(location.tags),
        opening_hours=tuple(OpeningHours.model_validate(hours) for hours in location.opening_hours),
    )


def free_slug(session: Session, *, name: str, taken_by: int | None = None) -> str:
    """The slug suggested for `name`, with a number added when another location has it."""
    base = suggest_slug(name) or "location"
    candidate, number = base, 1
    while _slug_owner(session, candidate) not in (None, taken_by):
        number += 1
        suffix = f"-{number}"
        candidate = base[: 64 - len(suffix)].rstrip("-") + suffix
    return candidate


def _slug_owner(session: Session, slug: str) -> int | None:
    return session.exec(select(Location.id).where(Location.slug == slug)).first()


def create_location(
    session: Session, *, details: LocationDetails, actor: Actor, now: datetime
) -> Location:
    """A new location with `details`; an empty slug is suggested from the name, a given one
    must not be taken."""
    require_screen_admin(actor)
    if not details.slug:
        details = replace(details, slug=free_slug(session, name=details.name))
    check_location(details)
    location = Location(created_at=now, slug=details.slug, name="", timezone="", languages=[])
    _apply(session, location, details)
    session.add(location)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="location",
        entity_id=location.id,
        summary=f"location {location.name!r}",
        after=snapshot(location),
        now=now,
    )
    return location


def update_location(
    session: Session,
    *,
    location_id: int,
    details: LocationDetails,
    expected_version: int,
    actor: Actor,
    now: datetime,
) -> Location:
    """Replace the location's details; StaleEdit when someone saved it since `expected_version`."""
    require_screen_admin(actor)
    location = get_location(session, location_id=location_id)
    if location.version != expected_version:
        raise StaleEdit(
            f"location {location.name!r} was saved by someone else since you opened it "
            f"(version {location.version}, you had {expected_version}): reload it"
        )
    check_location(details)
    before = snapshot(location)
    _apply(session, location, details)
    location.version += 1
    session.add(location)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="update",
        entity="location",
        entity_id=location.id,
        summary=f"location {location.name!r}",
        before=before,
        after=snapshot(location),
        now=now,
    )
    return location


def _apply(session: Session, location: Location, details: LocationDetails) -> None:
    owner = _slug_owner(session, details.slug)
    if owner is not None and owner != location.id:
        raise AlreadyExists(f"another location already has the slug {details.slug!r}")
    tags, _problems = normalise_tags(details.tags)
    location.slug = details.slug
    location.name = details.name.strip()
    location.timezone = details.timezone
    location.languages = list(details.languages)
    location.language_mode = details.language_mode
    location.address = details.address.strip()
    location.latitude = details.latitude
    location.longitude = details.longitude
    location.municipality_code = details.municipality_code
    location.tags = list(tags)
    location.opening_hours = stored_opening_hours(details.opening_hours)
    checked(f"location {details.slug!r}", lambda: location_info(location))


def screens_at(session: Session, *, location_id: int) -> list[Screen]:
    """The screens at a location, revoked ones too, by name."""
    return list(
        session.exec(
            select(Screen)
            .where(Screen.location_id == location_id)
            .order_by(col(Screen.name), col(Screen.id))
        )
    )


def own_assignment_count(session: Session, *, location_id: int) -> int:
    """How many assignments name the location itself (not one of its tags)."""
    return session.exec(
        select(func.count())
        .select_from(Assignment)
        .where(col(Assignment.location_id) == location_id)
    ).one()


def delete_location(session: Session, *, location_id: int, actor: Actor, now: datetime) -> None:
    """Delete a location without screens, and the assignments that name it."""
    require_screen_admin(actor)
    location = get_location(session, location_id=location_id)
    screens = screens_at(session, location_id=location_id)
    if screens:
        names = ", ".join(repr(screen.name) for screen in screens)
        raise InUse(
            f"location {location.name!r} still has screens: {names}; "
            "move them to another location, or revoke and remove them, first"
        )
    assignments = session.exec(
        select(Assignment).where(col(Assignment.location_id) == location_id)
    ).all()
    for assignment in assignments:
        record_change(
            session,
            actor=actor,
            action="delete",
            entity="assignment",
            entity_id=assignment.id,
            summary=f"assignment at location {location.name!r}, deleted with the location",
            before=snapshot(assignment),
            now=now,
        )
        session.delete(assignment)
    record_change(
        session,
        actor=actor,
        action="delete",
        entity="location",
        entity_id=location.id,
        summary=f"location {location.name!r}",
        before=snapshot(location),
        now=now,
    )
    session.delete(location)
    session.flush()
