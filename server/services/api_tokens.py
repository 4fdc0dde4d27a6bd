"""API tokens: how another municipal system publishes to the screens, as one of our users."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from server.errors import InvalidContent, InvalidCredentials, NotFound
from server.models import ApiToken, User
from server.services.audit import record_change, snapshot
from server.services.devices import hash_device_token
from server.services.permissions import Actor, user_actor

# The prefix lets secret scanners (and people) recognise a leaked token for what it is.
TOKEN_PREFIX = "anslag_"
NAME_MAX_LENGTH = 200


def create_api_token(
    session: Session, *, user: User, name: str, actor: Actor, now: datetime
) -> tuple[ApiToken, str]:
    """A new token acting as `user`; the token itself is returned this once only."""
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise InvalidContent(
            f"an API token needs a name of 1-{NAME_MAX_LENGTH} characters saying who uses it"
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken(name=name, token_hash=hash_device_token(token), user=user, created_at=now)
    session.add(api_token)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="api_token",
        entity_id=api_token.id,
        summary=f"API token {name!r} for {user.username}",
        after=snapshot(api_token),
        now=now,
    )
    return api_token, token


def revoke_api_token(session: Session, *, token_id: int, actor: Actor, now: datetime) -> ApiToken:
    api_token = session.get(ApiToken, token_id)
    if api_token is None:
        raise NotFound(f"no API token with id {token_id}")
    if api_token.revoked_at is None:
        before = snapshot(api_token)
        api_token.revoked_at = now
        session.add(api_token)
        session.flush()
        record_change(
            session,
            actor=actor,
            action="revoke",
            entity="api_token",
            entity_id=api_token.id,
            summary=f"API token {api_token.name!r}",
            before=before,
            after=snapshot(api_token),
            now=now,
        )
    return api_token


def list_api_tokens(session: Session) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).order_by(col(ApiToken.id))))


def authenticate_api_token(session: Session, *, token: str | None, now: datetime) -> Actor:
    """Who a request with `token` acts as; raises InvalidCredentials for no or a dead token."""
    if not token:
        raise InvalidCredentials("this endpoint needs an API token: Authorization: Bearer anslag_…")
    api_token = session.exec(
        select(ApiToken).where(ApiToken.token_hash == hash_device_token(token))
    ).first()
    if api_token is None or api_token.revoked_at is not None:
        raise InvalidCredentials("the API token is not valid (unknown or revoked)")
    api_token.last_used_at = now
    session.add(api_token)
    return user_actor(api_token.user, via=f"API token {api_token.name!r}")
