"""The push channel as a screen sees it: a real uvicorn serving the app, streams read line by line.

A screen connected to GET /api/device/v1/events hears at once of an alert that
reaches it and of its manifest changing, never of what concerns other places;
one that reconnects with its last event id gets what it missed; keep-alives keep
a quiet stream alive; and a stopping server ends the streams instead of waiting.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from anslag_testing.alerting import (
    Screens,
    arrange_two_places,
    cancel_alert,
    log_in_operator,
    raise_water_alert,
)
from anslag_testing.live_server import LiveServer, event_stream, live_server
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine
from sqlmodel import select

from server.app import create_app
from server.db import session_scope
from server.models import AlertDelivery
from server.settings import Settings
from server.storage import LocalMediaStorage

SHOP_ONLY = {"tags": ["svanstein"]}
KEEPALIVE_S = 0.2


@pytest.fixture
def screens(engine: Engine, clock: FakeClock) -> Screens:
    return arrange_two_places(engine, now=clock())


@pytest.fixture
def server(
    settings: Settings, clock: FakeClock, storage: LocalMediaStorage, screens: Screens
) -> Iterator[LiveServer]:
    quick = settings.model_copy(update={"push_keepalive_s": KEEPALIVE_S})
    with live_server(create_app(quick, clock=clock, storage=storage)) as server:
        yield server


@pytest.fixture
def operator(server: LiveServer) -> Iterator[tuple[httpx.Client, str]]:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        yield client, log_in_operator(client)


def manifest_etag(server: LiveServer, token: str) -> str:
    answer = httpx.get(f"{server.url}/api/device/v1/manifest", headers=bearer(token))
    return answer.headers["etag"].strip('"')


def test_a_connecting_screen_is_told_the_etag_of_its_manifest_first(
    server: LiveServer, screens: Screens
) -> None:
    with event_stream(server.url, screens.shop_token) as stream:
        first = stream.next_event()

    assert first.name == "manifest-changed"
    assert json.loads(first.data) == {"etag": manifest_etag(server, screens.shop_token)}
    assert stream.parser.retry_s == 3.0


def test_an_alert_reaches_the_streams_of_the_screens_it_applies_to_and_no_other(
    server: LiveServer,
    screens: Screens,
    operator: tuple[httpx.Client, str],
    engine: Engine,
) -> None:
    client, csrf = operator
    with (
        event_stream(server.url, screens.shop_token) as shop,
        event_stream(server.url, screens.hall_token) as hall,
    ):
        shop.next_event()
        hall.next_event()

        alert_id = raise_water_alert(client, csrf, where=SHOP_ONLY)
        alert, changed = shop.next_event(), shop.next_event()
        # The hall's stream says only that it is alive.
        assert hall.next_keepalive() == []

    assert alert.name == "alert"
    assert json.loads(alert.data) == {"id": f"alert-{alert_id}", "version": 1}
    assert changed.name == "manifest-changed"
    assert json.loads(changed.data) == {"etag": manifest_etag(server, screens.shop_token)}
    with session_scope(engine) as session:
        [delivery] = session.exec(select(AlertDelivery)).all()
        assert (delivery.screen_id, delivery.delivered_via) == (screens.shop_screen, "channel")


def test_a_screen_reconnecting_with_its_last_event_id_gets_what_it_missed(
    server: LiveServer, screens: Screens, operator: tuple[httpx.Client, str]
) -> None:
    client, csrf = operator
    with event_stream(server.url, screens.shop_token) as stream:
        last_id = stream.next_event().id
    alert_id = raise_water_alert(client, csrf, where=SHOP_ONLY)
    cancel_alert(client, csrf, alert_id)

    with event_stream(server.url, screens.shop_token, last_event_id=last_id) as stream:
        missed = [stream.next_event() for _ in range(3)]
        assert stream.next_keepalive() == []

    # The alert's two versions, then one refetch for both manifests it changed.
    assert [(event.name, json.loads(event.data).get("version")) for event in missed] == [
        ("alert", 1),
        ("alert", 2),
        ("manifest-changed", None),
    ]
    assert json.loads(missed[-1].data) == {"etag": manifest_etag(server, screens.shop_token)}


def test_a_last_event_id_the_server_cannot_replay_from_brings_the_current_etag(
    server: LiveServer, screens: Screens
) -> None:
    # From before a restart of the server, or from another replica.
    with event_stream(server.url, screens.shop_token, last_event_id="0badc0de-7") as stream:
        event = stream.next_event()

    assert event.name == "manifest-changed"
    assert json.loads(event.data) == {"etag": manifest_etag(server, screens.shop_token)}


def test_keep_alives_arrive_while_there_is_nothing_to_tell(
    server: LiveServer, screens: Screens
) -> None:
    with event_stream(server.url, screens.shop_token) as stream:
        stream.next_event()
        quiet = [stream.next_keepalive() for _ in range(3)]

    assert quiet == [[], [], []]
    assert stream.parser.comments >= 4  # ": connected" and the keep-alives


def test_a_stopping_server_ends_the_open_streams_instead_of_waiting_for_them(
    server: LiveServer, screens: Screens
) -> None:
    with event_stream(server.url, screens.shop_token) as stream:
        stream.next_event()
        server.stop()

        assert stream.rest() == []
    assert not server.thread.is_alive()


def test_without_a_device_token_there_is_no_stream(server: LiveServer) -> None:
    answer = httpx.get(f"{server.url}/api/device/v1/events")

    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"


def test_pushing_needs_no_database_connection_per_open_stream(
    server: LiveServer, screens: Screens, tmp_path: Path
) -> None:
    # More streams than the connection pool holds (5 + 10 overflow): each stream gives its
    # connection back as soon as the screen is known, or the pool would run dry.
    streams = [event_stream(server.url, screens.shop_token) for _ in range(20)]
    opened = [stream.__enter__() for stream in streams]
    try:
        assert all(stream.next_event().name == "manifest-changed" for stream in opened)
        answer = httpx.get(
            f"{server.url}/api/device/v1/manifest", headers=bearer(screens.hall_token), timeout=10
        )
        assert answer.status_code == 200
    finally:
        for stream in reversed(streams):
            stream.__exit__(None, None, None)
