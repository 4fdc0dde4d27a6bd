"""The locations API: an API token of a role that may manage screens creates, changes and
deletes locations; others may read them; a stale version is refused with 409."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.admin import api_headers
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine
from sqlmodel import select

from server.db import session_scope
from server.models import AuditEntry, Location, Role
from server.services import content

pytestmark = pytest.mark.anyio

LOCATIONS = "/api/v1/locations"
SHOP = {
    "name": "Byabutiken i Svanstein",
    "timezone": "Europe/Stockholm",
    "languages": ["sv", "fit"],
    "language_mode": "alternate",
    "address": "Byavägen 12",
    "latitude": 66.6517,
    "longitude": 23.8566,
    "municipality_code": "2518",
    "tags": ["Svanstein", "Tornedalen norra"],
    "opening_hours": [
        {"weekday": 5, "opens": "18:00", "closes": "02:00"},
        {"weekday": 1, "opens": "09:00", "closes": "18:00"},
    ],
}


@pytest.fixture
def it(engine: Engine, clock: FakeClock) -> dict[str, str]:
    """The headers of an admin's API token (IT manages the screens)."""
    return api_headers(engine, now=clock(), role=Role.ADMIN)


async def test_a_location_is_created_read_and_listed(
    client: httpx.AsyncClient, it: dict[str, str], engine: Engine, clock: FakeClock
) -> None:
    created = await client.post(LOCATIONS, json=SHOP, headers=it)

    assert created.status_code == 201
    body = created.json()
    assert body | {"id": 0, "created_at": None} == {
        **SHOP,
        "id": 0,
        "slug": "byabutiken-i-svanstein",
        "tags": ["svanstein", "tornedalen-norra"],
        "opening_hours": [
            {"weekday": 1, "opens": "09:00:00", "closes": "18:00:00"},
            {"weekday": 5, "opens": "18:00:00", "closes": "02:00:00"},
        ],
        "version": 1,
        "created_at": None,
    }
    viewer = api_headers(engine, now=clock(), role=Role.MODERATOR)
    assert (await client.get(f"{LOCATIONS}/{body['id']}", headers=viewer)).json() == body
    assert (await client.get(LOCATIONS, headers=viewer)).json() == [body]
    with session_scope(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "location")).one()
        assert entry.actor == "admin via API token 'Intranätet'"


async def test_every_wrong_field_is_named_and_nothing_is_stored(
    client: httpx.AsyncClient, it: dict[str, str], engine: Engine
) -> None:
    wrong = {
        **SHOP,
        "slug": "Byabutiken!",
        "latitude": 166.0,
        "languages": [],
        "opening_hours": [{"weekday": 2, "opens": "08:00", "closes": "08:00"}],
    }

    answer = await client.post(LOCATIONS, json=wrong, headers=it)
    nonsense = await client.post(LOCATIONS, json={**SHOP, "colour": "red"}, headers=it)

    assert answer.status_code == 422
    detail = answer.json()["detail"]
    for problem in (
        "The short name may hold lowercase letters",
        "The latitude must be between -90 and 90.",
        "Choose at least one display language.",
        "Tuesday: it opens and closes at the same time.",
    ):
        assert problem in detail
    assert nonsense.status_code == 422
    assert "colour" in nonsense.text
    with session_scope(engine) as session:
        assert session.exec(select(Location)).all() == []


async def test_a_change_needs_the_current_version(
    client: httpx.AsyncClient, it: dict[str, str], engine: Engine
) -> None:
    location = (await client.post(LOCATIONS, json=SHOP, headers=it)).json()
    path = f"{LOCATIONS}/{location['id']}"

    renamed = await client.patch(path, json={"version": 1, "name": "Butiken"}, headers=it)
    stale = await client.patch(path, json={"version": 1, "name": "Affären"}, headers=it)
    cleared = await client.patch(
        path, json={"version": 2, "latitude": None, "longitude": None}, headers=it
    )

    assert renamed.status_code == 200
    assert renamed.json() | {"version": 2, "name": "Butiken"} == renamed.json()
    assert renamed.json()["tags"] == ["svanstein", "tornedalen-norra"]
    assert stale.status_code == 409
    assert "someone else" in stale.json()["detail"]
    assert cleared.status_code == 200
    assert (cleared.json()["latitude"], cleared.json()["longitude"]) == (None, None)
    assert cleared.json()["name"] == "Butiken"


async def test_a_location_with_screens_is_not_deleted(
    client: httpx.AsyncClient, it: dict[str, str], engine: Engine, clock: FakeClock
) -> None:
    location = (await client.post(LOCATIONS, json=SHOP, headers=it)).json()
    empty = (await client.post(LOCATIONS, json={**SHOP, "name": "Tomma hallen"}, headers=it)).json()
    with session_scope(engine) as session:
        shop = session.get(Location, location["id"])
        assert shop is not None
        content.create_screen(session, location=shop, name="Vid kassan", now=clock())

    refused = await client.delete(f"{LOCATIONS}/{location['id']}", headers=it)
    deleted = await client.delete(f"{LOCATIONS}/{empty['id']}", headers=it)

    assert refused.status_code == 409
    assert "'Vid kassan'" in refused.json()["detail"]
    assert deleted.status_code == 204
    assert (await client.get(f"{LOCATIONS}/{empty['id']}", headers=it)).status_code == 404


async def test_who_may_do_what(
    client: httpx.AsyncClient, it: dict[str, str], engine: Engine, clock: FakeClock
) -> None:
    editor = api_headers(engine, now=clock(), role=Role.EDITOR)
    location = (await client.post(LOCATIONS, json=SHOP, headers=it)).json()
    path = f"{LOCATIONS}/{location['id']}"

    answers = {
        "anonymous list": (await client.get(LOCATIONS)).status_code,
        "wrong token": (await client.get(LOCATIONS, headers=bearer("anslag_nej"))).status_code,
        "editor list": (await client.get(LOCATIONS, headers=editor)).status_code,
        "editor create": (await client.post(LOCATIONS, json=SHOP, headers=editor)).status_code,
        "editor change": (
            await client.patch(path, json={"version": 1, "name": "X"}, headers=editor)
        ).status_code,
        "editor delete": (await client.delete(path, headers=editor)).status_code,
    }

    assert answers == {
        "anonymous list": 401,
        "wrong token": 401,
        "editor list": 200,
        "editor create": 403,
        "editor change": 403,
        "editor delete": 403,
    }
