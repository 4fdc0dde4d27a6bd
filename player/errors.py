"""The errors a sync can end in; the tree is drawn in `player.sync`, which re-exports them.

They live apart from `player.sync` so that `player.cache` can raise `CorruptAsset`
without an import cycle.
"""

from __future__ import annotations

from pydantic import ValidationError


class SyncError(Exception):
    """A sync did not complete; the last good manifest and its files are untouched."""


class ServerUnreachable(SyncError):
    """No answer from the server: no network, connection refused or dropped, timeout."""


class DeviceNotAuthorised(SyncError):
    """The server refused the device token (401/403): the screen must be paired again."""


class PairingExpired(SyncError):
    """The server no longer knows the pairing code (expired, or this screen was revoked)."""


class ServerError(SyncError):
    """The server answered with a status the device protocol does not expect."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class InvalidManifest(SyncError):
    """The server sent a manifest that is not JSON or does not validate."""


class AssetDownloadFailed(SyncError):
    """An asset could not be downloaded completely; what arrived is kept for resuming."""

    def __init__(self, sha256: str, message: str) -> None:
        super().__init__(message)
        self.sha256 = sha256


class CacheFull(SyncError):
    """The manifest needs more bytes of files than the cache may hold; it was not applied."""

    def __init__(self, needed: int, limit: int) -> None:
        super().__init__(
            f"the new content needs {size_text(needed)} of files but the cache may hold "
            f"{size_text(limit)} (ANSLAG_PLAYER_CACHE_LIMIT_MB); the screen keeps what it shows"
        )
        self.needed = needed
        self.limit = limit


class DiskFull(SyncError):
    """The disk filled up during a download; the partial file was discarded to free it."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(
            f"no room on the disk for {what} ({reason}); what was written of it is discarded, "
            "and the next sync tries again"
        )
        self.what = what


class CorruptAsset(SyncError):
    """Downloaded bytes do not hash to the sha256 they were fetched as; they were discarded."""

    def __init__(self, sha256: str, actual: str) -> None:
        super().__init__(f"asset {sha256} was discarded: its bytes hash to {actual}")
        self.sha256 = sha256
        self.actual = actual


def size_text(size: int) -> str:
    """A size as a technician reads it: "512 bytes", "48 kB", "2.3 GB"."""
    for unit, factor in (("GB", 1e9), ("MB", 1e6)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size / 1e3:.0f} kB" if size >= 1000 else f"{size} bytes"


def validation_reason(error: ValidationError) -> str:
    """One line saying what was wrong, e.g. `location.timezone: unknown time zone 'Mars/Base'`."""
    parts = []
    for detail in error.errors(include_url=False):
        where = ".".join(str(part) for part in detail["loc"])
        parts.append(f"{where}: {detail['msg']}" if where else detail["msg"])
    return "; ".join(parts).replace("\n", " ")
