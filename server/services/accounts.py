"""Admin accounts: users and their roles, passwords, login sessions and login throttling.

Passwords are kept as argon2id hashes. A login fails with one generic
`InvalidCredentials` whether the username or the password was wrong, and takes
as long either way. Failed logins are recorded per username and per client
address; past a few of them, each further attempt has to wait longer
(`TooManyAttempts`), so guessing is slow while a person who mistyped a few
times is barely held up. Session tokens live in a cookie; the database keeps
only their sha256, like a screen's token.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from server.errors import (
    AlreadyExists,
    InvalidContent,
    InvalidCredentials,
    TooManyAttempts,
    WeakPassword,
)
from server.models import LoginFailure, LoginSession, Role, User

MIN_PASSWORD_LENGTH = 10
# A session ends after this long unused, and in any case this long after login.
SESSION_IDLE_TIMEOUT = timedelta(hours=12)
SESSION_MAX_AGE = timedelta(days=30)
# Like a screen's last-seen: a page view writes the session at most this often.
SESSION_TOUCH_RESOLUTION = timedelta(minutes=1)
# Failures older than this are forgotten.
FAILURE_WINDOW = timedelta(hours=1)
# A person mistypes a few times; an office behind one address mistypes more often.
FREE_FAILURES_PER_USERNAME = 5
FREE_FAILURES_PER_ADDRESS = 20
FIRST_DELAY = timedelta(seconds=15)
MAX_DELAY = timedelta(minutes=15)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@functools.cache
def _hasher() -> PasswordHasher:
    # argon2-cffi's defaults are argon2id with the RFC 9106 low-memory parameters.
    return PasswordHasher()


@functools.cache
def _decoy_hash() -> str:
    """A hash to verify against when the username is unknown, so that takes as long."""
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password_strength(password: str) -> None:
    """Raise WeakPassword when `password` is shorter than MIN_PASSWORD_LENGTH characters."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(
            f"the password has {len(password)} characters; "
            f"use at least {MIN_PASSWORD_LENGTH} (a few words in a row are easy to remember)",
            min_length=MIN_PASSWORD_LENGTH,
        )


