"""Proof-of-play records waiting for the server (see `player.outbox` for how they are kept)."""

from __future__ import annotations

from pathlib import Path

from player.outbox import Outbox
from playlists.reports import PlayReport

# About 130 bytes a record: a few MB, and a week of ten-second slides around the clock.
MAX_RECORDS = 60_000


class PlayQueue(Outbox[PlayReport]):
    """The plays not yet acknowledged by the server, oldest first."""

    def __init__(self, path: Path, *, max_records: int = MAX_RECORDS) -> None:
        super().__init__(path, model=PlayReport, what="proof-of-play", max_records=max_records)
