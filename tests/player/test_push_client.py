"""The player's end of the push channel: reading events, reconnecting with Last-Event-ID,
backing off, and stopping at once even in the middle of a quiet stream."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
from anslag_testing.fake_server import SERVER_URL

from player.push import (
    MAX_BACKOFF_S,
    UNAVAILABLE_RETRY_S,
    ChannelUnavailable,
    EventStreamParser,
    PushClient,
    ServerEvent,
)

STREAM = {"Content-Type": "text/event-stream"}


def parse(text: str) -> list[ServerEvent]:
    parser = EventStreamParser()
    events = [parser.feed(line) for line in text.split("\n")]
    return [event for event in events if event is not None]


def test_the_parser_reads_events_their_ids_and_the_retry_hint_and_skips_comments() -> None:
    parser = EventStreamParser()
    text = (
        "retry: 2500\n: connected\n\n"
        'event: alert\ndata: {"id":"alert-1",\ndata: "version":2}\nid: e-7\n\n'
        ": keep-alive\n\n"
        "data:plain\n\n"
    )
    events = [event for line in text.split("\n") if (event := parser.feed(line)) is not None]

    assert events == [
        ServerEvent("alert", '{"id":"alert-1",\n"version":2}', "e-7"),
        ServerEvent("message", "plain", "e-7"),
    ]
    assert (parser.retry_s, parser.comments, parser.last_event_id) == (2.5, 2, "e-7")


def test_an_event_without_data_is_no_event() -> None:
    assert parse("event: alert\nid: e-1\n\n") == []


class StreamingServer:
    """Answers each connection with the next of `streams`; records the Last-Event-ID sent."""

    def __init__(self, *streams: bytes, status: int = 200) -> None:
        self._streams = list(streams)
        self.status = status
        self.last_event_ids: list[str | None] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer test-token"
        self.last_event_ids.append(request.headers.get("Last-Event-ID"))
        body = self._streams.pop(0) if self._streams else b"retry: 1\n\n"
        return httpx.Response(self.status, headers=STREAM, content=body)


def client_for(server: StreamingServer) -> PushClient:
    return PushClient(
        server_url=SERVER_URL,
        token="test-token",
        transport=httpx.MockTransport(server),
        jitter=lambda: 0.5,
    )


def test_listening_hands_over_each_event_and_reconnects_with_the_last_id() -> None:
    server = StreamingServer(
        b'retry: 1\n\nevent: manifest-changed\ndata: {"etag":"a"}\nid: e-1\n\n',
        b'event: alert\ndata: {"id":"alert-3","version":1}\nid: e-2\n\n',
    )
    client = client_for(server)
    heard: list[ServerEvent] = []

    def on_event(event: ServerEvent) -> None:
        heard.append(event)
        if len(heard) == 2:
            client.stop()

    client.listen(on_event)

    assert [event.name for event in heard] == ["manifest-changed", "alert"]
    assert server.last_event_ids == [None, "e-1"]
    assert client.last_event_id == "e-2"


@pytest.mark.parametrize("status", [401, 404])
def test_a_server_without_a_stream_for_the_screen_is_asked_again_only_much_later(
    status: int,
) -> None:
    client = client_for(StreamingServer(status=status))

    with pytest.raises(ChannelUnavailable) as refused:
        client.connect_once(lambda event: None)

    assert refused.value.retry_s == UNAVAILABLE_RETRY_S


def test_a_server_in_trouble_is_retried_with_backoff() -> None:
    client = client_for(StreamingServer(status=503))

    with pytest.raises(ChannelUnavailable) as refused:
        client.connect_once(lambda event: None)

    assert refused.value.retry_s is None


def test_reconnecting_waits_the_servers_hint_doubling_with_each_failure_up_to_a_limit() -> None:
    client = client_for(StreamingServer(b"retry: 2000\n\n"))
    client.connect_once(lambda event: None)

    delays = [client.reconnect_delay_s(failures) for failures in range(8)]

    assert delays[:4] == [2.0, 2.0, 4.0, 8.0]
    assert delays[-1] == MAX_BACKOFF_S


def test_the_delays_spread_out_so_screens_do_not_all_knock_at_once() -> None:
    early = PushClient(server_url=SERVER_URL, token="t", jitter=lambda: 0.0)
    late = PushClient(server_url=SERVER_URL, token="t", jitter=lambda: 1.0)

    assert (early.reconnect_delay_s(0), late.reconnect_delay_s(0)) == (2.25, 3.75)


@pytest.fixture
def quiet_stream_server() -> Iterator[str]:
    """A real HTTP server whose stream says it is connected, then nothing for a long while."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    done = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(4096)
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
                b"d\r\n: connected\n\n\r\n"
            )
            done.wait(30)

    thread = threading.Thread(target=serve, name="quiet-stream-server")
    thread.start()
    host, port = listener.getsockname()
    try:
        yield f"http://{host}:{port}"
    finally:
        done.set()
        thread.join()
        listener.close()


def test_stopping_cuts_a_quiet_stream_at_once_rather_than_after_the_read_timeout(
    quiet_stream_server: str,
) -> None:
    client = PushClient(server_url=quiet_stream_server, token="t", read_timeout_s=60)
    listening = threading.Thread(target=client.listen, args=(lambda event: None,))
    listening.start()
    # Waiting for another thread's connection, not on Qt.
    while client.keepalives == 0:
        listening.join(0.01)

    client.stop()
    listening.join(10)

    assert not listening.is_alive()
