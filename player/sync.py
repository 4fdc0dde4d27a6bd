"""Sync with the server: fetch the manifest, download its assets, then make it the last good one.

A new manifest only replaces the last good one once every file it needs is
cached and verified, so the screen never switches to content it cannot show.
Every failure leaves the stored manifest and the cached files as they were and
raises one of these (all importable from here):

    SyncError
     ├── ServerUnreachable      no answer: network down, refused, dropped, timed out
     ├── DeviceNotAuthorised    401/403: the device token is not (or no longer) valid
     ├── ServerError(status)    any other status the protocol does not expect
     ├── InvalidManifest        the manifest is not JSON or does not validate
     ├── AssetDownloadFailed    an asset arrived incomplete or the server broke Range
     ├── CorruptAsset           an asset's bytes do not hash to its sha256 (discarded)
     ├── CacheFull              the manifest needs more than the cache may hold
     └── DiskFull               the disk filled up during a download (partial discarded)
"""

from __future__ import annotations

import errno
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx
from pydantic import ValidationError

from player.cache import AssetCache
from player.errors import (
    AssetDownloadFailed,
    CacheFull,
    CorruptAsset,
    DeviceNotAuthorised,
    DiskFull,
    InvalidManifest,
    ServerError,
    ServerUnreachable,
    SyncError,
    validation_reason,
)
from player.store import ManifestStore, StoredManifest
from playlists.manifest import AssetRef, Manifest, parse_manifest

__all__ = [
    "AssetDownloadFailed",
    "CacheFull",
    "CorruptAsset",
    "DeviceNotAuthorised",
    "DiskFull",
    "InvalidManifest",
    "ServerError",
    "ServerUnreachable",
    "SyncClient",
    "SyncError",
    "SyncResult",
    "read_token",
]

logger = logging.getLogger(__name__)

MANIFEST_PATH = "/api/device/v1/manifest"
ASSET_PATH = "/api/device/v1/assets/{sha256}"

_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+|\*)$")
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
_TOKEN = re.compile(r"^[\x21-\x7e]+$")


@dataclass(frozen=True)
class SyncResult:
    manifest: Manifest
    # False when the server confirmed the content we already had (304 or the same ETag).
    changed: bool


def read_token(path: Path) -> str | None:
    """The device token stored at `path`, or None when the device is not paired yet."""
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return token or None


