"""The items API: token auth, each kind made and read back, versions (409), deletion, manifests."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from anslag_testing.admin import add_api_token, add_user
from anslag_testing.media import clip
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.db import session_scope
from server.models import AuditEntry, Item, Role
from server.services import content

pytestmark = pytest.mark.anyio

ITEMS = "/api/v1/items"
NEWS = {
    "kind": "text",
    "texts": {
        "sv": {"title": "Vägen är lagad", "body": "Vägen till Juoksengi är öppen igen."},
        "fit": {"title": "Tie on korjattu"},
    },
}


@pytest.fixture
def token(engine: Engine, clock: FakeClock) -> str:
    user_id = add_user(engine, now=clock(), role=Role.EDITOR)
    return add_api_token(engine, now=clock(), user_id=user_id)


async def post(client: httpx.AsyncClient, token: str, body: dict[str, Any]) -> httpx.Response:
    return await client.post(ITEMS, json=body, headers=bearer(token))


async def test_the_api_refuses_a_caller_without_a_token_and_a_role_that_may_not_edit(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    moderator = add_user(engine, now=clock(), username="mona", role=Role.MODERATOR)
    moderator_token = add_api_token(engine, now=clock(), user_id=moderator)

    assert (await client.post(ITEMS, json=NEWS)).status_code == 401
    assert (await post(client, moderator_token, NEWS)).status_code == 403
    assert (await client.get(ITEMS, headers=bearer(moderator_token))).json() == []


async def test_a_news_slide_is_made_read_back_and_its_author_logged(
    client: httpx.AsyncClient, engine: Engine, token: str, clock: FakeClock
) -> None:
    made = await post(client, token, {**NEWS, "duration_s": 12})

    assert made.status_code == 201
    body = made.json()
    assert (body["kind"], body["title"], body["version"], body["duration_s"]) == (
        "text",
        "Vägen är lagad",
        1,
        12,
    )
    assert body["texts"]["fit"] == {"title": "Tie on korjattu", "body": ""}
    assert (await client.get(f"{ITEMS}/{body['id']}", headers=bearer(token))).json() == body
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "item")).one()
        assert entry.actor == "anna via API token 'Intranätet'"


async def test_an_event_takes_times_with_a_zone_and_refuses_naive_ones_naming_the_field(
    client: httpx.AsyncClient, token: str
) -> None:
    event = {
        **NEWS,
        "kind": "event",
        "starts_at": "2026-02-14T10:00:00+01:00",
        "ends_at": "2026-02-14T15:00:00+01:00",
        "place": "Bygdegården",
    }

    made = await post(client, token, event)
    naive = await post(client, token, {**event, "starts_at": "2026-02-14T10:00:00"})

    assert made.status_code == 201
    assert made.json()["starts_at"] == "2026-02-14T09:00:00Z"
    assert made.json()["valid_until"] == "2026-02-14T14:00:00Z"
    assert naive.status_code == 422
    assert "starts_at" in naive.text


async def test_content_no_screen_could_show_is_refused_with_the_reason(
    client: httpx.AsyncClient, token: str, engine: Engine
) -> None:
    german = await post(client, token, {"kind": "text", "texts": {"de": {"title": "Straße"}}})
    no_picture = await post(client, token, {"kind": "image"})

    assert german.status_code == 422
    assert german.json()["detail"] == "Texts are written in sv, fit, se, fi, nb, nn, en, not 'de'"
    assert no_picture.status_code == 422
    assert no_picture.json()["detail"] == "Choose the picture to show"
    with Session(engine) as session:
        assert session.exec(select(Item)).all() == []


async def test_an_update_needs_the_version_it_was_based_on(
    client: httpx.AsyncClient, token: str
) -> None:
    made = (await post(client, token, NEWS)).json()
    url = f"{ITEMS}/{made['id']}"
    first = {**NEWS, "texts": {"sv": {"title": "Första ändringen"}}, "version": 1}
    second = {**NEWS, "texts": {"sv": {"title": "Andra ändringen"}}, "version": 1}

    saved = await client.put(url, json=first, headers=bearer(token))
    stale = await client.put(url, json=second, headers=bearer(token))

    assert (saved.status_code, saved.json()["version"]) == (200, 2)
    assert stale.status_code == 409
    assert stale.json()["detail"] == (
        "Someone else saved this item after you opened it: it is at version 2, "
        "your changes are based on version 1"
    )
    current = (await client.get(url, headers=bearer(token))).json()
    assert (current["title"], current["version"]) == ("Första ändringen", 2)


async def test_a_video_item_in_a_playlist_reaches_the_screens_manifest_with_its_clip(
    client: httpx.AsyncClient, token: str, engine: Engine, clock: FakeClock
) -> None:
    uploaded = await client.post(
        "/api/v1/media",
        files={"file": ("intro.mp4", clip("h264", seconds=2.0), "video/mp4")},
        headers=bearer(token),
    )
    sha256 = uploaded.json()["sha256"]
    made = (await post(client, token, {"kind": "video", "asset": sha256, "loop": True})).json()
    with session_scope(engine) as session:
        shop = content.create_location(
            session,
            slug="byabutiken",
            name="Byabutiken",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=clock(),
        )
        item = session.get_one(Item, made["id"])
        playlist = content.create_playlist(session, name="Butiken", entries=[item])
        content.assign_playlist(session, playlist=playlist, location=shop)
        _screen, screen_token = content.create_screen(
            session, location=shop, name="Kassan", now=clock()
        )

    manifest = (await client.get("/api/device/v1/manifest", headers=bearer(screen_token))).json()

    assert made["duration_s"] == pytest.approx(2.0, abs=0.05)
    assert manifest["items"] == [
        {
            "id": f"item-{made['id']}",
            "kind": "video",
            "duration_s": made["duration_s"],
            "validity": {"valid_from": None, "valid_until": None},
            "asset": sha256,
            "fit": "fit",
            "loop": True,
            "muted": True,
        }
    ]
    assert manifest["assets"] == [
        {"sha256": sha256, "size": uploaded.json()["size"], "media_type": "video/mp4"}
    ]


async def test_an_item_in_a_playlist_cannot_be_deleted_and_an_unused_one_can(
    client: httpx.AsyncClient, token: str, engine: Engine
) -> None:
    used = (await post(client, token, NEWS)).json()
    unused = (await post(client, token, NEWS)).json()
    with session_scope(engine) as session:
        content.create_playlist(
            session, name="Hälsocentralen", entries=[session.get_one(Item, used["id"])]
        )

    refused = await client.delete(f"{ITEMS}/{used['id']}", headers=bearer(token))
    deleted = await client.delete(f"{ITEMS}/{unused['id']}", headers=bearer(token))

    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "'Vägen är lagad' is in the playlists 'Hälsocentralen'; take it out of them first"
    )
    assert deleted.status_code == 204
    listed = (await client.get(ITEMS, headers=bearer(token))).json()
    assert [(entry["id"], entry["playlists"]) for entry in listed] == [
        (used["id"], [{"id": 1, "name": "Hälsocentralen"}])
    ]
