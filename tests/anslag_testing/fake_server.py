"""A hand-written fake of the device API for `httpx.MockTransport`, with ways to misbehave.

It holds one manifest and the bytes of its assets, honours `Authorization`,
`If-None-Match` and `Range` like the real server, and can be told to be
offline, answer an error status, drop the connection mid-download, serve wrong
bytes, ignore `Range`, or answer a range other than the one asked for. It also
hands out pairing codes, which a test claims (making their token the device
token) or lets expire.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from anslag_testing.manifests import GENERATED_AT, assignment, location, playlist
from player.cache import AssetCache
from player.pairing import PAIRING_PATH
from player.store import ManifestStore
from player.sync import ASSET_PATH, MANIFEST_PATH, SyncClient
from playlists.manifest import AssetRef, ImageItem, Manifest

SERVER_URL = "http://anslag.test"
DEVICE_TOKEN = "test-device-token"

_ASSET_PREFIX = ASSET_PATH.format(sha256="")
_RANGE = re.compile(r"^bytes=(\d+)-$")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def asset_ref(data: bytes, media_type: str = "image/png") -> AssetRef:
    return AssetRef(sha256=sha256_of(data), size=len(data), media_type=media_type)


def image_manifest(*assets: AssetRef, generated_at: datetime = GENERATED_AT) -> Manifest:
    """A manifest that shows each asset as a ten-second image slide, all day, every day."""
    items = tuple(
        ImageItem(id=f"image-{index}", duration_s=10, asset=asset.sha256)
        for index, asset in enumerate(assets, start=1)
    )
    return Manifest(
        generated_at=generated_at,
        valid_until=generated_at + timedelta(days=7),
        location=location(),
        assets=assets,
        items=items,
        playlists=(playlist("all-day", *(item.id for item in items)),),
        assignments=(assignment("always", "all-day"),),
    )


class FakeDeviceServer:
    """The device API of one server; set the public attributes to make it misbehave."""

    def __init__(self, *, token: str = DEVICE_TOKEN) -> None:
        self.token: str | None = token
        self.manifest_body: bytes | None = None
        self.etag: str | None = None
        self.assets: dict[str, bytes] = {}
        self.requests: list[httpx.Request] = []
        self.chunk_size = 1024
        # Ways to misbehave; each applies to every request until reset.
        self.offline = False
        self.fail_status: int | None = None
        self.drop_assets_after_bytes: int | None = None
        self.wrong_bytes: dict[str, bytes] = {}
        self.ignore_range = False
        self.answer_range_from_start = False
        # Pairing codes handed out and not expired, by the token that came with each.
        self.pairing_codes: dict[str, str] = {}
        self._codes_issued = 0

    def add_asset(self, data: bytes, media_type: str = "image/png") -> AssetRef:
        ref = asset_ref(data, media_type)
        self.assets[ref.sha256] = data
        return ref

    def publish(self, manifest: Manifest) -> None:
        self.publish_raw(manifest.model_dump_json().encode("utf-8"), etag=manifest.content_hash())

    def publish_raw(self, body: bytes, *, etag: str) -> None:
        """Serve `body` as the manifest as it is, valid or not."""
        self.manifest_body = body
        self.etag = etag

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def manifest_requests(self) -> list[httpx.Request]:
        return [request for request in self.requests if request.url.path == MANIFEST_PATH]

    def asset_requests(self, sha256: str | None = None) -> list[httpx.Request]:
        return [
            request
            for request in self.requests
            if request.url.path.startswith(_ASSET_PREFIX)
            and (sha256 is None or request.url.path == _ASSET_PREFIX + sha256)
        ]

    def claim(self, code: str) -> None:
        """What an admin does: the code's token becomes this server's device token."""
        [token] = [token for token, issued in self.pairing_codes.items() if issued == code]
        self.token = token

    def expire(self, code: str) -> None:
        self.pairing_codes = {t: c for t, c in self.pairing_codes.items() if c != code}

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.offline:
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path == PAIRING_PATH:
            return self._pairing(request)
        if self.token is None or request.headers.get("Authorization") != f"Bearer {self.token}":
            return httpx.Response(401, json={"detail": "unknown device token"})
        if self.fail_status is not None:
            return httpx.Response(self.fail_status, json={"detail": "failing on purpose"})
        if request.url.path == MANIFEST_PATH:
            return self._manifest(request)
        if request.url.path.startswith(_ASSET_PREFIX):
            return self._asset(request, request.url.path.removeprefix(_ASSET_PREFIX))
        return httpx.Response(404, json={"detail": "no such endpoint"})

    def _pairing(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            self._codes_issued += 1
            number = self._codes_issued
            code, token = f"K7M{number:03d}", f"pairing-token-{number}"
            self.pairing_codes[token] = code
            body = {"code": code, "token": token, "expires_at": "2026-03-03T09:00:00Z"}
            return httpx.Response(201, json={**body, "poll_interval_s": 0.05})
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.pairing_codes:
            return httpx.Response(401, json={"detail": "unknown pairing token"})
        code = self.pairing_codes[token]
        if token != self.token:
            return httpx.Response(200, json={"status": "pending", "code": code})
        paired = {"status": "paired", "code": code, "screen": "Vid kassan"}
        return httpx.Response(200, json={**paired, "location": "Byabutiken"})

    def _manifest(self, request: httpx.Request) -> httpx.Response:
        if self.manifest_body is None:
            return httpx.Response(404, json={"detail": "no manifest for this screen"})
        headers = {"ETag": f'"{self.etag}"'}
        if request.headers.get("If-None-Match") == headers["ETag"]:
            return httpx.Response(304, headers=headers)
        headers["Content-Type"] = "application/json"
        return httpx.Response(200, headers=headers, content=self.manifest_body)

    def _asset(self, request: httpx.Request, sha256: str) -> httpx.Response:
        data = self.wrong_bytes.get(sha256, self.assets.get(sha256))
        if data is None:
            return httpx.Response(404, json={"detail": f"no asset {sha256}"})
        total = len(data)
        match = _RANGE.match(request.headers.get("Range", ""))
        if match is None or self.ignore_range:
            return self._body(200, data, {})
        start = 0 if self.answer_range_from_start else int(match.group(1))
        if start >= total:
            return httpx.Response(416, headers={"Content-Range": f"bytes */{total}"})
        headers = {"Content-Range": f"bytes {start}-{total - 1}/{total}"}
        return self._body(206, data[start:], headers)

    def _body(self, status: int, data: bytes, headers: dict[str, str]) -> httpx.Response:
        headers = {**headers, "Content-Length": str(len(data)), "Accept-Ranges": "bytes"}
        stream = _ChunkedBody(data, self.chunk_size, self.drop_assets_after_bytes)
        return httpx.Response(status, headers=headers, stream=stream)


class _ChunkedBody(httpx.SyncByteStream):
    """A response body sent in chunks that can break off like a dropped connection."""

    def __init__(self, data: bytes, chunk_size: int, drop_after: int | None) -> None:
        self._data = data
        self._chunk_size = chunk_size
        self._drop_after = drop_after

    def __iter__(self) -> Iterator[bytes]:
        end = len(self._data) if self._drop_after is None else self._drop_after
        for start in range(0, min(end, len(self._data)), self._chunk_size):
            yield self._data[start : min(start + self._chunk_size, end)]
        if self._drop_after is not None and self._drop_after < len(self._data):
            raise httpx.ReadError("connection dropped mid-body")


def sync_client(
    server: FakeDeviceServer,
    data_dir: Path,
    *,
    token: str = DEVICE_TOKEN,
    cache_limit_bytes: int | None = None,
) -> SyncClient:
    """A SyncClient for `server` keeping its files under `data_dir` as the player does."""
    return SyncClient(
        server_url=SERVER_URL,
        token=token,
        cache=AssetCache(data_dir / "objects", limit_bytes=cache_limit_bytes),
        store=ManifestStore(data_dir / "manifest.json"),
        transport=server.transport(),
    )
