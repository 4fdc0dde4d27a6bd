"""Telling systemd how the player is: ready once its first frame is up, alive while it runs.

This is the sd_notify protocol without a library: datagrams such as `READY=1`
or `WATCHDOG=1` sent to the AF_UNIX socket named in `NOTIFY_SOCKET` (a path,
or an abstract name starting with "@"). With `WatchdogSec=` in the unit,
systemd restarts a player whose pings stop: the player sends them from its GUI
thread, so a hung screen stops them too.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from datetime import timedelta

logger = logging.getLogger(__name__)


class SystemdNotifier:
    """Sends notifications to one `NOTIFY_SOCKET`; failures are logged once, never raised."""

    def __init__(self, address: str) -> None:
        # An abstract socket's name starts with a NUL byte where systemd writes "@".
        self._address = "\0" + address[1:] if address.startswith("@") else address
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
        self._failing = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> SystemdNotifier | None:
        """The notifier systemd asked for, or None when not run by systemd with Type=notify."""
        address = environ.get("NOTIFY_SOCKET", "")
        return cls(address) if address.startswith(("/", "@")) else None

    def notify(self, *assignments: str) -> bool:
        """Send `READY=1`, `WATCHDOG=1`, `STATUS=…` and the like in one datagram."""
        message = "\n".join(assignments).encode("utf-8")
        try:
            self._socket.sendto(message, self._address)
        except OSError as exc:
            if not self._failing:
                logger.warning("cannot notify systemd at %r: %s", self._address, exc)
            self._failing = True
            return False
        self._failing = False
        return True

    def close(self) -> None:
        self._socket.close()


def watchdog_interval(environ: Mapping[str, str], pid: int | None = None) -> timedelta | None:
    """How often to ping: half the `WATCHDOG_USEC` systemd set for this process, else None."""
    watchdog_pid = environ.get("WATCHDOG_PID", "")
    if watchdog_pid and watchdog_pid != str(os.getpid() if pid is None else pid):
        return None
    try:
        usec = int(environ.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return timedelta(microseconds=usec / 2) if usec > 0 else None
