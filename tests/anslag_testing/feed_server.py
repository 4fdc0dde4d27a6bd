"""Other systems' websites, faked for `httpx.MockTransport`: feeds, their pictures, and faults.

Each address serves what a test put there, honours `If-None-Match` and
`If-Modified-Since` like a real web server, and remembers every request. An
address can instead answer an error status, refuse the connection, time out,
or send bytes without end. Fixture feeds live in `feeds/` beside this file.
`local_website` serves pages for real, for a server process that fetches over the network.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


@contextmanager
def local_website(pages: Mapping[str, tuple[bytes, str]]) -> Iterator[str]:
    """A real web server on 127.0.0.1 serving `pages` ({path: (body, content type)}).

    Yields its base address ("http://127.0.0.1:PORT"); for a server process under test,
    which fetches over the real network. `{base}` in a body becomes that address.
    """

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = pages.get(self.path)
            if found is None:
                self.send_error(404)
                return
            body, content_type = found
            body = body.replace(b"{base}", base.encode("ascii"))
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # The test's output is not the place for an access log.

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="local-website", daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
