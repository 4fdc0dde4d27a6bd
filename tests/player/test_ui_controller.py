"""The controller moves the screen along: slides at their deadlines, new manifests, the clock."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from anslag_testing.controlled import ControlledScreen as Screen
from anslag_testing.controlled import controlled_screen
from anslag_testing.manifests import (
    assignment,
    image,
    manifest,
    playlist,
    simple_manifest,
    utc,
)
from anslag_testing.screens import RunningClock, black_share, png_bytes
from PySide6.QtQuick import QQuickItem
from pytestqt.qtbot import QtBot

from playlists.manifest import LocalizedText, Manifest, TextItem

pytestmark = pytest.mark.gui

MONDAY_0805_UTC = utc("2026-03-02 08:05:30")
EPOCH = utc("1970-01-01 00:00")


@pytest.fixture
def screen(qtbot: QtBot, tmp_path: Path) -> Iterator[Screen]:
    with controlled_screen(qtbot, tmp_path, RunningClock(MONDAY_0805_UTC)) as screen:
        yield screen


def seen(item: QQuickItem | None) -> bool:
    """Whether an item of the scene can be seen: it and everything it is drawn in are."""
    while item is not None:
        if not item.isVisible() or item.opacity() == 0:
            return False
        item = item.parentItem()
    return True


def quick_manifest(*item_ids: str, duration_s: float = 0.3) -> Manifest:
    return manifest(
        items=[image(item_id, duration_s=duration_s) for item_id in item_ids],
        playlists=[playlist("main", *item_ids)],
        assignments=[assignment("always", "main")],
    )


def test_slides_follow_each_other_at_their_deadlines(qtbot: QtBot, screen: Screen) -> None:
    for item_id in ("harbour", "choir"):
        screen.add_file(item_id)
    screen.controller.set_manifest(quick_manifest("harbour", "choir"))

    screen.controller.start()
    qtbot.waitUntil(lambda: len(screen.presented) >= 4, timeout=5000)

    assert screen.shown_ids()[:4] == ["harbour", "choir", "harbour", "choir"]
    showing = screen.controller.playback.showing
    assert showing is not None
    assert (showing.deadline - showing.started_at).total_seconds() == pytest.approx(0.3)


def test_the_next_slide_is_prepared_before_its_turn(qtbot: QtBot, screen: Screen) -> None:
    for item_id in ("harbour", "choir"):
        screen.add_file(item_id)
    screen.controller.set_manifest(quick_manifest("harbour", "choir"))
    events: list[tuple[str, str]] = []
    screen.stage.present_requested.connect(lambda view: events.append(("show", view["itemId"])))
    screen.stage.prepare_requested.connect(lambda view: events.append(("load", view["itemId"])))

    screen.controller.start()
    qtbot.waitUntil(lambda: len(events) >= 4, timeout=5000)

    assert events[:4] == [
        ("show", "harbour"),
        ("load", "choir"),
        ("show", "choir"),
        ("load", "harbour"),
    ]


def test_an_alternating_screen_shows_each_language_in_turn_within_the_slot(
    qtbot: QtBot, screen: Screen
) -> None:
    pool = TextItem(
        id="pool",
        duration_s=0.8,
        texts={
            "sv": LocalizedText(title="Simhallen stänger kl. 17"),
            "fi": LocalizedText(title="Uimahalli suljetaan klo 17"),
        },
    )
    content = manifest(
        items=[pool], playlists=[playlist("main", "pool")], assignments=[assignment("all", "main")]
    )
    alternating = content.location.model_copy(
        update={"languages": ("sv", "fi"), "language_mode": "alternate"}
    )
    screen.controller.set_manifest(content.model_copy(update={"location": alternating}))
    titles_on_screen: list[str] = []

    def record_title() -> None:
        [title] = [
            item
            for item in screen.window.rootObject().findChildren(QQuickItem, "primaryTitle")
            if seen(item)
        ]
        titles_on_screen.append(title.property("text"))

    screen.stage.transition_finished.connect(record_title)
    screen.controller.start()
    qtbot.waitUntil(lambda: len(titles_on_screen) >= 3, timeout=5000)

    assert titles_on_screen[:3] == [
        "Simhallen stänger kl. 17",
        "Uimahalli suljetaan klo 17",
        "Simhallen stänger kl. 17",
    ]
    assert [view["texts"][0]["lang"] for view in screen.presented[:3]] == ["sv", "fi", "sv"]
    assert all(len(view["texts"]) == 1 for view in screen.presented)


def test_clock_set_back_while_a_slide_shows_does_not_freeze_the_screen(
    qtbot: QtBot, screen: Screen
) -> None:
    for item_id in ("harbour", "choir"):
        screen.add_file(item_id)
    content = quick_manifest("harbour", "choir")
    screen.controller.set_manifest(content)
    screen.controller.start()

    screen.clock.jump(-timedelta(days=1))
    # The same manifest again, as after a sync: the slide on screen is re-armed.
    screen.controller.set_manifest(content)

    qtbot.waitUntil(lambda: len(screen.presented) >= 4, timeout=3000)


def test_a_clock_jumping_back_and_forth_never_empties_the_screen(
    qtbot: QtBot, screen: Screen
) -> None:
    made = MONDAY_0805_UTC - timedelta(hours=1)
    week = {"valid_from": made, "valid_until": made + timedelta(days=7)}
    content = manifest(
        items=[image(item_id, duration_s=0.2, **week) for item_id in ("harbour", "choir")],
        playlists=[playlist("main", "harbour", "choir")],
        assignments=[assignment("always", "main")],
    ).model_copy(update={"generated_at": made})
    for item_id in ("harbour", "choir"):
        screen.add_file(item_id)
    screen.controller.set_manifest(content)
    screen.controller.start()

    # Back to 1970 (a Pi booted without network), right again (NTP), three hours back
    # (before the manifest was made), right again. No clock is shown while it is plainly
    # wrong; the slides go on all the time.
    for jump, footer in [
        (EPOCH - MONDAY_0805_UTC, ""),
        (MONDAY_0805_UTC - EPOCH, "09:05"),
        (-timedelta(hours=3), ""),
        (timedelta(hours=3), "09:05"),
    ]:
        screen.clock.jump(jump)
        shown_before = len(screen.presented)
        qtbot.waitUntil(
            lambda: (
                screen.stage.property("clockText") == footer  # noqa: B023
                and len(screen.presented) >= shown_before + 3  # noqa: B023
            ),
            timeout=5000,
        )

    assert set(screen.shown_ids()) == {"harbour", "choir"}, "never the idle card"
    report = screen.controller.clock_trust.report()
    assert report.jumps_back == 2
    assert report.behind_by is None


def test_idle_card_until_a_manifest_arrives_then_its_content_at_once(
    qtbot: QtBot, screen: Screen
) -> None:
    screen.controller.start()
    qtbot.waitUntil(lambda: screen.shown_ids() == ["idle"])
    screen.add_file("harbour")

    with qtbot.waitSignal(screen.stage.present_requested, timeout=1000):
        screen.controller.set_manifest(simple_manifest("harbour"))

    assert screen.shown_ids() == ["idle", "harbour"]


def test_nothing_playable_shows_the_idle_card_not_black(qtbot: QtBot, screen: Screen) -> None:
    screen.controller.set_manifest(simple_manifest("not-downloaded-yet"))

    with qtbot.waitSignal(screen.stage.transition_finished):
        screen.controller.start()

    assert screen.shown_ids() == ["idle"]
    assert screen.presented[0]["texts"][0]["title"] == "Välkommen"
    assert black_share(screen.window.grab_frame()) == 0


def test_a_one_slide_playlist_stays_up_without_refading(qtbot: QtBot, screen: Screen) -> None:
    screen.add_file("harbour")
    screen.controller.set_manifest(quick_manifest("harbour", duration_s=0.1))
    screen.controller.start()
    first = screen.controller.playback.showing

    qtbot.waitUntil(lambda: screen.controller.playback.showing != first, timeout=2000)

    assert screen.shown_ids() == ["harbour"]


def test_footer_clock_shows_the_time_where_the_screen_is(qtbot: QtBot, screen: Screen) -> None:
    screen.controller.start()
    assert screen.stage.property("clockText") == ""

    screen.controller.set_manifest(simple_manifest("harbour", timezone="Europe/Stockholm"))
    assert screen.stage.property("clockText") == "09:05"
    assert screen.stage.property("locationName") == "Pajala bibliotek"

    screen.controller.set_manifest(simple_manifest("harbour", timezone="Europe/Helsinki"))
    assert screen.stage.property("clockText") == "10:05"

    screen.clock.jump(MONDAY_0805_UTC.replace(minute=7) - MONDAY_0805_UTC)
    qtbot.waitUntil(lambda: screen.stage.property("clockText") == "10:07", timeout=3000)


@pytest.mark.qt_log_ignore("Error decoding")
def test_a_picture_that_does_not_decode_is_skipped_before_its_turn_with_one_log_line(
    qtbot: QtBot, screen: Screen, caplog: pytest.LogCaptureFixture
) -> None:
    screen.add_file("harbour")
    screen.add_file("scrambled", b"\x89PNG but not really")
    screen.controller.set_manifest(quick_manifest("harbour", "scrambled", "choir"))
    screen.add_file("choir", png_bytes((40, 160, 90)))
    failures: list[str] = []
    screen.stage.slide_failed.connect(failures.append)

    with caplog.at_level(logging.ERROR, logger="player.ui.controller"):
        screen.controller.start()
        qtbot.waitUntil(lambda: screen.shown_ids().count("harbour") >= 3, timeout=8000)

    assert len(failures) == 1
    assert [r.getMessage() for r in caplog.records if "scrambled" in r.getMessage()] == [
        f"skipping item scrambled: its file {failures[0]} cannot be shown"
    ]
    # Prepared out of sight, it failed there: the screen went from harbour to choir.
    assert "scrambled" not in screen.shown_ids()
    assert screen.shown_ids()[:3] == ["harbour", "choir", "harbour"]
