"""Syncing the manifest: what the screen ends up with after talking to the server."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from anslag_testing.fake_server import (
    SERVER_URL,
    FakeDeviceServer,
    image_manifest,
    sha256_of,
    sync_client,
)

from player.cache import AssetCache
from player.store import ManifestStore, StoredManifest
from player.sync import (
    MANIFEST_PATH,
    CacheFull,
    DeviceNotAuthorised,
    InvalidManifest,
    ServerError,
    ServerUnreachable,
    SyncClient,
    SyncResult,
    read_token,
)

PHOTO = b"a photo of the village hall" * 200
POSTER = b"a poster for the autumn market" * 200
MENU = b"this week's lunch menu" * 200


@pytest.fixture
def server() -> FakeDeviceServer:
    return FakeDeviceServer()


@pytest.fixture
def client(server: FakeDeviceServer, tmp_path: Path) -> Iterator[SyncClient]:
    with sync_client(server, tmp_path) as client:
        yield client


@pytest.fixture
def cache(tmp_path: Path) -> AssetCache:
    return AssetCache(tmp_path / "objects")


@pytest.fixture
def store(tmp_path: Path) -> ManifestStore:
    return ManifestStore(tmp_path / "manifest.json")


def test_first_sync_stores_the_manifest_and_every_asset(
    server: FakeDeviceServer, client: SyncClient, cache: AssetCache, store: ManifestStore
) -> None:
    manifest = image_manifest(server.add_asset(PHOTO), server.add_asset(POSTER))
    server.publish(manifest)

    result = client.sync_once()

    assert result == SyncResult(manifest, changed=True)
    assert store.load() == StoredManifest(manifest, manifest.content_hash())
    assert cache.path(sha256_of(PHOTO)).read_bytes() == PHOTO
    assert cache.path(sha256_of(POSTER)).read_bytes() == POSTER


def test_unchanged_manifest_costs_one_conditional_request_and_no_download(
    server: FakeDeviceServer, client: SyncClient
) -> None:
    manifest = image_manifest(server.add_asset(PHOTO))
    server.publish(manifest)
    client.sync_once()
    before = len(server.requests)

    result = client.sync_once()

    assert result == SyncResult(manifest, changed=False)
    [request] = server.requests[before:]
    assert request.url.path == MANIFEST_PATH
    assert request.headers["If-None-Match"] == f'"{manifest.content_hash()}"'
    assert request.headers["Authorization"] == f"Bearer {server.token}"


def test_new_manifest_downloads_only_new_assets_and_becomes_last_good(
    server: FakeDeviceServer, client: SyncClient, cache: AssetCache, store: ManifestStore
) -> None:
    photo = server.add_asset(PHOTO)
    server.publish(image_manifest(photo))
    client.sync_once()
    newer = image_manifest(photo, server.add_asset(POSTER))
    server.publish(newer)

    result = client.sync_once()

    assert result == SyncResult(newer, changed=True)
    assert store.load() == StoredManifest(newer, newer.content_hash())
    assert len(server.asset_requests(sha256_of(PHOTO))) == 1
    assert cache.path(sha256_of(POSTER)).read_bytes() == POSTER


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(b"<html>502 Bad Gateway</html>", "Invalid JSON", id="not-json"),
        pytest.param(
            image_manifest()
            .model_dump_json()
            .replace("Europe/Stockholm", "Europe/Atlantis")
            .encode(),
            "unknown time zone 'Europe/Atlantis'",
            id="fails-validation",
        ),
    ],
)
def test_invalid_manifest_is_rejected_and_the_last_good_one_stays(
    server: FakeDeviceServer,
    client: SyncClient,
    store: ManifestStore,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    reason: str,
) -> None:
    good = image_manifest(server.add_asset(PHOTO))
    server.publish(good)
    client.sync_once()
    server.publish_raw(body, etag="broken")

    with pytest.raises(InvalidManifest) as raised:
        client.sync_once()

    assert f"{SERVER_URL}{MANIFEST_PATH}" in str(raised.value)
    assert reason in str(raised.value)
    assert store.load() == StoredManifest(good, good.content_hash())
    [record] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert f"{SERVER_URL}{MANIFEST_PATH}" in record.getMessage()
    assert reason in record.getMessage()


def test_unreachable_server_is_reported_and_the_last_good_manifest_stays(
    server: FakeDeviceServer, client: SyncClient, store: ManifestStore
) -> None:
    good = image_manifest(server.add_asset(PHOTO))
    server.publish(good)
    client.sync_once()
    server.publish(image_manifest(server.add_asset(POSTER)))
    server.offline = True

    with pytest.raises(ServerUnreachable, match="connection refused"):
        client.sync_once()

    assert store.load() == StoredManifest(good, good.content_hash())


def test_revoked_device_token_is_reported_as_not_authorised(
    server: FakeDeviceServer, client: SyncClient
) -> None:
    server.publish(image_manifest())
    server.token = "a-token-issued-after-re-pairing"

    with pytest.raises(DeviceNotAuthorised, match="401"):
        client.sync_once()


def test_unexpected_server_status_is_reported_with_the_status(
    server: FakeDeviceServer, client: SyncClient
) -> None:
    server.publish(image_manifest())
    server.fail_status = 503

    with pytest.raises(ServerError, match="503") as raised:
        client.sync_once()

    assert raised.value.status == 503


def test_over_the_limit_files_no_manifest_needs_are_evicted_first(
    server: FakeDeviceServer, tmp_path: Path, cache: AssetCache
) -> None:
    with sync_client(server, tmp_path, cache_limit_bytes=2 * len(PHOTO)) as client:
        for data in (PHOTO, POSTER, MENU):
            server.publish(image_manifest(server.add_asset(data)))
            client.sync_once()

    assert not cache.has(sha256_of(PHOTO))
    assert cache.path(sha256_of(POSTER)).read_bytes() == POSTER
    assert cache.path(sha256_of(MENU)).read_bytes() == MENU


def test_within_the_limit_earlier_files_stay_for_when_they_come_back(
    server: FakeDeviceServer, tmp_path: Path, cache: AssetCache
) -> None:
    with sync_client(server, tmp_path, cache_limit_bytes=10 * len(PHOTO)) as client:
        for data in (PHOTO, POSTER, MENU, PHOTO):
            server.publish(image_manifest(server.add_asset(data)))
            client.sync_once()

    assert all(cache.has(sha256_of(data)) for data in (PHOTO, POSTER, MENU))
    assert len(server.asset_requests(sha256_of(PHOTO))) == 1, "fetched once, not twice"


def test_content_larger_than_the_cache_limit_is_refused_and_the_screen_keeps_its_own(
    server: FakeDeviceServer, tmp_path: Path, cache: AssetCache, store: ManifestStore
) -> None:
    good = image_manifest(server.add_asset(PHOTO))
    with sync_client(server, tmp_path, cache_limit_bytes=len(PHOTO) + len(POSTER)) as client:
        server.publish(good)
        client.sync_once()
        server.publish(image_manifest(server.add_asset(POSTER), server.add_asset(MENU * 2)))

        with pytest.raises(CacheFull, match="needs 15 kB of files but the cache may hold 11 kB"):
            client.sync_once()

    assert server.asset_requests(sha256_of(POSTER)) == [], "nothing downloaded in vain"
    assert store.load() == StoredManifest(good, good.content_hash())
    assert cache.has(sha256_of(PHOTO))


def test_new_content_may_pass_the_limit_while_the_old_is_on_screen_never_after(
    server: FakeDeviceServer, tmp_path: Path, cache: AssetCache, caplog: pytest.LogCaptureFixture
) -> None:
    limit = len(POSTER * 2)
    with sync_client(server, tmp_path, cache_limit_bytes=limit) as client:
        server.publish(image_manifest(server.add_asset(PHOTO), server.add_asset(POSTER)))
        client.sync_once()
        server.publish(image_manifest(server.add_asset(POSTER * 2)))
        with caplog.at_level(logging.INFO, logger="player.sync"):
            client.sync_once()

    assert "the cache runs over its limit until the new content is in place" in caplog.text
    assert cache.size_bytes() <= limit
    assert cache.path(sha256_of(POSTER * 2)).read_bytes() == POSTER * 2


def test_cached_file_deleted_behind_our_back_is_fetched_again_although_nothing_changed(
    server: FakeDeviceServer, client: SyncClient, cache: AssetCache
) -> None:
    manifest = image_manifest(server.add_asset(PHOTO), server.add_asset(POSTER))
    server.publish(manifest)
    client.sync_once()
    cache.path(sha256_of(POSTER)).unlink()

    result = client.sync_once()

    assert result == SyncResult(manifest, changed=False)
    assert cache.path(sha256_of(POSTER)).read_bytes() == POSTER
    assert len(server.asset_requests(sha256_of(PHOTO))) == 1


def test_sync_leaves_no_temp_files_behind(
    server: FakeDeviceServer, client: SyncClient, tmp_path: Path
) -> None:
    server.publish(image_manifest(server.add_asset(PHOTO)))
    client.sync_once()

    files = sorted(
        str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*") if path.is_file()
    )
    assert files == ["manifest.json", f"objects/{sha256_of(PHOTO)}"]


def test_first_sync_answered_with_304_is_a_server_error(
    server: FakeDeviceServer, client: SyncClient
) -> None:
    server.fail_status = 304

    with pytest.raises(ServerError, match="304"):
        client.sync_once()


def test_device_token_is_read_without_surrounding_whitespace(tmp_path: Path) -> None:
    path = tmp_path / "device-token"
    path.write_text("  s3cr3t-token\n")

    assert read_token(path) == "s3cr3t-token"


@pytest.mark.parametrize("content", [None, "", "\n"], ids=["missing", "empty", "blank"])
def test_unpaired_device_has_no_token(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "device-token"
    if content is not None:
        path.write_text(content)

    assert read_token(path) is None
