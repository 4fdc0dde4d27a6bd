"""The push channel inside the player: an event wakes the sync at once, and each alert version
on screen is acknowledged once, with when it arrived."""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from anslag_testing.manifests import alert, simple_manifest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from player.push import ServerEvent
from player.ui.acknowledgement import AlertAcknowledgements
from player.ui.push_thread import PushThread
from player.ui.sync_thread import SyncThread
from playlists.manifest import Manifest

pytestmark = pytest.mark.gui

NOW = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)
AN_HOUR_S = 3600.0


@dataclass
class CountingSyncer:
    """Counts syncs; each finds nothing new."""

    calls: int = 0

    def sync_once(self) -> CountingSyncer:
        self.calls += 1
        return self

    @property
    def manifest(self) -> Manifest:
        return simple_manifest("harbour")

    @property
    def changed(self) -> bool:
        return False


class FakeListener:
    """Hands over the events a test sends, until stopped, as `PushClient.listen` does."""

    def __init__(self) -> None:
        self._events: queue.SimpleQueue[ServerEvent | None] = queue.SimpleQueue()

    def send(self, name: str) -> None:
        self._events.put(ServerEvent(name, "{}", "e-1"))

    def listen(self, on_event: Callable[[ServerEvent], None]) -> None:
        while (event := self._events.get()) is not None:
            on_event(event)

    def stop(self) -> None:
        self._events.put(None)

    def close(self) -> None:
        pass


@pytest.fixture
def wired() -> Iterator[tuple[CountingSyncer, FakeListener, PushThread]]:
    syncer, listener = CountingSyncer(), FakeListener()
    sync = SyncThread(syncer, interval_s=AN_HOUR_S)
    push = PushThread(listener)
    push.event_received.connect(sync.sync_now, Qt.ConnectionType.DirectConnection)
    sync.start()
    push.start()
    yield syncer, listener, push
    push.stop()
    sync.stop()


def test_an_event_on_the_channel_syncs_at_once_though_the_next_poll_is_an_hour_away(
    qtbot: QtBot, wired: tuple[CountingSyncer, FakeListener, PushThread]
) -> None:
    syncer, listener, push = wired
    qtbot.waitUntil(lambda: syncer.calls == 1)

    with qtbot.waitSignal(push.event_received) as received:
        listener.send("alert")
    qtbot.waitUntil(lambda: syncer.calls == 2)

    assert received.args == ["alert"]


class Acknowledgements(list[tuple[str, int, datetime, datetime]]):
    def acknowledge(
        self, *, alert: str, version: int, received_at: datetime, displayed_at: datetime
    ) -> None:
        self.append((alert, version, received_at, displayed_at))


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def with_alerts(*alerts: object) -> Manifest:
    return simple_manifest("harbour").model_copy(update={"alerts": alerts})


def test_an_alert_on_screen_is_acknowledged_once_with_when_its_manifest_arrived(
    qtbot: QtBot,
) -> None:
    sent, clock = Acknowledgements(), Clock()
    shown = AlertAcknowledgements(acknowledger=sent, clock=clock)
    water = alert("alert-4", effective=NOW, expires=NOW + timedelta(hours=4))

    shown.manifest_applied(with_alerts(water))
    clock.now += timedelta(seconds=30)
    shown.manifest_applied(with_alerts(water))
    shown.alert_displayed("alert-4", 1, NOW + timedelta(seconds=0.4))
    shown.alert_displayed("alert-4", 1, NOW + timedelta(seconds=40))
    # Shown from the manifest kept on disk, before any arrived in this run.
    shown.alert_displayed("alert-5", 2, NOW + timedelta(seconds=50))

    assert sent == [
        ("alert-4", 1, NOW, NOW + timedelta(seconds=0.4)),
        ("alert-5", 2, NOW + timedelta(seconds=50), NOW + timedelta(seconds=50)),
    ]
