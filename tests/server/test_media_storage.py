"""Media storage: files named by their sha256, written whole or not at all, stored once."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from server.storage import LocalMediaStorage


def test_stored_bytes_are_found_under_their_sha256(tmp_path: Path) -> None:
    storage = LocalMediaStorage(tmp_path / "media")
    data = b"\x89PNG not really, but bytes"

    sha256 = storage.put(data)

    assert sha256 == hashlib.sha256(data).hexdigest()
    assert storage.exists(sha256)
    assert storage.path(sha256).read_bytes() == data
    assert storage.path(sha256).is_relative_to(tmp_path / "media")


def test_storing_the_same_bytes_again_keeps_one_untouched_file(tmp_path: Path) -> None:
    storage = LocalMediaStorage(tmp_path)
    sha256 = storage.put(b"bytes")
    first_write = storage.path(sha256).stat().st_mtime_ns

    assert storage.put(b"bytes") == sha256

    assert storage.path(sha256).stat().st_mtime_ns == first_write
    assert [path.name for path in tmp_path.rglob("*") if path.is_file()] == [sha256]


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    storage = LocalMediaStorage(tmp_path)

    stored = {storage.put(f"file {number}".encode()) for number in range(5)}

    assert {path.name for path in tmp_path.rglob("*") if path.is_file()} == stored


def test_a_half_written_file_from_a_crash_does_not_count_as_stored(tmp_path: Path) -> None:
    storage = LocalMediaStorage(tmp_path)
    data = b"the whole picture"
    sha256 = hashlib.sha256(data).hexdigest()
    # What a power loss during put() leaves: a partial temporary file, never the final name.
    storage.path(sha256).parent.mkdir(parents=True)
    (storage.path(sha256).parent / f".{sha256}.x.partial").write_bytes(data[:5])

    assert not storage.exists(sha256)
    assert storage.put(data) == sha256
    assert storage.path(sha256).read_bytes() == data


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABC", "0" * 63, "0" * 63 + "G", ""])
def test_a_name_that_is_not_a_sha256_is_refused(tmp_path: Path, bad: str) -> None:
    storage = LocalMediaStorage(tmp_path)

    with pytest.raises(ValueError, match="not a lowercase hex sha256"):
        storage.path(bad)


def test_a_file_is_stored_by_copy_under_its_hash_and_the_original_stays(tmp_path: Path) -> None:
    storage = LocalMediaStorage(tmp_path / "media")
    source = tmp_path / "received.upload"
    source.write_bytes(b"a whole video")
    sha256 = hashlib.sha256(b"a whole video").hexdigest()

    storage.put_file(source, sha256=sha256)

    assert storage.path(sha256).read_bytes() == b"a whole video"
    assert source.read_bytes() == b"a whole video"


def test_a_file_whose_bytes_do_not_match_the_hash_given_is_not_stored(tmp_path: Path) -> None:
    storage = LocalMediaStorage(tmp_path / "media")
    source = tmp_path / "received.upload"
    source.write_bytes(b"changed since it was hashed")
    claimed = hashlib.sha256(b"what was hashed").hexdigest()

    with pytest.raises(ValueError, match="hash to"):
        storage.put_file(source, sha256=claimed)

    assert not storage.exists(claimed)
    assert [path for path in (tmp_path / "media").rglob("*") if path.is_file()] == []


def test_deleted_bytes_are_gone_and_deleting_them_again_is_harmless(tmp_path: Path) -> None:
    storage = LocalMediaStorage(tmp_path)
    sha256 = storage.put(b"old poster")

    storage.delete(sha256)
    storage.delete(sha256)

    assert not storage.exists(sha256)
