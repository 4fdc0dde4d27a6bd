"""Video frames painted from the CPU, for the software renderer, which cannot draw VideoOutput.

Qt Quick falls back to that renderer on a board without a usable GPU, and the
offscreen tests run on it. Imported by `player.ui.video` only after its log rules.
"""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, QRectF, QSizeF, Signal, Slot
from PySide6.QtGui import QImage, QPainter
from PySide6.QtMultimedia import QVideoFrame, QVideoSink
from PySide6.QtQuick import QQuickItem, QQuickPaintedItem


class VideoFrames(QQuickPaintedItem):
    """Paints the newest frame of `videoSink`, cropped (`fit` "fill") or letterboxed ("fit").

    Per frame it makes as few calls into Qt as it can: PySide6 6.12 on CPython 3.11
    miscounts the references to None on every call of a method returning void.
    """

    fit_changed = Signal(name="fitChanged")
    has_frame_changed = Signal(name="hasFrameChanged")

    def __init__(self, parent: QQuickItem | None = None) -> None:
        super().__init__(parent)
        self._sink = QVideoSink(self)
        self._image = QImage()
        self._fit = "fill"
        self._has_frame = False
        # Smooth scaling of the frames, done by the painter Qt Quick hands to `paint`.
        self.setAntialiasing(True)
        self._sink.videoFrameChanged.connect(self._take_frame)

    def _get_video_sink(self) -> QVideoSink:
        return self._sink

    def _get_fit(self) -> str:
        return self._fit

    def _set_fit(self, fit: str) -> None:
        if fit != self._fit:
            self._fit = fit
            self.fit_changed.emit()
            self.update()

    def _get_has_frame(self) -> bool:
        return self._has_frame

    @Slot(QVideoFrame)
    def _take_frame(self, frame: QVideoFrame) -> None:
        # An empty frame marks the end of the stream: the last picture stays, never a gap.
        if not frame.isValid():
            return
        image = frame.toImage()
        if image.isNull():
            return
        self._image = image
        self.update()
        if not self._has_frame:
            self._has_frame = True
            self.has_frame_changed.emit()

    def paint(self, painter: QPainter) -> None:
        if not self._image.isNull():
            target, source = placement(
                QSizeF(self.width(), self.height()), QSizeF(self._image.size()), self._fit
            )
            painter.drawImage(target, self._image, source)

    videoSink = Property(QObject, _get_video_sink, constant=True)
    fit = Property(str, _get_fit, _set_fit, notify=fit_changed)
    # The first frame has been painted: the slide may fade in.
    hasFrame = Property(bool, _get_has_frame, notify=has_frame_changed)


def placement(area: QSizeF, frame: QSizeF, fit: str) -> tuple[QRectF, QRectF]:
    """Where in `area` a frame goes and which part of it: all of it letterboxed ("fit"), or
    its middle filling the area ("fill")."""
    if frame.isEmpty() or area.isEmpty():
        return QRectF(), QRectF()
    scale_fit = min(area.width() / frame.width(), area.height() / frame.height())
    if fit == "fit":
        width, height = frame.width() * scale_fit, frame.height() * scale_fit
        target = QRectF((area.width() - width) / 2, (area.height() - height) / 2, width, height)
        return target, QRectF(0, 0, frame.width(), frame.height())
    scale_fill = max(area.width() / frame.width(), area.height() / frame.height())
    width, height = area.width() / scale_fill, area.height() / scale_fill
    source = QRectF((frame.width() - width) / 2, (frame.height() - height) / 2, width, height)
    return QRectF(0, 0, area.width(), area.height()), source
