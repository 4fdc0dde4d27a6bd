"""What plays when: validity, weekday and time windows, priority, rotation and deadlines."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from anslag_testing.manifests import (
    STOCKHOLM,
    assignment,
    entry,
    image,
    manifest,
    playlist,
    simple_manifest,
    text,
    wall,
)

from playlists.manifest import Item, Manifest
from playlists.schedule import (
    Slot,
    assignments_in_force,
    next_slot,
    rotation_at,
    slot_deadline,
)

# 2026-03-02 is a Monday; Stockholm keeps winter time (UTC+1) until 2026-03-29.
MONDAY_NOON = wall(STOCKHOLM, "2026-03-02 12:00")


def local(text: str) -> datetime:
    return wall(STOCKHOLM, text)


def shown(manifest: Manifest, now: datetime) -> list[str]:
    return [slot.item.id for slot in rotation_at(manifest, now)]


def in_force(manifest: Manifest, now: datetime) -> list[str]:
    return [a.id for a in assignments_in_force(manifest, now)]


def slot_of(manifest: Manifest, now: datetime, item_id: str) -> Slot:
    return next(slot for slot in rotation_at(manifest, now) if slot.item.id == item_id)


def day_parts() -> Manifest:
    """A morning playlist at 07:00-10:00 on weekdays above an all-day one."""
    return manifest(
        items=[image("kaffe"), image("bibliotek"), image("simhall")],
        playlists=[playlist("morgon", "kaffe"), playlist("heldag", "bibliotek", "simhall")],
        assignments=[
            assignment(
                "morgon", "morgon", priority=10, weekdays=range(1, 6), window=("07:00", "10:00")
            ),
            assignment("heldag", "heldag"),
        ],
    )


# Validity windows -------------------------------------------------------------------------


def test_expired_item_is_not_shown_after_its_end() -> None:
    ends = local("2026-03-02 12:00")
    m = manifest(
        items=[image("loppis", valid_until=ends), image("bibliotek")],
        playlists=[playlist("heldag", "loppis", "bibliotek")],
        assignments=[assignment("alltid", "heldag")],
    )
    assert shown(m, ends - timedelta(seconds=1)) == ["loppis", "bibliotek"]
    assert shown(m, ends) == ["bibliotek"]


def test_item_appears_from_its_start() -> None:
    starts = local("2026-03-02 12:00")
    m = manifest(
        items=[image("julmarknad", valid_from=starts), image("bibliotek")],
        playlists=[playlist("heldag", "bibliotek", "julmarknad")],
        assignments=[assignment("alltid", "heldag")],
    )
    assert shown(m, starts - timedelta(seconds=1)) == ["bibliotek"]
    assert shown(m, starts) == ["bibliotek", "julmarknad"]


def test_entry_validity_limits_the_item_in_that_playlist_only() -> None:
    ends = local("2026-03-02 12:00")
    m = manifest(
        items=[image("affisch"), image("bibliotek")],
        playlists=[playlist("heldag", entry("affisch", valid_until=ends), "bibliotek")],
        assignments=[assignment("alltid", "heldag")],
    )
    assert shown(m, ends - timedelta(minutes=1)) == ["affisch", "bibliotek"]
    assert shown(m, ends) == ["bibliotek"]


def test_playlist_outside_its_validity_gives_way_to_the_next_assignment() -> None:
    ends = local("2026-03-02 12:00")
    m = manifest(
        items=[image("sportlov"), image("bibliotek")],
        playlists=[
            playlist("sportlov", "sportlov", valid_until=ends),
            playlist("heldag", "bibliotek"),
        ],
        assignments=[
            assignment("sportlov", "sportlov", priority=5),
            assignment("heldag", "heldag"),
        ],
    )
    assert shown(m, ends - timedelta(minutes=1)) == ["sportlov"]
    assert shown(m, ends) == ["bibliotek"]


def test_assignment_is_in_force_only_within_its_validity() -> None:
    starts, ends = local("2026-03-02 08:00"), local("2026-03-02 17:00")
    m = manifest(
        items=[image("val")],
        playlists=[playlist("valdag", "val")],
        assignments=[assignment("valdag", "valdag", valid_from=starts, valid_until=ends)],
    )
    assert shown(m, starts - timedelta(seconds=1)) == []
    assert shown(m, starts) == ["val"]
    assert shown(m, ends) == []


# Weekdays and time of day -----------------------------------------------------------------


def test_morning_playlist_plays_only_in_its_window_on_weekdays() -> None:
    m = day_parts()
    assert shown(m, local("2026-03-02 06:59")) == ["bibliotek", "simhall"]
    assert shown(m, local("2026-03-02 07:00")) == ["kaffe"]
    assert shown(m, local("2026-03-02 09:59")) == ["kaffe"]
    assert shown(m, local("2026-03-02 10:00")) == ["bibliotek", "simhall"]
    # Saturday 2026-03-07: no morning playlist.
    assert shown(m, local("2026-03-07 08:00")) == ["bibliotek", "simhall"]


def test_window_past_midnight_belongs_to_the_weekday_it_starts_on() -> None:
    m = manifest(
        items=[image("fredagskväll"), image("bibliotek")],
        playlists=[playlist("natt", "fredagskväll"), playlist("heldag", "bibliotek")],
        assignments=[
            assignment("fredagsnatt", "natt", priority=1, weekdays=[5], window=("22:00", "02:00")),
            assignment("heldag", "heldag"),
        ],
    )
    # Friday 2026-03-06 22:00 until Saturday 02:00.
    assert in_force(m, local("2026-03-06 21:59")) == ["heldag"]
    assert in_force(m, local("2026-03-06 22:00")) == ["fredagsnatt", "heldag"]
    assert in_force(m, local("2026-03-07 01:00")) == ["fredagsnatt", "heldag"]
    assert in_force(m, local("2026-03-07 02:00")) == ["heldag"]
    # Early Friday belongs to Thursday's night, which is not assigned.
    assert in_force(m, local("2026-03-06 01:00")) == ["heldag"]
    assert in_force(m, local("2026-03-07 23:00")) == ["heldag"]


def test_window_whose_end_equals_its_start_lasts_a_full_day() -> None:
    m = manifest(
        items=[image("dygn")],
        playlists=[playlist("dygn", "dygn")],
        assignments=[assignment("dygn", "dygn", weekdays=[1], window=("06:00", "06:00"))],
    )
    assert shown(m, local("2026-03-02 05:59")) == []
    assert shown(m, local("2026-03-02 06:00")) == ["dygn"]
    assert shown(m, local("2026-03-03 05:59")) == ["dygn"]
    assert shown(m, local("2026-03-03 06:00")) == []


def test_same_instant_is_morning_in_oslo_and_night_in_new_york() -> None:
    def screen(timezone: str) -> Manifest:
        return manifest(
            items=[image("frukost"), image("info")],
            playlists=[playlist("frukost", "frukost"), playlist("info", "info")],
            assignments=[
                assignment("frukost", "frukost", priority=1, window=("07:00", "10:00")),
                assignment("vardag", "info", weekdays=range(1, 6)),
            ],
            timezone=timezone,
        )

    # Monday 07:30 in Oslo is Monday 01:30 in New York.
    moment = wall("Europe/Oslo", "2026-03-02 07:30")
    assert shown(screen("Europe/Oslo"), moment) == ["frukost"]
    assert shown(screen("America/New_York"), moment) == ["info"]
    # Monday 03:00 in Oslo is still Sunday evening in New York: no weekday playlist.
    early = wall("Europe/Oslo", "2026-03-02 03:00")
    assert shown(screen("Europe/Oslo"), early) == ["info"]
    assert shown(screen("America/New_York"), early) == []


# Priority and fall-through ----------------------------------------------------------------


def test_assignments_in_force_are_ranked_by_priority_then_id() -> None:
    m = manifest(
        items=[image("a")],
        playlists=[playlist("p", "a")],
        assignments=[
            assignment("låg", "p", priority=-1),
            assignment("b-hög", "p", priority=5),
            assignment("a-hög", "p", priority=5),
            assignment("mitten", "p"),
        ],
    )
    assert in_force(m, MONDAY_NOON) == ["a-hög", "b-hög", "mitten", "låg"]


def test_higher_priority_with_nothing_playable_falls_through() -> None:
    m = manifest(
        items=[image("film-saknas"), image("bibliotek")],
        playlists=[playlist("kampanj", "film-saknas"), playlist("heldag", "bibliotek")],
        assignments=[assignment("kampanj", "kampanj", priority=9), assignment("heldag", "heldag")],
    )

    def cached(item: Item) -> bool:
        return item.id != "film-saknas"

    assert [s.assignment_id for s in rotation_at(m, MONDAY_NOON)] == ["kampanj"]
    assert [s.assignment_id for s in rotation_at(m, MONDAY_NOON, cached)] == ["heldag"]


def test_nothing_plays_when_nothing_is_in_force() -> None:
    m = day_parts().model_copy(update={"assignments": day_parts().assignments[:1]})
    assert rotation_at(m, local("2026-03-02 12:00")) == ()
    assert next_slot(m, local("2026-03-02 12:00"), None) is None


def test_slot_carries_the_entry_duration_override() -> None:
    m = manifest(
        items=[image("kort", duration_s=8), image("lång", duration_s=8)],
        playlists=[playlist("p", "kort", entry("lång", duration_s=30))],
        assignments=[assignment("alltid", "p")],
    )
    assert [s.duration_s for s in rotation_at(m, MONDAY_NOON)] == [8, 30]


# Rotation ---------------------------------------------------------------------------------


def test_rotation_continues_after_an_expired_item_instead_of_restarting() -> None:
    expiry = local("2026-03-02 12:00")
    m = manifest(
        items=[image("a"), image("b", valid_until=expiry), image("c")],
        playlists=[playlist("p", "a", "b", "c")],
        assignments=[assignment("alltid", "p")],
    )
    first = next_slot(m, expiry - timedelta(seconds=20), None)
    assert first is not None
    assert first.item.id == "a"
    # "b" expired while "a" was showing: the rotation goes on to "c", not back to "a".
    after_a = next_slot(m, expiry + timedelta(seconds=1), first)
    assert after_a is not None
    assert after_a.item.id == "c"
    wrapped = next_slot(m, expiry + timedelta(seconds=11), after_a)
    assert wrapped is not None
    assert wrapped.item.id == "a"


def test_unplayable_item_is_skipped_in_the_rotation() -> None:
    m = simple_manifest("a", "b", "c")
    previous = slot_of(m, MONDAY_NOON, "a")
    following = next_slot(m, MONDAY_NOON, previous, lambda item: item.id != "b")
    assert following is not None
    assert following.item.id == "c"


def test_new_playlist_starts_from_its_first_slot() -> None:
    m = day_parts()
    previous = slot_of(m, local("2026-03-02 06:59"), "simhall")
    following = next_slot(m, local("2026-03-02 10:00"), previous)
    assert following is not None
    assert following.item.id == "bibliotek"
    morning = next_slot(m, local("2026-03-02 07:00"), previous)
    assert morning is not None
    assert (morning.playlist_id, morning.item.id) == ("morgon", "kaffe")


# Deadlines --------------------------------------------------------------------------------


def test_slot_lasts_its_duration_when_nothing_interferes() -> None:
    m = simple_manifest("a")
    slot = slot_of(m, MONDAY_NOON, "a")
    assert slot_deadline(m, slot, MONDAY_NOON) == MONDAY_NOON + timedelta(seconds=10)


def test_item_expiring_while_playing_cuts_the_slot_short() -> None:
    expiry = local("2026-03-02 12:00:04")
    m = manifest(
        items=[image("loppis", valid_until=expiry), image("bibliotek")],
        playlists=[playlist("p", "loppis", "bibliotek")],
        assignments=[assignment("alltid", "p")],
    )
    slot = slot_of(m, MONDAY_NOON, "loppis")
    assert slot_deadline(m, slot, MONDAY_NOON) == expiry


def test_playlist_window_closing_cuts_the_slot_short() -> None:
    m = day_parts()
    started = local("2026-03-02 09:59:55")
    slot = slot_of(m, started, "kaffe")
    assert slot_deadline(m, slot, started) == local("2026-03-02 10:00")


def test_higher_priority_playlist_takes_over_at_its_start() -> None:
    m = day_parts()
    started = local("2026-03-02 06:59:57")
    slot = slot_of(m, started, "simhall")
    assert slot_deadline(m, slot, started) == local("2026-03-02 07:00")
    assert shown(m, local("2026-03-02 07:00")) == ["kaffe"]


def test_weekend_playlist_takes_over_at_midnight() -> None:
    m = manifest(
        items=[image("helg"), image("bibliotek")],
        playlists=[playlist("helg", "helg"), playlist("heldag", "bibliotek")],
        assignments=[
            assignment("helg", "helg", priority=1, weekdays=[6, 7]),
            assignment("heldag", "heldag"),
        ],
    )
    started = local("2026-03-06 23:59:55")  # Friday
    slot = slot_of(m, started, "bibliotek")
    assert slot_deadline(m, slot, started) == local("2026-03-07 00:00")
    assert shown(m, local("2026-03-07 00:00")) == ["helg"]


def test_higher_priority_item_becoming_valid_takes_over_at_that_moment() -> None:
    starts = local("2026-03-02 12:00:05")
    m = manifest(
        items=[text("brandövning", valid_from=starts), image("bibliotek")],
        playlists=[playlist("viktigt", "brandövning"), playlist("heldag", "bibliotek")],
        assignments=[assignment("viktigt", "viktigt", priority=5), assignment("heldag", "heldag")],
    )
    slot = slot_of(m, MONDAY_NOON, "bibliotek")
    assert slot_deadline(m, slot, MONDAY_NOON) == starts


def test_higher_priority_playlist_that_cannot_play_does_not_cut_the_slot() -> None:
    m = day_parts()
    started = local("2026-03-02 06:59:57")
    slot = slot_of(m, started, "simhall")

    def cached(item: Item) -> bool:
        return item.id != "kaffe"

    assert slot_deadline(m, slot, started, cached) == started + timedelta(seconds=10)


def test_slot_of_a_playlist_that_lost_its_turn_ends_at_once() -> None:
    m = day_parts()
    slot = slot_of(m, local("2026-03-02 12:00"), "bibliotek")
    # "heldag" is in force all along, but "morgon" outranks it until 10:00.
    started = local("2026-03-02 09:59:55")
    assert slot_deadline(m, slot, started) == started


def test_slot_no_longer_in_the_manifest_ends_at_once() -> None:
    old = simple_manifest("a", "b")
    slot = slot_of(old, MONDAY_NOON, "b")
    new = simple_manifest("a")
    assert slot_deadline(new, slot, MONDAY_NOON) == MONDAY_NOON


def test_naive_clock_is_refused_with_the_parameter_named() -> None:
    with pytest.raises(ValueError, match="now must carry a time zone"):
        rotation_at(simple_manifest("a"), datetime(2026, 3, 2, 12))
    with pytest.raises(ValueError, match="started_at must carry a time zone"):
        slot_deadline(
            simple_manifest("a"),
            slot_of(simple_manifest("a"), MONDAY_NOON, "a"),
            datetime(2026, 3, 2),
        )
