"""CAP messages become alerts on the right screens, and out-of-order ones never revive them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from anslag_testing.cap import CapInfo, CapMessage, cap_document
from anslag_testing.cap_places import add_places, add_source, headlines, shown, take
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.models import Alert, AuditEntry

NOBODY: list[str] = []
VMA = "Brand i industrilokal i Övertorneå"
SENT = datetime(2026, 1, 12, 7, 50, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
ORANGE = "Orange varning \N{EN DASH} Mycket snö"


@pytest.fixture
def source_id(engine: Engine, clock: FakeClock) -> int:
    add_places(engine, clock())
    return add_source(engine, clock())


def alerts(engine: Engine) -> list[Alert]:
    with Session(engine) as session:
        return list(session.exec(select(Alert).order_by(col(Alert.id))))


def water(identifier: str, sent: datetime, headline: str, **changes: object) -> CapMessage:
    values: dict[str, object] = {
        "identifier": identifier,
        "sent": sent,
        "infos": (CapInfo(headline=headline),),
        **changes,
    }
    return CapMessage(**values)  # type: ignore[arg-type]


def test_a_vma_reaches_the_screens_in_its_municipality_until_the_default_lifetime(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    note = take(engine, cap_document("sr_vma_alert.xml"), source_id=source_id, now=clock())

    assert note.startswith("raised alert")
    assert headlines(engine, clock()) == {
        "byabutiken": [VMA],
        "bangarden": NOBODY,
        "kukkola": NOBODY,
        "alta": NOBODY,
    }
    [alert] = alerts(engine)
    assert alert.source == f"cap:{source_id}"
    assert alert.sender_name == "Räddningstjänsten Övertorneå"
    assert set(alert.texts) == {"sv", "en"}
    assert (
        alert.texts["en"]["instruction"] == "Go indoors and close doors, windows and ventilation."
    )
    # No <expires>: the source's default lifetime of 24 hours from when it was sent.
    assert alert.expires_at == datetime(2026, 1, 13, 7, 55, tzinfo=UTC)
    assert headlines(engine, alert.expires_at)["byabutiken"] == NOBODY
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "alert")).one()
    assert (entry.actor, entry.summary) == ("CAP: Länsstyrelsen", f"raised from CAP: {VMA}")


def test_a_cancel_takes_the_vma_off_the_screens(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    take(engine, cap_document("sr_vma_alert.xml"), source_id=source_id, now=clock())
    clock.advance(MINUTE)

    note = take(engine, cap_document("sr_vma_cancel.xml"), source_id=source_id, now=clock())

    [alert] = alerts(engine)
    assert note == f"cancelled alert {alert.id}"
    assert (alert.end_reason, alert.ended_at) == ("cancelled", clock())
    assert headlines(engine, clock())["byabutiken"] == NOBODY


def test_a_cancel_before_its_alert_makes_the_alert_arrive_ended_and_a_repeat_changes_nothing(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    first = take(engine, cap_document("sr_vma_cancel.xml"), source_id=source_id, now=clock())
    late = take(engine, cap_document("sr_vma_alert.xml"), source_id=source_id, now=clock())
    repeat = take(engine, cap_document("sr_vma_alert.xml"), source_id=source_id, now=clock())

    assert first == "cancels nothing taken in yet; kept against late messages"
    [alert] = alerts(engine)
    assert late == f"late: cancelled before it arrived; stored as ended alert {alert.id}"
    assert repeat == "a repeat of a message already taken in"
    assert alert.end_reason == "cancelled"
    assert headlines(engine, clock())["byabutiken"] == NOBODY


def test_an_update_replaces_the_text_in_place_and_an_older_update_arriving_late_is_ignored(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    first = water("w-1", SENT, "Vattnet är avstängt")
    older = water(
        "w-2",
        SENT + MINUTE,
        "Vattnet är fortfarande avstängt",
        msg_type="Update",
        references=(first.reference(),),
    )
    newer = water(
        "w-3",
        SENT + 2 * MINUTE,
        "Vattnet är tillbaka kl. 18",
        msg_type="Update",
        references=(first.reference(),),
    )

    take(engine, first.xml(), source_id=source_id, now=clock())
    updated = take(engine, newer.xml(), source_id=source_id, now=clock())
    stale = take(engine, older.xml(), source_id=source_id, now=clock())

    [alert] = alerts(engine)
    assert updated == f"updated alert {alert.id} to version 2"
    assert stale == f"out of order: alert {alert.id} already shows a newer message"
    assert shown(engine, "byabutiken", clock())[0].headline == "Vattnet är tillbaka kl. 18"
    assert shown(engine, "byabutiken", clock())[0].version == 2


def test_an_update_of_an_unknown_message_raises_it_and_the_late_original_joins_it(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    first = water("w-1", SENT, "Vattnet är avstängt")
    update = water(
        "w-2",
        SENT + MINUTE,
        "Vattnet är tillbaka kl. 18",
        msg_type="Update",
        references=(first.reference(),),
    )

    raised = take(engine, update.xml(), source_id=source_id, now=clock())
    late = take(engine, first.xml(), source_id=source_id, now=clock())

    [alert] = alerts(engine)
    assert raised == f"raised alert {alert.id}"
    assert late == f"late: alert {alert.id} already has a later message"
    assert headlines(engine, clock())["byabutiken"] == ["Vattnet är tillbaka kl. 18"]


def test_an_update_after_a_cancel_never_revives_the_alert(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    first = water("w-1", SENT, "Vattnet är avstängt")
    cancel = CapMessage("w-2", SENT + MINUTE, msg_type="Cancel", references=(first.reference(),))
    update = water(
        "w-3",
        SENT + 2 * MINUTE,
        "Vattnet är avstängt igen",
        msg_type="Update",
        references=(first.reference(),),
    )

    for message in (first, cancel):
        take(engine, message.xml(), source_id=source_id, now=clock())
    note = take(engine, update.xml(), source_id=source_id, now=clock())

    [alert] = alerts(engine)
    assert note == f"alert {alert.id} has ended (cancelled) and stays ended"
    assert headlines(engine, clock())["byabutiken"] == NOBODY


def test_a_cancel_under_another_spelling_of_the_sender_still_cancels_within_the_source(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    first = water("w-1", SENT, "Vattnet är avstängt", sender="https://lansstyrelsen.se/")
    # The same sender without its scheme, and a reference to itself as well.
    cancel = CapMessage(
        "w-2",
        SENT + MINUTE,
        msg_type="Cancel",
        references=(("lansstyrelsen.se", "w-1", SENT), ("lansstyrelsen.se", "w-2", SENT + MINUTE)),
    )

    take(engine, first.xml(), source_id=source_id, now=clock())
    note = take(engine, cancel.xml(), source_id=source_id, now=clock())

    assert note.startswith("cancelled alert")
    assert headlines(engine, clock())["byabutiken"] == NOBODY


def test_one_update_for_two_alerts_keeps_one_and_supersedes_the_other(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    north = water("w-1", SENT, "Vattnet är avstängt i norr")
    south = water("w-2", SENT, "Vattnet är avstängt i söder")
    both = water(
        "w-3",
        SENT + MINUTE,
        "Vattnet är avstängt i hela byn",
        msg_type="Update",
        references=(north.reference(), south.reference()),
    )

    for message in (north, south, both):
        take(engine, message.xml(), source_id=source_id, now=clock())

    assert headlines(engine, clock())["byabutiken"] == ["Vattnet är avstängt i hela byn"]
    assert sorted(str(alert.end_reason) for alert in alerts(engine)) == ["None", "superseded"]


def test_smhi_picks_the_gravest_block_per_language_and_reaches_every_area(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    take(engine, cap_document("smhi_update.xml"), source_id=source_id, now=clock())

    [alert] = alerts(engine)
    assert alert.severity == "severe"
    assert alert.texts["sv"]["headline"] == ORANGE
    assert alert.texts["en"]["headline"] == "Orange warning \N{EN DASH} Heavy snow"
    assert alert.expires_at == datetime(2026, 1, 13, 17, 0, tzinfo=UTC)
    # The yellow block names the county (25): all of Norrbotten, but not Finnmark.
    assert headlines(engine, clock()) == {
        "byabutiken": [ORANGE],
        "bangarden": [ORANGE],
        "kukkola": [ORANGE],
        "alta": NOBODY,
    }


def test_met_norway_warning_reaches_alta_and_its_all_clear_shows_the_card_for_a_while(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    take(engine, cap_document("met_alert.xml"), source_id=source_id, now=clock())
    # Shown from its onset at 12:00 UTC.
    clock.now = datetime(2026, 1, 12, 13, 0, tzinfo=UTC)
    gale = headlines(engine, clock())
    clock.now = datetime(2026, 1, 12, 15, 1, tzinfo=UTC)

    note = take(engine, cap_document("met_all_clear.xml"), source_id=source_id, now=clock())

    headline = "Kuling, gult nivå, Finnmark, 2026-01-12T12:00:00+00:00, 2026-01-13T06:00:00+00:00"
    assert gale == {
        "byabutiken": NOBODY,
        "bangarden": NOBODY,
        "kukkola": NOBODY,
        "alta": [headline],
    }
    assert note.startswith("all clear for alert")
    assert headlines(engine, clock())["alta"] == [f"ALL CLEAR: {headline}"]
    assert headlines(engine, clock() + timedelta(minutes=10))["alta"] == NOBODY


def test_an_exercise_reaches_only_exercise_screens_and_a_reversed_polygon_is_read_swapped(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    note = take(engine, cap_document("cap11_circle.xml"), source_id=source_id, now=clock())

    assert "a polygon of 'Haparanda bangård' was read swapped" in note
    [alert] = alerts(engine)
    assert alert.status == "exercise"
    # The circle (2.5 km) holds the exercise screens at the yard; Kukkola, inside the swapped
    # polygon, is no exercise screen.
    assert headlines(engine, clock()) == {
        "byabutiken": NOBODY,
        "bangarden": ["Gas leak at the railway yard"],
        "kukkola": NOBODY,
        "alta": NOBODY,
    }
    assert alert.target["polygons"] == [
        [[65.9, 24.0], [65.9, 24.1], [66.0, 24.1], [66.0, 24.0], [65.9, 24.0]]
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"status": "Test"}, "not shown: status test is not taken from this source"),
        ({"status": "System"}, "not shown: status system is not taken from this source"),
        ({"status": "Draft"}, "not shown: status draft is not taken from this source"),
        ({"scope": "Restricted"}, "not shown: scope restricted"),
        ({"msg_type": "Ack"}, "ack: changes nothing on screens"),
    ],
)
def test_only_public_messages_of_accepted_statuses_become_alerts(
    engine: Engine, clock: FakeClock, source_id: int, changes: dict[str, str], expected: str
) -> None:
    message = water("w-1", SENT, "Vattnet är avstängt", **changes)

    assert take(engine, message.xml(), source_id=source_id, now=clock()) == expected
    assert alerts(engine) == []


def test_a_test_message_from_a_source_that_takes_tests_is_kept_but_reaches_no_screen(
    engine: Engine, clock: FakeClock
) -> None:
    add_places(engine, clock())
    source_id = add_source(engine, clock(), statuses=("test",))

    take(
        engine,
        water("t-1", SENT, "Provlarm", status="Test").xml(),
        source_id=source_id,
        now=clock(),
    )

    assert [alert.status for alert in alerts(engine)] == ["test"]
    assert all(screen == NOBODY for screen in headlines(engine, clock()).values())


def test_a_message_with_no_area_to_place_or_already_expired_is_not_shown(
    engine: Engine, clock: FakeClock, source_id: int
) -> None:
    nowhere = CapInfo(
        headline="Översvämning",
        area_xml="<geocode><valueName>EMMA_ID</valueName><value>SE012</value></geocode>",
    )
    expired = CapInfo(headline="Halka", expires=clock() - MINUTE)

    no_area = take(
        engine, water("n-1", SENT, "", infos=(nowhere,)).xml(), source_id=source_id, now=clock()
    )
    too_late = take(
        engine, water("n-2", SENT, "", infos=(expired,)).xml(), source_id=source_id, now=clock()
    )

    assert no_area == (
        "not shown: no area to place it in; no polygon, circle or known code in Övertorneå"
    )
    assert too_late == "not shown: it had expired when it arrived"
    assert alerts(engine) == []
