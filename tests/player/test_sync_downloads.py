"""Downloading assets: resuming after a cut, surviving odd servers, never keeping bad bytes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from anslag_testing.fake_server import FakeDeviceServer, image_manifest, sha256_of, sync_client

from player.cache import AssetCache
from player.store import ManifestStore, StoredManifest
from player.sync import (
    AssetDownloadFailed,
    CorruptAsset,
    DiskFull,
    ServerUnreachable,
    SyncClient,
    SyncResult,
)

VIDEO = bytes(range(256)) * 40  # 10 240 bytes, so a cut lands mid-file
PHOTO = b"a photo of the village hall" * 200


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


def test_interrupted_download_resumes_where_it_stopped(
    server: FakeDeviceServer, client: SyncClient, cache: AssetCache, store: ManifestStore
) -> None:
    manifest = image_manifest(server.add_asset(VIDEO))
    server.publish(manifest)
    server.drop_assets_after_bytes = 3000

    with pytest.raises(ServerUnreachable, match="3000 of 10240 bytes kept"):
        client.sync_once()
    assert store.load() is None
    assert not cache.has(sha256_of(VIDEO))

    server.drop_assets_after_bytes = None
    result = client.sync_once()

    assert result == SyncResult(manifest, changed=True)
    assert server.asset_requests(sha256_of(VIDEO))[-1].headers["Range"] == "bytes=3000-"
    assert cache.path(sha256_of(VIDEO)).read_bytes() == VIDEO


def test_server_that_ignores_range_still_yields_a_correct_file(
    server: FakeDeviceServer, client: SyncClient, cache: AssetCache
) -> None:
    server.publish(image_manifest(server.add_asset(VIDEO)))
    server.drop_assets_after_bytes = 3000
    with pytest.raises(ServerUnreachable):
        client.sync_once()

    server.drop_assets_after_bytes = None
    server.ignore_range = True
    client.sync_once()

    assert server.asset_requests(sha256_of(VIDEO))[-1].headers["Range"] == "bytes=3000-"
    assert cache.path(sha256_of(VIDEO)).read_bytes() == VIDEO


def test_server_answering_another_range_makes_the_download_start_over(
    server: FakeDeviceServer, client: SyncClient, cache: AssetCache
) -> None:
    server.publish(image_manifest(server.add_asset(VIDEO)))
    server.drop_assets_after_bytes = 3000
    with pytest.raises(ServerUnreachable):
        client.sync_once()

    server.drop_assets_after_bytes = None
    server.answer_range_from_start = True
    client.sync_once()

    first, second = server.asset_requests(sha256_of(VIDEO))[-2:]
    assert first.headers["Range"] == "bytes=3000-"
    assert "Range" not in second.headers
    assert cache.path(sha256_of(VIDEO)).read_bytes() == VIDEO


def test_leftover_partial_the_server_cannot_continue_is_downloaded_afresh(
    server: FakeDeviceServer, client: SyncClient, cache: AssetCache
) -> None:
    server.publish(image_manifest(server.add_asset(VIDEO)))
    # A power cut after the last byte but before it was verified, with the bytes damaged.
    cache.partial_path(sha256_of(VIDEO)).write_bytes(b"\x00" * len(VIDEO))

    client.sync_once()

    first, second = server.asset_requests(sha256_of(VIDEO))
    assert first.headers["Range"] == f"bytes={len(VIDEO)}-"
    assert "Range" not in second.headers
    assert cache.path(sha256_of(VIDEO)).read_bytes() == VIDEO


def test_corrupt_asset_is_rejected_logged_and_the_last_good_manifest_stays(
    server: FakeDeviceServer,
    client: SyncClient,
    cache: AssetCache,
    store: ManifestStore,
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = image_manifest(server.add_asset(PHOTO))
    server.publish(good)
    client.sync_once()
    video = server.add_asset(VIDEO)
    server.publish(image_manifest(video))
    server.wrong_bytes[video.sha256] = VIDEO[::-1]

    with pytest.raises(CorruptAsset) as raised:
        client.sync_once()

    assert raised.value.sha256 == sha256_of(VIDEO)
    assert sha256_of(VIDEO) in caplog.text
    assert not cache.has(sha256_of(VIDEO))
    assert cache.partial_size(sha256_of(VIDEO)) == 0
    assert store.load() == StoredManifest(good, good.content_hash())
    assert cache.path(sha256_of(PHOTO)).read_bytes() == PHOTO


def test_server_sending_more_than_announced_is_stopped_and_nothing_kept(
    server: FakeDeviceServer, client: SyncClient, cache: AssetCache, store: ManifestStore
) -> None:
    video = server.add_asset(VIDEO)
    server.publish(image_manifest(video))
    server.wrong_bytes[video.sha256] = VIDEO * 3

    with pytest.raises(AssetDownloadFailed, match="more than the 10240 bytes"):
        client.sync_once()

    assert cache.size_bytes() == 0
    assert store.load() is None


def test_body_that_ends_early_is_kept_and_completed_next_time(
    server: FakeDeviceServer, client: SyncClient, cache: AssetCache
) -> None:
    video = server.add_asset(VIDEO)
    server.publish(image_manifest(video))
    server.wrong_bytes[video.sha256] = VIDEO[:4000]

    with pytest.raises(AssetDownloadFailed, match="ended after 4000 of 10240 bytes"):
        client.sync_once()

    del server.wrong_bytes[video.sha256]
    client.sync_once()

    assert server.asset_requests(sha256_of(VIDEO))[-1].headers["Range"] == "bytes=4000-"
    assert cache.path(sha256_of(VIDEO)).read_bytes() == VIDEO


def test_failed_download_of_a_new_manifest_keeps_the_files_on_screen(
    server: FakeDeviceServer, client: SyncClient, cache: AssetCache, store: ManifestStore
) -> None:
    good = image_manifest(server.add_asset(PHOTO))
    server.publish(good)
    client.sync_once()
    server.publish(image_manifest(server.add_asset(VIDEO)))
    server.drop_assets_after_bytes = 100

    with pytest.raises(ServerUnreachable):
        client.sync_once()

    assert store.load() == StoredManifest(good, good.content_hash())
    assert cache.path(sha256_of(PHOTO)).read_bytes() == PHOTO


def fill_the_disk_under(cache: AssetCache, sha256: str) -> Path:
    """Make the partial download of `sha256` land on /dev/full: every write is refused with
    ENOSPC by the kernel, as on an SD card that has filled up."""
    partial = cache.partial_path(sha256)
    partial.symlink_to("/dev/full")
    return partial


def test_disk_full_mid_download_discards_the_partial_and_the_next_sync_retries(
    server: FakeDeviceServer, client: SyncClient, cache: AssetCache, store: ManifestStore
) -> None:
    good = image_manifest(server.add_asset(PHOTO))
    server.publish(good)
    client.sync_once()
    server.publish(image_manifest(server.add_asset(VIDEO)))
    partial = fill_the_disk_under(cache, sha256_of(VIDEO))

    with pytest.raises(DiskFull, match=f"no room on the disk for asset {sha256_of(VIDEO)}"):
        client.sync_once()

    assert not partial.is_symlink(), "the partial file was discarded"
    assert store.load() == StoredManifest(good, good.content_hash())
    assert cache.path(sha256_of(PHOTO)).read_bytes() == PHOTO

    result = client.sync_once()

    assert result.changed
    assert cache.path(sha256_of(VIDEO)).read_bytes() == VIDEO
