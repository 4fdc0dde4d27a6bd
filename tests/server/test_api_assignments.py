"""The schedule API: token auth, CRUD, 409 on a stale revision, and tags reaching every screen."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from anslag_testing.schedules import api_headers, place, slides
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine

from playlists.manifest import parse_manifest
from server.db import session_scope
from server.models import Role
from server.services import content

pytestmark = pytest.mark.anyio
MANIFEST = "/api/device/v1/manifest"


@dataclass(frozen=True)
class Place:
    location_id: int
    screen_token: str


@dataclass(frozen=True)
class Municipality:
    shop: Place
    hall: Place
    health_centre: Place
    playlist_id: int


def arrange(engine: Engine, clock: FakeClock) -> Municipality:
    """Three locations with a screen each; two carry the tag 'tornedalen'. One playlist."""
    places = []
    with session_scope(engine) as session:
        for name, tags in (
            ("Byabutiken i Svanstein", ["svanstein", "tornedalen"]),
            ("Sporthallen", ["tornedalen"]),
            ("Hälsocentralen", []),
        ):
            location = place(session, name=name, tags=tags, now=clock())
            _screen, token = content.create_screen(
                session, location=location, name="Skärm", now=clock()
            )
            assert location.id is not None
            places.append(Place(location.id, token))
        playlist = content.create_playlist(
            session, name="Tornedalen", entries=slides(session, "Älvdalens dag", now=clock())
        )
        assert playlist.id is not None
        shop, hall, health_centre = places
        return Municipality(shop, hall, health_centre, playlist.id)


async def etag(client: httpx.AsyncClient, place: Place) -> str:
    response = await client.get(MANIFEST, headers=bearer(place.screen_token))
    assert response.status_code == 200
    return response.headers["etag"]


async def playlists_on(client: httpx.AsyncClient, place: Place) -> list[str]:
    response = await client.get(MANIFEST, headers=bearer(place.screen_token))
    return [playlist.name for playlist in parse_manifest(response.content).playlists]


async def test_without_a_token_401_and_with_a_moderators_403(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    moderator = api_headers(engine, now=clock(), role=Role.MODERATOR)

    assert (await client.get("/api/v1/assignments")).status_code == 401
    assert (await client.get("/api/v1/assignments", headers=moderator)).status_code == 403


async def test_a_tag_assignment_reaches_every_location_with_the_tag_and_changes_their_etags(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    town = arrange(engine, clock)
    headers = api_headers(engine, now=clock())
    before = {
        place: await etag(client, place) for place in (town.shop, town.hall, town.health_centre)
    }

    created = await client.post(
        "/api/v1/assignments",
        json={"playlist_id": town.playlist_id, "location_tag": "tornedalen"},
        headers=headers,
    )
    after = {place: await etag(client, place) for place in before}

    assert created.status_code == 201
    assert after[town.shop] != before[town.shop]
    assert after[town.hall] != before[town.hall]
    assert after[town.health_centre] == before[town.health_centre]
    assert await playlists_on(client, town.shop) == ["Tornedalen"]
    assert await playlists_on(client, town.hall) == ["Tornedalen"]
    assert await playlists_on(client, town.health_centre) == []


async def test_an_assignment_is_created_read_changed_and_deleted_with_its_revision(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    town = arrange(engine, clock)
    headers = api_headers(engine, now=clock())

    created = await client.post(
        "/api/v1/assignments",
        json={
            "playlist_id": town.playlist_id,
            "location_id": town.shop.location_id,
            "weekdays": [6, 7],
            "start_time": "22:00",
            "end_time": "02:00",
            "first_day": "2026-03-28",
            "last_day": "2026-03-29",
            "priority": 10,
        },
        headers=headers,
    )
    body = created.json()
    url = f"/api/v1/assignments/{body['id']}"
    changed = await client.put(url, json={**body, "priority": 20}, headers=headers)
    stale = await client.put(url, json={**body, "priority": 30}, headers=headers)
    read = await client.get(url, headers=headers)
    stale_delete = await client.delete(url, params={"revision": body["revision"]}, headers=headers)
    deleted = await client.delete(
        url, params={"revision": read.json()["revision"]}, headers=headers
    )

    assert created.status_code == 201
    assert (body["playlist_name"], body["weekdays"], body["start_time"], body["end_time"]) == (
        "Tornedalen",
        [6, 7],
        "22:00:00",
        "02:00:00",
    )
    assert (body["valid_from"], body["valid_until"]) == (
        "2026-03-27T23:00:00Z",
        "2026-03-29T22:00:00Z",
    )
    assert (body["first_day"], body["last_day"]) == ("2026-03-28", "2026-03-29")
    assert changed.status_code == 200
    assert changed.json()["revision"] != body["revision"]
    assert stale.status_code == 409
    assert "changed by someone else meanwhile" in stale.json()["detail"]
    assert read.json()["priority"] == 20
    assert stale_delete.status_code == 409
    assert deleted.status_code == 204
    assert (await client.get(url, headers=headers)).status_code == 404


async def test_an_assignment_for_both_a_location_and_a_tag_is_refused_with_422(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    town = arrange(engine, clock)
    headers = api_headers(engine, now=clock())

    refused = await client.post(
        "/api/v1/assignments",
        json={
            "playlist_id": town.playlist_id,
            "location_id": town.shop.location_id,
            "location_tag": "tornedalen",
        },
        headers=headers,
    )

    assert refused.status_code == 422
    assert "one location or for one location tag" in refused.json()["detail"]
    assert (await client.get("/api/v1/assignments", headers=headers)).json() == []
