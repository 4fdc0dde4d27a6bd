"""Accounts: argon2id hashes, one generic login error, throttled guessing, sessions that end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from anslag_testing.admin import PASSWORD, add_user
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.db import session_scope
from server.errors import (
    AlreadyExists,
    InvalidContent,
    InvalidCredentials,
    TooManyAttempts,
    WeakPassword,
)
from server.models import LoginSession, Role, User
from server.services.accounts import (
    FREE_FAILURES_PER_ADDRESS,
    FREE_FAILURES_PER_USERNAME,
    SESSION_IDLE_TIMEOUT,
    SESSION_MAX_AGE,
    authenticate,
    change_password,
    create_user,
    end_session,
    load_session,
    start_session,
)

HOME = "10.0.0.7"


def try_login(
    engine: Engine,
    clock: FakeClock,
    *,
    username: str = "anna",
    password: str = PASSWORD,
    address: str = HOME,
) -> str:
    """Attempt a login as the login form does (committing what a failure recorded)."""
    with Session(engine) as session:
        try:
            user = authenticate(
                session, username=username, password=password, address=address, now=clock()
            )
        except InvalidCredentials as exc:
            outcome = f"refused: {exc}"
        except TooManyAttempts as exc:
            outcome = f"throttled {exc.retry_after_s}"
        else:
            outcome = f"welcome {user.username}"
        session.commit()
    return outcome


def stored_user(engine: Engine, username: str = "anna") -> User:
    with Session(engine) as session:
        return session.exec(select(User).where(User.username == username)).one()


def test_only_an_argon2id_hash_of_the_password_is_stored(engine: Engine, clock: FakeClock) -> None:
    add_user(engine, now=clock())

    user = stored_user(engine)

    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert user.role == "editor"
    assert user.last_login_at is None


def test_usernames_are_unique_whatever_their_case(engine: Engine, clock: FakeClock) -> None:
    add_user(engine, now=clock(), username="anna")

    with session_scope(engine) as session, pytest.raises(AlreadyExists, match="'anna'"):
        create_user(session, username=" Anna ", password=PASSWORD, role=Role.ADMIN, now=clock())


@pytest.mark.parametrize("password", ["", "kort", "123456789"])
def test_a_password_under_ten_characters_is_refused(
    engine: Engine, clock: FakeClock, password: str
) -> None:
    with session_scope(engine) as session, pytest.raises(WeakPassword, match="at least 10"):
        create_user(session, username="anna", password=password, role=Role.EDITOR, now=clock())


@pytest.mark.parametrize("username", ["", "anna svensson", "åsa", "-anna", "a" * 65])
def test_a_username_outside_the_plain_alphabet_is_refused(
    engine: Engine, clock: FakeClock, username: str
) -> None:
    with session_scope(engine) as session, pytest.raises(InvalidContent, match="username"):
        create_user(session, username=username, password=PASSWORD, role=Role.EDITOR, now=clock())


def test_the_right_password_logs_in_and_stamps_the_login(engine: Engine, clock: FakeClock) -> None:
    add_user(engine, now=clock())

    assert try_login(engine, clock, username="ANNA") == "welcome anna"
    assert stored_user(engine).last_login_at == clock()


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(
    engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock())

    wrong_password = try_login(engine, clock, password="fel-lösenord-1")
    unknown_user = try_login(engine, clock, username="bertil")

    assert wrong_password == unknown_user == "refused: wrong username or password"


def test_repeated_failures_slow_down_further_logins_for_that_username(
    engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock())
    for attempt in range(FREE_FAILURES_PER_USERNAME):
        assert try_login(engine, clock, password=f"gissning-{attempt}").startswith("refused")

    # Even the right password waits now, from any address: guessing must not be able to tell.
    assert try_login(engine, clock, address="192.0.2.1") == "throttled 15"
    clock.advance(timedelta(seconds=15))
    assert try_login(engine, clock) == "welcome anna"


def test_each_further_failure_doubles_the_wait(engine: Engine, clock: FakeClock) -> None:
    add_user(engine, now=clock())
    for attempt in range(FREE_FAILURES_PER_USERNAME):
        try_login(engine, clock, password=f"gissning-{attempt}")
    clock.advance(timedelta(seconds=15))

    assert try_login(engine, clock, password="ännu-en-gissning").startswith("refused")

    assert try_login(engine, clock) == "throttled 30"


def test_a_successful_login_clears_the_usernames_failures(engine: Engine, clock: FakeClock) -> None:
    add_user(engine, now=clock())
    for attempt in range(FREE_FAILURES_PER_USERNAME - 1):
        try_login(engine, clock, password=f"gissning-{attempt}")
    assert try_login(engine, clock) == "welcome anna"

    for attempt in range(FREE_FAILURES_PER_USERNAME - 1):
        assert try_login(engine, clock, password=f"igen-{attempt}").startswith("refused")


def test_guessing_many_usernames_from_one_address_slows_that_address_down(
    engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock())
    for attempt in range(FREE_FAILURES_PER_ADDRESS):
        try_login(engine, clock, username=f"user{attempt}", address="198.51.100.9")

    assert try_login(engine, clock, address="198.51.100.9").startswith("throttled")
    assert try_login(engine, clock, address=HOME) == "welcome anna"


def test_failures_are_forgotten_after_an_hour(engine: Engine, clock: FakeClock) -> None:
    add_user(engine, now=clock())
    for attempt in range(FREE_FAILURES_PER_USERNAME + 3):
        clock.advance(timedelta(minutes=10))
        try_login(engine, clock, password=f"gissning-{attempt}")

    clock.advance(timedelta(hours=1, seconds=1))

    assert try_login(engine, clock) == "welcome anna"


def start(engine: Engine, clock: FakeClock, user_id: int) -> str:
    with session_scope(engine) as session:
        _login, token = start_session(session, user=session.get_one(User, user_id), now=clock())
    return token


def session_user(engine: Engine, clock: FakeClock, token: str) -> str:
    with session_scope(engine) as session:
        try:
            return load_session(session, token=token, now=clock()).user.username
        except InvalidCredentials as exc:
            return f"refused: {exc}"


def test_a_session_is_found_by_its_token_whose_hash_alone_is_stored(
    engine: Engine, clock: FakeClock
) -> None:
    token = start(engine, clock, add_user(engine, now=clock()))

    with Session(engine) as session:
        [login] = session.exec(select(LoginSession)).all()
    assert token not in login.token_hash
    assert login.csrf_token != token
    assert session_user(engine, clock, token) == "anna"
    assert session_user(engine, clock, token + "x").startswith("refused")
    assert session_user(engine, clock, "").startswith("refused")


def test_a_session_ends_after_twelve_idle_hours(engine: Engine, clock: FakeClock) -> None:
    token = start(engine, clock, add_user(engine, now=clock()))
    clock.advance(SESSION_IDLE_TIMEOUT - timedelta(minutes=1))
    assert session_user(engine, clock, token) == "anna"

    # Used just now, so it lives on for another twelve hours, but not one more.
    clock.advance(SESSION_IDLE_TIMEOUT - timedelta(seconds=1))
    assert session_user(engine, clock, token) == "anna"
    clock.advance(SESSION_IDLE_TIMEOUT)
    assert session_user(engine, clock, token) == "refused: the session has expired"


def test_a_session_in_steady_use_still_ends_after_thirty_days(
    engine: Engine, clock: FakeClock
) -> None:
    token = start(engine, clock, add_user(engine, now=clock()))
    every = timedelta(hours=11)
    for _use in range(SESSION_MAX_AGE // every):
        clock.advance(every)
        assert session_user(engine, clock, token) == "anna"

    clock.advance(every)

    assert session_user(engine, clock, token) == "refused: the session has expired"


def test_logging_out_ends_the_session(engine: Engine, clock: FakeClock) -> None:
    token = start(engine, clock, add_user(engine, now=clock()))

    with session_scope(engine) as session:
        end_session(session, login=load_session(session, token=token, now=clock()))

    assert session_user(engine, clock, token) == "refused: the session is unknown or has ended"


def test_changing_the_password_needs_the_old_one_and_ends_the_other_sessions(
    engine: Engine, clock: FakeClock
) -> None:
    user_id = add_user(engine, now=clock())
    phone, laptop = start(engine, clock, user_id), start(engine, clock, user_id)

    with session_scope(engine) as session:
        login = load_session(session, token=phone, now=clock())
        with pytest.raises(InvalidCredentials, match="current password is wrong"):
            change_password(
                session,
                user=login.user,
                old_password="inte-det-gamla",
                new_password="ett-helt-nytt-lösen",
                address=HOME,
                now=clock(),
                keep=login,
            )
        change_password(
            session,
            user=login.user,
            old_password=PASSWORD,
            new_password="ett-helt-nytt-lösen",
            address=HOME,
            now=clock(),
            keep=login,
        )

    assert session_user(engine, clock, phone) == "anna"
    assert session_user(engine, clock, laptop).startswith("refused")
    assert try_login(engine, clock).startswith("refused")
    assert try_login(engine, clock, password="ett-helt-nytt-lösen") == "welcome anna"