def normalise_username(username: str) -> str:
    """Usernames are compared without case and surrounding blanks: " Anna " is "anna"."""
    return username.strip().lower()


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str | None = None,
    now: datetime,
) -> User:
    """A new account; the username is stored in lower case and must not be taken."""
    username = normalise_username(username)
    if not _USERNAME.fullmatch(username):
        raise InvalidContent(
            f"username {username!r} must be 1-64 letters a-z, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    display_name = (display_name or username).strip()
    if not display_name or len(display_name) > 200:
        raise InvalidContent(f"display name {display_name[:40]!r} must be 1-200 characters")
    check_password_strength(password)
    if find_user(session, username=username) is not None:
        raise AlreadyExists(f"a user named {username!r} already exists")
    user = User(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        role=Role(role).value,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, *, username: str) -> User | None:
    return session.exec(select(User).where(User.username == normalise_username(username))).first()


def authenticate(
    session: Session, *, username: str, password: str, address: str, now: datetime
) -> User:
    """The user whose password this is; InvalidCredentials or TooManyAttempts otherwise.

    InvalidCredentials leaves the failure recorded in `session`: commit it even
    though this raised (the login form does, as it shows the error), or the
    throttle never learns of it.
    """
    username = normalise_username(username)
    _refuse_while_throttled(session, username=username, address=address, now=now)
    user = find_user(session, username=username) if username else None
    # Verified against a decoy for unknown users: a quick answer would tell them apart.
    matches = _password_matches(user.password_hash if user else _decoy_hash(), password)
    if user is None or not matches:
        _record_failure(session, username=username, address=address, now=now)
        raise InvalidCredentials("wrong username or password")
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    session.add(user)
    session.exec(delete(LoginFailure).where(col(LoginFailure.username) == username))
    session.flush()
    return user


def change_password(
    session: Session,
    *,
    user: User,
    old_password: str,
    new_password: str,
    address: str,
    now: datetime,
    keep: LoginSession | None = None,
) -> None:
    """Set a new password, after checking the old one; every other session of `user` ends.

    A wrong old password counts as a failed login, recorded like `authenticate`
    does: a borrowed, logged-in phone must not become a way to guess the password.
    """
    _refuse_while_throttled(session, username=user.username, address=address, now=now)
    if not _password_matches(user.password_hash, old_password):
        _record_failure(session, username=user.username, address=address, now=now)
        raise InvalidCredentials("the current password is wrong")
    check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    session.add(user)
    others = delete(LoginSession).where(col(LoginSession.user_id) == user.id)
    if keep is not None:
        others = others.where(col(LoginSession.id) != keep.id)
    session.exec(others)
    session.flush()


@dataclass(frozen=True)
class _Failures:
    count: int
    latest: datetime | None


def _failures(
    session: Session, *, username: str | None, address: str | None, since: datetime
) -> _Failures:
    query = select(func.count(), func.max(col(LoginFailure.failed_at))).where(
        col(LoginFailure.failed_at) > since
    )
    if username is not None:
        query = query.where(col(LoginFailure.username) == username)
    if address is not None:
        query = query.where(col(LoginFailure.address) == address)
    # max() takes the column's type, so `latest` comes back aware UTC like the column.
    count, latest = session.exec(query).one()
    return _Failures(count, latest)


def login_delay(failures: int, free: int) -> timedelta:
    """How long to wait after the latest of `failures` before the next attempt."""
    if failures < free:
        return timedelta(0)
    # The exponent is capped: a flood of failures must not overflow timedelta.
    return min(MAX_DELAY, FIRST_DELAY * (1 << min(failures - free, 16)))


def _refuse_while_throttled(
    session: Session, *, username: str, address: str, now: datetime
) -> None:
    since = now - FAILURE_WINDOW
    checks = (
        (
            "username",
            _failures(session, username=username, address=None, since=since),
            FREE_FAILURES_PER_USERNAME,
        ),
        (
            "address",
            _failures(session, username=None, address=address, since=since),
            FREE_FAILURES_PER_ADDRESS,
        ),
    )
    for what, failures, free in checks:
        if failures.latest is None:
            continue
        wait = failures.latest + login_delay(failures.count, free) - now
        if wait > timedelta(0):
            seconds = math.ceil(wait.total_seconds())
            raise TooManyAttempts(
                f"too many failed logins for this {what}; try again in {seconds} s",
                retry_after_s=seconds,
            )


def _record_failure(session: Session, *, username: str, address: str, now: datetime) -> None:
    session.add(LoginFailure(username=username[:200], address=address[:64], failed_at=now))
    session.exec(delete(LoginFailure).where(col(LoginFailure.failed_at) <= now - FAILURE_WINDOW))
    session.flush()


def hash_session_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(session: Session, *, user: User, now: datetime) -> tuple[LoginSession, str]:
    """A new login session for `user` and its token, which only the browser's cookie holds."""
    # Sessions that ran out are swept here rather than by a job: logins are rare enough.
    session.exec(delete(LoginSession).where(col(LoginSession.expires_at) <= now))
    token = secrets.token_urlsafe(32)
    login = LoginSession(
        token_hash=hash_session_token(token),
        user=user,
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + SESSION_IDLE_TIMEOUT,
        last_seen_at=now,
    )
    session.add(login)
    session.flush()
    return login, token


def load_session(session: Session, *, token: str | None, now: datetime) -> LoginSession:
    """The live session holding `token`, its expiry pushed on; InvalidCredentials otherwise."""
    if not token:
        raise InvalidCredentials("not logged in")
    login = session.exec(
        select(LoginSession).where(LoginSession.token_hash == hash_session_token(token))
    ).first()
    if login is None:
        raise InvalidCredentials("the session is unknown or has ended")
    if login.expires_at <= now:
        session.delete(login)
        session.flush()
        raise InvalidCredentials("the session has expired")
    if now - login.last_seen_at >= SESSION_TOUCH_RESOLUTION:
        login.last_seen_at = now
        login.expires_at = min(now + SESSION_IDLE_TIMEOUT, login.created_at + SESSION_MAX_AGE)
        session.add(login)
        session.flush()
    return login


def end_session(session: Session, *, login: LoginSession) -> None:
    """Log out: the session's token stops working."""
    session.delete(login)
    session.flush()
