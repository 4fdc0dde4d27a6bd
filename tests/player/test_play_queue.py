"""The proof-of-play queue on disk: it survives restarts and torn writes, and stays bounded."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from player.play_queue import PlayQueue
from playlists.reports import PlayReport

MORNING = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)


def plays(count: int, *, start: int = 0) -> list[PlayReport]:
    """Ten-second plays of item-N, one after another."""
    return [
        PlayReport(
            item=f"item-{n}",
            playlist="playlist-1",
            started_at=MORNING + timedelta(seconds=10 * n),
            duration_s=10,
        )
        for n in range(start, start + count)
    ]


def items(queue: PlayQueue) -> list[str]:
    return [queued.record.item for queued in queue.oldest(len(queue))]


def test_plays_appended_are_there_after_a_restart_oldest_first(tmp_path: Path) -> None:
    path = tmp_path / "plays.jsonl"
    queue = PlayQueue(path)
    for play in plays(3):
        queue.append(play)

    reopened = PlayQueue(path)

    assert items(reopened) == ["item-0", "item-1", "item-2"]
    assert [queued.record for queued in reopened.oldest(3)] == plays(3)
    # One JSON record per line: readable with `tail` on the Pi.
    lines = path.read_text().splitlines()
    assert json.loads(lines[0]) == {
        "seq": 1,
        "item": "item-0",
        "playlist": "playlist-1",
        "started_at": "2026-01-12T08:00:00Z",
        "duration_s": 10.0,
    }


def test_acknowledged_plays_leave_the_queue_for_good_and_later_ones_stay(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plays.jsonl"
    queue = PlayQueue(path)
    for play in plays(5):
        queue.append(play)
    batch = queue.oldest(2)

    queue.acknowledge(batch[-1].seq)
    queue.append(plays(1, start=5)[0])

    assert items(queue) == ["item-2", "item-3", "item-4", "item-5"]
    assert items(PlayQueue(path)) == ["item-2", "item-3", "item-4", "item-5"]
    # Numbering goes on after a restart, so an acknowledgement never hits a newer record.
    assert [record.seq for record in PlayQueue(path).oldest(4)] == [3, 4, 5, 6]


def test_a_full_queue_drops_the_oldest_plays_first(tmp_path: Path) -> None:
    path = tmp_path / "plays.jsonl"
    queue = PlayQueue(path, max_records=20)

    for play in plays(25):
        queue.append(play)

    # Each overflow drops the one too many and the oldest tenth: 21 → 18, then 21 → 18 again.
    kept = items(PlayQueue(path, max_records=20))
    assert kept == items(queue) == [f"item-{n}" for n in range(6, 25)]
    assert queue.dropped == 6


def test_a_queue_written_under_a_larger_limit_keeps_the_newest_that_fit(tmp_path: Path) -> None:
    path = tmp_path / "plays.jsonl"
    roomy = PlayQueue(path, max_records=100)
    for play in plays(30):
        roomy.append(play)

    smaller = PlayQueue(path, max_records=20)

    assert items(smaller) == [f"item-{n}" for n in range(10, 30)]
    assert smaller.dropped == 10
    assert items(PlayQueue(path, max_records=20)) == items(smaller)


def test_a_line_torn_by_a_power_cut_is_skipped_and_the_next_play_gets_its_own_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plays.jsonl"
    queue = PlayQueue(path)
    for play in plays(2):
        queue.append(play)
    with path.open("a") as file:
        file.write('{"seq": 3, "item": "item-2", "playl')

    reopened = PlayQueue(path)
    reopened.append(plays(1, start=9)[0])

    assert items(PlayQueue(path)) == ["item-0", "item-1", "item-9"]


def test_a_queue_too_small_to_be_useful_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 10"):
        PlayQueue(tmp_path / "plays.jsonl", max_records=3)
