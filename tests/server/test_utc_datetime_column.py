"""Instants are stored as UTC and come back aware, whatever a backend does with zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import StatementError
from sqlmodel import Session

from server.db import session_scope
from server.models import Location


def add_location(engine: Engine, created_at: datetime) -> int:
    with session_scope(engine) as session:
        location = Location(
            slug="svanstein",
            name="Svanstein",
            timezone="Europe/Stockholm",
            languages=["sv"],
            created_at=created_at,
        )
        session.add(location)
        session.flush()
        assert location.id is not None
        return location.id


def test_a_naive_datetime_is_refused_and_nothing_is_stored(engine: Engine) -> None:
    with pytest.raises(StatementError, match="refusing to store naive datetime 2026-01-12T09:00"):
        add_location(engine, datetime(2026, 1, 12, 9, 0))

    with Session(engine) as session:
        assert session.get(Location, 1) is None


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 12, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm")),
        datetime(2026, 7, 1, 23, 30, 15, 250_000, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    ],
)
def test_an_aware_datetime_comes_back_as_the_same_instant_in_utc(
    engine: Engine, moment: datetime
) -> None:
    location_id = add_location(engine, moment)

    with Session(engine) as session:
        stored = session.get_one(Location, location_id).created_at

    assert stored == moment
    assert stored.tzinfo is UTC
    assert stored.utcoffset() == timedelta(0)
