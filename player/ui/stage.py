"""The bridge between Python and Main.qml: what to present, and what QML reports back."""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal
from PySide6.QtGui import QFontDatabase

from player.alert_views import AlertView
from player.slides import SlideView

# Noto Sans first: it has every letter of Sámi and Meänkieli (á č đ ŋ š ŧ ž); DejaVu is the
# fallback Debian always has.
FONT_FAMILIES = ("Noto Sans", "DejaVu Sans")
FADE_MS = 600


class Stage(QObject):
    """Signals both ways plus the footer's two strings; QML holds it as `stage`."""

    # To QML: fade this slide in (a `player.slides.SlideView`).
    present_requested = Signal(dict, name="presentRequested")
    # To QML: load this slide out of sight; presenting the same view later shows it at once.
    prepare_requested = Signal(dict, name="prepareRequested")
    # From QML: the last fade has finished and the new slide fills the screen.
    transition_finished = Signal(name="transitionFinished")
    # From QML: a slide requested or prepared cannot be shown (its file's URL); the old one
    # is still on screen.
    slide_failed = Signal(str, name="slideFailed")
    # From QML: the slide on screen (its item id) has shown all it has, e.g. a clip ended.
    slide_ended = Signal(str, name="slideEnded")

    # From QML: an alert page (its alert's id and version) is fully in view from now on.
    alert_shown = Signal(str, int, name="alertShown")
    # From the window, on the GUI thread: a frame has gone to the display.
    frame_swapped = Signal()
    # To the window: draw a frame even if nothing moved.
    frame_wanted = Signal()

    location_name_changed = Signal(name="locationNameChanged")
    clock_text_changed = Signal(name="clockTextChanged")
    blanked_changed = Signal(name="blankedChanged")
    alert_changed = Signal(name="alertChanged")
    ticker_changed = Signal(name="tickerChanged")

    def __init__(self, *, fade_ms: int = FADE_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._location_name = ""
        self._clock_text = ""
        self._blanked = False
        self._alert: dict[str, object] = {}
        self._ticker: list[str] = []
        self._fade_ms = fade_ms
        self._font_family = _available_font()

    def present(self, view: SlideView) -> None:
        self.present_requested.emit(dict(view))

    def prepare(self, view: SlideView) -> None:
        self.prepare_requested.emit(dict(view))

    def _get_location_name(self) -> str:
        return self._location_name

    def set_location_name(self, name: str) -> None:
        if name != self._location_name:
            self._location_name = name
            self.location_name_changed.emit()

    def _get_clock_text(self) -> str:
        return self._clock_text

    def set_clock_text(self, text: str) -> None:
        if text != self._clock_text:
            self._clock_text = text
            self.clock_text_changed.emit()

    def _get_blanked(self) -> bool:
        return self._blanked

    def set_blanked(self, blanked: bool) -> None:
        """Black out the whole screen (outside opening hours) or show it again."""
        if blanked != self._blanked:
            self._blanked = blanked
            self.blanked_changed.emit()

    def _get_alert(self) -> dict[str, object]:
        return self._alert

    def set_alert(self, view: AlertView | None) -> None:
        """Show this alert page over everything (or as a banner), or none."""
        alert = dict(view) if view is not None else {}
        if alert != self._alert:
            self._alert = alert
            self.alert_changed.emit()

    def _get_ticker(self) -> list[str]:
        return self._ticker

    def set_ticker(self, texts: list[str]) -> None:
        """Run these texts along the bottom; none hides the ticker line."""
        if texts != self._ticker:
            self._ticker = list(texts)
            self.ticker_changed.emit()

    def request_frame(self) -> None:
        self.frame_wanted.emit()

    def _get_fade_ms(self) -> int:
        return self._fade_ms

    def _get_font_family(self) -> str:
        return self._font_family

    locationName = Property(str, _get_location_name, notify=location_name_changed)
    clockText = Property(str, _get_clock_text, notify=clock_text_changed)
    # The one black the player ever shows on purpose: the display is off by the opening hours.
    blanked = Property(bool, _get_blanked, notify=blanked_changed)
    # The alert page on screen (a `player.alert_views.AlertView`); empty while there is none.
    alert = Property(dict, _get_alert, notify=alert_changed)
    ticker = Property(list, _get_ticker, notify=ticker_changed)
    fadeMs = Property(int, _get_fade_ms, constant=True)
    fontFamily = Property(str, _get_font_family, constant=True)


def _available_font() -> str:
    installed = set(QFontDatabase.families())
    return next((family for family in FONT_FAMILIES if family in installed), FONT_FAMILIES[0])
