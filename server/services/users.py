"""Managing accounts from the admin: adding people, changing roles, setting new passwords."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, delete, func, select

from server.errors import Conflict, NotFound
from server.models import LoginSession, Role, User
from server.services.accounts import check_password_strength, create_user, hash_password
from server.services.audit import record_change, snapshot
from server.services.permissions import Actor


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.username))))


def add_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    actor: Actor,
    now: datetime,
) -> User:
    """A new account with a first password, which its owner then changes."""
    user = create_user(
        session,
        username=username,
        password=password,
        role=role,
        display_name=display_name,
        now=now,
    )
    record_change(
        session,
        actor=actor,
        action="create",
        entity="user",
        entity_id=user.id,
        summary=f"{user.username} ({user.role})",
        after=snapshot(user),
        now=now,
    )
    return user


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


def set_role(session: Session, *, user_id: int, role: Role, actor: Actor, now: datetime) -> User:
    """Give a user another role; the last administrator cannot stop being one."""
    user = _user(session, user_id)
    if user.role == role.value:
        return user
    if user.role == Role.ADMIN.value:
        admins = session.exec(
            select(func.count()).select_from(User).where(User.role == Role.ADMIN.value)
        ).one()
        if admins <= 1:
            raise Conflict(f"{user.username} is the only administrator; make another one first")
    before = snapshot(user)
    user.role = role.value
    session.add(user)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="update",
        entity="user",
        entity_id=user.id,
        summary=f"{user.username}: role {before['role']} → {user.role}",
        before=before,
        after=snapshot(user),
        now=now,
    )
    return user


def set_password(
    session: Session, *, user_id: int, password: str, actor: Actor, now: datetime
) -> User:
    """A new password chosen by an administrator (a forgotten one); the user is logged out."""
    user = _user(session, user_id)
    check_password_strength(password)
    user.password_hash = hash_password(password)
    session.add(user)
    session.exec(delete(LoginSession).where(col(LoginSession.user_id) == user.id))
    session.flush()
    record_change(
        session,
        actor=actor,
        action="update",
        entity="user",
        entity_id=user.id,
        summary=f"{user.username}: new password set by an administrator",
        now=now,
    )
    return user
