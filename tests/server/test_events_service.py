"""Events as stored: their times, all-day days that no zone moves, versions, the log, refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from anslag_testing.events import STOCKHOLM, add_event
from anslag_testing.manifests import wall
from anslag_testing.schedules import place
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.errors import EditedMeanwhile, Refused
from server.models import AuditEntry, Event
from server.services.events import (
    EventDraft,
    create_event,
    delete_event,
    set_status,
    update_event,
)
from server.services.permissions import SYSTEM_ACTOR

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_a_timed_event_is_stored_in_utc_and_over_when_it_ends(engine: Engine) -> None:
    with Session(engine) as session:
        event = add_event(
            session,
            "Dans i bygdegården",
            now=NOW,
            starts_at=wall("Europe/Stockholm", "2026-03-28 19:00"),
            ends_at=wall("Europe/Stockholm", "2026-03-29 01:00"),
        )
        session.commit()
        stored = session.exec(select(Event)).one()

    assert (stored.starts_at, stored.ends_at, stored.over_at) == (
        datetime(2026, 3, 28, 18, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 0, 0, tzinfo=UTC),
    )
    assert (stored.all_day, stored.first_day, stored.status) == (False, None, "approved")
    assert stored.uid.endswith("@anslag")
    assert event.id == stored.id


def test_an_event_without_an_end_is_over_at_the_end_of_its_day(engine: Engine) -> None:
    with Session(engine) as session:
        event = add_event(
            session, "Loppis", now=NOW, starts_at=wall("Europe/Stockholm", "2026-07-04 10:00")
        )

        assert event.ends_at is None
        assert event.over_at == wall("Europe/Stockholm", "2026-07-05 00:00")


def test_an_all_day_event_keeps_its_days_across_the_clock_change(engine: Engine) -> None:
    # The clocks go forward in the night to 29 March: that day has 23 hours.
    with Session(engine) as session:
        event = add_event(
            session, "Skoterpremiär", now=NOW, days=(date(2026, 3, 28), date(2026, 3, 30))
        )
        session.commit()
        stored = session.exec(select(Event)).one()

    assert (stored.all_day, stored.first_day, stored.end_day) == (
        True,
        date(2026, 3, 28),
        date(2026, 3, 30),
    )
    assert stored.starts_at == datetime(2026, 3, 27, 23, 0, tzinfo=UTC)
    assert stored.over_at == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)
    assert event.id == stored.id


def test_a_save_based_on_an_older_version_is_refused_and_changes_nothing(engine: Engine) -> None:
    with Session(engine) as session:
        event = add_event(
            session,
            "Pimpeltävling",
            now=NOW,
            starts_at=wall("Europe/Stockholm", "2026-03-21 10:00"),
        )
        assert event.id is not None
        draft = EventDraft(
            texts={"sv": ("Pimpeltävling på Torneälven", "")},
            starts_at=event.starts_at,
        )
        update_event(
            session,
            event_id=event.id,
            draft=draft,
            expected_version=1,
            zone=STOCKHOLM,
            actor=SYSTEM_ACTOR,
            now=NOW,
        )
        with pytest.raises(EditedMeanwhile, match="version 2, your changes are based on version 1"):
            update_event(
                session,
                event_id=event.id,
                draft=EventDraft(texts={"sv": ("Något annat", "")}, starts_at=event.starts_at),
                expected_version=1,
                zone=STOCKHOLM,
                actor=SYSTEM_ACTOR,
                now=NOW,
            )
        session.refresh(event)

        assert event.texts["sv"]["title"] == "Pimpeltävling på Torneälven"
        assert event.version == 2


def test_every_change_is_in_the_log(engine: Engine) -> None:
    with Session(engine) as session:
        event = add_event(
            session,
            "Julmarknad",
            now=NOW,
            starts_at=wall("Europe/Stockholm", "2026-12-05 10:00"),
            status="pending",
        )
        assert event.id is not None
        set_status(
            session,
            event_id=event.id,
            status="rejected",
            expected_version=1,
            actor=SYSTEM_ACTOR,
            now=NOW,
            reason="Dubbelt inskickat",
        )
        delete_event(session, event_id=event.id, actor=SYSTEM_ACTOR, now=NOW)
        log = session.exec(select(AuditEntry).where(AuditEntry.entity == "event")).all()

    assert [(entry.action, entry.summary) for entry in log] == [
        ("create", "event 'Julmarknad' (pending)"),
        ("reject", "event 'Julmarknad' (rejected)"),
        ("delete", "event 'Julmarknad' (rejected)"),
    ]
    assert log[1].after is not None
    assert log[1].after["rejection_reason"] == "Dubbelt inskickat"


def test_the_targets_are_checked_and_tags_written_as_slugs(engine: Engine) -> None:
    with Session(engine) as session:
        shop = place(session, name="Byabutiken", now=NOW, tags=["svanstein"])
        assert shop.id is not None
        event = add_event(
            session,
            "Byastämma",
            now=NOW,
            starts_at=wall("Europe/Stockholm", "2026-04-01 18:00"),
            tags=["Juoksengi", " Svanstein "],
            location_ids=[shop.id, shop.id],
        )
        assert (event.location_ids, event.location_tags) == ([shop.id], ["juoksengi", "svanstein"])
        with pytest.raises(Refused, match="There is no location 999 any more"):
            add_event(session, "Fel", now=NOW, starts_at=NOW, location_ids=[999])


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (EventDraft(texts={}, starts_at=NOW), "Write a title in at least one language"),
        (EventDraft(texts={"sv": ("Titel", "")}), "An event needs the day it starts"),
        (
            EventDraft(
                texts={"sv": ("Titel", "")},
                starts_at=NOW,
                ends_at=datetime(2026, 3, 1, tzinfo=UTC),
            ),
            "The event ends before it starts",
        ),
        (
            EventDraft(
                texts={"sv": ("Titel", "")},
                all_day=True,
                first_day=date(2026, 1, 1),
                end_day=date(2026, 12, 31),
            ),
            "An event may last at most 92 days",
        ),
        (
            EventDraft(texts={"sv": ("Titel", "")}, starts_at=NOW, place="x" * 201),
            "The place and the organiser may have at most 200 characters each",
        ),
    ],
)
def test_an_event_no_screen_could_show_is_refused_and_nothing_is_stored(
    engine: Engine, draft: EventDraft, message: str
) -> None:
    with Session(engine) as session:
        with pytest.raises(Refused, match=message):
            create_event(
                session,
                draft=draft,
                status="approved",
                zone=STOCKHOLM,
                actor=SYSTEM_ACTOR,
                now=NOW,
            )
        assert session.exec(select(Event)).all() == []
