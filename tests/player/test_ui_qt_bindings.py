"""The Qt bindings the player runs on keep Python's reference counts right.

PySide6 6.12.0 on CPython 3.11 dropped a reference to the bool that a void Qt
call returns; a player making a few calls a second aborted with "bool_dealloc"
within hours. A screen that crashes is a black screen, so the lock must never
take such a release again.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal

pytestmark = pytest.mark.gui

CALLS = 20_000


class _Emitter(QObject):
    pinged = Signal()


@pytest.mark.parametrize("constant", [True, False, None], ids=["True", "False", "None"])
def test_qt_calls_and_signals_leave_reference_counts_alone(qapp: object, constant: object) -> None:
    emitter = _Emitter()
    received = [0]

    def count() -> None:
        received[0] += 1

    emitter.pinged.connect(count)
    before = sys.getrefcount(constant)

    for _ in range(CALLS):
        emitter.pinged.emit()
        emitter.blockSignals(False)

    assert received[0] == CALLS
    # A few references come and go with the interpreter's own bookkeeping; the bug took
    # or left one per call.
    assert abs(sys.getrefcount(constant) - before) < CALLS // 100