class SyncClient:
    """Talks the device protocol to one server on behalf of one paired screen."""

    def __init__(
        self,
        *,
        server_url: str,
        token: str,
        cache: AssetCache,
        store: ManifestStore,
        transport: httpx.BaseTransport | None = None,
        timeout_s: float = 15.0,
    ) -> None:
        if not _TOKEN.match(token):
            raise ValueError("the device token must be printable ASCII without spaces")
        self._server_url = server_url.rstrip("/")
        self._cache = cache
        self._store = store
        self._client = httpx.Client(
            base_url=self._server_url,
            headers={"Authorization": f"Bearer {token}"},
            transport=transport,
            timeout=timeout_s,
        )

    @property
    def server_url(self) -> str:
        return self._server_url

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def sync_once(self) -> SyncResult:
        """Bring the cache and the last good manifest up to date with the server."""
        previous = self._store.load()
        # Asking "has it changed?" only makes sense while everything it needs is still here.
        complete = previous is not None and not self._missing(previous.manifest)
        response = self._get_manifest(previous.etag if previous and complete else None)
        if response.status_code == 304:
            if previous is None:
                raise ServerError(304, f"{self._url(MANIFEST_PATH)} answered 304 to a first sync")
            # A file deleted behind our back must come back even when nothing changed.
            self._download_missing(previous.manifest, on_screen=set())
            return SyncResult(previous.manifest, changed=False)
        manifest = self._parse(response)
        etag = _etag(response) or manifest.content_hash()
        on_screen = _shas(previous.manifest) if previous is not None else set()
        self._download_missing(manifest, on_screen=on_screen)
        try:
            self._store.save(manifest, etag)
        except OSError as exc:
            if exc.errno not in _DISK_FULL:
                raise
            raise DiskFull("the manifest", exc.strerror or str(exc)) from exc
        freed = self._cache.make_room(needed=_shas(manifest), wanted=on_screen)
        if freed:
            logger.info("freed %d bytes of assets no manifest needs", freed)
        return SyncResult(manifest, changed=_changed(previous, etag))

    def _get_manifest(self, etag: str | None) -> httpx.Response:
        headers = {"Accept": "application/json"}
        if etag is not None:
            headers["If-None-Match"] = f'"{etag}"'
        try:
            response = self._client.get(MANIFEST_PATH, headers=headers)
        except httpx.TransportError as exc:
            raise ServerUnreachable(f"{self._url(MANIFEST_PATH)}: {_describe(exc)}") from exc
        if response.status_code not in (200, 304):
            raise _status_error(response)
        return response

    def _parse(self, response: httpx.Response) -> Manifest:
        try:
            return parse_manifest(response.content)
        except ValidationError as exc:
            message = f"{response.url} sent an invalid manifest: {validation_reason(exc)}"
            logger.error("%s; keeping the last good manifest", message)
            raise InvalidManifest(message) from exc

    def _missing(self, manifest: Manifest) -> list[AssetRef]:
        return [asset for asset in manifest.assets if not self._cache.has(asset.sha256)]

    def _download_missing(self, manifest: Manifest, *, on_screen: set[str]) -> None:
        missing = self._missing(manifest)
        limit = self._cache.limit_bytes
        total = sum(asset.size for asset in manifest.assets)
        if missing and limit is not None and total > limit:
            raise CacheFull(total, limit)
        # What is on screen stays until the new content is complete: the cache may run over
        # its limit meanwhile, and the switch brings it back under.
        keep = _shas(manifest) | on_screen
        over = False
        for asset in missing:
            incoming = asset.size - self._cache.partial_size(asset.sha256)
            self._cache.make_room(needed=keep, incoming=incoming)
            if not over and not self._cache.fits(incoming):
                over = True
                logger.info("the cache runs over its limit until the new content is in place")
            try:
                self._download(asset)
                self._cache.commit(asset.sha256)
            except OSError as exc:
                if exc.errno not in _DISK_FULL:
                    raise
                # The partial file is what filled the disk: it goes, and the next sync tries again.
                self._cache.discard_partial(asset.sha256)
                raise DiskFull(f"asset {asset.sha256}", exc.strerror or str(exc)) from exc
            logger.info("cached asset %s (%d bytes)", asset.sha256, asset.size)

    def _download(self, asset: AssetRef) -> None:
        """Fetch `asset` into its partial file, resuming what an earlier attempt left."""
        path = ASSET_PATH.format(sha256=asset.sha256)
        restarted = False
        while True:
            offset = self._cache.partial_size(asset.sha256)
            if offset > asset.size:
                self._cache.discard_partial(asset.sha256)
                offset = 0
            headers = {"Range": f"bytes={offset}-"} if offset else {}
            try:
                with self._client.stream("GET", path, headers=headers) as response:
                    if _resumable(response, offset):
                        self._receive(asset, response, append=offset > 0)
                        return
                    if response.status_code == 200:
                        self._receive(asset, response, append=False)
                        return
                    if response.status_code not in (206, 416):
                        raise _status_error(response)
            except httpx.TransportError as exc:
                kept = self._cache.partial_size(asset.sha256)
                raise ServerUnreachable(
                    f"{self._url(path)}: {_describe(exc)} ({kept} of {asset.size} bytes kept "
                    "to resume)"
                ) from exc
            # 416, or a 206 for another range than the one we asked: the partial file does
            # not match what the server has, so start from nothing, but only once.
            self._cache.discard_partial(asset.sha256)
            if restarted:
                raise AssetDownloadFailed(
                    asset.sha256,
                    f"{self._url(path)} does not serve the range it was asked for "
                    f"(answered {response.status_code} "
                    f"{response.headers.get('Content-Range', 'without Content-Range')})",
                )
            restarted = True

    def _receive(self, asset: AssetRef, response: httpx.Response, *, append: bool) -> None:
        written = self._cache.partial_size(asset.sha256) if append else 0
        overflow = False
        with self._cache.partial_path(asset.sha256).open("ab" if append else "wb") as file:
            for chunk in response.iter_bytes():
                written += len(chunk)
                if written > asset.size:
                    overflow = True
                    break
                file.write(chunk)
        if overflow:
            # Protects the SD card from a server that never stops sending.
            self._cache.discard_partial(asset.sha256)
            raise AssetDownloadFailed(
                asset.sha256,
                f"{response.url} sent more than the {asset.size} bytes the manifest announced",
            )
        if written < asset.size:
            raise AssetDownloadFailed(
                asset.sha256,
                f"{response.url} ended after {written} of {asset.size} bytes (kept to resume)",
            )

    def _url(self, path: str) -> str:
        return f"{self._server_url}{path}"


def _resumable(response: httpx.Response, offset: int) -> bool:
    """Whether `response` is a 206 continuing exactly where our partial file ends."""
    if response.status_code != 206:
        return False
    match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
    return match is not None and int(match.group(1)) == offset


def _etag(response: httpx.Response) -> str | None:
    # Stored without quotes (and without a weak marker) and sent back quoted.
    value = response.headers.get("ETag", "").strip().removeprefix("W/").strip('"')
    return value or None


def _shas(manifest: Manifest) -> set[str]:
    return {asset.sha256 for asset in manifest.assets}


def _changed(previous: StoredManifest | None, etag: str) -> bool:
    return previous is None or previous.etag != etag


def _status_error(response: httpx.Response) -> SyncError:
    status = response.status_code
    if status in (401, 403):
        return DeviceNotAuthorised(
            f"{response.url} refused the device token ({status}); the screen must be paired again"
        )
    return ServerError(status, f"{response.url} answered {status} {response.reason_phrase}")


def _describe(exc: httpx.TransportError) -> str:
    return str(exc) or type(exc).__name__
