"""A screen's day laid out in advance: periods of one rotation, a first round, opening hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from anslag_testing.manifests import (
    STOCKHOLM,
    assignment,
    entry,
    image,
    manifest,
    playlist,
    utc,
    wall,
)

from playlists.manifest import LocationInfo, Manifest, OpeningHours
from playlists.schedule import change_points, is_open, rotation_at
from playlists.timeline import first_round, opening_stretches, periods

MONDAY = 1
SUNDAY = 7


def local(text: str) -> datetime:
    return wall(STOCKHOLM, text)


def day_parts() -> Manifest:
    """A morning playlist at 07:00-10:00 on weekdays above an all-day one."""
    return manifest(
        items=[image("kaffe"), image("bibliotek"), image("simhall", duration_s=20.0)],
        playlists=[playlist("morgon", "kaffe"), playlist("heldag", "bibliotek", "simhall")],
        assignments=[
            assignment(
                "morgon", "morgon", priority=10, weekdays=range(1, 6), window=("07:00", "10:00")
            ),
            assignment("heldag", "heldag"),
        ],
    )


def playlists_of(m: Manifest, start: datetime, end: datetime) -> list[tuple[datetime, str | None]]:
    return [(period.start, period.playlist_id) for period in periods(m, start, end)]


def test_a_weekday_is_cut_where_the_morning_playlist_takes_over_and_gives_way() -> None:
    start, end = local("2026-03-02 00:00"), local("2026-03-03 00:00")

    found = periods(day_parts(), start, end)

    assert [(p.start, p.end, p.playlist_id) for p in found] == [
        (start, local("2026-03-02 07:00"), "heldag"),
        (local("2026-03-02 07:00"), local("2026-03-02 10:00"), "morgon"),
        (local("2026-03-02 10:00"), end, "heldag"),
    ]


def test_a_slide_expiring_at_noon_starts_a_period_with_fewer_slides() -> None:
    m = manifest(
        items=[image("bibliotek"), image("simhall", valid_until=local("2026-03-02 12:00"))],
        playlists=[playlist("heldag", "bibliotek", "simhall")],
        assignments=[assignment("heldag", "heldag")],
    )

    found = periods(m, local("2026-03-02 00:00"), local("2026-03-03 00:00"))

    assert [[slot.item.id for slot in p.rotation] for p in found] == [
        ["bibliotek", "simhall"],
        ["bibliotek"],
    ]
    assert found[1].start == local("2026-03-02 12:00")


def test_nothing_playing_is_a_period_of_its_own() -> None:
    m = manifest(
        items=[image("kaffe")],
        playlists=[playlist("morgon", "kaffe")],
        assignments=[assignment("morgon", "morgon", window=("07:00", "10:00"))],
    )

    found = periods(m, local("2026-03-02 00:00"), local("2026-03-03 00:00"))

    assert [(p.start, p.playlist_id) for p in found] == [
        (local("2026-03-02 00:00"), None),
        (local("2026-03-02 07:00"), "morgon"),
        (local("2026-03-02 10:00"), None),
    ]


def test_on_the_spring_forward_day_a_night_window_in_the_skipped_hour_opens_at_the_jump() -> None:
    # 2026-03-29: 02:00 CET (01:00 UTC) becomes 03:00 CEST; the day has 23 hours.
    m = manifest(
        items=[image("natt"), image("heldag")],
        playlists=[playlist("natt", "natt"), playlist("heldag", "heldag")],
        assignments=[
            assignment("natt", "natt", priority=1, weekdays=[SUNDAY], window=("02:30", "04:00")),
            assignment("heldag", "heldag"),
        ],
    )
    start, end = local("2026-03-29 00:00"), local("2026-03-30 00:00")

    found = periods(m, start, end)

    assert end - start == timedelta(hours=23)
    assert [(p.start, p.end, p.playlist_id) for p in found] == [
        (start, utc("2026-03-29 01:00"), "heldag"),
        (utc("2026-03-29 01:00"), utc("2026-03-29 02:00"), "natt"),
        (utc("2026-03-29 02:00"), end, "heldag"),
    ]


def test_change_points_include_every_edge_and_nothing_outside_the_range() -> None:
    start, end = local("2026-03-02 06:00"), local("2026-03-02 11:00")

    points = change_points(day_parts(), start, end)

    assert local("2026-03-02 07:00") in points
    assert local("2026-03-02 10:00") in points
    assert all(start < point < end for point in points)
    assert list(points) == sorted(points)


def test_a_first_round_shows_each_slide_once_with_its_start_and_length() -> None:
    start = local("2026-03-02 12:00")

    shown = first_round(day_parts(), start)

    assert [(s.slot.item.id, s.started_at, s.length_s) for s in shown] == [
        ("bibliotek", start, 10.0),
        ("simhall", start + timedelta(seconds=10), 20.0),
    ]


def test_a_first_round_stops_where_another_playlist_takes_over() -> None:
    start = local("2026-03-02 06:59:55")

    shown = first_round(day_parts(), start)

    assert [(s.slot.item.id, s.length_s) for s in shown] == [("bibliotek", 5.0)]
    assert rotation_at(day_parts(), shown[-1].deadline)[0].playlist_id == "morgon"


def test_a_first_round_uses_the_entrys_duration_override() -> None:
    m = manifest(
        items=[image("bibliotek")],
        playlists=[playlist("heldag", entry("bibliotek", duration_s=4.5))],
        assignments=[assignment("heldag", "heldag")],
    )

    shown = first_round(m, local("2026-03-02 12:00"))

    assert [s.length_s for s in shown] == [4.5]


def library(*hours: OpeningHours) -> LocationInfo:
    return LocationInfo(
        id="pajala-bibliotek",
        name="Pajala bibliotek",
        timezone=STOCKHOLM,
        languages=("sv",),
        opening_hours=hours,
    )


def test_without_opening_hours_a_screen_is_always_on() -> None:
    stretches = opening_stretches(library(), local("2026-03-02 00:00"), local("2026-03-03 00:00"))

    assert [s.open for s in stretches] == [True]
    assert is_open(library(), local("2026-03-02 03:00"))


def test_opening_hours_turn_the_screen_on_and_off_on_their_weekday_only() -> None:
    location = library(OpeningHours(weekday=MONDAY, opens=time(8), closes=time(20)))

    monday = opening_stretches(location, local("2026-03-02 00:00"), local("2026-03-03 00:00"))
    tuesday = opening_stretches(location, local("2026-03-03 00:00"), local("2026-03-04 00:00"))

    assert [(s.start, s.open) for s in monday] == [
        (local("2026-03-02 00:00"), False),
        (local("2026-03-02 08:00"), True),
        (local("2026-03-02 20:00"), False),
    ]
    assert [s.open for s in tuesday] == [False]


def test_opening_hours_past_midnight_keep_the_screen_on_into_the_next_day() -> None:
    location = library(OpeningHours(weekday=SUNDAY, opens=time(18), closes=time(2)))

    assert is_open(location, local("2026-03-01 23:00"))  # Sunday evening
    assert is_open(location, local("2026-03-02 01:59"))  # Monday, small hours
    assert not is_open(location, local("2026-03-02 02:00"))
    assert not is_open(location, local("2026-03-01 01:00"))  # Sunday's small hours: Saturday's


def test_opening_hours_follow_the_wall_clock_on_the_fall_back_day() -> None:
    # 2026-10-25: 03:00 CEST (01:00 UTC) becomes 02:00 CET; a 25-hour day.
    location = library(OpeningHours(weekday=SUNDAY, opens=time(10), closes=time(16)))
    start, end = local("2026-10-25 00:00"), local("2026-10-26 00:00")

    stretches = opening_stretches(location, start, end)

    assert [(s.start, s.open) for s in stretches] == [
        (start, False),
        (utc("2026-10-25 09:00"), True),
        (utc("2026-10-25 15:00"), False),
    ]
