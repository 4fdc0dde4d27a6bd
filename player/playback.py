"""The playback state machine: which slot is on screen, since when, and until when.

It asks `playlists.schedule` what comes next and adds what only the player
knows: which items have every file in the cache, and what is showing now.
The clock is always passed in, so a week offline is a loop in a test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from playlists.manifest import Item, Manifest, referenced_assets
from playlists.schedule import Slot, next_slot, slot_deadline


@dataclass(frozen=True)
class Showing:
    """A slot on screen: it began at `started_at` and gives way at `deadline`."""

    slot: Slot
    started_at: datetime
    deadline: datetime


class Playback:
    """Steps through the manifest's rotation, one slot at a time, skipping what cannot play."""

    def __init__(self, *, is_cached: Callable[[str], bool]) -> None:
        self._is_cached = is_cached
        self._manifest: Manifest | None = None
        self._showing: Showing | None = None
        # Where the rotation stood before the screen went idle, so it resumes there.
        self._last_slot: Slot | None = None

    @property
    def manifest(self) -> Manifest | None:
        return self._manifest

    @property
    def showing(self) -> Showing | None:
        """What is on screen now; None while the idle card is."""
        return self._showing

    def playable(self, item: Item) -> bool:
        """An item can play only when every file it needs is in the cache."""
        return all(self._is_cached(sha) for sha in referenced_assets(item))

    def set_manifest(self, manifest: Manifest) -> None:
        """Swap in a new manifest; the rotation goes on where the same playlist continues.

        The slot on screen keeps its start but its deadline is worked out again
        against the new manifest: it ends at once when the new manifest no
        longer holds it or changed its item, and earlier when, say, a
        higher-priority playlist now begins sooner.
        """
        self._manifest = manifest
        showing = self._showing
        if showing is None:
            return
        slot = showing.slot
        if _current_item(manifest, slot.item.id) != slot.item:
            self._showing = replace(showing, deadline=showing.started_at)
            return
        deadline = slot_deadline(manifest, slot, showing.started_at, self.playable)
        self._showing = replace(showing, deadline=deadline)

    def upcoming(self, at: datetime) -> Slot | None:
        """The slot `advance(at)` would move on to, without moving: what to prepare."""
        manifest = self._manifest
        if manifest is None:
            return None
        previous = self._showing.slot if self._showing is not None else self._last_slot
        return next_slot(manifest, at, previous, self.playable)

    def advance(self, now: datetime) -> Showing | None:
        """Move on to the next slot at `now`; None means nothing can play (show the idle card).

        Slides missed while the clock jumped ahead are not caught up: the next
        slot is simply the one that follows at `now`.
        """
        if self._showing is not None:
            self._last_slot = self._showing.slot
        self._showing = None
        manifest = self._manifest
        if manifest is None:
            return None
        slot = next_slot(manifest, now, self._last_slot, self.playable)
        if slot is None:
            return None
        deadline = slot_deadline(manifest, slot, now, self.playable)
        self._showing = Showing(slot=slot, started_at=now, deadline=max(deadline, now))
        return self._showing


def _current_item(manifest: Manifest, item_id: str) -> Item | None:
    try:
        return manifest.item(item_id)
    except KeyError:
        return None
