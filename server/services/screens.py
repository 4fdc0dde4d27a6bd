"""Managing screens: pair one by its code, rename it, move it, revoke it, remove it; audited.

Revoking sets the screen's token hash to None: its player's next request is
refused, and it goes back to showing a pairing code while it keeps playing its
cache. The revoked screen stays listed (with its history) until it is removed.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from server.errors import Conflict, InvalidContent, NotFound
from server.models import Location, PairingRequest, Screen
from server.services.audit import Action, record_change, snapshot
from server.services.content import NAME_MAX_LENGTH
from server.services.locations import get_location, require_screen_admin
from server.services.pairing import claim_pairing
from server.services.permissions import Actor


def list_screens(session: Session, *, location_id: int | None = None) -> list[Screen]:
    """Every screen (or those at one location), by id."""
    query = select(Screen).order_by(col(Screen.id))
    if location_id is not None:
        query = query.where(Screen.location_id == location_id)
    return list(session.exec(query))


def get_screen(session: Session, *, screen_id: int) -> Screen:
    screen = session.get(Screen, screen_id)
    if screen is None:
        raise NotFound(f"no screen with id {screen_id}")
    return screen


def pairing_of(session: Session, *, screen_id: int) -> PairingRequest | None:
    """The pairing request the screen came from (its host name and player version then)."""
    return session.exec(select(PairingRequest).where(PairingRequest.screen_id == screen_id)).first()


def pair_screen(
    session: Session, *, code: str, location_id: int, name: str, actor: Actor, now: datetime
) -> Screen:
    """Make the player showing `code` a screen called `name` at the location."""
    require_screen_admin(actor)
    location = get_location(session, location_id=location_id)
    return claim_pairing(session, code=code, location=location, name=name, actor=actor, now=now)


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise InvalidContent(f"a screen needs a name of 1-{NAME_MAX_LENGTH} characters")
    return name


def rename_screen(
    session: Session, *, screen_id: int, name: str, actor: Actor, now: datetime
) -> Screen:
    require_screen_admin(actor)
    screen = get_screen(session, screen_id=screen_id)
    name = _checked_name(name)
    if name == screen.name:
        return screen
    before = snapshot(screen)
    summary = f"screen {screen.name!r} renamed {name!r}"
    screen.name = name
    return _record(
        session, screen, action="update", summary=summary, before=before, actor=actor, now=now
    )


def move_screen(
    session: Session, *, screen_id: int, location_id: int, actor: Actor, now: datetime
) -> Screen:
    """Put the screen at another location: its next manifest is that location's."""
    require_screen_admin(actor)
    screen = get_screen(session, screen_id=screen_id)
    location: Location = get_location(session, location_id=location_id)
    if screen.location_id == location.id:
        return screen
    before = snapshot(screen)
    old = screen.location.name
    screen.location = location
    screen.location_id = location.id
    summary = f"screen {screen.name!r} from {old} to {location.name}"
    return _record(
        session, screen, action="move", summary=summary, before=before, actor=actor, now=now
    )


def revoke_screen(session: Session, *, screen_id: int, actor: Actor, now: datetime) -> Screen:
    """Take the screen's token away; revoking a revoked screen changes nothing."""
    require_screen_admin(actor)
    screen = get_screen(session, screen_id=screen_id)
    if screen.revoked_at is not None:
        return screen
    before = snapshot(screen)
    screen.token_hash = None
    screen.revoked_at = now
    summary = f"screen {screen.name!r} at {screen.location.name}"
    return _record(
        session, screen, action="revoke", summary=summary, before=before, actor=actor, now=now
    )


def remove_screen(session: Session, *, screen_id: int, actor: Actor, now: datetime) -> None:
    """Delete a revoked screen and what it reported; a screen in use must be revoked first."""
    require_screen_admin(actor)
    screen = get_screen(session, screen_id=screen_id)
    if screen.revoked_at is None:
        raise Conflict(f"screen {screen.name!r} is in use: revoke it before removing it")
    record_change(
        session,
        actor=actor,
        action="delete",
        entity="screen",
        entity_id=screen.id,
        summary=f"revoked screen {screen.name!r} at {screen.location.name}",
        before=snapshot(screen),
        now=now,
    )
    session.delete(screen)
    session.flush()


def _record(
    session: Session,
    screen: Screen,
    *,
    action: Action,
    summary: str,
    before: dict[str, object],
    actor: Actor,
    now: datetime,
) -> Screen:
    session.add(screen)
    session.flush()
    record_change(
        session,
        actor=actor,
        action=action,
        entity="screen",
        entity_id=screen.id,
        summary=summary,
        before=before,
        after=snapshot(screen),
        now=now,
    )
    return screen
