"""Schedule evaluation: which slides a manifest plays at a moment, in what order, until when.

Everything here is a pure function of a manifest and an instant, so the player
can keep switching day parts and dropping expired items while it is offline.

Time windows follow the wall clock of the location's time zone: an assignment
is in force at every instant whose local clock reading falls inside its window
on one of its weekdays (for a window past midnight, the weekday on which it
starts). On the days the clocks change this reads as follows:

- Spring forward (Europe/Stockholm 2026-03-29, 02:00 → 03:00): readings in the
  skipped hour never occur, so a window 02:30-04:00 opens when the clock jumps
  to 03:00, and a window ending at 02:30 closes at that same instant.
- Fall back (2026-10-25, 03:00 → 02:00): readings in the repeated hour occur
  twice, so a window 02:15-02:45 is in force in both passes, and a window
  02:30-03:30 closes while the clock is set back to 02:00 and opens again at
  the second 02:30. A person reading the screen's clock always sees the
  window the clock shows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from playlists.manifest import AnyItem, Assignment, Item, LocationInfo, Manifest

Playable = Callable[[Item], bool]

_MIDNIGHT = time(0)
# Time zones change their offset at most a few times a year, so sampling the
# offset hourly finds every change without walking the tz database's internals.
_OFFSET_PROBE = timedelta(hours=1)


@dataclass(frozen=True)
class Slot:
    """One entry of the winning playlist, ready to be shown."""

    assignment_id: str
    playlist_id: str
    position: int  # index of the entry in the playlist's entries
    item: AnyItem
    duration_s: float  # the entry's override, else the item's own duration


def _anything(item: Item) -> bool:
    return True


def assignments_in_force(manifest: Manifest, now: datetime) -> tuple[Assignment, ...]:
    """The assignments whose validity and local time window contain `now`, best first.

    Sorted by priority, highest first; equal priorities by id, so every screen
    and the server break ties the same way.
    """
    _require_aware(now, "now")
    reading = _clock_reading(manifest.location.zone, now)
    in_force = (
        assignment
        for assignment in manifest.assignments
        if assignment.validity.contains(now) and _window_shows(assignment, reading)
    )
    return tuple(sorted(in_force, key=_rank))


def rotation_at(
    manifest: Manifest, now: datetime, playable: Playable = _anything
) -> tuple[Slot, ...]:
    """The slots of the best assignment in force that has anything playable at `now`.

    An entry plays when it, its item and its playlist are valid at `now` and
    `playable(item)` holds (the player passes "its files are in the cache").
    An assignment with nothing playable falls through to the next one; an
    empty tuple means nothing can play.
    """
    items = _items_by_id(manifest)
    for assignment in assignments_in_force(manifest, now):
        slots = _playable_slots(manifest, items, assignment, now, playable)
        if slots:
            return slots
    return ()


def next_slot(
    manifest: Manifest,
    now: datetime,
    previous: Slot | None,
    playable: Playable = _anything,
) -> Slot | None:
    """The slot to show after `previous`, or None when nothing can play.

    While the same playlist keeps winning, the rotation goes on from the entry
    after `previous` (skipping entries that expired or cannot play) and wraps
    around; a different playlist starts from its first playable entry.
    """
    rotation = rotation_at(manifest, now, playable)
    if not rotation:
        return None
    if previous is not None and previous.playlist_id == rotation[0].playlist_id:
        for slot in rotation:
            if slot.position > previous.position:
                return slot
    return rotation[0]


def slot_deadline(
    manifest: Manifest,
    slot: Slot,
    started_at: datetime,
    playable: Playable = _anything,
) -> datetime:
    """When a slot that began at `started_at` must give way.

    That is `started_at + duration`, cut short at the first instant at which
    the slot would no longer be chosen: its item, entry, playlist or
    assignment stops being valid, its assignment's window closes, or a
    higher-ranked assignment gets something playable (a morning playlist that
    begins at 07:00 takes over at 07:00, not when the current slide ends).
    The result may already have passed; a slot this manifest no longer holds,
    or that should not be showing at `started_at`, ends at `started_at`.
    """
    _require_aware(started_at, "started_at")
    natural_end = started_at + timedelta(seconds=slot.duration_s)
    ranked = sorted(manifest.assignments, key=_rank)
    own = next((a for a in ranked if a.id == slot.assignment_id), None)
    if own is None or not _holds(manifest, own, slot):
        return started_at
    rivals = ranked[: ranked.index(own)]
    rival_ids = {rival.id for rival in rivals}
    items = _items_by_id(manifest)

    def on_screen(moment: datetime) -> bool:
        if not _slot_valid(manifest, items, own, slot, moment):
            return False
        return not any(
            _playable_slots(manifest, items, rival, moment, playable)
            for rival in assignments_in_force(manifest, moment)
            if rival.id in rival_ids
        )

    if not on_screen(started_at):
        return started_at
    zone = manifest.location.zone
    changes = set(_validity_edges(manifest, items, [own, *rivals]))
    changes.update(_offset_changes(zone, started_at, natural_end))
    for assignment in (own, *rivals):
        changes.update(_window_edges(assignment, zone, started_at, natural_end))
    for moment in sorted(m for m in changes if started_at < m < natural_end):
        if not on_screen(moment):
            return moment
    return natural_end


def change_points(manifest: Manifest, after: datetime, before: datetime) -> tuple[datetime, ...]:
    """Every instant in (after, before) at which what the manifest plays may change, in order.

    Between two of them `rotation_at` gives the same answer throughout: it reads
    nothing but validities, the wall clock's windows and the zone's offset.
    Not every instant listed changes anything; none that is left out does.
    """
    _require_aware(after, "after")
    _require_aware(before, "before")
    zone = manifest.location.zone
    moments = set(_validity_edges(manifest, _items_by_id(manifest), manifest.assignments))
    moments.update(_offset_changes(zone, after, before))
    for assignment in manifest.assignments:
        moments.update(_window_edges(assignment, zone, after, before))
    return tuple(sorted(moment for moment in moments if after < moment < before))


def is_open(location: LocationInfo, now: datetime) -> bool:
    """Whether the location's opening hours keep its screens on at `now` (none: always)."""
    _require_aware(now, "now")
    if not location.opening_hours:
        return True
    reading = _clock_reading(location.zone, now)
    return any(
        _clock_shows(frozenset({hours.weekday}), hours.opens, hours.closes, reading)
        for hours in location.opening_hours
    )


