"""The screens API: pair a player by its code, rename and move the screen, revoke and remove
it; reading is for every role, changing for those who manage screens."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.admin import api_headers
from anslag_testing.locations import add_locations
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine

from server.models import Role

pytestmark = pytest.mark.anyio

SCREENS = "/api/v1/screens"
PAIRING = "/api/device/v1/pairing"
MANIFEST = "/api/device/v1/manifest"


@pytest.fixture
def places(engine: Engine, clock: FakeClock) -> dict[str, int]:
    return add_locations(engine, now=clock())


@pytest.fixture
def it(engine: Engine, clock: FakeClock) -> dict[str, str]:
    return api_headers(engine, now=clock(), role=Role.ADMIN)


async def paired(
    client: httpx.AsyncClient, it: dict[str, str], location_id: int
) -> tuple[dict[str, object], dict[str, str]]:
    """A screen paired through the API, and its player's device headers."""
    player = (await client.post(PAIRING, json={})).json()
    answer = await client.post(
        SCREENS,
        json={"code": player["code"].lower(), "name": "Vid kassan", "location_id": location_id},
        headers=it,
    )
    assert answer.status_code == 201, answer.text
    return answer.json(), bearer(player["token"])


async def test_a_player_is_paired_by_its_code_and_listed(
    client: httpx.AsyncClient, it: dict[str, str], places: dict[str, int], clock: FakeClock
) -> None:
    screen, device = await paired(client, it, places["butiken"])
    await client.get(MANIFEST, headers=device)

    listed = (await client.get(SCREENS, headers=it)).json()
    here = (await client.get(SCREENS, params={"location_id": places["hallen"]}, headers=it)).json()

    assert screen | {"id": 0} == {
        "id": 0,
        "name": "Vid kassan",
        "location_id": places["butiken"],
        "location": "butiken",
        "created_at": "2026-01-12T08:00:00Z",
        "last_seen_at": None,
        "online": False,
        "revoked_at": None,
    }
    assert [(entry["name"], entry["online"]) for entry in listed] == [("Vid kassan", True)]
    assert here == []


async def test_a_wrong_code_is_404_and_pairs_nothing(
    client: httpx.AsyncClient, it: dict[str, str], places: dict[str, int]
) -> None:
    answer = await client.post(
        SCREENS,
        json={"code": "ZZZ999", "name": "Kassan", "location_id": places["butiken"]},
        headers=it,
    )

    assert answer.status_code == 404
    assert "no player is showing the code 'ZZZ999'" in answer.json()["detail"]
    assert (await client.get(SCREENS, headers=it)).json() == []


async def test_a_screen_is_renamed_moved_revoked_and_removed(
    client: httpx.AsyncClient, it: dict[str, str], places: dict[str, int]
) -> None:
    screen, device = await paired(client, it, places["butiken"])
    path = f"{SCREENS}/{screen['id']}"

    changed = await client.patch(
        path, json={"name": "Entrén", "location_id": places["hallen"]}, headers=it
    )
    moved_manifest = await client.get(MANIFEST, headers=device)
    in_use = await client.delete(path, headers=it)
    revoked = await client.post(f"{path}/revoke", headers=it)
    refused_manifest = await client.get(MANIFEST, headers=device)
    removed = await client.delete(path, headers=it)

    assert (changed.json()["name"], changed.json()["location"]) == ("Entrén", "hallen")
    assert moved_manifest.json()["location"]["id"] == "hallen"
    assert in_use.status_code == 409
    assert revoked.json()["revoked_at"] == "2026-01-12T08:00:00Z"
    assert refused_manifest.status_code == 401
    assert removed.status_code == 204
    assert (await client.get(path, headers=it)).status_code == 404


async def test_moving_to_a_location_that_does_not_exist_is_404(
    client: httpx.AsyncClient, it: dict[str, str], places: dict[str, int]
) -> None:
    screen, _device = await paired(client, it, places["butiken"])

    answer = await client.patch(f"{SCREENS}/{screen['id']}", json={"location_id": 999}, headers=it)

    assert answer.status_code == 404
    assert (await client.get(f"{SCREENS}/{screen['id']}", headers=it)).json()[
        "location"
    ] == "butiken"


async def test_only_those_who_manage_screens_may_change_them(
    client: httpx.AsyncClient,
    it: dict[str, str],
    places: dict[str, int],
    engine: Engine,
    clock: FakeClock,
) -> None:
    operator = api_headers(engine, now=clock(), role=Role.ALERT_OPERATOR)
    screen, _device = await paired(client, it, places["butiken"])
    path = f"{SCREENS}/{screen['id']}"
    player = (await client.post(PAIRING, json={})).json()

    answers = {
        "anonymous": (await client.get(SCREENS)).status_code,
        "read": (await client.get(path, headers=operator)).status_code,
        "pair": (
            await client.post(
                SCREENS,
                json={"code": player["code"], "name": "X", "location_id": places["hallen"]},
                headers=operator,
            )
        ).status_code,
        "rename": (await client.patch(path, json={"name": "X"}, headers=operator)).status_code,
        "revoke": (await client.post(f"{path}/revoke", headers=operator)).status_code,
        "remove": (await client.delete(path, headers=operator)).status_code,
    }

    assert answers == {
        "anonymous": 401,
        "read": 200,
        "pair": 403,
        "rename": 403,
        "revoke": 403,
        "remove": 403,
    }
    assert (await client.get(path, headers=it)).json()["name"] == "Vid kassan"
