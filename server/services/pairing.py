"""Pairing a new player: it shows a code, an admin claims the code for a location.

The player asks for a code and receives, at once, the token it will use as a
screen; the server keeps only the token's hash. When an admin claims the code,
a screen is created with that hash, so the player is paired the moment its next
status poll arrives and no secret ever travels through the admin.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session, col, delete, func, select

from server.errors import InvalidContent, InvalidDeviceToken, NotFound, TooManyAttempts
from server.models import Location, PairingRequest, Screen
from server.services.audit import record_change, snapshot
from server.services.content import NAME_MAX_LENGTH
from server.services.devices import hash_device_token, new_device_token
from server.services.permissions import Actor

# No 0/O, 1/I/L: a code is read off a screen across a room and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# Long enough for an installer who mounts the screen today and asks the office tomorrow.
PAIRING_LIFETIME = timedelta(hours=24)
POLL_INTERVAL_S = 5
# A player asks once per lifetime; more than this from one address is a script.
REQUESTS_PER_ADDRESS_PER_HOUR = 30
_NOT_CODE = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class PairingStatus:
    status: Literal["pending", "paired"]
    code: str
    expires_at: datetime
    screen: Screen | None = None


def start_pairing(
    session: Session,
    *,
    address: str,
    player_version: str,
    hostname: str,
    now: datetime,
) -> tuple[PairingRequest, str]:
    """A new code for a player at `address`, and the token it keeps; the token is shown once."""
    session.exec(
        delete(PairingRequest).where(
            col(PairingRequest.expires_at) <= now, col(PairingRequest.screen_id).is_(None)
        )
    )
    recent = session.exec(
        select(func.count())
        .select_from(PairingRequest)
        .where(
            PairingRequest.address == address,
            col(PairingRequest.created_at) > now - timedelta(hours=1),
        )
    ).one()
    if recent >= REQUESTS_PER_ADDRESS_PER_HOUR:
        raise TooManyAttempts(
            f"too many pairing requests from {address}; try again in an hour",
            retry_after_s=3600,
        )
    token = new_device_token()
    request = PairingRequest(
        code=_unused_code(session, now=now),
        token_hash=hash_device_token(token),
        address=address,
        player_version=player_version[:64],
        hostname=hostname[:200],
        created_at=now,
        expires_at=now + PAIRING_LIFETIME,
    )
    session.add(request)
    session.flush()
    return request, token


def _unused_code(session: Session, *, now: datetime) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = session.exec(
            select(PairingRequest.id).where(
                PairingRequest.code == code, col(PairingRequest.expires_at) > now
            )
        ).first()
        if taken is None:
            return code


def normalise_code(typed: str) -> str:
    """A code as someone typed it ("k7m 4px", "K7M-4PX") in the form it was issued."""
    return _NOT_CODE.sub("", typed).upper()


def format_code(code: str) -> str:
    """A code as shown to people: two groups of three."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


def pairing_status(session: Session, *, token: str | None, now: datetime) -> PairingStatus:
    """Where the player holding `token` stands; InvalidDeviceToken once its code has expired."""
    if not token:
        raise InvalidDeviceToken("pairing status needs the token the pairing request returned")
    request = session.exec(
        select(PairingRequest).where(PairingRequest.token_hash == hash_device_token(token))
    ).first()
    if request is None:
        raise InvalidDeviceToken("unknown pairing token: ask for a new code")
    if request.screen_id is not None:
        screen = session.get(Screen, request.screen_id)
        if screen is not None and screen.token_hash == request.token_hash:
            return PairingStatus("paired", request.code, request.expires_at, screen)
        raise InvalidDeviceToken("this screen was revoked: ask for a new code")
    if request.expires_at <= now:
        raise InvalidDeviceToken("the pairing code has expired: ask for a new one")
    return PairingStatus("pending", request.code, request.expires_at)


def pending_pairings(session: Session, *, now: datetime) -> list[PairingRequest]:
    """Codes shown on screens right now, newest first (for the admin's pairing form)."""
    return list(
        session.exec(
            select(PairingRequest)
            .where(col(PairingRequest.screen_id).is_(None), col(PairingRequest.expires_at) > now)
            .order_by(col(PairingRequest.id).desc())
        )
    )


def claim_pairing(
    session: Session,
    *,
    code: str,
    location: Location,
    name: str,
    actor: Actor,
    now: datetime,
) -> Screen:
    """Make the player showing `code` a screen called `name` at `location`."""
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise InvalidContent(f"a screen needs a name of 1-{NAME_MAX_LENGTH} characters")
    wanted = normalise_code(code)
    request = session.exec(
        select(PairingRequest).where(
            PairingRequest.code == wanted,
            col(PairingRequest.screen_id).is_(None),
            col(PairingRequest.expires_at) > now,
        )
    ).first()
    if request is None:
        raise NotFound(
            f"no player is showing the code {code.strip()!r}: check it on the screen "
            f"(codes last {PAIRING_LIFETIME.total_seconds() / 3600:.0f} hours)"
        )
    screen = Screen(location=location, name=name, token_hash=request.token_hash, created_at=now)
    session.add(screen)
    session.flush()
    request.screen_id = screen.id
    session.add(request)
    record_change(
        session,
        actor=actor,
        action="pair",
        entity="screen",
        entity_id=screen.id,
        summary=f"screen {name!r} at {location.name} (code {format_code(wanted)})",
        after=snapshot(screen),
        now=now,
    )
    return screen
