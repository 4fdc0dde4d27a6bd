"""Alerts on the screen, as a passer-by sees them: grabbed frames and what the stage shows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from anslag_testing.controlled import ControlledScreen, controlled_screen
from anslag_testing.manifests import alert, assignment, image, manifest, playlist, utc
from anslag_testing.screens import (
    ALL_CLEAR,
    EXTREME,
    MODERATE,
    SEVERE,
    WHOLE,
    Region,
    RunningClock,
    black_share,
    distinct_colours,
    png_bytes,
    share_close_to,
)
from PySide6.QtCore import QObject
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickItem
from pytestqt.qtbot import QtBot

from player.slides import pairing_view
from playlists.manifest import Alert, AlertText, Manifest, TickerLine

pytestmark = pytest.mark.gui

MONDAY_0805_UTC = utc("2026-03-02 08:05:30")
HOUR = timedelta(hours=1)
BLUE = (40, 90, 220)
GREEN = (40, 170, 90)
WHITE = (255, 255, 255)
DARK_INK = (0x1A, 0x10, 0x00)
# On a 960x540 window: the slides above the banner, the banner's band, the footer.
ABOVE_BANNER = Region(0, 0, 1, 0.55)
BANNER = Region(0.2, 0.66, 1, 0.88)
LONG_SV = AlertText(
    headline="Vattenläcka i Svanstein: vattnet stängs av i hela byn under natten till tisdag "
    "medan huvudledningen vid Torneälven lagas",
    description="En huvudledning har gått sönder vid Torneälven. Kommunens personal arbetar "
    "med att laga den, men vi vet ännu inte hur länge arbetet pågår. " * 6,
    instruction="Koka allt vatten i minst tre minuter innan du dricker det eller lagar mat "
    "med det. Hämta dricksvatten i egna kärl vid Folkets hus i Svanstein. " * 3,
)
LONG_FI = AlertText(
    headline="Vesivuoto Svansteinissa: vesi katkaistaan koko kylässä tiistain vastaisena yönä "
    "kun Tornionjoen päävesijohtoa korjataan",
    description="Päävesijohto on rikkoutunut Tornionjoen lähellä. Kunnan henkilökunta korjaa "
    "sitä, mutta emme vielä tiedä, kuinka kauan työ kestää. " * 6,
    instruction="Keitä kaikki vesi vähintään kolme minuuttia ennen juomista tai ruoanlaittoa. " * 4,
)


@pytest.fixture
def screen(qtbot: QtBot, tmp_path: Path) -> Iterator[ControlledScreen]:
    with controlled_screen(
        qtbot, tmp_path, RunningClock(MONDAY_0805_UTC), alert_turn_ms=400
    ) as screen:
        yield screen


def content(screen: ControlledScreen, *alerts: Alert, **changes: Any) -> Manifest:
    """Two picture slides (blue, green) of 0.3 s each, and the alerts given."""
    for item_id, colour in (("blue", BLUE), ("green", GREEN)):
        screen.add_file(item_id, png_bytes(colour))
    made = manifest(
        items=[image("blue", duration_s=0.3), image("green", duration_s=0.3)],
        playlists=[playlist("main", "blue", "green")],
        assignments=[assignment("always", "main")],
    )
    return made.model_copy(update={"alerts": alerts, **changes})


def in_force(alert_id: str, **options: Any) -> Alert:
    return alert(
        alert_id,
        effective=MONDAY_0805_UTC - HOUR,
        expires=MONDAY_0805_UTC + HOUR,
        **options,
    )


def slide_colour(frame: QImage, region: Region = ABOVE_BANNER) -> tuple[int, int, int] | None:
    for colour in (BLUE, GREEN):
        if share_close_to(frame, colour, region) > 0.9:
            return colour
    return None


def shown_texts(screen: ControlledScreen, holder: str, name: str) -> list[QQuickItem]:
    root = screen.window.rootObject()
    [owner] = root.findChildren(QObject, holder)
    return [item for item in owner.findChildren(QQuickItem, name) if item.isVisible()]


def displayed(qtbot: QtBot, screen: ControlledScreen, start: bool = True) -> list[Any]:
    """Start the screen (or not) and wait until an alert has been seen; its signal's args."""
    with qtbot.waitSignal(screen.controller.alert_displayed, timeout=5000) as signal:
        if start:
            screen.controller.start()
    return list(signal.args)


