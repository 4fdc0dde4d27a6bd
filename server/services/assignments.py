"""The schedule: which playlist plays at a location, or at every location with a tag, and when.

Dates are whole days on the municipality's wall clock: 1-7 March plays from
midnight at the start of 1 March until midnight at the end of 7 March there.
Time-of-day windows are wall-clock times at each screen's location; a window
whose end is not after its start runs past midnight. Among assignments in
force, the highest priority wins.

Assignments have no version column; a `revision` (a hash of what is stored)
plays its part, so a save based on an old reading is refused all the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from server.errors import InvalidContent, NotFound, StaleEdit
from server.models import Assignment, Location, Playlist
from server.services.audit import record_change, snapshot
from server.services.content import ALL_WEEKDAYS
from server.services.permissions import Actor
from server.services.wire import checked, wire_assignment

MIN_PRIORITY, MAX_PRIORITY = 0, 1000
TAG_MAX_LENGTH = 64  # the length of the location_tag column

AssignmentProblemReason = Literal[
    "target",
    "unknown_location",
    "tag",
    "unknown_playlist",
    "weekdays",
    "half_window",
    "empty_window",
    "dates",
    "priority",
]


class AssignmentProblem(InvalidContent):
    """An assignment that cannot be stored; `reason` says which part is wrong."""

    def __init__(self, message: str, *, reason: AssignmentProblemReason) -> None:
        super().__init__(message)
        self.reason: AssignmentProblemReason = reason


@dataclass(frozen=True)
class AssignmentDraft:
    """An assignment as an editor sets it: exactly one of `location_id` and `location_tag`."""

    playlist_id: int
    location_id: int | None = None
    location_tag: str | None = None
    weekdays: tuple[int, ...] = ALL_WEEKDAYS
    start_time: time | None = None
    end_time: time | None = None
    first_day: date | None = None
    last_day: date | None = None
    priority: int = 0


@dataclass(frozen=True)
class ScheduleGroup:
    """The assignments of one target: a location (with its tags) or a tag (with its locations)."""

    kind: Literal["location", "tag"]
    name: str
    location_id: int | None
    # A location's tags, or the names of the locations that carry a tag.
    related: tuple[str, ...]
    assignments: tuple[Assignment, ...]


def find_assignment(session: Session, *, assignment_id: int) -> Assignment:
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(f"no assignment with id {assignment_id}")
    return assignment


def list_assignments(session: Session) -> list[Assignment]:
    return list(session.exec(select(Assignment).order_by(col(Assignment.id))))


def revision(assignment: Assignment) -> str:
    """A short hash of everything stored about the assignment: it changes with every save."""
    canonical = json.dumps(snapshot(assignment), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def first_day(assignment: Assignment, zone: ZoneInfo) -> date | None:
    """The first local day the assignment plays on, in `zone`."""
    if assignment.valid_from is None:
        return None
    return assignment.valid_from.astimezone(zone).date()


def last_day(assignment: Assignment, zone: ZoneInfo) -> date | None:
    """The last local day the assignment plays on (its end is the midnight after it)."""
    if assignment.valid_until is None:
        return None
    return (assignment.valid_until.astimezone(zone) - timedelta(microseconds=1)).date()


def location_tags(session: Session) -> dict[str, tuple[str, ...]]:
    """Every tag some location carries, with those locations' names, by tag."""
    tags: dict[str, list[str]] = {}
    for location in session.exec(select(Location).order_by(col(Location.name))):
        for tag in location.tags:
            tags.setdefault(tag, []).append(location.name)
    return {tag: tuple(names) for tag, names in sorted(tags.items())}


def schedule(session: Session) -> list[ScheduleGroup]:
    """Every assignment, grouped by location (by name) and then by tag, best first in a group."""
    assignments = list_assignments(session)
    locations = session.exec(select(Location).order_by(col(Location.name))).all()
    carriers = location_tags(session)
    groups = []
    for location in locations:
        own = [a for a in assignments if a.location_id == location.id]
        if own:
            groups.append(
                ScheduleGroup(
                    "location", location.name, location.id, tuple(location.tags), _ranked(own)
                )
            )
    for tag in sorted({a.location_tag for a in assignments if a.location_tag is not None}):
        tagged = [a for a in assignments if a.location_tag == tag]
        groups.append(ScheduleGroup("tag", tag, None, carriers.get(tag, ()), _ranked(tagged)))
    return groups


def _ranked(assignments: Sequence[Assignment]) -> tuple[Assignment, ...]:
    return tuple(
        sorted(
            assignments,
            key=lambda a: (-a.priority, a.start_time or time(0), a.id or 0),
        )
    )


def create_assignment(
    session: Session, *, actor: Actor, draft: AssignmentDraft, zone: ZoneInfo, now: datetime
) -> Assignment:
    """A new assignment; dates are read in `zone`, the municipality's."""
    assignment = Assignment(weekdays=[])
    playlist = _fill(session, assignment, draft, zone)
    session.add(assignment)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="assignment",
        entity_id=assignment.id,
        summary=_summary(session, assignment, playlist),
        after=snapshot(assignment),
        now=now,
    )
    return assignment


