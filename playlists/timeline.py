"""A screen's day laid out in advance: what plays when, slide by slide, and when it is on.

Built from `playlists.schedule` alone, so a preview drawn from it shows what a
player evaluating the same manifest does: `first_round` steps through slots
with `next_slot` and `slot_deadline` exactly as the player's playback does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from playlists.manifest import Item, LocationInfo, Manifest
from playlists.schedule import (
    Playable,
    Slot,
    change_points,
    is_open,
    next_slot,
    opening_changes,
    rotation_at,
    slot_deadline,
)


@dataclass(frozen=True)
class Showing:
    """A slot on screen from `started_at` until `deadline`."""

    slot: Slot
    started_at: datetime
    deadline: datetime

    @property
    def length_s(self) -> float:
        return (self.deadline - self.started_at).total_seconds()


@dataclass(frozen=True)
class Period:
    """A stretch [start, end) in which the same rotation is in force; empty: nothing plays."""

    start: datetime
    end: datetime
    rotation: tuple[Slot, ...]

    @property
    def playlist_id(self) -> str | None:
        return self.rotation[0].playlist_id if self.rotation else None


@dataclass(frozen=True)
class Stretch:
    """A stretch [start, end) in which the screen is on (or off) by the opening hours."""

    start: datetime
    end: datetime
    open: bool


def _anything(item: Item) -> bool:
    return True


def first_round(
    manifest: Manifest, start: datetime, playable: Playable = _anything
) -> tuple[Showing, ...]:
    """The slots a player that starts at `start` shows, once round its rotation.

    Stops early when another playlist takes over (the last slot is then cut
    short at that moment) or nothing can play any more.
    """
    rotation = rotation_at(manifest, start, playable)
    shown: list[Showing] = []
    previous: Slot | None = None
    moment = start
    for _ in rotation:
        slot = next_slot(manifest, moment, previous, playable)
        if slot is None or slot.playlist_id != rotation[0].playlist_id:
            break
        deadline = max(slot_deadline(manifest, slot, moment, playable), moment)
        shown.append(Showing(slot, moment, deadline))
        if deadline == moment:
            break
        previous, moment = slot, deadline
    return tuple(shown)


def periods(
    manifest: Manifest, start: datetime, end: datetime, playable: Playable = _anything
) -> tuple[Period, ...]:
    """[start, end) cut where the rotation in force changes: another playlist, or other slides."""
    moments = (start, *change_points(manifest, start, end))
    found: list[Period] = []
    for begin, finish in zip(moments, (*moments[1:], end), strict=True):
        rotation = rotation_at(manifest, begin, playable)
        if found and found[-1].rotation == rotation:
            found[-1] = Period(found[-1].start, finish, rotation)
        else:
            found.append(Period(begin, finish, rotation))
    return tuple(found)


def opening_stretches(
    location: LocationInfo, start: datetime, end: datetime
) -> tuple[Stretch, ...]:
    """[start, end) cut where the opening hours turn the screen on or off."""
    moments = (start, *opening_changes(location, start, end))
    found: list[Stretch] = []
    for begin, finish in zip(moments, (*moments[1:], end), strict=True):
        state = is_open(location, begin)
        if found and found[-1].open == state:
            found[-1] = Stretch(found[-1].start, finish, state)
        else:
            found.append(Stretch(begin, finish, state))
    return tuple(found)