def opening_changes(
    location: LocationInfo, after: datetime, before: datetime
) -> tuple[datetime, ...]:
    """Every instant in (after, before) at which `is_open` may change, in order."""
    _require_aware(after, "after")
    _require_aware(before, "before")
    zone = location.zone
    moments = set(_offset_changes(zone, after, before))
    for hours in location.opening_hours:
        moments.update(_clock_edges((hours.opens, hours.closes), zone, after, before))
    return tuple(sorted(moment for moment in moments if after < moment < before))


def _rank(assignment: Assignment) -> tuple[int, str]:
    return (-assignment.priority, assignment.id)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must carry a time zone, got naive {moment.isoformat()}")


def _clock_reading(zone: ZoneInfo, moment: datetime) -> datetime:
    """What a clock on the location's wall shows at `moment`."""
    return moment.astimezone(zone).replace(tzinfo=None)


def _window_shows(assignment: Assignment, reading: datetime) -> bool:
    return _clock_shows(assignment.weekdays, assignment.start_time, assignment.end_time, reading)


def _clock_shows(
    weekdays: frozenset[int], start: time | None, end: time | None, reading: datetime
) -> bool:
    """Whether a clock reading falls in a window from `start` to `end` on `weekdays`."""
    weekday = reading.isoweekday()
    if start is None or end is None:
        return weekday in weekdays
    clock = reading.time()
    if start < end:
        return weekday in weekdays and start <= clock < end
    # Past midnight: the early hours belong to the window that began the day before.
    day_before = (weekday - 2) % 7 + 1
    return (weekday in weekdays and clock >= start) or (day_before in weekdays and clock < end)


def _items_by_id(manifest: Manifest) -> dict[str, AnyItem]:
    return {item.id: item for item in manifest.items}


