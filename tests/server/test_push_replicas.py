"""Several server replicas on one PostgreSQL: a change saved through one reaches the screens
connected to another, through LISTEN/NOTIFY. Runs when ANSLAG_TEST_DATABASE_URL is set."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from anslag_testing.alerting import arrange_two_places, log_in_operator, raise_water_alert
from anslag_testing.databases import POSTGRES_ENV, throwaway_database
from anslag_testing.live_server import event_stream, live_server
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine

from server.app import create_app
from server.settings import Settings
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.skipif(
    not os.environ.get(POSTGRES_ENV), reason=f"needs PostgreSQL: set {POSTGRES_ENV}"
)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """PostgreSQL only: replicas share one database, which SQLite cannot be."""
    with throwaway_database("postgresql", tmp_path) as url:
        yield url


def test_an_alert_sent_through_one_replica_reaches_a_screen_connected_to_another(
    settings: Settings, clock: FakeClock, storage: LocalMediaStorage, engine: Engine
) -> None:
    screens = arrange_two_places(engine, now=clock())
    with (
        live_server(create_app(settings, clock=clock, storage=storage)) as first,
        live_server(create_app(settings, clock=clock, storage=storage)) as second,
        httpx.Client(base_url=second.url, timeout=10) as operator,
        event_stream(first.url, screens.shop_token) as shop,
    ):
        shop.next_event()

        alert_id = raise_water_alert(
            operator, log_in_operator(operator), where={"tags": ["svanstein"]}
        )
        event = shop.next_event()

    assert event.name == "alert"
    assert json.loads(event.data) == {"id": f"alert-{alert_id}", "version": 1}
