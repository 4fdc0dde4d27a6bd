"""The CAP polling job against a real HTTP server on 127.0.0.1: sockets, headers and all."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from anslag_testing.cap import cap_document
from anslag_testing.cap_feeds import atom_index
from anslag_testing.cap_places import add_places, add_source, headlines
from anslag_testing.server_app import FakeClock, app_context
from sqlalchemy import Engine

from server.jobs import installation_jobs
from server.scheduler import JobRunner
from server.settings import Settings
from server.storage import LocalMediaStorage

ETAG = '"feed-1"'


class _FeedHandler(BaseHTTPRequestHandler):
    # Set per server by the fixture, which makes a subclass for each.
    documents: ClassVar[dict[str, bytes]]
    asked: ClassVar[list[tuple[str, str | None]]]

    def do_GET(self) -> None:
        self.asked.append((self.path, self.headers.get("If-None-Match")))
        body = self.documents.get(self.path)
        if body is None:
            self.send_error(404)
            return
        if self.path.endswith(".atom") and self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", ETAG)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[tuple[str, type[_FeedHandler]]]:
    handler = type("Handler", (_FeedHandler,), {"documents": {}, "asked": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="cap-feed-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_installation_job_polls_a_real_server_conditionally(
    engine: Engine,
    settings: Settings,
    storage: LocalMediaStorage,
    clock: FakeClock,
    feed_server: tuple[str, type[_FeedHandler]],
) -> None:
    base, handler = feed_server
    handler.documents["/cap/vma-1.xml"] = cap_document("sr_vma_alert.xml")
    handler.documents["/varningar.atom"] = atom_index(
        [(f"{base}/cap/vma-1.xml", datetime(2026, 1, 12, 7, 55, tzinfo=UTC))]
    )
    add_places(engine, clock())
    add_source(engine, clock(), url=f"{base}/varningar.atom")
    [job] = [job for job in installation_jobs() if job.name == "cap-sources"]
    runner = JobRunner(
        [job], context=app_context(settings=settings, engine=engine, clock=clock, storage=storage)
    )

    assert runner.run_turn(job)
    clock.advance(timedelta(minutes=5))
    assert runner.run_turn(job)

    assert handler.asked == [
        ("/varningar.atom", None),
        ("/cap/vma-1.xml", None),
        ("/varningar.atom", ETAG),
    ]
    assert headlines(engine, clock())["byabutiken"] == ["Brand i industrilokal i Övertorneå"]
