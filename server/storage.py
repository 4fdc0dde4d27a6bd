"""Media storage: files addressed by the sha256 of their bytes, written atomically."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Protocol

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_COPY_CHUNK = 1024 * 1024


def is_sha256(value: str) -> bool:
    """Whether `value` is a sha256 in the lowercase hex form Anslag uses everywhere."""
    return _SHA256.fullmatch(value) is not None


class MediaStorage(Protocol):
    """Where media bytes live; the database only records their hash and metadata."""

    def put(self, data: bytes) -> str:
        """Store `data` (a no-op when it is already stored) and return its sha256."""
        ...

    def put_file(self, source: Path, *, sha256: str) -> None:
        """Store a copy of the file `source`, whose bytes hash to `sha256` (checked)."""
        ...

    def delete(self, sha256: str) -> None:
        """Forget the bytes with this hash; nothing happens when they are not stored."""
        ...

    def path(self, sha256: str) -> Path:
        """The local file that holds (or would hold) the bytes with this hash."""
        ...

    def exists(self, sha256: str) -> bool:
        """Whether the complete bytes with this hash are stored."""
        ...


class LocalMediaStorage:
    """Media in a local folder, as `<root>/<first two hex digits>/<sha256>`.

    A file appears under its final name only once it is complete and on disk
    (written to a temporary file, fsynced, renamed, the folder fsynced), so a
    crash or power loss can lose an upload but never leave half of one behind.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()

        def write(file: BinaryIO) -> str:
            file.write(data)
            return sha256

        self._write(sha256, write)
        return sha256

    def put_file(self, source: Path, *, sha256: str) -> None:
        def copy(file: BinaryIO) -> str:
            digest = hashlib.sha256()
            with source.open("rb") as reader:
                while chunk := reader.read(_COPY_CHUNK):
                    digest.update(chunk)
                    file.write(chunk)
            return digest.hexdigest()

        self._write(sha256, copy)

    def _write(self, sha256: str, fill: Callable[[BinaryIO], str]) -> None:
        """Put the bytes `fill` writes (and returns the hash of) under `sha256`, atomically."""
        target = self.path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{sha256}.", suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as file:
                written = fill(file)
                if written != sha256:
                    raise ValueError(f"the bytes given as {sha256} hash to {written}")
                file.flush()
                os.fsync(file.fileno())
            # mkstemp makes the file private; media is public content a web server may serve.
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_directory(target.parent)

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def path(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError(f"not a lowercase hex sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
