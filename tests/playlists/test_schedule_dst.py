"""Daylight saving in Europe/Stockholm: windows follow the wall clock on the days it jumps."""

from __future__ import annotations

from datetime import datetime, timedelta

from anslag_testing.manifests import assignment, image, manifest, playlist, utc

from playlists.manifest import Manifest
from playlists.schedule import Slot, assignments_in_force, rotation_at, slot_deadline

# Spring forward on Sunday 2026-03-29: 02:00 CET (01:00 UTC) becomes 03:00 CEST.
# Fall back on Sunday 2026-10-25: 03:00 CEST (01:00 UTC) becomes 02:00 CET.
SUNDAY = 7


def night_screen(window: tuple[str, str], weekdays: tuple[int, ...] = (SUNDAY,)) -> Manifest:
    """A night playlist in `window` above an all-day one."""
    return manifest(
        items=[image("natt"), image("heldag")],
        playlists=[playlist("natt", "natt"), playlist("heldag", "heldag")],
        assignments=[
            assignment("natt", "natt", priority=1, weekdays=weekdays, window=window),
            assignment("heldag", "heldag"),
        ],
    )


def winner(manifest: Manifest, now: datetime) -> str:
    return assignments_in_force(manifest, now)[0].id


def slot(manifest: Manifest, now: datetime) -> Slot:
    return rotation_at(manifest, now)[0]


def test_window_starting_in_the_skipped_hour_opens_when_the_clock_jumps() -> None:
    m = night_screen(("02:30", "04:00"))
    assert winner(m, utc("2026-03-29 00:59:59")) == "heldag"  # 01:59:59 CET
    assert winner(m, utc("2026-03-29 01:00")) == "natt"  # 03:00 CEST
    assert winner(m, utc("2026-03-29 01:59:59")) == "natt"  # 03:59:59 CEST
    assert winner(m, utc("2026-03-29 02:00")) == "heldag"  # 04:00 CEST


def test_slide_before_the_skipped_hour_gives_way_when_the_clock_jumps() -> None:
    m = night_screen(("02:30", "04:00"))
    started = utc("2026-03-29 00:59:55")
    assert slot_deadline(m, slot(m, started), started) == utc("2026-03-29 01:00")


def test_window_ending_in_the_skipped_hour_closes_when_the_clock_jumps() -> None:
    m = night_screen(("00:30", "02:30"))
    started = utc("2026-03-29 00:59:55")
    playing = slot(m, started)
    assert playing.assignment_id == "natt"
    assert slot_deadline(m, playing, started) == utc("2026-03-29 01:00")
    assert winner(m, utc("2026-03-29 01:00")) == "heldag"


def test_window_in_the_repeated_hour_is_in_force_in_both_passes() -> None:
    m = night_screen(("02:15", "02:45"))
    assert winner(m, utc("2026-10-25 00:20")) == "natt"  # 02:20 CEST, first pass
    assert winner(m, utc("2026-10-25 00:50")) == "heldag"  # 02:50 CEST
    assert winner(m, utc("2026-10-25 01:20")) == "natt"  # 02:20 CET, second pass
    assert winner(m, utc("2026-10-25 01:50")) == "heldag"  # 02:50 CET


def test_deadlines_follow_both_passes_of_the_repeated_hour() -> None:
    m = night_screen(("02:15", "02:45"))
    first_pass = utc("2026-10-25 00:44:55")
    assert slot_deadline(m, slot(m, first_pass), first_pass) == utc("2026-10-25 00:45")
    between = utc("2026-10-25 01:14:55")
    playing = slot(m, between)
    assert playing.assignment_id == "heldag"
    assert slot_deadline(m, playing, between) == utc("2026-10-25 01:15")


def test_window_closes_while_the_clock_is_set_back_and_reopens_at_its_second_start() -> None:
    m = night_screen(("02:30", "03:30"))
    started = utc("2026-10-25 00:59:55")  # 02:59:55 CEST
    assert slot_deadline(m, slot(m, started), started) == utc("2026-10-25 01:00")
    assert winner(m, utc("2026-10-25 01:00")) == "heldag"  # 02:00 CET
    assert winner(m, utc("2026-10-25 01:30")) == "natt"  # 02:30 CET


def test_night_window_spanning_the_change_is_not_interrupted() -> None:
    saturday = 6
    m = night_screen(("22:00", "04:00"), weekdays=(saturday,))
    started = utc("2026-10-25 00:59:55")
    playing = slot(m, started)
    assert playing.assignment_id == "natt"
    assert slot_deadline(m, playing, started) == started + timedelta(seconds=10)
    # It closes at 04:00 CET, which is 03:00 UTC.
    assert slot_deadline(m, playing, utc("2026-10-25 02:59:55")) == utc("2026-10-25 03:00")
