"""The schedule: a playlist at a location or a tag, on weekdays, in a window, for some days."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from anslag_testing.schedules import place, slides
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.errors import StaleEdit
from server.models import Assignment, AuditEntry, Location, Playlist
from server.services import content
from server.services.assignments import (
    AssignmentDraft,
    AssignmentProblem,
    create_assignment,
    delete_assignment,
    first_day,
    last_day,
    revision,
    schedule,
    update_assignment,
)
from server.services.manifests import build_manifest
from server.services.permissions import Actor

ANNA = Actor(user_id=None, name="anna", role="editor")
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def playlist(session: Session, clock: FakeClock, name: str) -> Playlist:
    return content.create_playlist(session, name=name, entries=slides(session, name, now=clock()))


def ids(*rows: Location | Playlist) -> list[int]:
    found = [row.id for row in rows]
    assert None not in found
    return [row_id for row_id in found if row_id is not None]


def audit(session: Session) -> list[tuple[str, str]]:
    rows = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))
    return [(entry.action, entry.summary) for entry in rows]


def test_dates_are_whole_days_on_the_municipalitys_clock_across_a_clock_change(
    session: Session, clock: FakeClock
) -> None:
    shop = place(session, name="Byabutiken", now=clock())
    shop_id, pl_id = ids(shop, playlist(session, clock, "Påsk"))

    assignment = create_assignment(
        session,
        actor=ANNA,
        draft=AssignmentDraft(
            playlist_id=pl_id,
            location_id=shop_id,
            first_day=date(2026, 3, 28),
            last_day=date(2026, 3, 29),
        ),
        zone=STOCKHOLM,
        now=clock(),
    )
    session.commit()
    session.expire_all()

    stored = session.get_one(Assignment, assignment.id)
    # Winter time at the start (UTC+1), summer time at the end (UTC+2).
    assert stored.valid_from == datetime(2026, 3, 27, 23, 0, tzinfo=UTC)
    assert stored.valid_until == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert (first_day(stored, STOCKHOLM), last_day(stored, STOCKHOLM)) == (
        date(2026, 3, 28),
        date(2026, 3, 29),
    )
    assert audit(session) == [("create", "playlist 'Påsk' at Byabutiken")]


def test_a_window_past_midnight_on_fridays_is_stored_and_reaches_the_screen(
    session: Session, clock: FakeClock
) -> None:
    hall = place(session, name="Sporthallen", now=clock())
    hall_id, pl_id = ids(hall, playlist(session, clock, "Fredagsdisco"))

    create_assignment(
        session,
        actor=ANNA,
        draft=AssignmentDraft(
            playlist_id=pl_id,
            location_id=hall_id,
            weekdays=(5, 5),
            start_time=time(22),
            end_time=time(2),
            priority=10,
        ),
        zone=STOCKHOLM,
        now=clock(),
    )
    manifest = build_manifest(session, location=hall, now=clock(), horizon=timedelta(days=7))

    [wired] = manifest.assignments
    assert (wired.weekdays, wired.start_time, wired.end_time, wired.priority) == (
        frozenset({5}),
        time(22),
        time(2),
        10,
    )


def test_a_save_based_on_an_old_revision_is_refused_and_changes_nothing(
    session: Session, clock: FakeClock
) -> None:
    shop = place(session, name="Byabutiken", now=clock())
    shop_id, pl_id = ids(shop, playlist(session, clock, "Butiken"))
    draft = AssignmentDraft(playlist_id=pl_id, location_id=shop_id)
    assignment = create_assignment(session, actor=ANNA, draft=draft, zone=STOCKHOLM, now=clock())
    assert assignment.id is not None
    opened = revision(assignment)

    update_assignment(
        session,
        actor=ANNA,
        assignment_id=assignment.id,
        expected_revision=opened,
        draft=AssignmentDraft(playlist_id=pl_id, location_id=shop_id, priority=5),
        zone=STOCKHOLM,
        now=clock(),
    )
    with pytest.raises(StaleEdit, match="changed by someone else meanwhile"):
        update_assignment(
            session,
            actor=ANNA,
            assignment_id=assignment.id,
            expected_revision=opened,
            draft=AssignmentDraft(playlist_id=pl_id, location_id=shop_id, priority=9),
            zone=STOCKHOLM,
            now=clock(),
        )
    with pytest.raises(StaleEdit):
        delete_assignment(
            session, actor=ANNA, assignment_id=assignment.id, now=clock(), expected_revision=opened
        )

    assert session.get_one(Assignment, assignment.id).priority == 5
    assert [action for action, _summary in audit(session)] == ["create", "update"]


@pytest.mark.parametrize(
    ("changes", "reason", "message"),
    [
        ({"location_id": None}, "target", "one location or for one location tag"),
        ({"location_tag": "tornedalen"}, "target", "not both or neither"),
        ({"location_id": 4242}, "unknown_location", "no location with id 4242"),
        ({"location_id": None, "location_tag": "  "}, "tag", "1-64 characters"),
        ({"playlist_id": 4242}, "unknown_playlist", "no playlist with id 4242"),
        ({"weekdays": ()}, "weekdays", "at least one weekday"),
        ({"weekdays": (0, 8)}, "weekdays", r"each 1 \(Monday\) to 7 \(Sunday\)"),
        ({"start_time": time(7)}, "half_window", "both a start and an end"),
        ({"start_time": time(7), "end_time": time(7)}, "empty_window", "same time"),
        (
            {"first_day": date(2026, 3, 2), "last_day": date(2026, 3, 1)},
            "dates",
            "last day comes before the first",
        ),
        ({"priority": 1001}, "priority", "from 0 to 1000"),
    ],
)
def test_an_assignment_that_cannot_be_scheduled_is_refused_by_reason(
    session: Session,
    clock: FakeClock,
    changes: dict[str, object],
    reason: str,
    message: str,
) -> None:
    shop = place(session, name="Byabutiken", tags=["tornedalen"], now=clock())
    shop_id, pl_id = ids(shop, playlist(session, clock, "Butiken"))
    values: dict[str, object] = {"playlist_id": pl_id, "location_id": shop_id, **changes}

    with pytest.raises(AssignmentProblem, match=message) as refused:
        create_assignment(
            session,
            actor=ANNA,
            draft=AssignmentDraft(**values),  # type: ignore[arg-type]
            zone=STOCKHOLM,
            now=clock(),
        )

    assert refused.value.reason == reason
    assert session.exec(select(Assignment)).all() == []
    assert audit(session) == []


def test_the_schedule_groups_by_location_then_by_tag_best_first(
    session: Session, clock: FakeClock
) -> None:
    shop = place(session, name="Byabutiken", tags=["svanstein", "tornedalen"], now=clock())
    hall = place(session, name="Sporthallen", tags=["tornedalen"], now=clock())
    shop_id, hall_id, everyday, morning = ids(
        shop, hall, playlist(session, clock, "Vardag"), playlist(session, clock, "Morgon")
    )
    for draft in (
        AssignmentDraft(playlist_id=everyday, location_id=shop_id),
        AssignmentDraft(
            playlist_id=morning,
            location_id=shop_id,
            priority=10,
            start_time=time(7),
            end_time=time(10),
        ),
        AssignmentDraft(playlist_id=everyday, location_tag="tornedalen", weekdays=(6, 7)),
    ):
        create_assignment(session, actor=ANNA, draft=draft, zone=STOCKHOLM, now=clock())

    groups = schedule(session)

    assert [(g.kind, g.name, g.related) for g in groups] == [
        ("location", "Byabutiken", ("svanstein", "tornedalen")),
        ("tag", "tornedalen", ("Byabutiken", "Sporthallen")),
    ]
    assert [a.playlist_id for a in groups[0].assignments] == [morning, everyday]
    assert hall_id not in {g.location_id for g in groups}


def test_deleting_an_assignment_takes_the_playlist_off_the_screen_and_is_logged(
    session: Session, clock: FakeClock
) -> None:
    shop = place(session, name="Byabutiken", now=clock())
    shop_id, pl_id = ids(shop, playlist(session, clock, "Butiken"))
    assignment = create_assignment(
        session,
        actor=ANNA,
        draft=AssignmentDraft(playlist_id=pl_id, location_id=shop_id),
        zone=STOCKHOLM,
        now=clock(),
    )
    assert assignment.id is not None

    delete_assignment(session, actor=ANNA, assignment_id=assignment.id, now=clock())
    manifest = build_manifest(session, location=shop, now=clock(), horizon=timedelta(days=7))

    assert manifest.assignments == ()
    assert audit(session)[-1] == ("delete", "playlist 'Butiken' at Byabutiken")
