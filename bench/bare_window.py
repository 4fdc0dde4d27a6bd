"""The benchmark's baseline: a bare PySide6 Qt Quick window (a QQuickView with one Rectangle and
one Text), which says `READY=1` to `NOTIFY_SOCKET` after its first frame, like the player.

Run as a process of its own by bench/player_bench.py: `python bench/bare_window.py 1920x1080`.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickView

SCENE = """
import QtQuick

Rectangle {
    color: "#0b1f3a"

    Text {
        anchors.centerIn: parent
        text: "Välkommen"
        color: "white"
        font.pixelSize: 88
    }
}
"""


def main() -> int:
    width, height = (int(side) for side in sys.argv[1].split("x"))
    app = QGuiApplication(sys.argv[:1])
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    with tempfile.TemporaryDirectory() as directory:
        qml = Path(directory) / "Bare.qml"
        qml.write_text(SCENE, encoding="utf-8")
        view = QQuickView()
        view.setResizeMode(QQuickView.ResizeMode.SizeRootObjectToView)
        view.resize(width, height)
        view.setSource(QUrl.fromLocalFile(str(qml)))
        notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        address = os.environ["NOTIFY_SOCKET"]

        def ready() -> None:
            view.frameSwapped.disconnect(ready)
            notify.sendto(b"READY=1", address)

        view.frameSwapped.connect(ready)
        view.show()
        # A timer lets Python see SIGTERM while Qt's event loop runs.
        awake = QTimer()
        awake.timeout.connect(lambda: None)
        awake.start(200)
        return app.exec()


if __name__ == "__main__":
    sys.exit(main())