def test_a_grave_alert_covers_the_whole_screen_in_deep_red_with_white_words(
    qtbot: QtBot, screen: ControlledScreen
) -> None:
    screen.controller.set_manifest(content(screen, in_force("fire", severity="extreme")))

    alert_id, version, at = displayed(qtbot, screen)

    frame = screen.window.grab_frame()
    assert share_close_to(frame, EXTREME, WHOLE) > 0.6
    assert share_close_to(frame, WHITE, WHOLE, tolerance=40, grid=128) > 0.01
    assert distinct_colours(frame) > 10, "words are drawn, not a flat colour"
    assert (alert_id, version) == ("fire", 1)
    assert isinstance(at, datetime)
    assert abs(at - screen.clock()) < timedelta(seconds=5)
    [headline] = shown_texts(screen, "alertCard", "alertHeadline")
    assert headline.property("text") == "Vattenläcka i Svanstein"
    [sent] = shown_texts(screen, "alertCard", "alertSentBy")
    assert sent.property("text") == "Övertorneå kommun  ·  Skickat kl.\N{NO-BREAK SPACE}08.05"


def test_a_severe_alert_is_amber_with_dark_words(qtbot: QtBot, screen: ControlledScreen) -> None:
    screen.controller.set_manifest(content(screen, in_force("leak", severity="severe")))

    displayed(qtbot, screen)

    frame = screen.window.grab_frame()
    assert share_close_to(frame, SEVERE, WHOLE) > 0.6
    assert share_close_to(frame, DARK_INK, WHOLE, tolerance=40, grid=128) > 0.01


def test_the_all_clear_card_is_calm_green(qtbot: QtBot, screen: ControlledScreen) -> None:
    over = in_force("leak", kind="all_clear", version=2, headline="Faran över", severity="minor")
    screen.controller.set_manifest(content(screen, over))

    displayed(qtbot, screen)

    frame = screen.window.grab_frame()
    assert share_close_to(frame, ALL_CLEAR, WHOLE) > 0.6
    [headline] = shown_texts(screen, "alertCard", "alertHeadline")
    assert headline.property("text") == "Faran över"


def test_an_exercise_carries_its_label_across_the_top(
    qtbot: QtBot, screen: ControlledScreen
) -> None:
    drill = in_force("drill", severity="extreme", status="exercise")
    screen.controller.set_manifest(content(screen, drill))

    displayed(qtbot, screen)

    [label] = shown_texts(screen, "alertCard", "exerciseLabel")
    assert label.property("text") == "ÖVNING / EXERCISE"
    frame = screen.window.grab_frame()
    assert share_close_to(frame, WHITE, Region(0, 0, 1, 0.06), tolerance=30) > 0.6
    assert share_close_to(frame, EXTREME, Region(0, 0.3, 1, 1)) > 0.5


def test_a_full_screen_alert_holds_the_slides_and_they_go_on_when_it_is_withdrawn(
    qtbot: QtBot, screen: ControlledScreen
) -> None:
    quiet = content(screen)
    screen.controller.set_manifest(quiet)
    screen.controller.start()
    qtbot.waitUntil(lambda: len(screen.presented) >= 2, timeout=5000)
    showings: list[object] = []
    screen.controller.showing_changed.connect(showings.append)

    with qtbot.waitSignal(screen.controller.alert_displayed, timeout=5000):
        screen.controller.set_manifest(content(screen, in_force("fire", severity="extreme")))

    assert showings[0] is None, "the play on screen ends when the alert takes over"
    with qtbot.assertNotEmitted(screen.stage.present_requested, wait=1000):
        pass
    assert share_close_to(screen.window.grab_frame(), EXTREME, WHOLE) > 0.6
    with qtbot.waitSignal(screen.stage.present_requested, timeout=1000):
        screen.controller.set_manifest(quiet)
    assert screen.stage.property("alert") == {}
    qtbot.waitUntil(lambda: slide_colour(screen.window.grab_frame(), WHOLE) is not None)


def test_a_banner_covers_only_its_band_and_the_slides_keep_changing_above_it(
    qtbot: QtBot, screen: ControlledScreen
) -> None:
    screen.controller.set_manifest(content(screen, in_force("storm", severity="moderate")))

    displayed(qtbot, screen)
    colours = set()

    def both_slides_seen_above_the_banner() -> bool:
        frame = screen.window.grab_frame()
        assert share_close_to(frame, MODERATE, BANNER) > 0.5
        colours.add(slide_colour(frame))
        return {BLUE, GREEN} <= colours

    qtbot.waitUntil(both_slides_seen_above_the_banner, timeout=5000)
    [headline] = shown_texts(screen, "alertBanner", "alertHeadline")
    assert headline.property("text") == "Vattenläcka i Svanstein"


