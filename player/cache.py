"""The content-addressed asset cache: `objects/<sha256>`, written so power loss never corrupts it.

A download goes to `objects/tmp/<sha256>.part` and only becomes `objects/<sha256>`
once its bytes hash to that name, are on disk (fsync) and the rename is on disk
(fsync of the directory). A file in place is therefore always complete and
correct; a power cut can only lose a partial download, which resumes later.

The cache is bounded: `make_room` evicts what no manifest needs, oldest first,
until what is cached fits the limit. Files no manifest needs stay until then, so
content that comes back (next week's opening hours, a returning campaign) need
not cross a slow mobile link again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from player.errors import CorruptAsset

__all__ = ["AssetCache", "CorruptAsset"]

logger = logging.getLogger(__name__)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PARTIAL_SUFFIX = ".part"
_CHUNK = 1024 * 1024


class AssetCache:
    """Verified asset files under one folder, named by the sha256 of their bytes.

    `limit_bytes` bounds what `make_room` leaves on disk; None means no bound.
    """

    def __init__(self, root: Path, *, limit_bytes: int | None = None) -> None:
        self._root = root
        self._tmp = root / "tmp"
        self._limit = limit_bytes

    @property
    def root(self) -> Path:
        return self._root

    @property
    def limit_bytes(self) -> int | None:
        return self._limit

    def path(self, sha256: str) -> Path:
        """Where the verified file for `sha256` lives (whether or not it is there yet)."""
        return self._root / _checked(sha256)

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def partial_path(self, sha256: str) -> Path:
        """Where the download of `sha256` accumulates; its folder is created on demand."""
        self._tmp.mkdir(parents=True, exist_ok=True)
        return self._tmp / f"{_checked(sha256)}{_PARTIAL_SUFFIX}"

    def partial_size(self, sha256: str) -> int:
        """How many bytes of `sha256` a previous download left behind (0 if none)."""
        try:
            return (self._tmp / f"{_checked(sha256)}{_PARTIAL_SUFFIX}").stat().st_size
        except FileNotFoundError:
            return 0

    def discard_partial(self, sha256: str) -> None:
        (self._tmp / f"{_checked(sha256)}{_PARTIAL_SUFFIX}").unlink(missing_ok=True)

    def commit(self, sha256: str) -> Path:
        """Verify the partial download of `sha256` and move it into place.

        Raises `CorruptAsset` (after deleting the partial file) when the bytes hash
        to something else, and `FileNotFoundError` when there is no partial file.
        """
        partial = self.partial_path(sha256)
        digest = hashlib.sha256()
        with partial.open("rb") as file:
            while chunk := file.read(_CHUNK):
                digest.update(chunk)
            actual = digest.hexdigest()
            if actual == sha256:
                os.fsync(file.fileno())
        if actual != sha256:
            partial.unlink(missing_ok=True)
            logger.warning("discarded download of asset %s: its bytes hash to %s", sha256, actual)
            raise CorruptAsset(sha256, actual)
        target = self.path(sha256)
        os.replace(partial, target)
        fsync_directory(self._root)
        return target

    def make_room(
        self, *, needed: Collection[str], wanted: Collection[str] = (), incoming: int = 0
    ) -> int:
        """Evict until the cache and `incoming` more bytes fit the limit; the bytes freed.

        Partial downloads of files in neither collection go first: they will not be
        resumed. Then whole files, oldest first: those in neither collection, then those
        only `wanted` (the manifest before the current one). A file in `needed` (what
        is on screen, or being fetched) is never evicted, so the cache may stay over
        its limit; `fits` tells.
        """
        keep = set(needed) | set(wanted)
        freed = sum(
            _remove(entry)
            for entry in self._partials()
            if entry.name.removesuffix(_PARTIAL_SUFFIX) not in keep
        )
        if self._limit is None:
            return freed
        size = self.size_bytes()
        objects = _oldest_first(self._objects())
        evictable = [e for e in objects if e.name not in keep]
        evictable += [e for e in objects if e.name in wanted and e.name not in needed]
        for entry in evictable:
            if size + incoming <= self._limit:
                break
            removed = _remove(entry)
            size -= removed
            freed += removed
        return freed

    def fits(self, incoming: int = 0) -> bool:
        """Whether the cache and `incoming` more bytes are within the limit."""
        return self._limit is None or self.size_bytes() + incoming <= self._limit

    def size_bytes(self) -> int:
        """The bytes the cache holds on disk, partial downloads included."""
        return sum(_size(entry) for entry in (*self._objects(), *self._partials()))

    def _objects(self) -> Iterator[Path]:
        # Only files named like a sha256 are ours; anything else in the folder is left alone.
        return (entry for entry in _files(self._root) if _SHA256.match(entry.name))

    def _partials(self) -> Iterator[Path]:
        return _files(self._tmp)


def fsync_directory(directory: Path) -> None:
    """Make a rename inside `directory` durable: without it a power cut may undo the rename."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace the file at `path` with `data`: after a power cut it holds the old or the new.

    With `mode` the file has exactly those permissions from its first byte on.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # A fixed temp name: a file left behind by a power cut is overwritten next time.
    temp = path.with_name(f"{path.name}.tmp")
    try:
        with temp.open("wb") as file:
            if mode is not None:
                # Before any byte is written: a secret is never readable by others.
                os.fchmod(file.fileno(), mode)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    finally:
        # After a successful rename there is nothing left; after a failure, no debris.
        temp.unlink(missing_ok=True)
    fsync_directory(path.parent)


def _checked(sha256: str) -> str:
    # The name becomes a path: refuse anything that could climb out of the cache folder.
    if not _SHA256.match(sha256):
        raise ValueError(f"not a sha256 (64 lowercase hex digits): {sha256!r}")
    return sha256


def _files(directory: Path) -> Iterator[Path]:
    try:
        entries = list(directory.iterdir())
    except FileNotFoundError:
        return iter(())
    return (entry for entry in entries if entry.is_file())


def _oldest_first(entries: Iterable[Path]) -> list[Path]:
    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except FileNotFoundError:
            return 0.0

    return sorted(entries, key=modified)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _remove(path: Path) -> int:
    size = _size(path)
    try:
        path.unlink()
    except FileNotFoundError:
        return 0
    return size
