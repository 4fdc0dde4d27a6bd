"""SIGINT and SIGTERM end the Qt event loop cleanly, so systemd and Ctrl+C stop the player."""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable, Iterable
from types import FrameType

from PySide6.QtCore import QCoreApplication, QSocketNotifier

QUIT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def quit_on_signals(
    app: QCoreApplication, signals: Iterable[signal.Signals] = QUIT_SIGNALS
) -> Callable[[], None]:
    """Make `signals` quit `app`; returns a function that puts the previous handlers back.

    Python runs signal handlers only between bytecodes, and Qt's event loop runs in
    C++ for as long as nothing happens; the wakeup socket makes the loop return to
    Python as soon as a signal arrives, without polling.
    """
    receiver, sender = socket.socketpair()
    receiver.setblocking(False)
    sender.setblocking(False)
    previous_fd = signal.set_wakeup_fd(sender.fileno())
    notifier = QSocketNotifier(receiver.fileno(), QSocketNotifier.Type.Read, app)

    def drain() -> None:
        with contextlib.suppress(BlockingIOError):
            receiver.recv(64)

    notifier.activated.connect(drain)

    def handle(signum: int, frame: FrameType | None) -> None:
        app.quit()

    previous = {number: signal.signal(number, handle) for number in signals}

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        notifier.deleteLater()
        receiver.close()
        sender.close()

    return restore
