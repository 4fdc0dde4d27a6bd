"""Screens as API clients: their bearer tokens and how a request proves it comes from one."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, select

from server.errors import InvalidDeviceToken
from server.models import Screen

# A screen polls every few seconds; "last seen" only needs to be right to the half minute,
# and writing on every poll would make each one a database write.
LAST_SEEN_RESOLUTION = timedelta(seconds=30)


def new_device_token() -> str:
    """A fresh bearer token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_device_token(token: str) -> str:
    """What the database keeps of a token. Tokens are random, so a plain sha256 is enough."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def authenticate_device(session: Session, *, token: str | None, now: datetime) -> Screen:
    """The screen holding `token`; raises InvalidDeviceToken when there is none."""
    if not token:
        raise InvalidDeviceToken("this endpoint needs a screen's token: Authorization: Bearer …")
    # A lookup by hash leaks nothing through timing: the token is random and never compared.
    screen = session.exec(
        select(Screen).where(Screen.token_hash == hash_device_token(token))
    ).first()
    if screen is None:
        raise InvalidDeviceToken("the device token is not valid (unknown or replaced)")
    if screen.last_seen_at is None or now - screen.last_seen_at >= LAST_SEEN_RESOLUTION:
        screen.last_seen_at = now
        session.add(screen)
        session.flush()
    return screen
