"""What each slide looks like on the screen: grabbed frames checked the way a passer-by would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from anslag_testing.manifests import sha
from anslag_testing.screens import (
    NAVY,
    SLIDE_AREA,
    Region,
    black_share,
    distinct_colours,
    png_bytes,
    share_close_to,
)
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from player.slides import SlideView, idle_view, slide_view
from player.ui.stage import Stage
from player.ui.window import PlayerWindow
from playlists.manifest import EventItem, ImageItem, LocalizedText, LocationInfo, TextItem

pytestmark = pytest.mark.gui

LANDSCAPE = (1920, 1080)
PORTRAIT = (1080, 1920)
ORANGE = (232, 120, 32)
PAJALA = LocationInfo(
    id="pajala", name="Pajala bibliotek", timezone="Europe/Stockholm", languages=("sv", "fi")
)


def open_window(qtbot: QtBot, size: tuple[int, int]) -> Iterator[tuple[Stage, PlayerWindow]]:
    stage = Stage(fade_ms=60)
    window = PlayerWindow(stage, size=size)
    window.show()
    qtbot.waitExposed(window)
    yield stage, window
    window.close()
    window.deleteLater()


@pytest.fixture
def landscape(qtbot: QtBot) -> Iterator[tuple[Stage, PlayerWindow]]:
    yield from open_window(qtbot, LANDSCAPE)


@pytest.fixture
def portrait(qtbot: QtBot) -> Iterator[tuple[Stage, PlayerWindow]]:
    yield from open_window(qtbot, PORTRAIT)


@pytest.fixture
def orange_picture(tmp_path: Path) -> Path:
    path = tmp_path / sha("orange")
    path.write_bytes(png_bytes(ORANGE))
    return path


def present(qtbot: QtBot, stage: Stage, view: SlideView) -> None:
    with qtbot.waitSignal(stage.transition_finished, timeout=5000):
        stage.present(view)


def texts_on_screen(window: PlayerWindow, name: str) -> list[QObject]:
    root = window.rootObject()
    return [item for item in root.findChildren(QObject, name) if item.property("visible")]


def test_image_slide_shows_the_picture_across_the_slide(
    qtbot: QtBot, landscape: tuple[Stage, PlayerWindow], orange_picture: Path
) -> None:
    stage, window = landscape
    item = ImageItem(id="poster", duration_s=10, asset=sha("orange"))

    present(qtbot, stage, slide_view(item, location=PAJALA, asset_path=lambda _: orange_picture))

    frame = window.grab_frame()
    assert (frame.width(), frame.height()) == LANDSCAPE
    assert share_close_to(frame, ORANGE, SLIDE_AREA) > 0.97


def test_text_slide_shows_white_words_on_navy(
    qtbot: QtBot, landscape: tuple[Stage, PlayerWindow]
) -> None:
    stage, window = landscape
    news = TextItem(
        id="pool",
        duration_s=10,
        texts={"sv": LocalizedText(title="Simhallen stänger kl. 17", body="Bastun är öppen.")},
    )

    present(qtbot, stage, slide_view(news, location=PAJALA, asset_path=Path))

    frame = window.grab_frame()
    assert black_share(frame) == 0
    assert distinct_colours(frame, SLIDE_AREA) > 10, "words are drawn, not a flat colour"
    assert share_close_to(frame, NAVY, SLIDE_AREA) > 0.6
    assert share_close_to(frame, (255, 255, 255), SLIDE_AREA, tolerance=40, grid=128) > 0.005


def test_long_title_ends_in_an_ellipsis_after_three_lines(
    qtbot: QtBot, landscape: tuple[Stage, PlayerWindow]
) -> None:
    stage, window = landscape
    title = "Kommunfullmäktige sammanträder i Folkets hus för att besluta om " * 4
    news = TextItem(id="council", duration_s=10, texts={"sv": LocalizedText(title=title[:300])})

    present(qtbot, stage, slide_view(news, location=PAJALA, asset_path=Path))

    [shown_title] = texts_on_screen(window, "primaryTitle")
    assert shown_title.property("lineCount") == 3
    assert shown_title.property("truncated") is True
    assert shown_title.property("font").pixelSize() >= 80


def test_second_language_is_shown_smaller_below_the_first(
    qtbot: QtBot, landscape: tuple[Stage, PlayerWindow]
) -> None:
    stage, window = landscape
    market = EventItem(
        id="market",
        duration_s=10,
        texts={
            "sv": LocalizedText(title="Julmarknad", body="Hantverk och glögg."),
            "fi": LocalizedText(title="Joulumarkkinat", body="Käsitöitä ja glögiä."),
        },
        starts_at=datetime.fromisoformat("2026-11-28T09:00:00+00:00"),
        place="Folkets hus",
    )

    present(qtbot, stage, slide_view(market, location=PAJALA, asset_path=Path))

    [first] = texts_on_screen(window, "primaryTitle")
    [second] = texts_on_screen(window, "secondaryTitle")
    [date] = texts_on_screen(window, "dateLine")
    [body] = texts_on_screen(window, "primaryBody")
    assert (first.property("text"), second.property("text")) == ("Julmarknad", "Joulumarkkinat")
    assert second.property("font").pixelSize() < first.property("font").pixelSize()
    assert second.property("y") > first.property("y")
    assert body.property("font").pixelSize() >= 44
    assert date.property("text").startswith("lördag 28 november")


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_a_crowded_event_shrinks_its_type_rather_than_drop_the_second_language(
    qtbot: QtBot, request: pytest.FixtureRequest, orientation: str, orange_picture: Path
) -> None:
    stage, window = request.getfixturevalue(orientation)
    body = "Hantverkare från hela Tornedalen säljer sina varor, det bjuds på glögg. " * 3
    market = EventItem(
        id="market",
        duration_s=10,
        texts={
            "sv": LocalizedText(
                title="Julmarknad med hantverk och lokala producenter i Folkets hus", body=body
            ),
            "fi": LocalizedText(
                title="Joulumarkkinat käsitöineen ja paikallisine tuottajineen", body=body
            ),
        },
        starts_at=datetime.fromisoformat("2026-11-28T09:00:00+00:00"),
        ends_at=datetime.fromisoformat("2026-11-28T15:00:00+00:00"),
        place="Folkets hus, Storgatan 12, Pajala",
        organiser="Pajala hembygdsförening och Tornedalens företagare",
        image=sha("orange"),
    )

    present(qtbot, stage, slide_view(market, location=PAJALA, asset_path=lambda _: orange_picture))

    [date] = texts_on_screen(window, "dateLine")
    [first] = texts_on_screen(window, "primaryTitle")
    [second] = texts_on_screen(window, "secondaryTitle")
    for whole in (date, first, second):
        assert whole.property("truncated") is False, whole.property("text")
    assert second.property("text") == "Joulumarkkinat käsitöineen ja paikallisine tuottajineen"
    # Smaller than designed, yet within what reads from three metres.
    assert 66 <= first.property("font").pixelSize() < 88
    assert second.property("font").pixelSize() >= 45
    assert first.property("y") + first.property("height") <= second.property("y")


def test_idle_card_is_a_welcome_not_a_black_screen(
    qtbot: QtBot, landscape: tuple[Stage, PlayerWindow]
) -> None:
    stage, window = landscape

    present(qtbot, stage, idle_view(PAJALA))

    frame = window.grab_frame()
    assert black_share(frame) == 0
    assert distinct_colours(frame, Region(0.2, 0.2, 0.8, 0.7)) > 10


def test_portrait_screen_puts_the_picture_above_the_words(
    qtbot: QtBot, portrait: tuple[Stage, PlayerWindow], orange_picture: Path
) -> None:
    stage, window = portrait
    news = TextItem(
        id="ski",
        duration_s=10,
        texts={"sv": LocalizedText(title="Skidspåren är preparerade", body="Elljusspåret lyser.")},
        image=sha("orange"),
    )

    present(qtbot, stage, slide_view(news, location=PAJALA, asset_path=lambda _: orange_picture))

    frame = window.grab_frame()
    assert (frame.width(), frame.height()) == PORTRAIT
    assert share_close_to(frame, ORANGE, Region(0, 0, 1, 0.3)) > 0.97
    assert share_close_to(frame, ORANGE, Region(0, 0.45, 1, 0.85)) == 0
    assert distinct_colours(frame, Region(0, 0.45, 1, 0.85)) > 10
    assert black_share(frame) == 0


def test_footer_shows_where_and_when(qtbot: QtBot, landscape: tuple[Stage, PlayerWindow]) -> None:
    stage, window = landscape

    stage.set_location_name("Pajala bibliotek")
    stage.set_clock_text("09:05")

    [place] = texts_on_screen(window, "footerLocation")
    [clock] = texts_on_screen(window, "footerClock")
    assert place.property("text") == "Pajala bibliotek"
    assert clock.property("text") == "09:05"
    frame = window.grab_frame()
    assert distinct_colours(frame, Region(0, 0.9, 1, 1)) > 5
