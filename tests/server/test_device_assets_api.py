"""GET /api/device/v1/assets/{sha256}: the bytes a screen downloads, whole or resumed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import httpx
import pytest
from anslag_testing.server_app import FakeClock, bearer, png
from sqlalchemy import Engine

from server.db import session_scope
from server.services import content
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Download:
    token: str
    data: bytes
    url: str


@pytest.fixture
def download(engine: Engine, storage: LocalMediaStorage, clock: FakeClock) -> Download:
    data = png(320, 200)
    with session_scope(engine) as session:
        location = content.create_location(
            session,
            slug="halsocentralen",
            name="Hälsocentralen",
            timezone="Europe/Stockholm",
            languages=["sv", "se"],
            now=clock(),
        )
        _screen, token = content.create_screen(
            session, location=location, name="Väntrummet", now=clock()
        )
        asset = content.store_media(
            session,
            storage,
            data=data,
            media_type="image/png",
            original_name="vinter.png",
            now=clock(),
        )
        return Download(token=token, data=data, url=f"/api/device/v1/assets/{asset.sha256}")


async def test_screen_downloads_the_exact_bytes_cacheable_forever(
    client: httpx.AsyncClient, download: Download
) -> None:
    response = await client.get(download.url, headers=bearer(download.token))

    assert response.status_code == 200
    assert response.content == download.data
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Length"] == str(len(download.data))
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["ETag"] == f'"{hashlib.sha256(download.data).hexdigest()}"'
    assert response.headers["Accept-Ranges"] == "bytes"


async def test_a_range_request_gets_only_that_part(
    client: httpx.AsyncClient, download: Download
) -> None:
    response = await client.get(
        download.url, headers={**bearer(download.token), "Range": "bytes=0-99"}
    )

    assert response.status_code == 206
    assert response.content == download.data[:100]
    assert response.headers["Content-Range"] == f"bytes 0-99/{len(download.data)}"


async def test_an_interrupted_download_resumes_where_it_stopped(
    client: httpx.AsyncClient, download: Download
) -> None:
    received = download.data[:1000]  # what arrived before the connection dropped

    rest = await client.get(
        download.url, headers={**bearer(download.token), "Range": f"bytes={len(received)}-"}
    )

    assert rest.status_code == 206
    size = len(download.data)
    assert rest.headers["Content-Range"] == f"bytes {len(received)}-{size - 1}/{size}"
    whole = received + rest.content
    assert hashlib.sha256(whole).hexdigest() == hashlib.sha256(download.data).hexdigest()


async def test_a_range_past_the_end_is_refused_as_unsatisfiable(
    client: httpx.AsyncClient, download: Download
) -> None:
    size = len(download.data)

    response = await client.get(
        download.url, headers={**bearer(download.token), "Range": f"bytes={size}-"}
    )

    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{size}"


async def test_an_asset_the_screen_already_has_answers_304(
    client: httpx.AsyncClient, download: Download
) -> None:
    first = await client.get(download.url, headers=bearer(download.token))

    again = await client.get(
        download.url, headers={**bearer(download.token), "If-None-Match": first.headers["ETag"]}
    )

    assert again.status_code == 304
    assert again.content == b""


async def test_an_unknown_asset_is_not_found(client: httpx.AsyncClient, download: Download) -> None:
    response = await client.get(f"/api/device/v1/assets/{'0' * 64}", headers=bearer(download.token))

    assert response.status_code == 404
    assert response.json() == {"detail": f"no media asset {'0' * 64}"}


@pytest.mark.parametrize("malformed", ["abc", "A" * 64, "0" * 63 + "g", "0" * 65])
async def test_a_malformed_hash_is_a_bad_request(
    client: httpx.AsyncClient, download: Download, malformed: str
) -> None:
    response = await client.get(
        f"/api/device/v1/assets/{malformed}", headers=bearer(download.token)
    )

    assert response.status_code == 400
    assert "not a sha256" in response.json()["detail"]


async def test_assets_need_a_screen_token(client: httpx.AsyncClient, download: Download) -> None:
    response = await client.get(download.url)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
