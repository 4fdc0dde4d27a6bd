"""The playlist entry "upcoming events here": each location's own events as slides, soonest
first, at most N at once, dropping off when over on the screen's clock, offline too."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from anslag_testing.events import add_event
from anslag_testing.manifests import wall
from anslag_testing.schedules import place, slides
from sqlalchemy import Engine
from sqlmodel import Session

from playlists.manifest import EventItem, Manifest, parse_manifest
from playlists.schedule import rotation_at
from server.errors import InvalidContent
from server.models import Location
from server.services.content import assign_playlist
from server.services.manifests import build_manifest
from server.services.permissions import SYSTEM_ACTOR
from server.services.playlists import EntryDraft, PlaylistDraft, create_playlist
from server.services.preview import preview

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
HORIZON = timedelta(days=7)


def upcoming(days: int = 14, count: int = 5) -> EntryDraft:
    return EntryDraft(
        None, dynamic_kind="upcoming_events", dynamic_options={"days": days, "count": count}
    )


def calendar_everywhere(
    session: Session, *locations: Location, entries: tuple[EntryDraft, ...]
) -> None:
    playlist = create_playlist(
        session, actor=SYSTEM_ACTOR, draft=PlaylistDraft("Evenemang", entries), now=NOW
    )
    for location in locations:
        assign_playlist(session, playlist=playlist, location=location)


def manifest_of(session: Session, location: Location, *, now: datetime = NOW) -> Manifest:
    # Through JSON, as the screen receives it.
    built = build_manifest(session, location=location, now=now, horizon=HORIZON)
    return parse_manifest(built.model_dump_json())


def titles_at(manifest: Manifest, moment: datetime) -> list[str]:
    items = [slot.item for slot in rotation_at(manifest, moment)]
    return [item.texts["sv"].title for item in items if isinstance(item, EventItem)]


def test_each_location_shows_the_events_of_its_own_village_and_the_whole_municipality(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        shop = place(session, name="Byabutiken", now=NOW, tags=["svanstein"])
        hall = place(session, name="Sporthallen", now=NOW, tags=["overtornea"])
        calendar_everywhere(session, shop, hall, entries=(upcoming(),))
        add_event(
            session,
            "Byastämma",
            now=NOW,
            starts_at=wall("Europe/Stockholm", "2026-03-05 18:00"),
            tags=["svanstein"],
        )
        add_event(
            session,
            "Innebandy",
            now=NOW,
            starts_at=wall("Europe/Stockholm", "2026-03-04 18:00"),
            location_ids=[hall.id or 0],
        )
        add_event(
            session,
            "Kommunfullmäktige",
            now=NOW,
            starts_at=wall("Europe/Stockholm", "2026-03-09 18:00"),
        )
        add_event(
            session,
            "Väntar på granskning",
            now=NOW,
            starts_at=wall("Europe/Stockholm", "2026-03-03 18:00"),
            status="pending",
        )

        at_shop, at_hall = manifest_of(session, shop), manifest_of(session, hall)

    assert titles_at(at_shop, NOW) == ["Byastämma", "Kommunfullmäktige"]
    assert titles_at(at_hall, NOW) == ["Innebandy", "Kommunfullmäktige"]


def test_a_screen_offline_for_days_drops_each_event_once_over_and_moves_the_next_up(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        shop = place(session, name="Byabutiken", now=NOW)
        calendar_everywhere(session, shop, entries=(upcoming(days=14, count=2),))
        for title, day in (("Kör", "03"), ("Dans", "05"), ("Marknad", "07")):
            add_event(
                session,
                title,
                now=NOW,
                starts_at=wall("Europe/Stockholm", f"2026-03-{day} 17:00"),
                ends_at=wall("Europe/Stockholm", f"2026-03-{day} 20:00"),
            )
        manifest = manifest_of(session, shop)

    assert titles_at(manifest, NOW) == ["Kör", "Dans"]
    assert titles_at(manifest, wall("Europe/Stockholm", "2026-03-03 20:00")) == ["Dans", "Marknad"]
    assert titles_at(manifest, wall("Europe/Stockholm", "2026-03-06 12:00")) == ["Marknad"]
    assert titles_at(manifest, wall("Europe/Stockholm", "2026-03-07 20:00")) == []


def test_an_event_further_off_than_the_days_ahead_waits_its_turn(engine: Engine) -> None:
    with Session(engine) as session:
        shop = place(session, name="Byabutiken", now=NOW)
        calendar_everywhere(session, shop, entries=(upcoming(days=3),))
        add_event(
            session, "Påskmarknad", now=NOW, starts_at=wall("Europe/Stockholm", "2026-03-07 10:00")
        )
        manifest = manifest_of(session, shop)

    assert titles_at(manifest, NOW) == []
    assert titles_at(manifest, wall("Europe/Stockholm", "2026-03-04 10:00")) == ["Påskmarknad"]


def test_an_all_day_event_runs_midnight_to_midnight_on_the_screens_clock(engine: Engine) -> None:
    with Session(engine) as session:
        shop = place(session, name="Byabutiken", now=NOW)
        calendar_everywhere(session, shop, entries=(upcoming(),))
        add_event(session, "Skidans dag", now=NOW, days=(date(2026, 3, 4), date(2026, 3, 5)))
        manifest = manifest_of(session, shop)

    (item,) = manifest.items
    assert isinstance(item, EventItem)
    assert (item.all_day, item.starts_at, item.ends_at) == (
        True,
        wall("Europe/Stockholm", "2026-03-04 00:00"),
        wall("Europe/Stockholm", "2026-03-05 00:00"),
    )
    assert titles_at(manifest, wall("Europe/Stockholm", "2026-03-04 23:59")) == ["Skidans dag"]
    assert titles_at(manifest, wall("Europe/Stockholm", "2026-03-05 00:00")) == []


def test_the_upcoming_events_play_in_turn_with_the_playlists_other_slides(engine: Engine) -> None:
    with Session(engine) as session:
        shop = place(session, name="Byabutiken", now=NOW)
        (news,) = slides(session, "Vägen är lagad", now=NOW)
        calendar_everywhere(
            session,
            shop,
            entries=(EntryDraft(news.id), upcoming(), EntryDraft(news.id, duration_s=5)),
        )
        add_event(
            session, "Byastämma", now=NOW, starts_at=wall("Europe/Stockholm", "2026-03-05 18:00")
        )
        manifest = manifest_of(session, shop)

    rotation = rotation_at(manifest, NOW)
    assert [(slot.item.id.split("-")[0], slot.duration_s) for slot in rotation] == [
        ("item", 8.0),
        ("event", 10.0),
        ("item", 5.0),
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"days": 0}, "the days ahead must be a whole number from 1 to 60"),
        ({"count": "många"}, "the number of events must be a whole number from 1 to 20"),
    ],
)
def test_options_no_screen_could_use_are_refused_when_the_playlist_is_saved(
    engine: Engine, options: dict[str, object], message: str
) -> None:
    with Session(engine) as session, pytest.raises(InvalidContent, match=message):
        create_playlist(
            session,
            actor=SYSTEM_ACTOR,
            draft=PlaylistDraft(
                "Evenemang",
                (EntryDraft(None, dynamic_kind="upcoming_events", dynamic_options=options),),
            ),
            now=NOW,
        )


def test_the_preview_shows_an_upcoming_event_as_the_screen_will(engine: Engine) -> None:
    with Session(engine) as session:
        shop = place(session, name="Byabutiken", now=NOW)
        calendar_everywhere(session, shop, entries=(upcoming(),))
        event = add_event(
            session, "Byastämma", now=NOW, starts_at=wall("Europe/Stockholm", "2026-03-05 18:00")
        )

        shown = preview(session, location_id=shop.id or 0, moment=NOW, horizon=HORIZON)

    (slot,) = shown.slots
    assert (slot.card.kind, slot.card.title, slot.card.event_id, slot.card.item_id) == (
        "event",
        "Byastämma",
        event.id,
        None,
    )
