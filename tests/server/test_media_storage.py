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
