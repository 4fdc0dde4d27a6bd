"""The media library's pages: upload, what the library shows, refusals that keep nothing, delete."""

from __future__ import annotations

from collections.abc import AsyncIterator
from html import unescape
from pathlib import Path

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.media import clip, picture
from anslag_testing.server_app import FakeClock, started
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.app import create_app
from server.db import session_scope
from server.models import MediaAsset, Role
from server.services import content
from server.settings import Settings
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.anyio

LIBRARY = "/admin/media"


@pytest.fixture
async def editor(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> httpx.AsyncClient:
    add_user(engine, now=clock())
    await log_in(client)
    return client


async def send(
    client: httpx.AsyncClient, data: bytes, name: str, *, token: str | None = None
) -> httpx.Response:
    token = token if token is not None else await page_token(client, LIBRARY)
    return await client.post(
        LIBRARY, data={"csrf_token": token}, files={"file": (name, data, "image/jpeg")}
    )


def assets(engine: Engine) -> list[MediaAsset]:
    with Session(engine) as session:
        return list(session.exec(select(MediaAsset)))


async def test_an_uploaded_photo_shows_in_the_library_with_its_facts(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    sent = await send(editor, picture("JPEG", width=800, height=600), "Älven i mars.jpg")

    (asset,) = assets(engine)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/admin/media?added={asset.sha256}"
    page = await editor.get(sent.headers["location"])
    assert "”Älven i mars.jpg” lades till." in page.text
    assert "Älven i mars.jpg" in page.text
    assert "Bild · JPEG" in page.text
    assert "800 \N{MULTIPLICATION SIGN} 600" in page.text
    assert f'src="/admin/media/{asset.sha256}/thumbnail"' in page.text
    assert "inget inslag än" in page.text
    thumbnail = await editor.get(f"/admin/media/{asset.sha256}/thumbnail")
    assert (thumbnail.status_code, thumbnail.headers["content-type"]) == (200, "image/jpeg")


async def test_the_same_file_again_is_found_in_the_library_not_stored_twice(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    await send(editor, picture(), "affisch.jpg")

    again = await send(editor, picture(), "affisch-kopia.jpg")

    page = await editor.get(again.headers["location"])
    assert "”affisch.jpg” fanns redan här." in page.text
    assert len(assets(engine)) == 1


async def test_a_video_shows_its_length_and_plays_on_its_page(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    await send(editor, clip("h264", seconds=2.0), "intro.mp4")
    (asset,) = assets(engine)

    library = await editor.get(LIBRARY)
    detail = await editor.get(f"/admin/media/{asset.sha256}")
    original = await editor.get(f"/admin/media/{asset.sha256}/file")

    assert "Video · MP4" in library.text
    assert "2 s" in library.text
    assert f'<video src="/admin/media/{asset.sha256}/file"' in detail.text
    assert (original.status_code, original.headers["content-type"]) == (200, "video/mp4")


async def test_a_file_that_is_not_media_is_refused_in_swedish_and_nothing_is_kept(
    editor: httpx.AsyncClient, engine: Engine, settings: Settings
) -> None:
    refused = await send(editor, "Kom ihåg mötet!".encode(), "mote.jpg")

    assert refused.status_code == 422
    assert "”mote.jpg” är varken en bild eller en video som skärmarna kan visa." in refused.text
    assert 'class="message error upload-error" role="alert">' in refused.text
    assert assets(engine) == []
    assert [path for path in settings.upload_dir.glob("*") if path.is_file()] == []


async def test_the_refusal_speaks_english_when_the_admin_does(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    await editor.get(f"{LIBRARY}?lang=en")

    refused = await send(editor, clip("hevc"), "iphone.mp4")

    assert refused.status_code == 422
    assert "'iphone.mp4' is HEVC (H.265) video; screens play H.264 in MP4" in unescape(refused.text)


async def test_an_upload_without_the_pages_token_is_refused_before_the_file_is_read(
    editor: httpx.AsyncClient, engine: Engine, settings: Settings
) -> None:
    forged = await send(editor, picture(), "a.jpg", token="forged")
    boundary = "b0undary"
    token = await page_token(editor, LIBRARY)
    # The token after the file: the file would be kept before the token could be checked.
    late = await editor.post(
        LIBRARY,
        content=(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'
        ).encode()
        + picture()
        + (
            f"\r\n--{boundary}\r\n"
            'Content-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{token}\r\n--{boundary}--\r\n"
        ).encode(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )

    assert forged.status_code == 403
    assert late.status_code == 403
    assert "Formuläret avvisades" in late.text
    assert assets(engine) == []


async def test_someone_whose_role_may_not_edit_is_refused_the_library(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), username="mona", role=Role.MODERATOR)
    await log_in(client, username="mona")
    token = await page_token(client, "/admin/")

    page = await client.get(LIBRARY)
    sent = await send(client, picture(), "a.jpg", token=token)

    assert page.status_code == 403
    assert sent.status_code == 403
    assert assets(engine) == []


async def test_a_file_used_by_items_cannot_be_deleted_and_its_page_names_them(
    editor: httpx.AsyncClient, engine: Engine, clock: FakeClock, storage: LocalMediaStorage
) -> None:
    await send(editor, picture(), "karta.jpg")
    (asset,) = assets(engine)
    with session_scope(engine) as session:
        stored = session.get_one(MediaAsset, asset.sha256)
        content.create_text_item(
            session, texts={"sv": ("Vägarbete vid bron", "")}, image=stored, now=clock()
        )
    detail = await editor.get(f"/admin/media/{asset.sha256}")

    refused = await editor.post(
        f"/admin/media/{asset.sha256}/delete", data={"csrf_token": await page_token(editor)}
    )

    assert '<a href="/admin/items/1">Vägarbete vid bron</a>' in detail.text
    assert refused.status_code == 409
    assert (
        "”karta.jpg” används i Vägarbete vid bron (#1). Ändra eller ta bort de inslagen först."
        in refused.text
    )
    assert storage.exists(asset.sha256)


async def test_a_deleted_file_leaves_the_library_and_the_server(
    editor: httpx.AsyncClient, engine: Engine, storage: LocalMediaStorage
) -> None:
    await send(editor, picture(), "gammal.jpg")
    (asset,) = assets(engine)

    deleted = await editor.post(
        f"/admin/media/{asset.sha256}/delete", data={"csrf_token": await page_token(editor)}
    )

    assert deleted.status_code == 303
    page = await editor.get(deleted.headers["location"])
    assert "”gammal.jpg” togs bort." in page.text
    assert assets(engine) == []
    assert not storage.exists(asset.sha256)
    assert (await editor.get(f"/admin/media/{asset.sha256}")).status_code == 404


@pytest.fixture
async def small_limit(
    tmp_path: Path, database_url: str, clock: FakeClock, engine: Engine
) -> AsyncIterator[tuple[httpx.AsyncClient, Settings]]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, max_upload_mb=1)
    storage = LocalMediaStorage(settings.media_dir)
    async with started(create_app(settings, clock=clock, storage=storage)) as client:
        add_user(engine, now=clock())
        await log_in(client)
        yield client, settings


async def test_a_file_over_the_limit_is_refused_with_the_limit_named(
    small_limit: tuple[httpx.AsyncClient, Settings], engine: Engine
) -> None:
    client, settings = small_limit

    page = await client.get(LIBRARY)
    refused = await send(client, b"\0" * (1024 * 1024 + 1), "film.mp4")

    assert 'data-max-bytes="1048576"' in page.text
    assert "Högst 1 MB per fil." in page.text
    assert refused.status_code == 413
    limit = "”film.mp4” är större än 1 MB \N{EN DASH} större filer tar servern inte emot"
    assert limit in refused.text
    assert assets(engine) == []
    assert [path for path in settings.upload_dir.glob("*") if path.is_file()] == []
