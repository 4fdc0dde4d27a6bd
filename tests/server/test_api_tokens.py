"""API tokens act as their user, are kept only hashed, and stop working when revoked."""

from __future__ import annotations

import pytest
from anslag_testing.admin import add_api_token, add_user
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import select

from server.db import session_scope
from server.errors import InvalidContent, InvalidCredentials
from server.models import ApiToken, AuditEntry, Role, User
from server.services.api_tokens import (
    authenticate_api_token,
    create_api_token,
    revoke_api_token,
)
from server.services.permissions import SYSTEM_ACTOR, Permission


def test_a_token_acts_as_its_user_with_that_users_role(engine: Engine, clock: FakeClock) -> None:
    user_id = add_user(engine, now=clock(), role=Role.EDITOR)
    token = add_api_token(engine, now=clock(), user_id=user_id, name="Intranätet")

    with session_scope(engine) as session:
        actor = authenticate_api_token(session, token=token, now=clock())
    with session_scope(engine) as session:
        stored = session.exec(select(ApiToken)).one()
        stored_hash, last_used_at = stored.token_hash, stored.last_used_at

    assert token.startswith("anslag_")
    assert actor.name == "anna via API token 'Intranätet'"
    assert actor.can(Permission.EDIT_CONTENT)
    assert not actor.can(Permission.MANAGE_SCREENS)
    assert token not in stored_hash
    assert last_used_at == clock()


def test_a_revoked_or_unknown_token_is_refused_alike(engine: Engine, clock: FakeClock) -> None:
    user_id = add_user(engine, now=clock())
    token = add_api_token(engine, now=clock(), user_id=user_id)
    with session_scope(engine) as session:
        token_id = session.exec(select(ApiToken.id)).one()
        assert token_id is not None
        revoke_api_token(session, token_id=token_id, actor=SYSTEM_ACTOR, now=clock())

    for attempt in (token, "anslag_guess", None):
        with session_scope(engine) as session, pytest.raises(InvalidCredentials):
            authenticate_api_token(session, token=attempt, now=clock())
    with session_scope(engine) as session:
        actions = [entry.action for entry in session.exec(select(AuditEntry))]
    assert actions == ["create", "revoke"]


def test_a_token_needs_a_name_saying_who_uses_it(engine: Engine, clock: FakeClock) -> None:
    add_user(engine, now=clock())
    with session_scope(engine) as session:
        owner = session.exec(select(User)).one()
        with pytest.raises(InvalidContent, match="needs a name"):
            create_api_token(session, user=owner, name="  ", actor=SYSTEM_ACTOR, now=clock())
    with session_scope(engine) as session:
        assert session.exec(select(ApiToken)).all() == []
