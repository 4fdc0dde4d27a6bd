"""The playlists API: token auth, create, read, save with its version (409 when stale), delete."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.schedules import api_headers, place, slide_ids
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine

from server.db import session_scope
from server.models import Playlist, Role
from server.services import content

pytestmark = pytest.mark.anyio


def assign_to_a_location(engine: Engine, clock: FakeClock, playlist_id: int) -> None:
    with session_scope(engine) as session:
        shop = place(session, name="Byabutiken i Svanstein", now=clock())
        playlist = session.get_one(Playlist, playlist_id)
        content.assign_playlist(session, playlist=playlist, location=shop)


async def test_without_a_token_the_api_answers_401_and_a_moderator_gets_403(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    moderator = api_headers(engine, now=clock(), role=Role.MODERATOR)

    anonymous = await client.get("/api/v1/playlists")
    refused = await client.post("/api/v1/playlists", json={"name": "Entrén"}, headers=moderator)

    assert anonymous.status_code == 401
    assert refused.status_code == 403
    assert "may not use /api/v1/playlists" in refused.json()["detail"]


async def test_a_created_playlist_is_read_back_with_its_entries_in_order(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    headers = api_headers(engine, now=clock())
    road, market = slide_ids(engine, "Vägen är lagad", "Julmarknad", now=clock())

    created = await client.post(
        "/api/v1/playlists",
        json={
            "name": "Entrén",
            "entries": [
                {"item_id": market, "duration_s": 12},
                {"item_id": road, "valid_until": "2026-02-01T00:00:00+01:00"},
            ],
        },
        headers=headers,
    )
    playlist_id = created.json()["id"]
    read = await client.get(f"/api/v1/playlists/{playlist_id}", headers=headers)
    listed = await client.get("/api/v1/playlists", headers=headers)

    assert created.status_code == 201
    assert read.json() == created.json()
    body = read.json()
    assert (body["name"], body["version"]) == ("Entrén", 1)
    assert [(e["item_id"], e["label"], e["duration_s"]) for e in body["entries"]] == [
        (market, "Julmarknad", 12.0),
        (road, "Vägen är lagad", None),
    ]
    assert body["entries"][1]["valid_until"] == "2026-01-31T23:00:00Z"
    assert body["used_by"] == {"locations": [], "tags": {}}
    assert [p["name"] for p in listed.json()] == ["Entrén"]


async def test_a_save_based_on_an_old_version_gets_409_and_changes_nothing(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    headers = api_headers(engine, now=clock())
    road, market = slide_ids(engine, "Vägen är lagad", "Julmarknad", now=clock())
    created = await client.post(
        "/api/v1/playlists",
        json={"name": "Entrén", "entries": [{"item_id": road}]},
        headers=headers,
    )
    url = f"/api/v1/playlists/{created.json()['id']}"

    first = await client.put(
        url,
        json={"name": "Entrén", "version": 1, "entries": [{"item_id": market}, {"item_id": road}]},
        headers=headers,
    )
    second = await client.put(
        url, json={"name": "Annat", "version": 1, "entries": []}, headers=headers
    )
    stored = await client.get(url, headers=headers)

    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert second.status_code == 409
    assert "saved by someone else meanwhile" in second.json()["detail"]
    assert stored.json()["name"] == "Entrén"
    assert [e["item_id"] for e in stored.json()["entries"]] == [market, road]


async def test_a_playlist_naming_an_item_that_does_not_exist_is_refused_with_422(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    headers = api_headers(engine, now=clock())

    refused = await client.post(
        "/api/v1/playlists",
        json={"name": "Entrén", "entries": [{"item_id": 4242}]},
        headers=headers,
    )
    listed = await client.get("/api/v1/playlists", headers=headers)

    assert refused.status_code == 422
    assert refused.json()["detail"] == "entry 1 names item 4242, which does not exist"
    assert listed.json() == []


async def test_deleting_a_playlist_in_use_gets_409_naming_the_location(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    headers = api_headers(engine, now=clock())
    (road,) = slide_ids(engine, "Vägen är lagad", now=clock())
    used = await client.post(
        "/api/v1/playlists",
        json={"name": "Butiken", "entries": [{"item_id": road}]},
        headers=headers,
    )
    unused = await client.post("/api/v1/playlists", json={"name": "Gammal"}, headers=headers)
    assign_to_a_location(engine, clock, used.json()["id"])

    refused = await client.delete(f"/api/v1/playlists/{used.json()['id']}", headers=headers)
    deleted = await client.delete(f"/api/v1/playlists/{unused.json()['id']}", headers=headers)
    gone = await client.get(f"/api/v1/playlists/{unused.json()['id']}", headers=headers)
    still = await client.get(f"/api/v1/playlists/{used.json()['id']}", headers=headers)

    assert refused.status_code == 409
    assert "Byabutiken i Svanstein" in refused.json()["detail"]
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert still.json()["used_by"]["locations"] == ["Byabutiken i Svanstein"]


async def test_the_openapi_documentation_explains_the_version_field(
    client: httpx.AsyncClient,
) -> None:
    schema = (await client.get("/openapi.json")).json()

    update = schema["components"]["schemas"]["PlaylistUpdate"]["properties"]["version"]
    assert "409" in update["description"]
    assert "/api/v1/playlists/{playlist_id}" in schema["paths"]


async def test_a_playlist_can_hold_upcoming_events_instead_of_an_item(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    headers = api_headers(engine, now=clock())
    (road,) = slide_ids(engine, "Vägen är lagad", now=clock())

    created = await client.post(
        "/api/v1/playlists",
        json={
            "name": "Entrén",
            "entries": [
                {"item_id": road},
                {"dynamic": {"kind": "upcoming_events", "options": {"days": 7}}},
            ],
        },
        headers=headers,
    )
    both = await client.post(
        "/api/v1/playlists",
        json={
            "name": "Fel",
            "entries": [{"item_id": road, "dynamic": {"kind": "upcoming_events"}}],
        },
        headers=headers,
    )
    unknown = await client.post(
        "/api/v1/playlists",
        json={"name": "Fel", "entries": [{"dynamic": {"kind": "weather"}}]},
        headers=headers,
    )

    assert created.status_code == 201
    assert created.json()["entries"][1] == {
        "item_id": None,
        "dynamic": {"kind": "upcoming_events", "options": {"days": 7, "count": 5}},
        "duration_s": None,
        "valid_from": None,
        "valid_until": None,
        "kind": "upcoming_events",
        "label": "Upcoming events here within 7 days, at most 5 at a time",
    }
    assert both.status_code == 422
    assert "either an item_id or a dynamic rule" in both.text
    assert unknown.status_code == 422
    assert "There is no kind of dynamic entry 'weather'" in unknown.json()["detail"]
