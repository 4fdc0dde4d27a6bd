"""Upcoming events on a screen: shown some days ahead, at most N at once, the next moving up
when one is over, all on the screen's own clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from anslag_testing.manifests import utc

from playlists.manifest import Validity
from playlists.upcoming import Happening, showing_windows

DAYS_14 = timedelta(days=14)


def shown_at(windows: list[tuple[Happening, Validity]], moment_text: str) -> list[str]:
    moment = utc(moment_text)
    return [happening.id for happening, validity in windows if validity.contains(moment)]


def test_an_event_is_shown_from_its_lead_time_until_it_is_over() -> None:
    market = Happening("market", utc("2026-03-14 09:00"), utc("2026-03-14 14:00"))

    ((happening, window),) = showing_windows([market], within=DAYS_14, at_most=5)

    assert happening == market
    assert (window.valid_from, window.valid_until) == (utc("2026-02-28 09:00"), market.over_at)


def test_at_most_two_are_shown_and_the_third_moves_up_when_the_first_is_over() -> None:
    events = [
        Happening("choir", utc("2026-03-03 17:00"), utc("2026-03-03 19:00")),
        Happening("market", utc("2026-03-07 09:00"), utc("2026-03-07 14:00")),
        Happening("dance", utc("2026-03-05 18:00"), utc("2026-03-05 23:00")),
    ]

    windows = showing_windows(events, within=DAYS_14, at_most=2)

    assert [happening.id for happening, _ in windows] == ["choir", "dance", "market"]
    assert shown_at(windows, "2026-03-01 12:00") == ["choir", "dance"]
    assert shown_at(windows, "2026-03-03 18:59") == ["choir", "dance"]
    assert shown_at(windows, "2026-03-03 19:00") == ["dance", "market"]
    assert shown_at(windows, "2026-03-06 00:00") == ["market"]
    assert shown_at(windows, "2026-03-07 14:00") == []


def test_an_event_never_among_the_first_is_left_out() -> None:
    week_long = Happening("exhibition", utc("2026-03-01 08:00"), utc("2026-03-08 16:00"))
    quick = Happening("talk", utc("2026-03-02 18:00"), utc("2026-03-02 19:00"))

    windows = showing_windows([week_long, quick], within=DAYS_14, at_most=1)

    assert [happening.id for happening, _ in windows] == ["exhibition"]


def test_events_starting_together_keep_an_order_of_their_own() -> None:
    first = Happening("a-concert", utc("2026-03-03 17:00"), utc("2026-03-03 19:00"))
    second = Happening("b-lecture", utc("2026-03-03 17:00"), utc("2026-03-03 18:00"))

    forwards = showing_windows([first, second], within=DAYS_14, at_most=1)
    backwards = showing_windows([second, first], within=DAYS_14, at_most=1)

    assert forwards == backwards
    assert shown_at(forwards, "2026-03-03 17:30") == ["a-concert"]


@pytest.mark.parametrize(("within", "at_most"), [(DAYS_14, 0), (timedelta(0), 3)])
def test_a_rule_that_can_show_nothing_is_refused(within: timedelta, at_most: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        showing_windows([], within=within, at_most=at_most)
