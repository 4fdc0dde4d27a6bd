"""Syncing runs beside the screen: at start, then every interval, never freezing the GUI."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from anslag_testing.manifests import simple_manifest
from PySide6.QtCore import QObject, QTimer, Slot
from pytestqt.qtbot import QtBot

from player.sync import ServerUnreachable
from player.ui.sync_thread import SyncThread
from playlists.manifest import Manifest

pytestmark = pytest.mark.gui


@dataclass(frozen=True)
class Outcome:
    manifest: Manifest
    changed: bool


class FakeSyncer:
    """Answers each sync_once() with the next scripted outcome (or raises it)."""

    def __init__(self, *script: Outcome | Exception) -> None:
        self._script = list(script)
        self.calls = 0
        self.gate = threading.Event()
        self.gate.set()
        self.inside = threading.Event()

    def sync_once(self) -> Outcome:
        self.calls += 1
        self.inside.set()
        self.gate.wait()
        step = self._script[min(self.calls, len(self._script)) - 1]
        if isinstance(step, Exception):
            raise step
        return step


class Receiver(QObject):
    """A GUI-thread object, like the controller, that notes where its slot runs."""

    def __init__(self) -> None:
        super().__init__()
        self.manifests: list[Manifest] = []
        self.threads: list[int] = []

    @Slot(object)
    def take(self, manifest: Manifest) -> None:
        self.manifests.append(manifest)
        self.threads.append(threading.get_ident())


@pytest.fixture
def threads() -> Iterator[list[SyncThread]]:
    started: list[SyncThread] = []
    yield started
    for thread in started:
        thread.stop()


def start(threads: list[SyncThread], syncer: FakeSyncer, interval_s: float) -> SyncThread:
    thread = SyncThread(syncer, interval_s=interval_s)
    threads.append(thread)
    thread.start()
    return thread


def test_syncs_at_once_and_hands_new_manifests_to_the_gui_thread(
    qtbot: QtBot, threads: list[SyncThread]
) -> None:
    first, second = simple_manifest("harbour"), simple_manifest("harbour", "choir")
    syncer = FakeSyncer(Outcome(first, True), Outcome(first, False), Outcome(second, True))
    receiver = Receiver()

    thread = SyncThread(syncer, interval_s=0.05)
    threads.append(thread)
    thread.manifest_changed.connect(receiver.take)
    thread.start()
    qtbot.waitUntil(lambda: len(receiver.manifests) == 2, timeout=3000)

    assert receiver.manifests == [first, second]
    assert set(receiver.threads) == {threading.get_ident()}


def test_a_failed_sync_is_reported_and_the_next_one_still_runs(
    qtbot: QtBot, threads: list[SyncThread]
) -> None:
    syncer = FakeSyncer(
        ServerUnreachable("http://anslag.test/api/device/v1/manifest: connection refused"),
        RuntimeError("disk on fire"),
        Outcome(simple_manifest("harbour"), True),
    )
    failures: list[str] = []

    thread = SyncThread(syncer, interval_s=0.05)
    threads.append(thread)
    thread.sync_failed.connect(failures.append)
    with qtbot.waitSignal(thread.manifest_changed, timeout=3000):
        thread.start()

    assert failures == [
        "http://anslag.test/api/device/v1/manifest: connection refused",
        "unexpected RuntimeError: disk on fire",
    ]


def test_the_screen_keeps_running_while_a_sync_hangs(
    qtbot: QtBot, threads: list[SyncThread]
) -> None:
    syncer = FakeSyncer(Outcome(simple_manifest("harbour"), True))
    syncer.gate.clear()
    ticks: list[int] = []
    timer = QTimer()
    timer.setObjectName("test-ticker")
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()

    thread = start(threads, syncer, interval_s=60)
    assert syncer.inside.wait(timeout=3)
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=3000)

    assert syncer.calls == 1
    timer.stop()
    with qtbot.waitSignal(thread.manifest_changed, timeout=3000):
        syncer.gate.set()


def test_stop_ends_the_thread_without_waiting_for_the_next_interval(
    qtbot: QtBot, threads: list[SyncThread]
) -> None:
    syncer = FakeSyncer(Outcome(simple_manifest("harbour"), False))
    thread = start(threads, syncer, interval_s=3600)
    qtbot.waitUntil(lambda: syncer.calls == 1, timeout=3000)

    asked_at = time.monotonic()
    thread.stop()

    assert time.monotonic() - asked_at < 2
    assert thread.isFinished()
    assert syncer.calls == 1
