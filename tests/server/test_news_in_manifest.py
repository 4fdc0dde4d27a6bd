"""A polled feed entry reaches the screens: a news slide in the location's manifest, with its
picture downloadable, its words plain text, in the location's languages."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.news import (
    ROAD_PICTURE,
    ROAD_TITLE,
    NewsShop,
    arrange_news_shop,
    pajala_website,
)
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine

from playlists.manifest import Manifest, TextItem, parse_manifest
from server.settings import Settings
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.anyio

MANIFEST = "/api/device/v1/manifest"


@pytest.fixture
def shop(
    engine: Engine, storage: LocalMediaStorage, settings: Settings, clock: FakeClock
) -> NewsShop:
    return arrange_news_shop(engine, storage, settings, pajala_website(), now=clock())


async def manifest_of(client: httpx.AsyncClient, shop: NewsShop) -> Manifest:
    response = await client.get(MANIFEST, headers=bearer(shop.token))
    assert response.status_code == 200
    return parse_manifest(response.content)


def news_slides(manifest: Manifest) -> dict[str, TextItem]:
    return {item.texts["sv"].title: item for item in manifest.items if isinstance(item, TextItem)}


async def test_a_polled_entry_is_a_news_slide_with_its_picture_in_the_manifest(
    client: httpx.AsyncClient, shop: NewsShop
) -> None:
    manifest = await manifest_of(client, shop)

    road = news_slides(manifest)[ROAD_TITLE]
    assert road.id == f"item-{shop.slides[ROAD_TITLE]}"
    assert road.texts["sv"].body.startswith("Isvägen över Torne älv är öppen")
    assert road.image is not None
    assert road.image in {asset.sha256 for asset in manifest.assets}
    picture = await client.get(f"/api/device/v1/assets/{road.image}", headers=bearer(shop.token))
    assert picture.content == ROAD_PICTURE
    [playlist] = manifest.playlists
    assert f"item-{shop.slides[ROAD_TITLE]}" in {entry.item for entry in playlist.entries}


async def test_the_words_a_screen_gets_from_a_feed_are_plain_text(
    client: httpx.AsyncClient, shop: NewsShop
) -> None:
    manifest = await manifest_of(client, shop)

    words = [
        part
        for item in news_slides(manifest).values()
        for text in item.texts.values()
        for part in (text.title, text.body)
    ]
    assert len(words) == 8
    for part in words:
        assert "<" not in part, part
        assert "&" not in part.replace(" & ", ""), part
        assert "evil.example" not in part
    assert "Fish & chips på torget" in news_slides(manifest)


async def test_a_location_in_swedish_and_meankieli_gets_the_swedish_text_of_swedish_news(
    client: httpx.AsyncClient, shop: NewsShop
) -> None:
    manifest = await manifest_of(client, shop)

    assert manifest.location.languages == ("sv", "fit")
    for item in news_slides(manifest).values():
        assert list(item.texts) == ["sv"]
