"""The media API: token auth, uploads streamed and checked, the size limit, thumbnails, deletion."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from anslag_testing.admin import add_api_token, add_user
from anslag_testing.media import clip, picture
from anslag_testing.server_app import FakeClock, bearer, started
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.app import create_app
from server.db import session_scope
from server.models import MediaAsset, Role
from server.services import content
from server.settings import Settings
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.anyio

MEDIA = "/api/v1/media"
BOUNDARY = "anslag-test-boundary"


@pytest.fixture
def token(engine: Engine, clock: FakeClock) -> str:
    user_id = add_user(engine, now=clock(), role=Role.EDITOR)
    return add_api_token(engine, now=clock(), user_id=user_id)


async def upload(
    client: httpx.AsyncClient, token: str, data: bytes, name: str, media_type: str = "image/jpeg"
) -> httpx.Response:
    files = {"file": (name, data, media_type)}
    return await client.post(MEDIA, files=files, headers=bearer(token))


def assets(engine: Engine) -> list[MediaAsset]:
    with Session(engine) as session:
        return list(session.exec(select(MediaAsset)))


def leftovers(settings: Settings) -> list[Path]:
    return [path for path in settings.upload_dir.glob("*") if path.is_file()]


async def test_the_api_refuses_a_caller_without_a_token_and_a_role_that_may_not_edit(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    moderator = add_user(engine, now=clock(), username="mona", role=Role.MODERATOR)
    moderator_token = add_api_token(engine, now=clock(), user_id=moderator)

    anonymous = await client.post(MEDIA, files={"file": ("a.jpg", picture(), "image/jpeg")})
    listed = await client.get(MEDIA, headers=bearer(moderator_token))
    refused = await upload(client, moderator_token, picture(), "a.jpg")

    assert anonymous.status_code == 401
    assert (listed.status_code, listed.json()) == (200, [])
    assert refused.status_code == 403
    assert assets(engine) == []


async def test_an_uploaded_photo_is_described_and_its_thumbnail_served(
    client: httpx.AsyncClient, engine: Engine, token: str, clock: FakeClock, settings: Settings
) -> None:
    data = picture("JPEG", width=800, height=600)

    answer = await upload(client, token, data, "Älven i mars.jpg")

    assert answer.status_code == 201
    body = answer.json()
    assert body | {"sha256": "", "created_at": "", "thumbnail_url": ""} == {
        "sha256": "",
        "kind": "image",
        "media_type": "image/jpeg",
        "original_name": "Älven i mars.jpg",
        "size": len(data),
        "width": 800,
        "height": 600,
        "duration_s": None,
        "created_at": "",
        "thumbnail_url": "",
        "used_by_items": [],
    }
    thumbnail = await client.get(body["thumbnail_url"], headers=bearer(token))
    assert (thumbnail.status_code, thumbnail.headers["content-type"]) == (200, "image/jpeg")
    assert (await client.get(f"{MEDIA}/{body['sha256']}", headers=bearer(token))).json() == body
    assert leftovers(settings) == []


async def test_a_video_upload_reports_its_length_and_the_same_bytes_again_the_first_asset(
    client: httpx.AsyncClient, engine: Engine, token: str
) -> None:
    data = clip("vp9", seconds=2.0)

    first = await upload(client, token, data, "intro.webm", "video/webm")
    again = await upload(client, token, data, "intro-kopia.webm", "video/webm")

    assert first.status_code == 201
    assert first.json()["kind"] == "video"
    assert first.json()["duration_s"] == pytest.approx(2.0, abs=0.05)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert len(assets(engine)) == 1


async def test_a_file_that_is_no_media_is_refused_with_its_reason_and_nothing_is_kept(
    client: httpx.AsyncClient, engine: Engine, token: str, settings: Settings
) -> None:
    answer = await upload(client, token, "Kom ihåg mötet!".encode(), "mote.jpg")

    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(
        "'mote.jpg' is neither a picture nor a video that screens can show"
    )
    assert assets(engine) == []
    assert leftovers(settings) == []


async def test_a_body_that_is_not_a_form_is_refused(client: httpx.AsyncClient, token: str) -> None:
    answer = await client.post(
        MEDIA, content=picture(), headers={**bearer(token), "Content-Type": "image/jpeg"}
    )

    assert answer.status_code == 400
    assert "multipart/form-data in a field named 'file'" in answer.json()["detail"]


@pytest.fixture
async def small_limit_client(
    tmp_path: Path, database_url: str, clock: FakeClock
) -> AsyncIterator[tuple[httpx.AsyncClient, Settings]]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, max_upload_mb=1)
    storage = LocalMediaStorage(settings.media_dir)
    async with started(create_app(settings, clock=clock, storage=storage)) as client:
        yield client, settings


class CountedBody:
    """A multipart body sent in chunks, counting how many the server asked for."""

    def __init__(self, file_size: int, *, chunk: int = 64 * 1024) -> None:
        self.file_size = file_size
        self.chunk = chunk
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="huge.mp4"\r\n'
            "Content-Type: video/mp4\r\n\r\n"
        ).encode()
        for start in range(0, self.file_size, self.chunk):
            self.sent += min(self.chunk, self.file_size - start)
            yield b"\0" * min(self.chunk, self.file_size - start)
        yield f"\r\n--{BOUNDARY}--\r\n".encode()


async def test_an_upload_over_the_limit_is_read_no_further_than_the_limit_and_not_kept(
    small_limit_client: tuple[httpx.AsyncClient, Settings], engine: Engine, clock: FakeClock
) -> None:
    client, settings = small_limit_client
    token = add_api_token(engine, now=clock(), user_id=add_user(engine, now=clock()))
    body = CountedBody(file_size=20 * 1024 * 1024)

    answer = await client.post(
        MEDIA,
        content=body,
        headers={**bearer(token), "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )

    assert answer.status_code == 413
    assert answer.json()["detail"] == (
        "'huge.mp4' is larger than 1 MB, the most this server accepts"
    )
    assert body.sent <= 1024 * 1024 + body.chunk
    assert assets(engine) == []
    assert leftovers(settings) == []


async def test_an_upload_announced_as_too_large_is_refused_before_any_of_it_is_read(
    small_limit_client: tuple[httpx.AsyncClient, Settings], engine: Engine, clock: FakeClock
) -> None:
    client, _settings = small_limit_client
    token = add_api_token(engine, now=clock(), user_id=add_user(engine, now=clock()))
    body = CountedBody(file_size=3 * 1024 * 1024)
    length = 3 * 1024 * 1024 + 500

    answer = await client.post(
        MEDIA,
        content=body,
        headers={
            **bearer(token),
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Content-Length": str(length),
        },
    )

    assert answer.status_code == 413
    assert answer.json()["detail"] == ("The file is larger than 1 MB, the most this server accepts")
    assert body.sent == 0


async def test_a_file_in_use_cannot_be_deleted_and_an_unused_one_is_gone_with_its_bytes(
    client: httpx.AsyncClient,
    engine: Engine,
    token: str,
    clock: FakeClock,
    storage: LocalMediaStorage,
) -> None:
    used = (await upload(client, token, picture(colour=(1, 2, 3)), "used.jpg")).json()
    unused = (await upload(client, token, picture(colour=(9, 9, 9)), "unused.jpg")).json()
    with session_scope(engine) as session:
        asset = session.get_one(MediaAsset, used["sha256"])
        content.create_image_item(session, asset=asset, now=clock())

    refused = await client.delete(f"{MEDIA}/{used['sha256']}", headers=bearer(token))
    deleted = await client.delete(f"{MEDIA}/{unused['sha256']}", headers=bearer(token))
    missing = await client.get(f"{MEDIA}/{unused['sha256']}", headers=bearer(token))

    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "'used.jpg' is shown by used.jpg (#1); change or delete those items first"
    )
    assert deleted.status_code == 204
    assert missing.status_code == 404
    assert not storage.exists(unused["sha256"])
    assert storage.exists(used["sha256"])
    listed = (await client.get(MEDIA, headers=bearer(token))).json()
    assert [(entry["original_name"], entry["used_by_items"]) for entry in listed] == [
        ("used.jpg", [1])
    ]
