"""The latest N news on a screen: windows that keep the newest valid slides showing, offline too."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from anslag_testing.manifests import utc

from playlists.latest import News, latest_windows
from playlists.manifest import Validity

NOW = utc("2026-01-12 08:00")
DAY = timedelta(days=1)


def news(
    news_id: str,
    published: datetime,
    *,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
) -> News:
    return News(news_id, published, Validity(valid_from=valid_from, valid_until=valid_until))


def shown(
    windows: list[tuple[News, Validity]],
) -> list[tuple[str, datetime | None, datetime | None]]:
    return [(slide.id, window.valid_from, window.valid_until) for slide, window in windows]


def test_the_newest_show_until_they_expire_and_an_older_one_that_expires_sooner_never_does() -> (
    None
):
    week = timedelta(days=7)
    slides = [
        news(f"n{day}", NOW - day * DAY, valid_until=NOW - day * DAY + week) for day in range(3)
    ]

    windows = latest_windows(slides, at_most=2)

    assert shown(windows) == [("n0", None, NOW + week), ("n1", None, NOW + week - DAY)]


def test_an_older_slide_kept_longer_moves_up_when_a_newer_one_expires() -> None:
    slides = [
        news("new", NOW, valid_until=NOW + 2 * DAY),
        news("kept", NOW - DAY, valid_until=NOW + 30 * DAY),
    ]

    windows = latest_windows(slides, at_most=1)

    assert shown(windows) == [("new", None, NOW + 2 * DAY), ("kept", NOW + 2 * DAY, NOW + 30 * DAY)]


def test_an_older_slide_shows_until_a_newer_one_begins_and_again_after_it_ends() -> None:
    slides = [
        news("later", NOW, valid_from=NOW + DAY, valid_until=NOW + 2 * DAY),
        news("now", NOW - DAY),
    ]

    windows = latest_windows(slides, at_most=1)

    assert shown(windows) == [
        ("later", NOW + DAY, NOW + 2 * DAY),
        ("now", None, NOW + DAY),
        ("now", NOW + 2 * DAY, None),
    ]


def test_slides_of_the_same_moment_are_ordered_by_id() -> None:
    slides = [news("a", NOW), news("b", NOW), news("c", NOW)]

    assert [slide.id for slide, _window in latest_windows(slides, at_most=2)] == ["c", "b"]


def test_at_least_one_slide_must_be_asked_for() -> None:
    with pytest.raises(ValueError, match="at_most must be at least 1"):
        latest_windows([news("a", NOW)], at_most=0)


@pytest.mark.parametrize("seed", range(20))
def test_at_any_moment_the_windows_show_exactly_the_latest_valid_slides(seed: int) -> None:
    rng = random.Random(seed)
    slides = []
    for index in range(rng.randint(1, 9)):
        published = NOW - timedelta(hours=rng.randint(0, 200))
        starts = published + timedelta(hours=rng.randint(0, 48)) if rng.random() < 0.3 else None
        ends = (starts or published) + timedelta(hours=rng.randint(1, 300))
        slides.append(news(f"n{index}", published, valid_from=starts, valid_until=ends))
    at_most = rng.randint(1, 4)

    windows = latest_windows(slides, at_most=at_most)

    for hour in range(-250, 400, 7):
        moment = NOW + timedelta(hours=hour)
        valid = sorted(
            (slide for slide in slides if slide.validity.contains(moment)),
            key=lambda slide: (slide.published_at, slide.id),
            reverse=True,
        )
        on_screen = [slide.id for slide, window in windows if window.contains(moment)]
        assert sorted(on_screen) == sorted(slide.id for slide in valid[:at_most]), moment