def test_several_alerts_take_turns_and_each_version_is_announced_once(
    qtbot: QtBot, screen: ControlledScreen
) -> None:
    storm = in_force("storm", severity="moderate", headline="Storm i natt")
    ice = in_force("ice", severity="minor", headline="Svag is på älven")
    screen.controller.set_manifest(content(screen, storm, ice))
    announced: list[tuple[str, int]] = []
    screen.controller.alert_displayed.connect(lambda i, v, _at: announced.append((i, v)))
    pages: list[str] = []
    screen.stage.alert_changed.connect(
        lambda: pages.append(screen.stage.property("alert").get("alertId", ""))
    )

    screen.controller.start()
    qtbot.waitUntil(lambda: len(pages) >= 5, timeout=8000)
    with qtbot.waitSignal(screen.controller.alert_displayed, timeout=5000):
        screen.controller.set_manifest(
            content(screen, storm, ice.model_copy(update={"version": 2}))
        )

    assert pages[:5] == ["storm", "ice", "storm", "ice", "storm"]
    assert announced == [("storm", 1), ("ice", 1), ("ice", 2)]
    assert screen.stage.property("alert")["alertId"] == "ice", "a new version shows at once"


def test_an_alert_behind_the_black_of_closing_hours_is_announced_when_the_screen_shows_it(
    qtbot: QtBot, screen: ControlledScreen
) -> None:
    screen.stage.set_blanked(True)
    screen.controller.set_manifest(content(screen, in_force("fire", severity="extreme")))

    with qtbot.assertNotEmitted(screen.controller.alert_displayed, wait=1000):
        screen.controller.start()

    with qtbot.waitSignal(screen.controller.alert_displayed, timeout=5000) as signal:
        screen.stage.set_blanked(False)
    assert signal.args[:2] == ["fire", 1]


def test_a_screen_sent_back_to_pairing_shows_its_code_not_the_alert(
    qtbot: QtBot, screen: ControlledScreen
) -> None:
    screen.controller.set_manifest(content(screen, in_force("fire", severity="extreme")))
    displayed(qtbot, screen)

    screen.controller.show_pairing(pairing_view("K7M4PX", server_url="https://skyltar.test"))

    assert screen.stage.property("alert") == {}
    assert screen.stage.property("ticker") == []
    qtbot.waitUntil(
        lambda: share_close_to(screen.window.grab_frame(), EXTREME, WHOLE) == 0, timeout=3000
    )


def test_a_full_screen_alert_wins_over_a_banner(qtbot: QtBot, screen: ControlledScreen) -> None:
    storm = in_force("storm", severity="moderate")
    fire = in_force("fire", severity="extreme")
    screen.controller.set_manifest(content(screen, storm, fire))

    alert_id, _version, _at = displayed(qtbot, screen)

    assert alert_id == "fire"
    with qtbot.assertNotEmitted(screen.stage.alert_changed, wait=1000):
        pass
    assert share_close_to(screen.window.grab_frame(), EXTREME, WHOLE) > 0.6


def test_an_alert_that_expires_gives_the_screen_back_to_the_playlist_by_the_clock(
    qtbot: QtBot, screen: ControlledScreen
) -> None:
    fire = alert(
        "fire",
        severity="extreme",
        effective=MONDAY_0805_UTC - HOUR,
        expires=MONDAY_0805_UTC + timedelta(minutes=5),
    )
    screen.controller.set_manifest(content(screen, fire))
    displayed(qtbot, screen)
    assert screen.presented == []

    # Offline, no manifest comes: the clock alone ends the alert.
    screen.clock.jump(timedelta(minutes=6))

    qtbot.waitUntil(lambda: screen.stage.property("alert") == {}, timeout=3000)
    qtbot.waitUntil(lambda: slide_colour(screen.window.grab_frame(), WHOLE) is not None)
    qtbot.waitUntil(lambda: len(screen.presented) >= 3, timeout=5000)


def test_an_alert_that_becomes_effective_while_offline_shows_on_the_next_tick(
    qtbot: QtBot, screen: ControlledScreen
) -> None:
    later = alert(
        "fire",
        severity="extreme",
        effective=MONDAY_0805_UTC + HOUR,
        expires=MONDAY_0805_UTC + 2 * HOUR,
    )
    screen.controller.set_manifest(content(screen, later))
    screen.controller.start()
    qtbot.waitUntil(lambda: len(screen.presented) >= 2, timeout=5000)
    assert screen.stage.property("alert") == {}

    screen.clock.jump(HOUR)

    assert displayed(qtbot, screen, start=False)[:2] == ["fire", 1]


