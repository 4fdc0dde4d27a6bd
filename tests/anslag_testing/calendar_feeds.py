"""A web server for calendar feeds in tests: real HTTP on 127.0.0.1, serving bytes per path.

It answers with an ETag and honours If-None-Match (304), counts requests,
and can be told to answer an error status or to close the connection before
the body it announced is complete, as a feed that breaks off mid-download.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Feed:
    body: bytes
    status: int = 200
    # Announce the whole body, send this many bytes of it, and hang up.
    cut_at: int | None = None

    @property
    def etag(self) -> str:
        return f'"{hashlib.sha256(self.body).hexdigest()[:16]}"'


class CalendarServer:
    """`with CalendarServer() as server:` feeds at `server.url(path)`; set `server.feeds[path]`."""

    def __init__(self) -> None:
        self.feeds: dict[str, Feed] = {}
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server._answer(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="calendar-feeds")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def __enter__(self) -> CalendarServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        conditional = handler.headers.get("If-None-Match")
        self.requests.append((handler.path, conditional))
        feed = self.feeds.get(handler.path)
        if feed is None:
            handler.send_error(404, "Not Found")
            return
        if feed.status != 200:
            handler.send_error(feed.status)
            return
        if conditional == feed.etag:
            handler.send_response(304)
            handler.send_header("ETag", feed.etag)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "text/calendar; charset=utf-8")
        handler.send_header("Content-Length", str(len(feed.body)))
        handler.send_header("ETag", feed.etag)
        handler.end_headers()
        handler.wfile.write(feed.body if feed.cut_at is None else feed.body[: feed.cut_at])
        if feed.cut_at is not None:
            handler.close_connection = True
