"""Acknowledging alerts on screen: sent at once, kept on disk while the server is away."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from player.acknowledgements import Acknowledger, AckOutbox
from player.errors import ServerError, ServerUnreachable
from playlists.reports import AlertShown

SHOWN_AT = datetime(2026, 1, 12, 8, 0, 2, tzinfo=UTC)


class FakeServer:
    """Takes acknowledgements, or fails as told (`failure` every time, `refusals` once each);
    `arrived` is set at each one taken."""

    def __init__(self) -> None:
        self.received: list[tuple[str, AlertShown]] = []
        self.failure: Exception | None = None
        self.refusals: list[Exception] = []
        self.arrived = threading.Event()

    def send_alert_shown(self, alert: str, shown: AlertShown) -> None:
        if self.failure is not None:
            raise self.failure
        if self.refusals:
            raise self.refusals.pop(0)
        self.received.append((alert, shown))
        self.arrived.set()

    def close(self) -> None:
        pass


@pytest.fixture
def server() -> FakeServer:
    return FakeServer()


@pytest.fixture
def outbox_path(tmp_path: Path) -> Path:
    return tmp_path / "alert-acks.jsonl"


@pytest.fixture
def running(server: FakeServer, outbox_path: Path) -> Iterator[Acknowledger]:
    acknowledger = Acknowledger(sender=server, outbox=AckOutbox(outbox_path))
    thread = threading.Thread(target=acknowledger.run, name="acknowledger")
    thread.start()
    yield acknowledger
    acknowledger.stop()
    thread.join()


def acknowledge(acknowledger: Acknowledger, alert: str = "alert-4", version: int = 2) -> None:
    acknowledger.acknowledge(
        alert=alert,
        version=version,
        received_at=SHOWN_AT - timedelta(seconds=0.4),
        displayed_at=SHOWN_AT,
    )


def test_an_acknowledgement_goes_out_at_once(running: Acknowledger, server: FakeServer) -> None:
    acknowledge(running)

    assert server.arrived.wait(10)
    [(alert, shown)] = server.received
    assert alert == "alert-4"
    assert shown == AlertShown(
        version=2, received_at=SHOWN_AT - timedelta(seconds=0.4), displayed_at=SHOWN_AT
    )
    assert running.pending == 0


def test_while_the_server_is_away_acknowledgements_wait_on_disk_and_go_after_a_restart(
    server: FakeServer, outbox_path: Path
) -> None:
    server.failure = ServerUnreachable("network down")
    offline = Acknowledger(sender=server, outbox=AckOutbox(outbox_path))
    acknowledge(offline, "alert-4")
    acknowledge(offline, "alert-5")
    offline.stop()
    offline.run()  # stores what it was handed, then ends: the player is switched off

    server.failure = None
    restarted = Acknowledger(sender=server, outbox=AckOutbox(outbox_path))
    assert restarted.pending == 2
    assert restarted.flush()

    assert [alert for alert, _shown in server.received] == ["alert-4", "alert-5"]
    assert AckOutbox(outbox_path).oldest(10) == []


def test_one_the_server_will_never_take_is_dropped_and_the_rest_go(
    server: FakeServer, outbox_path: Path
) -> None:
    outbox = AckOutbox(outbox_path)
    acknowledger = Acknowledger(sender=server, outbox=outbox)
    acknowledge(acknowledger, "alert-gone")
    acknowledge(acknowledger, "alert-5")
    acknowledger.stop()
    acknowledger.run()

    server.refusals = [ServerError(404, "no alert 'alert-gone'")]
    assert acknowledger.flush()

    assert [alert for alert, _shown in server.received] == ["alert-5"]
    assert len(outbox) == 0


def test_a_server_error_keeps_the_acknowledgement_for_the_next_try(
    server: FakeServer, outbox_path: Path
) -> None:
    acknowledger = Acknowledger(sender=server, outbox=AckOutbox(outbox_path))
    acknowledge(acknowledger)
    acknowledger.stop()
    acknowledger.run()
    server.failure = ServerError(503, "restarting")

    assert not acknowledger.flush()
    assert acknowledger.pending == 1
