"""Screens: paired by the code their player shows, renamed, moved and revoked, each audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from anslag_testing.locations import add_locations
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.db import session_scope
from server.errors import Conflict, Forbidden, InvalidContent, InvalidDeviceToken, NotFound
from server.models import AuditEntry, Location, PlayRecord, Role, Screen
from server.services.devices import authenticate_device
from server.services.manifests import build_manifest
from server.services.pairing import format_code, pairing_status, start_pairing
from server.services.permissions import SYSTEM_ACTOR, Actor
from server.services.screens import (
    move_screen,
    pair_screen,
    pairing_of,
    remove_screen,
    rename_screen,
    revoke_screen,
)

MODERATOR = Actor(user_id=None, name="mona", role=Role.MODERATOR.value)


def paired(engine: Engine, clock: FakeClock) -> tuple[int, int, int, str]:
    """A screen paired at the shop: its id, the two location ids and the player's token."""
    ids = add_locations(engine, now=clock())
    shop, hall = ids["butiken"], ids["hallen"]
    with session_scope(engine) as session:
        request, token = start_pairing(
            session, address="10.0.0.7", player_version="0.4.0", hostname="pi-butik", now=clock()
        )
        screen = pair_screen(
            session,
            code=format_code(request.code).lower(),
            location_id=shop,
            name="Vid kassan",
            actor=SYSTEM_ACTOR,
            now=clock(),
        )
        assert screen.id is not None
        return screen.id, shop, hall, token


def log(engine: Engine) -> list[tuple[str, str, str]]:
    with session_scope(engine) as session:
        return [
            (entry.action, entry.entity, entry.summary)
            for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))
        ]


def test_a_code_typed_loosely_pairs_the_player_and_remembers_its_host(
    engine: Engine, clock: FakeClock
) -> None:
    screen_id, _shop, _hall, token = paired(engine, clock)

    with session_scope(engine) as session:
        assert authenticate_device(session, token=token, now=clock()).id == screen_id
        request = pairing_of(session, screen_id=screen_id)
        assert request is not None
        assert (request.hostname, request.player_version) == ("pi-butik", "0.4.0")


def test_a_wrong_code_pairs_nothing(engine: Engine, clock: FakeClock) -> None:
    shop = add_locations(engine, now=clock())["butiken"]
    with session_scope(engine) as session, pytest.raises(NotFound, match="no player is showing"):
        pair_screen(
            session,
            code="AAA AAA",
            location_id=shop,
            name="Kassan",
            actor=SYSTEM_ACTOR,
            now=clock(),
        )
    with session_scope(engine) as session:
        assert session.exec(select(Screen)).all() == []


def test_a_moderator_may_not_pair_rename_move_or_revoke(engine: Engine, clock: FakeClock) -> None:
    screen_id, shop, hall, _token = paired(engine, clock)
    attempts: list[Callable[[Session], object]] = [
        lambda session: pair_screen(
            session, code="ABCDEF", location_id=shop, name="X", actor=MODERATOR, now=clock()
        ),
        lambda session: rename_screen(
            session, screen_id=screen_id, name="X", actor=MODERATOR, now=clock()
        ),
        lambda session: move_screen(
            session, screen_id=screen_id, location_id=hall, actor=MODERATOR, now=clock()
        ),
        lambda session: revoke_screen(session, screen_id=screen_id, actor=MODERATOR, now=clock()),
    ]
    for attempt in attempts:
        with session_scope(engine) as session, pytest.raises(Forbidden):
            attempt(session)


def test_renaming_needs_a_name_and_is_audited(engine: Engine, clock: FakeClock) -> None:
    screen_id, _shop, _hall, _token = paired(engine, clock)

    with session_scope(engine) as session, pytest.raises(InvalidContent, match="needs a name"):
        rename_screen(session, screen_id=screen_id, name="   ", actor=SYSTEM_ACTOR, now=clock())
    with session_scope(engine) as session:
        rename_screen(
            session, screen_id=screen_id, name=" Kassan ", actor=SYSTEM_ACTOR, now=clock()
        )

    with session_scope(engine) as session:
        screen = session.get(Screen, screen_id)
        assert screen is not None
        assert screen.name == "Kassan"
    assert log(engine)[-1] == ("update", "screen", "screen 'Vid kassan' renamed 'Kassan'")


def test_a_moved_screen_is_sent_its_new_locations_manifest(
    engine: Engine, clock: FakeClock
) -> None:
    screen_id, _shop, hall, token = paired(engine, clock)

    with session_scope(engine) as session:
        move_screen(session, screen_id=screen_id, location_id=hall, actor=SYSTEM_ACTOR, now=clock())

    with session_scope(engine) as session:
        screen = authenticate_device(session, token=token, now=clock())
        manifest = build_manifest(
            session, location=screen.location, now=clock(), horizon=timedelta(days=7)
        )
        assert manifest.location.id == "hallen"
    assert log(engine)[-1] == (
        "move",
        "screen",
        "screen 'Vid kassan' from Byabutiken to Sporthallen",
    )


def test_a_revoked_screen_loses_its_token_and_its_player_is_told_to_pair_again(
    engine: Engine, clock: FakeClock
) -> None:
    screen_id, _shop, _hall, token = paired(engine, clock)

    with session_scope(engine) as session:
        revoke_screen(session, screen_id=screen_id, actor=SYSTEM_ACTOR, now=clock())
    with session_scope(engine) as session:
        # Twice is the same as once: one entry in the log.
        revoke_screen(session, screen_id=screen_id, actor=SYSTEM_ACTOR, now=clock())

    with session_scope(engine) as session:
        screen = session.get(Screen, screen_id)
        assert screen is not None
        assert (screen.token_hash, screen.revoked_at) == (None, clock())
        with pytest.raises(InvalidDeviceToken):
            authenticate_device(session, token=token, now=clock())
        with pytest.raises(InvalidDeviceToken, match="revoked"):
            pairing_status(session, token=token, now=clock())
    assert [entry[0] for entry in log(engine)] == ["pair", "revoke"]


def test_only_a_revoked_screen_can_be_removed_and_its_reports_go_with_it(
    engine: Engine, clock: FakeClock
) -> None:
    screen_id, shop, _hall, _token = paired(engine, clock)
    with session_scope(engine) as session:
        session.add(
            PlayRecord(
                screen_id=screen_id,
                item="item-1",
                started_at=clock(),
                duration_s=8.0,
                received_at=clock(),
            )
        )

    with session_scope(engine) as session, pytest.raises(Conflict, match="revoke it"):
        remove_screen(session, screen_id=screen_id, actor=SYSTEM_ACTOR, now=clock())
    with session_scope(engine) as session:
        revoke_screen(session, screen_id=screen_id, actor=SYSTEM_ACTOR, now=clock())
        remove_screen(session, screen_id=screen_id, actor=SYSTEM_ACTOR, now=clock())

    with session_scope(engine) as session:
        assert session.exec(select(Screen)).all() == []
        assert session.exec(select(PlayRecord)).all() == []
        assert session.get(Location, shop) is not None
    assert log(engine)[-1] == ("delete", "screen", "revoked screen 'Vid kassan' at Byabutiken")
