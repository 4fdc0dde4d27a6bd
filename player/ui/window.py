"""The player's window: a QQuickView showing Main.qml on navy, windowed or fullscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, Qt
from PySide6.QtQuick import QQuickView

from player.ui.stage import Stage
from player.ui.video import prepare_multimedia

QML_DIR = Path(__file__).parent / "qml"
# The window's own colour shows before the first frame and behind everything: never black.
NAVY = "#0b1f3a"


class SceneLoadError(RuntimeError):
    """Main.qml (or a component it uses) did not load; the messages say which line and why."""


class PlayerWindow(QQuickView):
    """The window residents look at; QML talks to Python only through `stage`."""

    def __init__(self, stage: Stage, *, size: tuple[int, int] = (1920, 1080)) -> None:
        prepare_multimedia()
        super().__init__()
        # Owned by the window, so the scene never outlives the object its bindings read.
        stage.setParent(self)
        self.stage = stage
        # Queued: with a threaded render loop the frame is swapped on the render thread.
        self.frameSwapped.connect(stage.frame_swapped, Qt.ConnectionType.QueuedConnection)
        stage.frame_wanted.connect(self.update)
        self.setTitle("Anslag")
        self.setColor(QColor(NAVY))
        self.setResizeMode(QQuickView.ResizeMode.SizeRootObjectToView)
        self.resize(*size)
        self.setInitialProperties({"stage": stage})
        self.setSource(QUrl.fromLocalFile(str(QML_DIR / "Main.qml")))
        if self.status() != QQuickView.Status.Ready:
            problems = "; ".join(error.toString() for error in self.errors())
            raise SceneLoadError(f"cannot load {QML_DIR / 'Main.qml'}: {problems}")

    def show_on_screen(self, *, fullscreen: bool) -> None:
        """Fullscreen for a kiosk (no cursor over the content), a normal window otherwise."""
        if fullscreen:
            self.setCursor(Qt.CursorShape.BlankCursor)
            self.showFullScreen()
        else:
            self.show()

    def grab_frame(self) -> QImage:
        """What the screen shows right now, as residents would see it."""
        return self.grabWindow()