def _playable_slots(
    manifest: Manifest,
    items: Mapping[str, AnyItem],
    assignment: Assignment,
    now: datetime,
    playable: Playable,
) -> tuple[Slot, ...]:
    playlist = manifest.playlist(assignment.playlist)
    if not playlist.validity.contains(now):
        return ()
    slots = []
    for position, entry in enumerate(playlist.entries):
        item = items[entry.item]
        if entry.validity.contains(now) and item.validity.contains(now) and playable(item):
            duration_s = entry.duration_s if entry.duration_s is not None else item.duration_s
            slots.append(Slot(assignment.id, playlist.id, position, item, duration_s))
    return tuple(slots)


def _holds(manifest: Manifest, assignment: Assignment, slot: Slot) -> bool:
    """Whether the manifest still has the slot where it was (it may have been replaced)."""
    if assignment.playlist != slot.playlist_id:
        return False
    entries = manifest.playlist(slot.playlist_id).entries
    return slot.position < len(entries) and entries[slot.position].item == slot.item.id


def _slot_valid(
    manifest: Manifest,
    items: Mapping[str, AnyItem],
    assignment: Assignment,
    slot: Slot,
    moment: datetime,
) -> bool:
    playlist = manifest.playlist(slot.playlist_id)
    entry = playlist.entries[slot.position]
    validities = (assignment.validity, playlist.validity, entry.validity)
    return (
        all(validity.contains(moment) for validity in validities)
        and items[entry.item].validity.contains(moment)
        and _window_shows(assignment, _clock_reading(manifest.location.zone, moment))
    )


def _validity_edges(
    manifest: Manifest,
    items: Mapping[str, AnyItem],
    assignments: Iterable[Assignment],
) -> Iterator[datetime]:
    """Every instant at which something these assignments could show starts or ends."""
    for assignment in assignments:
        playlist = manifest.playlist(assignment.playlist)
        validities = [assignment.validity, playlist.validity]
        for entry in playlist.entries:
            validities += (entry.validity, items[entry.item].validity)
        for validity in validities:
            yield from (v for v in (validity.valid_from, validity.valid_until) if v is not None)


def _window_edges(
    assignment: Assignment, zone: ZoneInfo, after: datetime, before: datetime
) -> Iterator[datetime]:
    """The instants around [after, before] at which the clock shows one of the window's edges.

    Together with the offset changes these are the only instants at which the
    window can open or close, since it depends on nothing but the clock reading.
    """
    return _clock_edges((assignment.start_time, assignment.end_time), zone, after, before)


def _clock_edges(
    times: Iterable[time | None], zone: ZoneInfo, after: datetime, before: datetime
) -> Iterator[datetime]:
    """The instants around [after, before] at which the clock shows one of `times` or midnight."""
    edges = {_MIDNIGHT}
    edges.update(t for t in times if t is not None)
    day = _clock_reading(zone, after).date() - timedelta(days=1)
    last = _clock_reading(zone, before).date() + timedelta(days=1)
    while day <= last:
        for edge in edges:
            yield from _instants_showing(zone, day, edge)
        day += timedelta(days=1)


def _instants_showing(zone: ZoneInfo, day: date, clock: time) -> list[datetime]:
    """The instants at which the local clock shows `clock` on `day`: none, one, or two."""
    reading = datetime.combine(day, clock)
    found: list[datetime] = []
    for fold in (0, 1):
        moment = reading.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if _clock_reading(zone, moment) == reading and moment not in found:
            found.append(moment)
    return found


def _offset_changes(zone: ZoneInfo, after: datetime, before: datetime) -> Iterator[datetime]:
    """The instants in (after, before] at which the zone's UTC offset changes."""
    earlier = after
    while earlier < before:
        later = min(earlier + _OFFSET_PROBE, before)
        if earlier.astimezone(zone).utcoffset() != later.astimezone(zone).utcoffset():
            yield _offset_change_between(zone, earlier, later)
        earlier = later


def _offset_change_between(zone: ZoneInfo, earlier: datetime, later: datetime) -> datetime:
    # The tz database changes offsets on whole seconds, so bisecting seconds is exact.
    low, high = math.floor(earlier.timestamp()), math.ceil(later.timestamp())
    offset_before = datetime.fromtimestamp(low, zone).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)