def test_no_frame_is_black_when_an_alert_comes_and_goes(
    qtbot: QtBot, screen: ControlledScreen
) -> None:
    quiet = content(screen)
    screen.controller.set_manifest(quiet)
    screen.controller.start()
    qtbot.waitUntil(lambda: slide_colour(screen.window.grab_frame()) is not None, timeout=5000)
    frames: list[QImage] = []

    def grab_until(done: Any) -> None:
        def check() -> bool:
            frames.append(screen.window.grab_frame())
            return bool(done())

        qtbot.waitUntil(check, timeout=5000)

    screen.controller.set_manifest(content(screen, in_force("fire", severity="extreme")))
    grab_until(lambda: share_close_to(frames[-1], EXTREME, WHOLE) > 0.6)
    screen.controller.set_manifest(quiet)
    grab_until(lambda: slide_colour(frames[-1], WHOLE) is not None)

    assert len(frames) >= 4
    assert all(black_share(frame) == 0 for frame in frames)


@pytest.mark.parametrize(("size", "layout"), [((540, 960), "alertCard"), ((960, 540), "alertCard")])
def test_long_texts_in_two_languages_shrink_and_shorten_but_are_never_cut_off(
    qtbot: QtBot, tmp_path: Path, size: tuple[int, int], layout: str
) -> None:
    long_alert = in_force("leak", severity="extreme", texts={"sv": LONG_SV, "fi": LONG_FI})
    with controlled_screen(qtbot, tmp_path, RunningClock(MONDAY_0805_UTC), size=size) as screen:
        placed = content(screen, long_alert)
        two_languages = placed.location.model_copy(update={"languages": ("sv", "fi")})
        screen.controller.set_manifest(placed.model_copy(update={"location": two_languages}))

        displayed(qtbot, screen)

        root = screen.window.rootObject()
        [sent] = shown_texts(screen, layout, "alertSentBy")
        limit = sent.mapToItem(root, 0, 0).y()
        texts = [
            item
            for name in ("alertHeadline", "alertDescription", "alertInstruction")
            for item in shown_texts(screen, layout, name)
        ]
        headlines = [item.property("text") for item in shown_texts(screen, layout, "alertHeadline")]
        assert headlines == [LONG_SV.headline, LONG_FI.headline]
        for item in texts:
            top = item.mapToItem(root, 0, 0).y()
            assert top >= 0
            assert top + item.height() <= limit, item.property("text")[:40]
            assert item.property("font").pixelSize() * 1080 / min(size) >= 30
        assert any(item.property("truncated") for item in texts), "long texts end in an ellipsis"


def test_a_banner_in_portrait_keeps_its_headline_whole_within_the_band(
    qtbot: QtBot, tmp_path: Path
) -> None:
    storm = in_force("storm", severity="moderate", texts={"sv": LONG_SV})
    with controlled_screen(
        qtbot, tmp_path, RunningClock(MONDAY_0805_UTC), size=(540, 960)
    ) as screen:
        screen.controller.set_manifest(content(screen, storm))

        displayed(qtbot, screen)

        root = screen.window.rootObject()
        [band] = root.findChildren(QQuickItem, "alertBanner")
        band_top = band.mapToItem(root, 0, 0).y()
        texts = [
            item
            for name in ("alertHeadline", "alertDescription")
            for item in shown_texts(screen, "alertBanner", name)
        ]
        assert texts
        for item in texts:
            top = item.mapToItem(root, 0, 0).y()
            assert band_top <= top
            assert top + item.height() <= band_top + band.height()
        frame = screen.window.grab_frame()
        assert share_close_to(frame, MODERATE, Region(0.3, 0.7, 1, 0.86)) > 0.4
        qtbot.waitUntil(
            lambda: slide_colour(screen.window.grab_frame(), Region(0, 0, 1, 0.5)) is not None
        )


def test_the_ticker_runs_along_the_bottom_and_moves(qtbot: QtBot, screen: ControlledScreen) -> None:
    lines = (TickerLine(id="ice", texts={"sv": "Isen på Torneälven är svag"}),)
    screen.controller.set_manifest(content(screen, ticker=lines))
    screen.controller.start()
    root = screen.window.rootObject()
    [ticker] = root.findChildren(QQuickItem, "ticker")
    qtbot.waitUntil(ticker.isVisible, timeout=5000)
    top, height = round(ticker.mapToItem(root, 0, 0).y()), round(ticker.height())
    [footer] = root.findChildren(QQuickItem, "footerLocation")
    assert top + height <= footer.mapToItem(root, 0, 0).y(), "above the footer"

    def strip() -> QImage:
        frame = screen.window.grab_frame()
        return frame.copy(0, top, frame.width(), height)

    first = strip()
    qtbot.waitUntil(lambda: strip() != first, timeout=3000)

    assert screen.stage.property("ticker") == ["Isen på Torneälven är svag"]
    assert share_close_to(first, WHITE, WHOLE, tolerance=40, grid=96) > 0.01
    assert distinct_colours(first) > 10, "words run in the strip"
