"""What a screen gets from GET /api/device/v1/manifest: its content, ETags, 304s and 401s."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from anslag_testing.server_app import FakeClock, bearer, png
from sqlalchemy import Engine

from playlists.manifest import TextItem, parse_manifest
from server.db import session_scope
from server.models import Item
from server.services import content
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.anyio

MANIFEST = "/api/device/v1/manifest"


@dataclass(frozen=True)
class Shop:
    token: str
    news_id: int
    picture_sha256: str


def arrange_shop(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock, *, news_for: timedelta | None
) -> Shop:
    """The village shop's screen playing a picture and a news slide (ending after `news_for`)."""
    now = clock()
    with session_scope(engine) as session:
        shop = content.create_location(
            session,
            slug="byabutiken",
            name="Byabutiken i Svanstein",
            timezone="Europe/Stockholm",
            languages=["sv", "fit"],
            now=now,
        )
        _screen, token = content.create_screen(session, location=shop, name="Kassan", now=now)
        picture = content.store_media(
            session, storage, data=png(), media_type="image/png", original_name="a.png", now=now
        )
        image = content.create_image_item(session, asset=picture, now=now)
        news = content.create_text_item(
            session,
            texts={"sv": ("Vägen är lagad", "Äntligen."), "fit": ("Tie on korjattu", "")},
            valid_until=now + news_for if news_for else None,
            now=now,
        )
        playlist = content.create_playlist(session, name="Butiken", entries=[image, news])
        content.assign_playlist(session, playlist=playlist, location=shop)

        hall = content.create_location(
            session,
            slug="sporthallen",
            name="Sporthallen",
            timezone="Europe/Stockholm",
            languages=["sv", "fi"],
            now=now,
        )
        match = content.create_text_item(session, texts={"sv": ("Match i kväll", "")}, now=now)
        content.assign_playlist(
            session,
            playlist=content.create_playlist(session, name="Hallen", entries=[match]),
            location=hall,
        )
        assert news.id is not None
        return Shop(token=token, news_id=news.id, picture_sha256=picture.sha256)


@pytest.fixture
def shop(engine: Engine, storage: LocalMediaStorage, clock: FakeClock) -> Shop:
    return arrange_shop(engine, storage, clock, news_for=None)


def titles(response: httpx.Response) -> list[str]:
    manifest = parse_manifest(response.content)
    return [item.texts["sv"].title for item in manifest.items if isinstance(item, TextItem)]


async def test_manifest_without_a_token_is_refused_with_a_bearer_challenge(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    response = await client.get(MANIFEST)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in response.json()["detail"]


async def test_manifest_with_a_wrong_token_is_refused(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    response = await client.get(MANIFEST, headers=bearer(shop.token + "x"))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "not valid" in response.json()["detail"]


async def test_screen_gets_what_is_assigned_to_its_location_and_nothing_else(
    client: httpx.AsyncClient, shop: Shop, clock: FakeClock
) -> None:
    response = await client.get(MANIFEST, headers=bearer(shop.token))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-cache"
    manifest = parse_manifest(response.content)
    assert manifest.location.id == "byabutiken"
    assert manifest.location.languages == ("sv", "fit")
    assert manifest.generated_at == clock()
    assert manifest.valid_until == clock() + timedelta(days=7)
    assert titles(response) == ["Vägen är lagad"]
    [playlist] = manifest.playlists
    assert [manifest.item(entry.item).kind for entry in playlist.entries] == ["image", "text"]
    assert [asset.sha256 for asset in manifest.assets] == [shop.picture_sha256]
    assert response.headers["ETag"] == f'"{manifest.content_hash()}"'


async def test_unchanged_manifest_answers_304_without_a_body(
    client: httpx.AsyncClient, shop: Shop
) -> None:
    first = await client.get(MANIFEST, headers=bearer(shop.token))
    etag = first.headers["ETag"]

    for if_none_match in (etag, f"W/{etag}", f'"0000", {etag}', "*"):
        again = await client.get(
            MANIFEST, headers={**bearer(shop.token), "If-None-Match": if_none_match}
        )
        assert again.status_code == 304, if_none_match
        assert again.content == b""
        assert again.headers["ETag"] == etag


async def test_a_stale_etag_gets_the_full_manifest(client: httpx.AsyncClient, shop: Shop) -> None:
    response = await client.get(MANIFEST, headers={**bearer(shop.token), "If-None-Match": '"0"'})

    assert response.status_code == 200
    assert titles(response) == ["Vägen är lagad"]


async def test_etag_stays_the_same_between_polls_when_nothing_changed(
    client: httpx.AsyncClient, shop: Shop, clock: FakeClock
) -> None:
    first = await client.get(MANIFEST, headers=bearer(shop.token))
    clock.advance(timedelta(hours=3))
    later = await client.get(MANIFEST, headers=bearer(shop.token))

    assert later.headers["ETag"] == first.headers["ETag"]
    assert parse_manifest(later.content).generated_at == clock()


async def test_etag_changes_when_a_title_is_edited(
    client: httpx.AsyncClient, shop: Shop, engine: Engine
) -> None:
    before = await client.get(MANIFEST, headers=bearer(shop.token))
    with session_scope(engine) as session:
        news = session.get_one(Item, shop.news_id)
        news.texts = {**news.texts, "sv": {"title": "Vägen är stängd igen", "body": ""}}
        session.add(news)

    after = await client.get(
        MANIFEST, headers={**bearer(shop.token), "If-None-Match": before.headers["ETag"]}
    )

    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert titles(after) == ["Vägen är stängd igen"]


async def test_etag_changes_when_an_item_expires(
    client: httpx.AsyncClient, engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    shop = arrange_shop(engine, storage, clock, news_for=timedelta(hours=1))
    before = await client.get(MANIFEST, headers=bearer(shop.token))
    clock.advance(timedelta(hours=2))

    after = await client.get(
        MANIFEST, headers={**bearer(shop.token), "If-None-Match": before.headers["ETag"]}
    )

    assert titles(before) == ["Vägen är lagad"]
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert titles(after) == []


async def test_a_replaced_token_no_longer_opens_the_manifest(
    client: httpx.AsyncClient, shop: Shop, engine: Engine
) -> None:
    with session_scope(engine) as session:
        screen = content.find_location(session, slug="byabutiken").screens[0]
        new_token = content.issue_screen_token(session, screen=screen)

    old = await client.get(MANIFEST, headers=bearer(shop.token))
    new = await client.get(MANIFEST, headers=bearer(new_token))

    assert old.status_code == 401
    assert new.status_code == 200


async def test_health_answers_without_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_a_polling_screen_is_marked_as_seen(
    client: httpx.AsyncClient, shop: Shop, engine: Engine, clock: FakeClock
) -> None:
    await client.get(MANIFEST, headers=bearer(shop.token))

    with session_scope(engine) as session:
        screen = content.find_location(session, slug="byabutiken").screens[0]
        assert screen.last_seen_at == clock()
