"""Which committed changes are pushed to screens: noticed as sessions flush, announced on commit."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine

from server.db import session_scope
from server.models import Screen
from server.push.changes import Changes, announcing_session
from server.services import content
from server.services.alert_areas import AlertTarget
from server.services.alerts import AlertContent, raise_alert, update_alert
from server.services.devices import authenticate_device
from server.services.events import EventDraft, create_event
from server.services.permissions import SYSTEM_ACTOR
from server.services.screens import move_screen, revoke_screen


class Announcements(list[Changes]):
    def __call__(self, changes: Changes) -> None:
        self.append(changes)


@pytest.fixture
def announced() -> Announcements:
    return Announcements()


def water(clock: FakeClock) -> AlertContent:
    return AlertContent(
        texts={"sv": ("Vattnet är avstängt", "", "")},
        severity="severe",
        target=AlertTarget(everywhere=True),
        expires_at=clock() + timedelta(hours=4),
    )


def shop_with_screen(engine: Engine, clock: FakeClock) -> tuple[int, str]:
    with session_scope(engine) as session:
        shop = content.create_location(
            session,
            slug="byabutiken",
            name="Byabutiken",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=clock(),
        )
        screen, token = content.create_screen(session, location=shop, name="Kassan", now=clock())
        session.flush()
        assert screen.id is not None
        return screen.id, token


def test_a_saved_item_is_announced_as_changed_content_once_committed(
    engine: Engine, clock: FakeClock, announced: Announcements
) -> None:
    with announcing_session(engine, announced) as session:
        content.create_text_item(session, texts={"sv": ("Loppis", "")}, now=clock())
        session.flush()
        assert announced == [], "nothing before the commit"

    assert announced == [Changes(content=True)]


def test_an_approved_event_is_announced_for_the_playlists_that_list_upcoming_events(
    engine: Engine, clock: FakeClock, announced: Announcements
) -> None:
    with announcing_session(engine, announced) as session:
        create_event(
            session,
            draft=EventDraft(
                texts={"sv": ("Loppis i bygdegården", "")},
                starts_at=clock() + timedelta(days=2),
            ),
            status="approved",
            zone=ZoneInfo("Europe/Stockholm"),
            actor=SYSTEM_ACTOR,
            now=clock(),
        )

    assert announced == [Changes(content=True)]


def test_a_rolled_back_save_announces_nothing(
    engine: Engine, clock: FakeClock, announced: Announcements
) -> None:
    def save_then_fail() -> None:
        with announcing_session(engine, announced) as session:
            content.create_text_item(session, texts={"sv": ("Loppis", "")}, now=clock())
            session.flush()
            raise RuntimeError("the request failed after saving")

    with pytest.raises(RuntimeError):
        save_then_fail()

    assert announced == []


def test_raising_and_updating_an_alert_announce_each_version(
    engine: Engine, clock: FakeClock, announced: Announcements
) -> None:
    with announcing_session(engine, announced) as session:
        alert = raise_alert(
            session,
            content=water(clock),
            sender="k",
            sender_name="Kommunen",
            actor=SYSTEM_ACTOR,
            now=clock(),
        )
        alert_id = alert.id
    assert alert_id is not None
    with announcing_session(engine, announced) as session:
        update_alert(
            session,
            alert_id=alert_id,
            expected_version=1,
            content=water(clock),
            actor=SYSTEM_ACTOR,
            now=clock(),
        )

    assert announced == [
        Changes(content=True, alerts=frozenset({(alert_id, 1)})),
        Changes(content=True, alerts=frozenset({(alert_id, 2)})),
    ]


def test_a_screen_polling_or_reporting_announces_nothing(
    engine: Engine, clock: FakeClock, announced: Announcements
) -> None:
    _screen_id, token = shop_with_screen(engine, clock)
    with announcing_session(engine, announced) as session:
        screen = authenticate_device(session, token=token, now=clock() + timedelta(minutes=5))
        assert screen.last_seen_at == clock() + timedelta(minutes=5)

    assert announced == []


def test_a_screen_moved_or_revoked_is_announced_so_its_stream_ends(
    engine: Engine, clock: FakeClock, announced: Announcements
) -> None:
    screen_id, _token = shop_with_screen(engine, clock)
    with session_scope(engine) as session:
        hall = content.create_location(
            session,
            slug="sporthallen",
            name="Sporthallen",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=clock(),
        )
        session.flush()
        hall_id = hall.id
    assert hall_id is not None

    with announcing_session(engine, announced) as session:
        move_screen(
            session, screen_id=screen_id, location_id=hall_id, actor=SYSTEM_ACTOR, now=clock()
        )
    with announcing_session(engine, announced) as session:
        revoke_screen(session, screen_id=screen_id, actor=SYSTEM_ACTOR, now=clock())
        assert session.get(Screen, screen_id) is not None

    assert [change.screens for change in announced] == [frozenset({screen_id})] * 2


def test_changes_travel_as_json_and_split_into_parts_a_notification_can_carry() -> None:
    changes = Changes(
        content=True, alerts=frozenset({(1, 2), (3, 1), (4, 7)}), screens=frozenset({9})
    )

    parts = changes.split(2)

    assert Changes.from_json(changes.to_json()) == changes
    assert len(parts) == 2
    assert all(part.content for part in parts)
    assert parts[0] | parts[1] == changes
    with pytest.raises(ValueError, match="not a push change"):
        Changes.from_json('{"content": true}')
