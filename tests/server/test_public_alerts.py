"""The public alerts page, and the municipality's own alerts as a CAP 1.2 Atom feed that reads
back with Anslag's own CAP reader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.etree.ElementTree import fromstring

import feedparser
import httpx
import pytest
from anslag_testing.cap import CapInfo, CapMessage, cap_document
from anslag_testing.cap_places import add_places, add_source, take
from anslag_testing.cap_schema import structure_problems
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.cap.content import content_of
from server.cap.reading import read_message
from server.db import session_scope
from server.models import Alert, Location
from server.services.alert_areas import AlertTarget
from server.services.alerts import AlertContent, end_alert, raise_alert, update_alert
from server.services.permissions import Actor

pytestmark = pytest.mark.anyio

DUTY_OFFICER = Actor(user_id=None, name="tib", role="alert_operator")
HOUR = timedelta(hours=1)
WATER = "Vattnet är avstängt i Svanstein"


def water(clock: FakeClock, description: str = "En ledning har gått sönder.") -> AlertContent:
    return AlertContent(
        texts={
            "sv": (WATER, description, "Spara på vattnet."),
            "en": ("The water is off in Svanstein", "A main has broken.", "Save water."),
        },
        severity="severe",
        target=AlertTarget(locations=("byabutiken",), codes=("2583",)),
        expires_at=clock() + 6 * HOUR,
    )


def raise_water(engine: Engine, clock: FakeClock, **changes: object) -> int:
    with session_scope(engine) as session:
        alert = raise_alert(
            session,
            content=water(clock),
            sender="overtornea.se",
            sender_name="Övertorneå kommun",
            actor=DUTY_OFFICER,
            now=clock(),
        )
        for name, value in changes.items():
            setattr(alert, name, value)
        assert alert.id is not None
        return alert.id


async def test_the_page_shows_what_is_in_force_own_and_from_feeds_and_what_ended(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_places(engine, clock())
    raise_water(engine, clock)
    raise_water(engine, clock, status="exercise", texts={"sv": {"headline": "Övningslarm"}})
    source_id = add_source(engine, clock())
    take(engine, cap_document("sr_vma_alert.xml"), source_id=source_id, now=clock())
    take(engine, cap_document("sr_vma_cancel.xml"), source_id=source_id, now=clock())
    # A warning for Stockholm (0180) reaches none of our places.
    stockholm = CapInfo(
        headline="Brand i Stockholm",
        area_xml="<geocode><valueName>Kommun</valueName><value>0180</value></geocode>",
    )
    take(
        engine,
        CapMessage("s-1", clock() - HOUR, infos=(stockholm,)).xml(),
        source_id=source_id,
        now=clock(),
    )

    swedish = await client.get("/larm")
    english = await client.get("/larm?lang=en")

    assert swedish.status_code == 200
    in_force, _, ended = swedish.text.partition("Nyligen avslutade")
    assert WATER in in_force
    assert "Byabutiken i Svanstein, Haparanda bangård, Kukkolaforsen" in in_force
    assert "12 januari 09:00 till 12 januari 15:00" in in_force
    assert "Brand i industrilokal i Övertorneå" in ended
    assert "Återkallat" in ended
    assert "Övningslarm" not in swedish.text
    assert "Brand i Stockholm" not in swedish.text
    assert '<html lang="en">' in english.text
    assert "The water is off in Svanstein" in english.text
    assert "Fire in an industrial building in Övertorneå" in english.text
    assert "Recently ended" in english.text


async def test_a_quiet_day_says_so(client: httpx.AsyncClient) -> None:
    page = await client.get("/larm")

    assert "Inga larm gäller just nu." in page.text


async def test_the_feed_carries_alert_update_and_cancel_as_cap_that_reads_back(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_places(engine, clock())
    alert_id = raise_water(engine, clock)
    clock.advance(HOUR)
    with session_scope(engine) as session:
        update_alert(
            session,
            alert_id=alert_id,
            expected_version=1,
            content=water(clock, "Lagat till kl. 18."),
            actor=DUTY_OFFICER,
            now=clock(),
        )
    clock.advance(HOUR)
    with session_scope(engine) as session:
        end_alert(session, alert_id=alert_id, all_clear_for=None, actor=DUTY_OFFICER, now=clock())

    feed = await client.get("/larm/feed.atom")
    parsed = feedparser.parse(feed.content)
    documents = [(await client.get(entry.link)).content for entry in reversed(parsed.entries)]
    messages = [read_message(document) for document in documents]

    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert (parsed.version, parsed.bozo) == ("atom10", False)
    assert [entry.title for entry in parsed.entries] == [
        f"Återkallat: {WATER}",
        f"Uppdaterat: {WATER}",
        WATER,
    ]
    assert [message.msg_type for message in messages] == ["alert", "update", "cancel"]
    first, update, cancel = messages
    assert first.sender == "overtornea.se"
    assert update.identifier == f"{first.identifier}-v2"
    assert [ref.identifier for ref in update.references] == [first.identifier]
    assert [ref.identifier for ref in cancel.references] == [first.identifier, update.identifier]
    assert update.references[0].sent == first.sent
    assert cancel.infos == ()
    assert {info.language: info.description for info in update.infos} == {
        "sv": "Lagat till kl. 18.",
        "en": "A main has broken.",
    }
    assert update.infos[0].expires == datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
    for document in documents:
        assert structure_problems(fromstring(document)) == []


async def test_the_area_of_a_published_alert_reaches_the_same_places_when_read_back(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_places(engine, clock())
    raise_water(engine, clock)
    feed = feedparser.parse((await client.get("/larm/feed.atom")).content)
    message = read_message((await client.get(feed.entries[0].link)).content)

    content = content_of(message, lifetime=HOUR, source_name="x", places=[])
    assert content is not None
    assert content.target is not None
    with Session(engine) as session:
        alert = session.exec(select(Alert)).one()
        locations = session.exec(select(Location)).all()
        original = AlertTarget.model_validate(alert.target)
    assert (
        {place.slug for place in locations if content.target.reaches(place)}
        == {place.slug for place in locations if original.reaches(place)}
        == {"byabutiken", "bangarden", "kukkola"}
    )


async def test_only_our_own_published_messages_are_served(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_places(engine, clock())
    source_id = add_source(engine, clock())
    take(engine, cap_document("sr_vma_alert.xml"), source_id=source_id, now=clock())

    from_a_feed = await client.get("/larm/cap/SRVMA-2026-0112-0001.xml")
    unknown = await client.get("/larm/cap/nothing-here.xml")

    assert (from_a_feed.status_code, unknown.status_code) == (404, 404)
