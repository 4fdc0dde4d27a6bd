"""sd_notify without a library: datagrams on systemd's socket, and the watchdog's rhythm."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from player.systemd_notify import SystemdNotifier, watchdog_interval


@pytest.fixture
def systemd_socket(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    """A datagram socket where systemd would listen, named as in NOTIFY_SOCKET."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    path = tmp_path / "notify"
    listener.bind(str(path))
    listener.settimeout(5)
    yield str(path), listener
    listener.close()


def test_notifications_reach_the_socket_systemd_named(
    systemd_socket: tuple[str, socket.socket],
) -> None:
    address, listener = systemd_socket
    notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": address})
    assert notifier is not None

    assert notifier.notify("READY=1", "STATUS=Showing content")
    assert notifier.notify("WATCHDOG=1")
    notifier.close()

    assert listener.recv(4096) == b"READY=1\nSTATUS=Showing content"
    assert listener.recv(4096) == b"WATCHDOG=1"


def test_an_abstract_socket_is_named_with_an_at_sign() -> None:
    name = f"anslag-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind("\0" + name)
        listener.settimeout(5)
        notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": f"@{name}"})
        assert notifier is not None

        notifier.notify("READY=1")
        notifier.close()

        assert listener.recv(4096) == b"READY=1"


@pytest.mark.parametrize("environ", [{}, {"NOTIFY_SOCKET": ""}, {"NOTIFY_SOCKET": "relative"}])
def test_without_systemd_there_is_nobody_to_notify(environ: dict[str, str]) -> None:
    assert SystemdNotifier.from_environ(environ) is None


def test_a_socket_that_is_gone_is_logged_once_and_never_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    notifier = SystemdNotifier(str(tmp_path / "nobody-listens"))

    assert [notifier.notify("WATCHDOG=1") for _ in range(3)] == [False, False, False]
    notifier.close()

    assert len(caplog.records) == 1
    assert "cannot notify systemd" in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"WATCHDOG_USEC": "30000000"}, timedelta(seconds=15)),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "4242"}, timedelta(seconds=15)),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, None),
        ({"WATCHDOG_USEC": "0"}, None),
        ({"WATCHDOG_USEC": "soon"}, None),
        ({}, None),
    ],
)
def test_the_watchdog_is_pinged_at_half_its_timeout_when_it_watches_this_process(
    environ: dict[str, str], expected: timedelta | None
) -> None:
    assert watchdog_interval(environ, pid=4242) == expected
