"""Locations: their details are checked field by field, every change is audited, edits are
versioned, and a location with screens cannot be deleted."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import select

from playlists.manifest import OpeningHours
from server.db import session_scope
from server.errors import AlreadyExists, Forbidden, InUse, StaleEdit
from server.models import Assignment, AuditEntry, Location, Role
from server.services import content
from server.services.location_rules import (
    InvalidLocation,
    LocationDetails,
    location_problems,
    normalise_tags,
    split_tags,
    suggest_slug,
    zone_choices,
)
from server.services.locations import create_location, delete_location, update_location
from server.services.manifests import build_manifest
from server.services.permissions import SYSTEM_ACTOR, Actor
from server.services.screens import revoke_screen

SHOP = LocationDetails(
    name="Byabutiken i Svanstein",
    slug="",
    timezone="Europe/Stockholm",
    languages=("sv", "fit"),
    address="Byavägen 12, 957 95 Svanstein",
    latitude=66.6517,
    longitude=23.8566,
    municipality_code="2518",
    tags=("Svanstein", "Tornedalen norra"),
    opening_hours=(
        OpeningHours(weekday=1, opens=time(9), closes=time(18)),
        OpeningHours(weekday=6, opens=time(10), closes=time(14)),
    ),
)
EDITOR = Actor(user_id=None, name="eva", role=Role.EDITOR.value)


def hours(*periods: tuple[int, str, str]) -> tuple[OpeningHours, ...]:
    return tuple(
        OpeningHours(
            weekday=day, opens=time.fromisoformat(opens), closes=time.fromisoformat(closes)
        )
        for day, opens, closes in periods
    )


def problems_of(details: LocationDetails) -> list[tuple[str, int | None, str]]:
    return [
        (problem.field, problem.weekday, problem.text(lambda message, **values: message % values))
        for problem in location_problems(details)
    ]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Byabutiken i Övertorneå", "byabutiken-i-overtornea"),
        ("Hälsocentralen: Väntrum 2", "halsocentralen-vantrum-2"),
        ("Ájluokta Gáddeguovddáš", "ajluokta-gaddeguovddas"),
        ("Ørnes skole / Æble", "ornes-skole-aeble"),
        ("  !!  ", ""),
    ],
)
def test_a_slug_is_suggested_from_the_name_in_plain_letters(name: str, slug: str) -> None:
    assert suggest_slug(name) == slug


def test_tags_become_lowercase_slugs_once_each_in_the_order_typed() -> None:
    tags, problems = normalise_tags(split_tags("Svanstein, Tornedalen Norra;svanstein\n Övre byn"))

    assert tags == ("svanstein", "tornedalen-norra", "ovre-byn")
    assert problems == []


def test_the_nordic_time_zones_come_first_then_every_other() -> None:
    zones = zone_choices()

    assert zones[:3] == ("Europe/Stockholm", "Europe/Oslo", "Europe/Helsinki")
    assert "America/Nuuk" in zones
    assert zones.count("Europe/Oslo") == 1


def test_every_problem_is_named_with_its_field_at_once() -> None:
    details = replace(
        SHOP,
        name=" ",
        slug="Byabutiken!",
        latitude=95.0,
        longitude=None,
        municipality_code="25180",
        tags=("???",),
        timezone="Europe/Svanstein",
        languages=("sv", "de"),
        language_mode="sometimes",
    )

    assert problems_of(details) == [
        ("name", None, "Give the location a name."),
        (
            "slug",
            None,
            "The short name may hold lowercase letters a-z, digits and single hyphens,"
            " at most 64 characters.",
        ),
        ("longitude", None, "Give both latitude and longitude, or neither."),
        ("latitude", None, "The latitude must be between -90 and 90."),
        (
            "municipality_code",
            None,
            "The municipality code is four digits, like 2518 for Övertorneå.",
        ),
        ("tags", None, "The tag ??? has no letters or digits."),
        ("timezone", None, "Europe/Svanstein is not a time zone; choose one from the list."),
        ("languages", None, "de is not one of the display languages: sv, fit, se, fi, nb, nn, en."),
        ("language_mode", None, "Show several languages either in turn or together."),
    ]


def test_no_display_language_is_refused() -> None:
    assert problems_of(replace(SHOP, slug="butiken", languages=())) == [
        ("languages", None, "Choose at least one display language.")
    ]


def test_hours_past_midnight_are_fine_until_they_run_into_the_next_days() -> None:
    late = hours((5, "18:00", "02:00"), (6, "10:00", "14:00"), (6, "20:00", "03:00"))
    clash = hours((5, "18:00", "02:00"), (6, "01:00", "14:00"))
    sunday_night = hours((1, "00:30", "08:00"), (7, "22:00", "01:00"))

    assert problems_of(replace(SHOP, slug="butiken", opening_hours=late)) == []
    assert problems_of(replace(SHOP, slug="butiken", opening_hours=clash)) == [
        ("opening_hours", 5, "Friday: the hours past midnight run into the next day's.")
    ]
    assert problems_of(replace(SHOP, slug="butiken", opening_hours=sunday_night)) == [
        ("opening_hours", 7, "Sunday: the hours past midnight run into the next day's.")
    ]


def test_a_day_with_overlapping_empty_or_too_many_periods_is_named() -> None:
    overlapping = hours((2, "08:00", "12:00"), (2, "11:00", "16:00"))
    empty = hours((3, "08:00", "08:00"))
    crowded = hours((4, "06:00", "07:00"), (4, "08:00", "09:00"), (4, "10:00", "11:00"))
    seconds = (OpeningHours(weekday=1, opens=time(8, 0, 30), closes=time(9)),)

    assert problems_of(replace(SHOP, slug="b", opening_hours=overlapping)) == [
        ("opening_hours", 2, "Tuesday: the opening hours overlap.")
    ]
    assert problems_of(replace(SHOP, slug="b", opening_hours=empty)) == [
        ("opening_hours", 3, "Wednesday: it opens and closes at the same time.")
    ]
    assert problems_of(replace(SHOP, slug="b", opening_hours=crowded)) == [
        ("opening_hours", 4, "Thursday: at most 2 periods a day.")
    ]
    assert problems_of(replace(SHOP, slug="b", opening_hours=seconds)) == [
        ("opening_hours", 1, "Monday: give times in whole minutes.")
    ]


def test_a_new_location_is_stored_normalised_and_audited(engine: Engine, clock: FakeClock) -> None:
    with session_scope(engine) as session:
        location = create_location(session, details=SHOP, actor=SYSTEM_ACTOR, now=clock())
        location_id = location.id

    with session_scope(engine) as session:
        stored = session.get(Location, location_id)
        assert stored is not None
        assert (stored.slug, stored.tags, stored.version) == (
            "byabutiken-i-svanstein",
            ["svanstein", "tornedalen-norra"],
            1,
        )
        assert stored.opening_hours == [
            {"weekday": 1, "opens": "09:00", "closes": "18:00"},
            {"weekday": 6, "opens": "10:00", "closes": "14:00"},
        ]
        entry = session.exec(select(AuditEntry)).one()
        assert (entry.action, entry.entity, entry.entity_id, entry.actor) == (
            "create",
            "location",
            str(location_id),
            "system",
        )
        assert entry.after is not None
        assert entry.after["municipality_code"] == "2518"


def test_a_suggested_slug_that_is_taken_gets_a_number_but_a_chosen_one_is_refused(
    engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        create_location(session, details=SHOP, actor=SYSTEM_ACTOR, now=clock())
        second = create_location(session, details=SHOP, actor=SYSTEM_ACTOR, now=clock())
        assert second.slug == "byabutiken-i-svanstein-2"
    with session_scope(engine) as session, pytest.raises(AlreadyExists, match="slug"):
        create_location(
            session,
            details=replace(SHOP, slug="byabutiken-i-svanstein"),
            actor=SYSTEM_ACTOR,
            now=clock(),
        )


def test_bad_details_store_nothing(engine: Engine, clock: FakeClock) -> None:
    with session_scope(engine) as session, pytest.raises(InvalidLocation) as refused:
        create_location(
            session, details=replace(SHOP, latitude=None), actor=SYSTEM_ACTOR, now=clock()
        )

    assert "Give both latitude and longitude, or neither." in str(refused.value)
    with session_scope(engine) as session:
        assert session.exec(select(Location)).all() == []
        assert session.exec(select(AuditEntry)).all() == []


def test_an_editor_may_not_manage_locations(engine: Engine, clock: FakeClock) -> None:
    with session_scope(engine) as session, pytest.raises(Forbidden):
        create_location(session, details=SHOP, actor=EDITOR, now=clock())


def test_an_edit_changes_what_the_screens_are_sent_and_bumps_the_version(
    engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        location = create_location(session, details=SHOP, actor=SYSTEM_ACTOR, now=clock())
        assert location.id is not None
        location_id = location.id
        before = build_manifest(session, location=location, now=clock(), horizon=timedelta(days=7))

    with session_scope(engine) as session:
        edited = update_location(
            session,
            location_id=location_id,
            details=replace(
                SHOP,
                slug="byabutiken-i-svanstein",
                language_mode="alternate",
                opening_hours=hours((1, "08:00", "20:00")),
            ),
            expected_version=1,
            actor=SYSTEM_ACTOR,
            now=clock(),
        )
        after = build_manifest(session, location=edited, now=clock(), horizon=timedelta(days=7))
        assert edited.version == 2

    assert before.content_hash() != after.content_hash()
    assert after.location.language_mode == "alternate"
    assert after.location.opening_hours == hours((1, "08:00", "20:00"))
    with session_scope(engine) as session:
        update = session.exec(select(AuditEntry).where(AuditEntry.action == "update")).one()
        assert update.before is not None
        assert update.after is not None
        assert (update.before["version"], update.after["version"]) == (1, 2)


def test_saving_over_someone_elses_newer_edit_is_refused(engine: Engine, clock: FakeClock) -> None:
    with session_scope(engine) as session:
        location_id = create_location(session, details=SHOP, actor=SYSTEM_ACTOR, now=clock()).id
        assert location_id is not None
    renamed = replace(SHOP, slug="butiken", name="Butiken")
    with session_scope(engine) as session:
        update_location(
            session,
            location_id=location_id,
            details=renamed,
            expected_version=1,
            actor=SYSTEM_ACTOR,
            now=clock(),
        )

    with session_scope(engine) as session, pytest.raises(StaleEdit, match="someone else"):
        update_location(
            session,
            location_id=location_id,
            details=replace(renamed, name="Affären"),
            expected_version=1,
            actor=SYSTEM_ACTOR,
            now=clock(),
        )
    with session_scope(engine) as session:
        stored = session.get(Location, location_id)
        assert stored is not None
        assert (stored.name, stored.version) == ("Butiken", 2)


def test_a_location_with_screens_is_not_deleted_and_the_screens_are_named(
    engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        location = create_location(session, details=SHOP, actor=SYSTEM_ACTOR, now=clock())
        assert location.id is not None
        location_id = location.id
        content.create_screen(session, location=location, name="Vid kassan", now=clock())
        revoked, _token = content.create_screen(
            session, location=location, name="Fönstret", now=clock()
        )
        assert revoked.id is not None
        revoke_screen(session, screen_id=revoked.id, actor=SYSTEM_ACTOR, now=clock())

    with session_scope(engine) as session, pytest.raises(InUse) as refused:
        delete_location(session, location_id=location_id, actor=SYSTEM_ACTOR, now=clock())

    assert "'Fönstret', 'Vid kassan'" in str(refused.value)
    with session_scope(engine) as session:
        assert session.get(Location, location_id) is not None


def test_deleting_a_location_takes_its_own_assignments_along_in_the_log(
    engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        location = create_location(session, details=SHOP, actor=SYSTEM_ACTOR, now=clock())
        location_id = location.id
        assert location_id is not None
        news = content.create_text_item(session, texts={"sv": ("Öppet", "")}, now=clock())
        playlist = content.create_playlist(session, name="Butiken", entries=[news])
        content.assign_playlist(session, playlist=playlist, location=location)

    with session_scope(engine) as session:
        delete_location(session, location_id=location_id, actor=SYSTEM_ACTOR, now=clock())

    with session_scope(engine) as session:
        assert session.exec(select(Location)).all() == []
        assert session.exec(select(Assignment)).all() == []
        log = [(entry.action, entry.entity) for entry in session.exec(select(AuditEntry))]
        assert log == [("create", "location"), ("delete", "assignment"), ("delete", "location")]
