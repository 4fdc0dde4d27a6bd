"""The asset cache holds verified files only and, over its limit, evicts the unneeded first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from anslag_testing.fake_server import sha256_of

from player.cache import AssetCache, CorruptAsset

PHOTO = b"a photo of the village hall" * 100
POSTER = b"a poster for the autumn market" * 100


def cache_with(cache: AssetCache, *blobs: bytes) -> None:
    for data in blobs:
        cache.partial_path(sha256_of(data)).write_bytes(data)
        cache.commit(sha256_of(data))


def test_committed_download_is_served_from_its_sha256(tmp_path: Path) -> None:
    cache = AssetCache(tmp_path / "objects")
    cache.partial_path(sha256_of(PHOTO)).write_bytes(PHOTO)

    path = cache.commit(sha256_of(PHOTO))

    assert path == cache.path(sha256_of(PHOTO))
    assert path.read_bytes() == PHOTO
    assert cache.has(sha256_of(PHOTO))
    assert not cache.partial_path(sha256_of(PHOTO)).exists()


def test_download_with_wrong_bytes_is_discarded_and_never_served(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = AssetCache(tmp_path / "objects")
    cache.partial_path(sha256_of(PHOTO)).write_bytes(POSTER)

    with pytest.raises(CorruptAsset) as raised:
        cache.commit(sha256_of(PHOTO))

    assert (raised.value.sha256, raised.value.actual) == (sha256_of(PHOTO), sha256_of(POSTER))
    assert not cache.has(sha256_of(PHOTO))
    assert not cache.partial_path(sha256_of(PHOTO)).exists()
    assert sha256_of(PHOTO) in caplog.text


def test_file_deleted_behind_the_caches_back_is_no_longer_cached(tmp_path: Path) -> None:
    cache = AssetCache(tmp_path / "objects")
    cache_with(cache, PHOTO)

    cache.path(sha256_of(PHOTO)).unlink()

    assert not cache.has(sha256_of(PHOTO))


def test_unneeded_files_stay_while_there_is_room_only_stale_partials_go(
    tmp_path: Path,
) -> None:
    cache = AssetCache(tmp_path / "objects", limit_bytes=100_000)
    cache_with(cache, PHOTO, POSTER)
    stale_partial = cache.partial_path(sha256_of(b"an old video"))
    stale_partial.write_bytes(b"an old vi")
    resumable_partial = cache.partial_path(sha256_of(b"a new video"))
    resumable_partial.write_bytes(b"a new vi")

    freed = cache.make_room(needed={sha256_of(PHOTO), sha256_of(b"a new video")})

    assert freed == len(b"an old vi")
    assert cache.has(sha256_of(PHOTO))
    assert cache.has(sha256_of(POSTER)), "within the limit, nothing cached is evicted"
    assert not stale_partial.exists()
    assert resumable_partial.read_bytes() == b"a new vi"


def test_over_the_limit_unneeded_files_go_oldest_first_then_the_previous_manifests(
    tmp_path: Path,
) -> None:
    files = [bytes([n]) * 1000 for n in range(5)]
    cache = AssetCache(tmp_path / "objects", limit_bytes=3000)
    cache_with(cache, *files)
    for age, data in enumerate(reversed(files)):
        # files[0] is the oldest download, files[4] the newest.
        os.utime(cache.path(sha256_of(data)), (1_700_000_000 - age, 1_700_000_000 - age))
    shas = [sha256_of(data) for data in files]

    freed = cache.make_room(needed={shas[4]}, wanted={shas[0], shas[3]}, incoming=1000)

    assert freed == 3000
    # Unneeded files first, oldest first (1 and 2), then the oldest only wanted (0).
    assert [cache.has(sha) for sha in shas] == [False, False, False, True, True]
    assert cache.fits(1000)


def test_a_file_on_screen_is_never_evicted_even_over_the_limit(tmp_path: Path) -> None:
    cache = AssetCache(tmp_path / "objects", limit_bytes=len(PHOTO))
    cache_with(cache, PHOTO, POSTER)

    cache.make_room(needed={sha256_of(PHOTO), sha256_of(POSTER)})

    assert cache.has(sha256_of(PHOTO))
    assert cache.has(sha256_of(POSTER))
    assert not cache.fits()


def test_eviction_leaves_files_it_does_not_own_alone(tmp_path: Path) -> None:
    cache = AssetCache(tmp_path / "objects", limit_bytes=0)
    cache_with(cache, PHOTO)
    notes = cache.root / "README.txt"
    notes.write_text("written by the installer")

    cache.make_room(needed=set())

    assert notes.exists()
    assert not cache.has(sha256_of(PHOTO))


def test_size_counts_cached_files_and_partial_downloads(tmp_path: Path) -> None:
    cache = AssetCache(tmp_path / "objects")
    assert cache.size_bytes() == 0
    cache_with(cache, PHOTO)
    cache.partial_path(sha256_of(POSTER)).write_bytes(POSTER[:10])

    assert cache.size_bytes() == len(PHOTO) + 10


def test_a_name_that_is_not_a_sha256_cannot_reach_outside_the_cache(tmp_path: Path) -> None:
    cache = AssetCache(tmp_path / "objects")

    with pytest.raises(ValueError, match="not a sha256"):
        cache.path("../manifest.json")
