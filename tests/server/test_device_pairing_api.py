"""A new player pairs by the code it shows: it asks for one, an admin claims it, it is a screen."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine
from sqlmodel import select

from server.db import session_scope
from server.models import AuditEntry, PairingRequest, Screen
from server.services import content
from server.services.pairing import PAIRING_LIFETIME, claim_pairing, format_code
from server.services.permissions import SYSTEM_ACTOR

pytestmark = pytest.mark.anyio

PAIRING = "/api/device/v1/pairing"
MANIFEST = "/api/device/v1/manifest"


def claim(engine: Engine, clock: FakeClock, code: str, *, name: str = "Kassan") -> None:
    with session_scope(engine) as session:
        shop = content.create_location(
            session,
            slug="byabutiken",
            name="Byabutiken i Svanstein",
            timezone="Europe/Stockholm",
            languages=["sv", "fit"],
            now=clock(),
        )
        claim_pairing(session, code=code, location=shop, name=name, actor=SYSTEM_ACTOR, now=clock())


async def test_a_claimed_code_makes_the_player_a_screen_with_the_token_it_already_holds(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    started = await client.post(PAIRING, json={"player_version": "0.4.0", "hostname": "pi-butik"})
    assert started.status_code == 201
    code, token = started.json()["code"], started.json()["token"]
    assert len(code) == 6
    assert code.isalnum()
    assert code.isupper()

    waiting = await client.get(PAIRING, headers=bearer(token))
    assert waiting.json()["status"] == "pending"
    assert (await client.get(MANIFEST, headers=bearer(token))).status_code == 401

    # Typed the way people type a code read off a screen across the room.
    claim(engine, clock, format_code(code).lower())

    paired = await client.get(PAIRING, headers=bearer(token))
    assert paired.json() | {"expires_at": None} == {
        "status": "paired",
        "code": code,
        "expires_at": None,
        "screen": "Kassan",
        "location": "Byabutiken i Svanstein",
    }
    manifest = await client.get(MANIFEST, headers=bearer(token))
    assert manifest.status_code == 200
    assert manifest.json()["location"]["id"] == "byabutiken"
    with session_scope(engine) as session:
        entry = session.exec(select(AuditEntry)).one()
        assert (entry.action, entry.entity, entry.actor) == ("pair", "screen", "system")
        assert entry.after is not None
        assert "token_hash" not in entry.after


async def test_an_expired_code_cannot_be_claimed_and_its_player_is_told_to_start_over(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    started = (await client.post(PAIRING, json={})).json()
    clock.advance(PAIRING_LIFETIME + timedelta(seconds=1))

    expired = await client.get(PAIRING, headers=bearer(started["token"]))
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]
    with pytest.raises(Exception, match="no player is showing the code"):
        claim(engine, clock, started["code"])
    with session_scope(engine) as session:
        assert session.exec(select(Screen)).all() == []


async def test_a_revoked_screen_is_told_so_when_it_asks_about_its_pairing(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    started = (await client.post(PAIRING, json={})).json()
    claim(engine, clock, started["code"])
    with session_scope(engine) as session:
        screen = session.exec(select(Screen)).one()
        screen.token_hash = None
        session.add(screen)

    answer = await client.get(PAIRING, headers=bearer(started["token"]))
    assert answer.status_code == 401
    assert "revoked" in answer.json()["detail"]
    assert (await client.get(MANIFEST, headers=bearer(started["token"]))).status_code == 401


async def test_one_address_asking_for_codes_over_and_over_is_slowed_down(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    answers = [(await client.post(PAIRING, json={})).status_code for _ in range(31)]

    assert answers[:30] == [201] * 30
    assert answers[30] == 429
    with session_scope(engine) as session:
        assert len(session.exec(select(PairingRequest)).all()) == 30


async def test_a_pairing_request_with_nonsense_is_refused_with_the_field_named(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.post(PAIRING, json={"hostname": "x" * 500})
    assert answer.status_code == 422
    assert "hostname" in answer.text
