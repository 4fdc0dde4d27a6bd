"""An app served by real uvicorn on 127.0.0.1 inside the test process, and its push streams.

Faster to start than `ServerProcess` and it takes the test's clock; it serves the
way `anslag-server serve` does (`server.serving.Server`), stopping included.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
from fastapi import FastAPI

from anslag_testing.processes import free_port
from player.push import EventStreamParser, ServerEvent
from server.serving import Server

EVENTS = "/api/device/v1/events"


@dataclass
class LiveServer:
    url: str
    server: Server
    thread: threading.Thread

    def stop(self) -> None:
        """As Ctrl-C does: uvicorn shuts down, ending the open streams first."""
        self.server.should_exit = True
        self.thread.join()


@contextmanager
def live_server(app: FastAPI, *, ready_within_s: float = 20.0) -> Iterator[LiveServer]:
    server = Server(app, host="127.0.0.1", port=free_port())
    thread = threading.Thread(target=server.run, name="live-server")
    thread.start()
    deadline = time.monotonic() + ready_within_s
    # Polling another thread for readiness, not waiting on Qt.
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            thread.join()
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    live = LiveServer(f"http://127.0.0.1:{server.config.port}", server, thread)
    try:
        yield live
    finally:
        live.stop()


@dataclass
class EventStream:
    """A screen's open push stream, read event by event as the player reads it."""

    response: httpx.Response
    parser: EventStreamParser = field(default_factory=EventStreamParser)

    def __post_init__(self) -> None:
        self._lines = self.response.iter_lines()

    def next_event(self) -> ServerEvent:
        """The next event, skipping keep-alives; httpx.ReadTimeout when none comes."""
        for line in self._lines:
            event = self.parser.feed(line)
            if event is not None:
                return event
        raise EOFError("the stream ended")

    def next_keepalive(self) -> list[ServerEvent]:
        """Read up to the next keep-alive comment; the events that came before it."""
        events = []
        seen = self.parser.comments
        for line in self._lines:
            event = self.parser.feed(line)
            if event is not None:
                events.append(event)
            if self.parser.comments > seen and line.startswith(": keep-alive"):
                return events
        raise EOFError("the stream ended")

    def rest(self) -> list[ServerEvent]:
        """Every event until the server ends the stream."""
        events = []
        for line in self._lines:
            event = self.parser.feed(line)
            if event is not None:
                events.append(event)
        return events


@contextmanager
def event_stream(
    url: str, token: str, *, last_event_id: str | None = None, timeout_s: float = 10.0
) -> Iterator[EventStream]:
    """Open the screen's push stream; reading it fails after `timeout_s` of silence."""
    headers = {"Authorization": f"Bearer {token}"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    with (
        httpx.Client(base_url=url, timeout=timeout_s) as client,
        client.stream("GET", EVENTS, headers=headers) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        yield EventStream(response)
