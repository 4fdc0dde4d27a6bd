"""Screens prove who they are with a bearer token; the server keeps only its hash."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session

from server.db import session_scope
from server.errors import InvalidDeviceToken
from server.models import Screen
from server.services import content
from server.services.devices import authenticate_device


@pytest.fixture
def screen_token(engine: Engine, clock: FakeClock) -> tuple[int, str]:
    with session_scope(engine) as session:
        location = content.create_location(
            session,
            slug="sporthallen",
            name="Sporthallen",
            timezone="Europe/Stockholm",
            languages=["sv", "fi"],
            now=clock(),
        )
        screen, token = content.create_screen(
            session, location=location, name="Entrén", now=clock()
        )
        assert screen.id is not None
        return screen.id, token


def last_seen(engine: Engine, screen_id: int) -> object:
    with Session(engine) as session:
        return session.get_one(Screen, screen_id).last_seen_at


def test_only_the_hash_of_a_token_is_stored(engine: Engine, screen_token: tuple[int, str]) -> None:
    screen_id, token = screen_token

    with Session(engine) as session:
        stored = session.get_one(Screen, screen_id).token_hash

    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored or "")


def test_last_seen_is_written_at_most_every_thirty_seconds(
    engine: Engine, clock: FakeClock, screen_token: tuple[int, str]
) -> None:
    screen_id, token = screen_token
    first_poll = clock()

    for seconds_later in (0, 10, 29):
        with session_scope(engine) as session:
            authenticate_device(
                session, token=token, now=first_poll + timedelta(seconds=seconds_later)
            )
        assert last_seen(engine, screen_id) == first_poll

    with session_scope(engine) as session:
        authenticate_device(session, token=token, now=first_poll + timedelta(seconds=30))
    assert last_seen(engine, screen_id) == first_poll + timedelta(seconds=30)


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_a_missing_or_unknown_token_is_refused(
    engine: Engine, clock: FakeClock, screen_token: tuple[int, str], token: str | None
) -> None:
    with Session(engine) as session, pytest.raises(InvalidDeviceToken):
        authenticate_device(session, token=token, now=clock())
