"""The JSON API for the schedule: which playlist plays where and when."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from server.api.auth import ApiEditor
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.models import Assignment
from server.services.assignments import (
    MAX_PRIORITY,
    MIN_PRIORITY,
    AssignmentDraft,
    create_assignment,
    delete_assignment,
    find_assignment,
    first_day,
    last_day,
    list_assignments,
    revision,
    update_assignment,
)
from server.settings import Settings

router = APIRouter(prefix="/api/v1/assignments", tags=["assignments"])

Weekday = Annotated[int, Field(ge=1, le=7)]


class AssignmentCreate(BaseModel):
    playlist_id: int = Field(description="The playlist to play.")
    location_id: int | None = Field(
        default=None, description="One location; give this or `location_tag`, not both."
    )
    location_tag: str | None = Field(
        default=None,
        max_length=64,
        description="Every location carrying this tag, now or later; or give `location_id`.",
    )
    weekdays: list[Weekday] = Field(
        default=[1, 2, 3, 4, 5, 6, 7],
        min_length=1,
        description="ISO weekdays it plays on: 1 = Monday … 7 = Sunday.",
    )
    start_time: time | None = Field(
        default=None,
        description="Local wall-clock start, e.g. 07:00; with `end_time`, or neither for all day.",
    )
    end_time: time | None = Field(
        default=None,
        description="Local wall-clock end (exclusive). Not after the start: runs past midnight, "
        "into the morning after a listed weekday.",
    )
    first_day: date | None = Field(
        default=None, description="First day it plays, in the municipality's time zone."
    )
    last_day: date | None = Field(
        default=None, description="Last day it plays (inclusive), in the municipality's zone."
    )
    priority: int = Field(
        default=0,
        ge=MIN_PRIORITY,
        le=MAX_PRIORITY,
        description="Where assignments overlap, the highest priority plays.",
    )


class AssignmentUpdate(AssignmentCreate):
    revision: str = Field(
        description="The revision this edit is based on, from a read. If the assignment has "
        "changed since, the save is refused with 409."
    )


class AssignmentPublic(AssignmentCreate):
    id: int
    playlist_name: str
    valid_from: datetime | None = Field(description="When it starts playing (UTC).")
    valid_until: datetime | None = Field(description="When it stops playing (UTC, exclusive).")
    revision: str = Field(description="Send it back with a save.")


def _public(assignment: Assignment, settings: Settings) -> AssignmentPublic:
    assert assignment.id is not None  # a stored assignment has its key
    zone = settings.zone
    return AssignmentPublic(
        id=assignment.id,
        playlist_id=assignment.playlist_id or 0,
        playlist_name=assignment.playlist.name,
        location_id=assignment.location_id,
        location_tag=assignment.location_tag,
        weekdays=assignment.weekdays,
        start_time=assignment.start_time,
        end_time=assignment.end_time,
        first_day=first_day(assignment, zone),
        last_day=last_day(assignment, zone),
        priority=assignment.priority,
        valid_from=assignment.valid_from,
        valid_until=assignment.valid_until,
        revision=revision(assignment),
    )


def _draft(body: AssignmentCreate) -> AssignmentDraft:
    return AssignmentDraft(
        playlist_id=body.playlist_id,
        location_id=body.location_id,
        location_tag=body.location_tag,
        weekdays=tuple(body.weekdays),
        start_time=body.start_time,
        end_time=body.end_time,
        first_day=body.first_day,
        last_day=body.last_day,
        priority=body.priority,
    )


@router.get("")
def get_assignments(
    _actor: ApiEditor, session: SessionDep, settings: SettingsDep
) -> list[AssignmentPublic]:
    """Every assignment, oldest first."""
    return [_public(assignment, settings) for assignment in list_assignments(session)]


@router.post("", status_code=201)
def post_assignment(
    body: AssignmentCreate,
    actor: ApiEditor,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> AssignmentPublic:
    """Schedule a playlist; the screens concerned get a new manifest (a new ETag) at once."""
    assignment = create_assignment(
        session, actor=actor, draft=_draft(body), zone=settings.zone, now=clock()
    )
    return _public(assignment, settings)


@router.get("/{assignment_id}")
def get_assignment(
    assignment_id: int, _actor: ApiEditor, session: SessionDep, settings: SettingsDep
) -> AssignmentPublic:
    return _public(find_assignment(session, assignment_id=assignment_id), settings)


@router.put("/{assignment_id}")
def put_assignment(
    assignment_id: int,
    body: AssignmentUpdate,
    actor: ApiEditor,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> AssignmentPublic:
    """Replace an assignment; 409 when `revision` is not the stored one."""
    assignment = update_assignment(
        session,
        actor=actor,
        assignment_id=assignment_id,
        expected_revision=body.revision,
        draft=_draft(body),
        zone=settings.zone,
        now=clock(),
    )
    return _public(assignment, settings)


@router.delete("/{assignment_id}", status_code=204)
def delete_assignment_route(
    assignment_id: int,
    actor: ApiEditor,
    session: SessionDep,
    clock: ClockDep,
    revision: str | None = None,
) -> Response:
    """Take a playlist off the schedule; with `?revision=`, only if unchanged since."""
    delete_assignment(
        session,
        actor=actor,
        assignment_id=assignment_id,
        now=clock(),
        expected_revision=revision,
    )
    return Response(status_code=204)