def update_assignment(
    session: Session,
    *,
    actor: Actor,
    assignment_id: int,
    expected_revision: str,
    draft: AssignmentDraft,
    zone: ZoneInfo,
    now: datetime,
) -> Assignment:
    """Replace the assignment with `draft`, when `expected_revision` is still the stored one."""
    assignment = _locked(session, assignment_id)
    _require_revision(assignment, expected_revision)
    before = snapshot(assignment)
    playlist = _fill(session, assignment, draft, zone)
    session.add(assignment)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="update",
        entity="assignment",
        entity_id=assignment.id,
        summary=_summary(session, assignment, playlist),
        before=before,
        after=snapshot(assignment),
        now=now,
    )
    return assignment


def delete_assignment(
    session: Session,
    *,
    actor: Actor,
    assignment_id: int,
    now: datetime,
    expected_revision: str | None = None,
) -> None:
    assignment = _locked(session, assignment_id)
    if expected_revision is not None:
        _require_revision(assignment, expected_revision)
    before = snapshot(assignment)
    summary = _summary(session, assignment, assignment.playlist)
    session.delete(assignment)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="delete",
        entity="assignment",
        entity_id=assignment_id,
        summary=summary,
        before=before,
        now=now,
    )


def _locked(session: Session, assignment_id: int) -> Assignment:
    # Locked on PostgreSQL until the transaction ends: two saves cannot both pass the check.
    assignment = session.exec(
        select(Assignment).where(Assignment.id == assignment_id).with_for_update()
    ).first()
    if assignment is None:
        raise NotFound(f"no assignment with id {assignment_id}")
    return assignment


def _require_revision(assignment: Assignment, expected_revision: str) -> None:
    if revision(assignment) != expected_revision:
        raise StaleEdit(
            f"assignment {assignment.id} was changed by someone else meanwhile "
            f"(it is at revision {revision(assignment)}, the edit was based on {expected_revision})"
        )


def _fill(
    session: Session, assignment: Assignment, draft: AssignmentDraft, zone: ZoneInfo
) -> Playlist:
    """Check `draft` whole, then write it into `assignment`; nothing is written when refused."""
    playlist = session.get(Playlist, draft.playlist_id)
    if playlist is None:
        raise AssignmentProblem(
            f"there is no playlist with id {draft.playlist_id}", reason="unknown_playlist"
        )
    tag = draft.location_tag.strip() if draft.location_tag is not None else None
    if (draft.location_id is None) == (tag is None):
        raise AssignmentProblem(
            "an assignment is for one location or for one location tag, not both or neither",
            reason="target",
        )
    if draft.location_id is not None and session.get(Location, draft.location_id) is None:
        raise AssignmentProblem(
            f"there is no location with id {draft.location_id}", reason="unknown_location"
        )
    if tag is not None and not 0 < len(tag) <= TAG_MAX_LENGTH:
        raise AssignmentProblem(f"a location tag has 1-{TAG_MAX_LENGTH} characters", reason="tag")
    weekdays = sorted(set(draft.weekdays))
    if not weekdays or not set(weekdays) <= set(ALL_WEEKDAYS):
        raise AssignmentProblem(
            "an assignment needs at least one weekday, each 1 (Monday) to 7 (Sunday)",
            reason="weekdays",
        )
    if (draft.start_time is None) != (draft.end_time is None):
        raise AssignmentProblem(
            "a time window needs both a start and an end (or neither, for the whole day)",
            reason="half_window",
        )
    if draft.start_time is not None and draft.start_time == draft.end_time:
        raise AssignmentProblem(
            "the window starts and ends at the same time; leave both empty for the whole day",
            reason="empty_window",
        )
    if draft.first_day and draft.last_day and draft.last_day < draft.first_day:
        raise AssignmentProblem("the last day comes before the first day", reason="dates")
    if not MIN_PRIORITY <= draft.priority <= MAX_PRIORITY:
        raise AssignmentProblem(
            f"a priority is from {MIN_PRIORITY} to {MAX_PRIORITY}, not {draft.priority}",
            reason="priority",
        )
    values = {
        "playlist_id": playlist.id,
        "location_id": draft.location_id,
        "location_tag": tag,
        "weekdays": weekdays,
        "start_time": draft.start_time,
        "end_time": draft.end_time,
        "valid_from": _midnight_starting(draft.first_day, zone),
        "valid_until": _midnight_starting(
            draft.last_day + timedelta(days=1) if draft.last_day else None, zone
        ),
        "priority": draft.priority,
    }
    # The wire format has the last word: whatever is stored can be sent to a screen.
    checked("the assignment", lambda: wire_assignment(Assignment.model_validate(values)))
    for name, value in values.items():
        setattr(assignment, name, value)
    assignment.playlist = playlist
    assignment.location = session.get(Location, draft.location_id) if draft.location_id else None
    return playlist


def _midnight_starting(day: date | None, zone: ZoneInfo) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _summary(session: Session, assignment: Assignment, playlist: Playlist) -> str:
    if assignment.location_tag is not None:
        target = f"tag {assignment.location_tag!r}"
    else:
        location = session.get(Location, assignment.location_id)
        target = location.name if location is not None else f"location {assignment.location_id}"
    return f"playlist {playlist.name!r} at {target}"
