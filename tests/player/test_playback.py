"""What the screen plays slide after slide, driven by a fake clock: order, timing, offline weeks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from anslag_testing.manifests import (
    STOCKHOLM,
    assignment,
    entry,
    event,
    image,
    manifest,
    playlist,
    sha,
    simple_manifest,
    text,
    wall,
)

from player.playback import Playback, Showing
from playlists.manifest import Manifest

MONDAY_MORNING = wall(STOCKHOLM, "2026-03-02 09:00")


def everything_cached(sha256: str) -> bool:
    return True


def playback_of(
    content: Manifest, *, is_cached: Callable[[str], bool] = everything_cached
) -> Playback:
    playback = Playback(is_cached=is_cached)
    playback.set_manifest(content)
    return playback


def play_until(playback: Playback, start: datetime, end: datetime) -> list[Showing | None]:
    """Advance at every deadline from `start` to `end`, as the slide timer would."""
    shown: list[Showing | None] = []
    now = start
    while now < end:
        showing = playback.advance(now)
        shown.append(showing)
        # The idle card is checked again a minute later, as the player does.
        now = showing.deadline if showing is not None else now + timedelta(minutes=1)
    return shown


def item_ids(shown: list[Showing | None]) -> list[str | None]:
    return [s.slot.item.id if s is not None else None for s in shown]


def test_slides_rotate_in_playlist_order_each_for_its_duration() -> None:
    content = manifest(
        items=[image("harbour", duration_s=8), text("opening-hours"), image("choir")],
        playlists=[playlist("main", "harbour", entry("opening-hours", duration_s=20), "choir")],
        assignments=[assignment("always", "main")],
    )
    playback = playback_of(content)

    shown = play_until(playback, MONDAY_MORNING, MONDAY_MORNING + timedelta(seconds=66))

    assert item_ids(shown) == ["harbour", "opening-hours", "choir", "harbour", "opening-hours"]
    durations = [(s.deadline - s.started_at).total_seconds() for s in shown if s is not None]
    assert durations == [8, 20, 10, 8, 20]
    assert playback.showing == shown[-1]


def test_item_expiring_while_on_screen_gives_way_at_its_end() -> None:
    notice_ends = MONDAY_MORNING + timedelta(seconds=14)
    content = manifest(
        items=[image("harbour"), text("road-closed", valid_until=notice_ends), image("choir")],
        playlists=[playlist("main", "harbour", "road-closed", "choir")],
        assignments=[assignment("always", "main")],
    )
    playback = playback_of(content)

    shown = play_until(playback, MONDAY_MORNING, MONDAY_MORNING + timedelta(seconds=40))

    assert item_ids(shown)[:4] == ["harbour", "road-closed", "choir", "harbour"]
    notice = shown[1]
    assert notice is not None
    assert notice.deadline == notice_ends
    assert "road-closed" not in item_ids(shown)[2:]


def test_a_week_offline_switches_day_parts_and_drops_expired_events() -> None:
    market_day = wall(STOCKHOLM, "2026-03-04 10:00")  # Wednesday
    content = manifest(
        items=[
            image("library-hours", duration_s=600),
            event("spring-market", market_day, duration_s=600),
            image("night-sky", duration_s=600),
        ],
        playlists=[
            playlist("daytime", "library-hours", "spring-market"),
            playlist("evening", "night-sky"),
        ],
        assignments=[
            assignment("day", "daytime", window=("07:00", "19:00")),
            assignment("night", "evening", window=("19:00", "07:00")),
        ],
    )
    playback = playback_of(content)

    shown = play_until(playback, MONDAY_MORNING, MONDAY_MORNING + timedelta(days=7))

    assert None not in shown
    for showing in shown:
        assert showing is not None
        local_hour = showing.started_at.astimezone(content.location.zone).hour
        expected = "daytime" if 7 <= local_hour < 19 else "evening"
        assert showing.slot.playlist_id == expected, showing
    starts_of = {
        item_id: [s.started_at for s in shown if s is not None and s.slot.item.id == item_id]
        for item_id in ("spring-market", "night-sky")
    }
    assert starts_of["spring-market"], "the event was announced before it began"
    assert max(starts_of["spring-market"]) < market_day
    assert len({start.date() for start in starts_of["night-sky"]}) >= 7


def test_evening_playlist_takes_over_at_the_window_edge_not_after_the_slide() -> None:
    content = manifest(
        items=[image("library-hours", duration_s=600), image("night-sky", duration_s=600)],
        playlists=[playlist("daytime", "library-hours"), playlist("evening", "night-sky")],
        assignments=[
            assignment("day", "daytime", window=("07:00", "19:00")),
            assignment("night", "evening", window=("19:00", "07:00")),
        ],
    )
    playback = playback_of(content)

    last_day_slide = playback.advance(wall(STOCKHOLM, "2026-03-02 18:55"))
    assert last_day_slide is not None
    assert last_day_slide.deadline == wall(STOCKHOLM, "2026-03-02 19:00")
    evening = playback.advance(last_day_slide.deadline)
    assert evening is not None
    assert evening.slot.item.id == "night-sky"


def test_items_whose_files_are_not_cached_yet_are_skipped() -> None:
    content = simple_manifest("harbour", "choir", "ski-track")
    cached = {sha("harbour"), sha("ski-track")}
    playback = playback_of(content, is_cached=cached.__contains__)

    shown = play_until(playback, MONDAY_MORNING, MONDAY_MORNING + timedelta(seconds=40))

    assert item_ids(shown) == ["harbour", "ski-track", "harbour", "ski-track"]


def test_nothing_playable_means_none_so_the_idle_card_shows() -> None:
    nothing_cached = Playback(is_cached=lambda sha256: False)
    nothing_cached.set_manifest(simple_manifest("harbour"))
    weekend_only = playback_of(
        manifest(
            items=[image("harbour")],
            playlists=[playlist("weekend", "harbour")],
            assignments=[assignment("weekend", "weekend", weekdays=(6, 7))],
        )
    )
    no_manifest_yet = Playback(is_cached=everything_cached)

    assert nothing_cached.advance(MONDAY_MORNING) is None
    assert weekend_only.advance(MONDAY_MORNING) is None
    assert no_manifest_yet.advance(MONDAY_MORNING) is None
    assert nothing_cached.showing is None


def test_files_arriving_later_make_their_slides_play() -> None:
    cached: set[str] = set()
    playback = playback_of(simple_manifest("harbour", "choir"), is_cached=cached.__contains__)
    assert playback.advance(MONDAY_MORNING) is None

    cached.add(sha("choir"))
    later = playback.advance(MONDAY_MORNING + timedelta(minutes=1))

    assert later is not None
    assert later.slot.item.id == "choir"


def test_a_clock_jump_past_the_deadline_simply_shows_what_plays_now() -> None:
    content = manifest(
        items=[image("library-hours"), image("night-sky")],
        playlists=[playlist("daytime", "library-hours"), playlist("evening", "night-sky")],
        assignments=[
            assignment("day", "daytime", window=("07:00", "19:00")),
            assignment("night", "evening", window=("19:00", "07:00")),
        ],
    )
    playback = playback_of(content)
    first = playback.advance(MONDAY_MORNING)
    assert first is not None

    after_jump = wall(STOCKHOLM, "2026-03-03 22:30")
    showing = playback.advance(after_jump)

    assert showing is not None
    assert showing.slot.item.id == "night-sky"
    assert showing.started_at == after_jump
    assert showing.deadline == after_jump + timedelta(seconds=10)


def test_a_new_manifest_keeps_the_rotation_going_where_the_playlist_continues() -> None:
    playback = playback_of(simple_manifest("harbour", "choir", "ski-track"))
    playback.advance(MONDAY_MORNING)
    on_screen = playback.advance(MONDAY_MORNING + timedelta(seconds=10))
    assert on_screen is not None
    assert on_screen.slot.item.id == "choir"

    playback.set_manifest(simple_manifest("harbour", "choir", "ski-track", "sauna"))

    assert playback.showing is not None
    assert playback.showing.deadline == on_screen.deadline
    following = playback.advance(on_screen.deadline)
    assert following is not None
    assert following.slot.item.id == "ski-track"


def test_a_new_manifest_without_the_slide_on_screen_ends_it_at_once() -> None:
    playback = playback_of(simple_manifest("harbour", "choir"))
    on_screen = playback.advance(MONDAY_MORNING)
    assert on_screen is not None

    playback.set_manifest(simple_manifest("choir", "ski-track"))

    assert playback.showing is not None
    assert playback.showing.deadline == on_screen.started_at
    following = playback.advance(MONDAY_MORNING + timedelta(seconds=2))
    assert following is not None
    assert following.slot.item.id in {"choir", "ski-track"}


def test_an_edited_slide_on_screen_ends_at_once_so_the_edit_shows() -> None:
    playback = playback_of(
        manifest(
            items=[text("notice", "Simhallen stänger 18")],
            playlists=[playlist("main", "notice")],
            assignments=[assignment("always", "main")],
        )
    )
    playback.advance(MONDAY_MORNING)

    playback.set_manifest(
        manifest(
            items=[text("notice", "Simhallen stänger 17")],
            playlists=[playlist("main", "notice")],
            assignments=[assignment("always", "main")],
        )
    )
    assert playback.showing is not None
    assert playback.showing.deadline == MONDAY_MORNING
    corrected = playback.advance(MONDAY_MORNING + timedelta(seconds=1))

    assert corrected is not None
    assert corrected.slot.item.texts["sv"].title == "Simhallen stänger 17"  # type: ignore[union-attr]


def test_higher_priority_playlist_starting_in_a_new_manifest_cuts_the_slide_short() -> None:
    playback = playback_of(
        manifest(
            items=[image("harbour", duration_s=60)],
            playlists=[playlist("main", "harbour")],
            assignments=[assignment("always", "main")],
        )
    )
    playback.advance(MONDAY_MORNING)
    takeover = MONDAY_MORNING + timedelta(seconds=20)

    playback.set_manifest(
        manifest(
            items=[image("harbour", duration_s=60), text("storm-warning")],
            playlists=[playlist("main", "harbour"), playlist("warnings", "storm-warning")],
            assignments=[
                assignment("always", "main"),
                assignment("storm", "warnings", priority=10, valid_from=takeover),
            ],
        )
    )

    assert playback.showing is not None
    assert playback.showing.deadline == takeover
    warning = playback.advance(takeover)
    assert warning is not None
    assert warning.slot.item.id == "storm-warning"
