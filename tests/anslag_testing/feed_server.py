"""Other systems' websites, faked for `httpx.MockTransport`: feeds, their pictures, and faults.

Each address serves what a test put there, honours `If-None-Match` and
`If-Modified-Since` like a real web server, and remembers every request. An
address can instead answer an error status, refuse the connection, time out,
or send bytes without end. Fixture feeds live in `feeds/` beside this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

FEEDS_DIR = Path(__file__).parent / "feeds"


def feed_fixture(name: str) -> bytes:
    """The bytes of a fixture feed, exactly as written (encodings included)."""
    return (FEEDS_DIR / name).read_bytes()


@dataclass
class _Answer:
    body: bytes
    content_type: str
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    fault: str | None = None  # "refused", "timeout" or "endless"


class FakeWeb:
    """Addresses and what they answer; `transport` is what a feed client is built with."""

    def __init__(self) -> None:
        self._answers: dict[str, _Answer] = {}
        self.requests: list[httpx.Request] = []

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def serve(
        self,
        url: str,
        body: bytes,
        *,
        content_type: str = "application/rss+xml; charset=utf-8",
        etag: str | None = None,
        last_modified: str | None = None,
        status: int = 200,
    ) -> None:
        self._answers[url] = _Answer(body, content_type, status, etag, last_modified)

    def serve_feed(self, url: str, fixture: str, **options: str | None) -> None:
        """The fixture feed `fixture` at `url`."""
        content_type = options.pop("content_type", None) or "application/rss+xml"
        etag, last_modified = options.get("etag"), options.get("last_modified")
        self.serve(
            url,
            feed_fixture(fixture),
            content_type=content_type,
            etag=etag,
            last_modified=last_modified,
        )

    def fail(self, url: str, fault: str) -> None:
        """`url` refuses connections ("refused"), never answers ("timeout") or never ends."""
        self._answers[url] = _Answer(b"", "application/octet-stream", fault=fault)

    def requests_to(self, url: str) -> list[httpx.Request]:
        return [request for request in self.requests if str(request.url) == url]

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self._answers.get(str(request.url))
        if answer is None:
            return httpx.Response(
                404, text="Sidan finns inte", headers={"content-type": "text/plain"}
            )
        if answer.fault == "refused":
            raise httpx.ConnectError("Connection refused", request=request)
        if answer.fault == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if answer.fault == "endless":
            return httpx.Response(200, content=_endless(), headers={"content-type": "text/xml"})
        headers = {"content-type": answer.content_type}
        if answer.etag:
            headers["etag"] = answer.etag
        if answer.last_modified:
            headers["last-modified"] = answer.last_modified
        unchanged = (answer.etag and request.headers.get("if-none-match") == answer.etag) or (
            answer.last_modified
            and request.headers.get("if-modified-since") == answer.last_modified
        )
        if unchanged and answer.status == 200:
            return httpx.Response(304, headers=headers)
        return httpx.Response(answer.status, content=answer.body, headers=headers)


def _endless() -> Iterator[bytes]:
    yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>Utan slut</title>'
    while True:
        yield b"<item><title>" + b"x" * 65_536 + b"</title></item>"
