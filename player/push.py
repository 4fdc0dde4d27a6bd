"""The push channel from the player's side: Server-Sent Events saying "fetch now", without Qt.

`PushClient.listen()` stays connected to `GET /api/device/v1/events` until it is
stopped, handing every event to a callback (the player wakes its sync). When the
stream ends or breaks it reconnects with `Last-Event-ID`, so the server replays
what was missed, after the server's `retry:` hint, and backs off further while
the server stays away. A stream silent for longer than three keep-alives is
taken for dead. A server without the channel is asked again only now and then:
polling carries the player meanwhile, as it always can.
"""

from __future__ import annotations

import contextlib
import logging
import random
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

import httpx

logger = logging.getLogger(__name__)

EVENTS_PATH = "/api/device/v1/events"
# The server says how long to wait before reconnecting; this until it has.
DEFAULT_RETRY_S = 3.0
MAX_BACKOFF_S = 60.0
# Three keep-alives of the server's default 15 s: a stream silent this long is dead.
READ_TIMEOUT_S = 45.0
CONNECT_TIMEOUT_S = 10.0
# A server without the channel (404), or one refusing this screen, is asked again this late.
UNAVAILABLE_RETRY_S = 600.0


@dataclass(frozen=True)
class ServerEvent:
    """One event of the stream: its type, its data (JSON from Anslag) and its id."""

    name: str
    data: str
    id: str | None


class EventStreamParser:
    """Turns the lines of a text/event-stream into events, by the WHATWG rules Anslag uses.

    Fields `event`, `data` (lines joined by newlines), `id` and `retry`; lines
    starting with a colon are comments (the keep-alives); an empty line ends an event.
    """

    def __init__(self) -> None:
        self.last_event_id: str | None = None
        self.retry_s: float | None = None
        self.comments = 0
        self._name = ""
        self._data: list[str] = []

    def feed(self, line: str) -> ServerEvent | None:
        """Take one line (without its line break); the event it completes, if any."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            self.comments += 1
            return None
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            self._name = value
        elif field == "data":
            self._data.append(value)
        elif field == "id" and "\0" not in value:
            self.last_event_id = value or None
        elif field == "retry" and value.isdigit():
            self.retry_s = int(value) / 1000
        return None

    def _dispatch(self) -> ServerEvent | None:
        name, data = self._name or "message", self._data
        self._name, self._data = "", []
        if not data:
            return None
        return ServerEvent(name, "\n".join(data), self.last_event_id)


class ChannelUnavailable(Exception):
    """The server answered, but not with a stream: `retry_s` says when to ask again (None:
    as after a dropped connection)."""

    def __init__(self, message: str, *, retry_s: float | None) -> None:
        super().__init__(message)
        self.retry_s = retry_s


class PushClient:
    """Listens to one server's push channel on behalf of one paired screen."""

    def __init__(
        self,
        *,
        server_url: str,
        token: str,
        transport: httpx.BaseTransport | None = None,
        read_timeout_s: float = READ_TIMEOUT_S,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._server_url = server_url.rstrip("/")
        self._client = httpx.Client(
            base_url=self._server_url,
            headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream"},
            transport=transport,
            timeout=httpx.Timeout(read_timeout_s, connect=CONNECT_TIMEOUT_S),
        )
        self._parser = EventStreamParser()
        self._jitter = jitter
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._stopping = threading.Event()

    @property
    def last_event_id(self) -> str | None:
        return self._parser.last_event_id

    @property
    def keepalives(self) -> int:
        """How many keep-alive comments arrived since start."""
        return self._parser.comments

    def close(self) -> None:
        self._client.close()

    def stop(self) -> None:
        """End `listen` from another thread: the open stream is cut, no reconnect follows."""
        self._stopping.set()
        with self._lock:
            connection = self._socket
        if connection is not None:
            # shutdown() rather than close(): it wakes the thread blocked reading it.
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def listen(self, on_event: Callable[[ServerEvent], None]) -> None:
        """Hand every event to `on_event` until `stop()`, reconnecting as needed."""
        failures = 0
        while not self._stopping.is_set():
            try:
                received = self.connect_once(on_event)
            except ChannelUnavailable as exc:
                if exc.retry_s is not None:
                    logger.warning("no push channel (%s); polling only, asking again later", exc)
                    self._stopping.wait(exc.retry_s)
                    continue
                logger.info("push channel refused: %s", exc)
                received = False
            except httpx.TransportError as exc:
                received = False
                if not self._stopping.is_set():
                    logger.info("push channel lost: %s", str(exc) or type(exc).__name__)
            failures = 0 if received else failures + 1
            self._stopping.wait(self.reconnect_delay_s(failures))

    def reconnect_delay_s(self, failures: int) -> float:
        """The server's retry hint, doubled for each failure in a row, within ±25 %."""
        base = self._parser.retry_s if self._parser.retry_s is not None else DEFAULT_RETRY_S
        delay: float = min(MAX_BACKOFF_S, base * 2 ** max(0, failures - 1))
        # Spread out: a server restart must not have every screen knock at once.
        return delay * (0.75 + 0.5 * self._jitter())

    def connect_once(self, on_event: Callable[[ServerEvent], None]) -> bool:
        """One connection, until its stream ends; whether any event or keep-alive arrived.

        Raises ChannelUnavailable for an answer that is no stream, and httpx.TransportError
        when the connection fails or falls silent.
        """
        headers = {}
        if self._parser.last_event_id is not None:
            headers["Last-Event-ID"] = self._parser.last_event_id
        received = False
        with self._client.stream("GET", EVENTS_PATH, headers=headers) as response:
            self._refuse_unless_stream(response)
            self._hold(response)
            try:
                for line in response.iter_lines():
                    event = self._parser.feed(line)
                    received = True
                    if event is not None:
                        on_event(event)
                    if self._stopping.is_set():
                        break
            finally:
                self._hold(None)
        return received

    def _hold(self, response: httpx.Response | None) -> None:
        connection = None
        if response is not None:
            stream = response.extensions.get("network_stream")
            connection = stream.get_extra_info("socket") if stream is not None else None
        with self._lock:
            self._socket = connection if isinstance(connection, socket.socket) else None
        if response is not None and self._stopping.is_set():
            self.stop()

    def _refuse_unless_stream(self, response: httpx.Response) -> None:
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        if response.status_code == 200 and media_type == "text/event-stream":
            return
        status = response.status_code
        # 5xx and the like: the server is having trouble; back off as for a dropped connection.
        retry_s = UNAVAILABLE_RETRY_S if status < 500 else None
        raise ChannelUnavailable(
            f"{self._server_url}{EVENTS_PATH} answered {status} {media_type or 'without a type'}",
            retry_s=retry_s,
        )
