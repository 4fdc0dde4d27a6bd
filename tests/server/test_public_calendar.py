"""The public calendar page: anyone, on a phone, sees what is coming, by day and by village."""

# The page writes time spans with an en dash, as Swedish does.
# ruff: noqa: RUF001

from __future__ import annotations

from datetime import date

import httpx
import pytest
from anslag_testing.events import add_event
from anslag_testing.manifests import wall
from anslag_testing.schedules import place, visible_text
from anslag_testing.server_app import FakeClock, png
from sqlalchemy import Engine

from server.db import session_scope
from server.services import content
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.anyio


@pytest.fixture
def calendar(engine: Engine, clock: FakeClock) -> None:
    # The clock stands on Monday 12 January 2026, 09:00 in Övertorneå.
    with session_scope(engine) as session:
        shop = place(session, name="Byabutiken", now=clock(), tags=["svanstein"])
        place(session, name="Sporthallen", now=clock(), tags=["overtornea"])
        add_event(
            session,
            "Byastämma",
            now=clock(),
            starts_at=wall("Europe/Stockholm", "2026-01-14 18:00"),
            ends_at=wall("Europe/Stockholm", "2026-01-14 20:00"),
            place="Bygdegården",
            tags=["svanstein"],
        )
        add_event(
            session,
            "Innebandyturnering",
            now=clock(),
            days=(date(2026, 1, 17), date(2026, 1, 18)),
            tags=["overtornea"],
        )
        add_event(
            session,
            "Handla lokalt",
            now=clock(),
            starts_at=wall("Europe/Stockholm", "2026-01-14 10:00"),
            location_ids=[shop.id or 0],
        )
        add_event(
            session,
            "Fullmäktige",
            now=clock(),
            starts_at=wall("Europe/Stockholm", "2026-01-19 18:00"),
        )
        add_event(
            session, "I går", now=clock(), starts_at=wall("Europe/Stockholm", "2026-01-11 18:00")
        )
        add_event(
            session,
            "Väntar",
            now=clock(),
            starts_at=wall("Europe/Stockholm", "2026-01-15 18:00"),
            status="pending",
        )


@pytest.mark.usefixtures("calendar")
async def test_anyone_sees_the_coming_events_by_day_in_swedish(client: httpx.AsyncClient) -> None:
    page = await client.get("/calendar")

    assert page.status_code == 200
    assert '<html lang="sv">' in page.text
    text = visible_text(page.text)
    assert text.index("onsdag 14 januari 2026") < text.index("lördag 17 januari 2026")
    assert "10:00 Handla lokalt" in text
    assert "18:00–20:00 Byastämma Bygdegården" in text
    assert "Hela dagen Innebandyturnering" in text
    assert "Fullmäktige" in text
    assert "I går" not in text
    assert "Väntar" not in text


@pytest.mark.usefixtures("calendar")
async def test_a_village_shows_its_own_events_and_the_whole_municipalitys(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/calendar?village=svanstein")

    text = visible_text(page.text)
    assert "Evenemang i Svanstein" in text
    assert [
        title
        for title in ("Handla lokalt", "Byastämma", "Innebandyturnering", "Fullmäktige")
        if title in text
    ] == ["Handla lokalt", "Byastämma", "Fullmäktige"]
    assert 'href="webcal://anslag.test/calendar/villages/svanstein.ics?lang=sv"' in page.text
    assert '<option value="svanstein" selected>Svanstein</option>' in page.text


@pytest.mark.usefixtures("calendar")
async def test_the_page_speaks_english_when_asked_and_remembers_it(
    client: httpx.AsyncClient,
) -> None:
    english = await client.get("/calendar?lang=en")
    later = await client.get("/calendar")

    assert '<html lang="en">' in english.text
    assert "Events in Kommunen" in visible_text(english.text)
    assert "All day Innebandyturnering" in visible_text(english.text)
    assert "Wednesday, January 14, 2026" in visible_text(later.text)
    assert 'href="http://anslag.test/calendar.ics?lang=en"' in later.text


async def test_html_in_an_event_is_shown_as_text_never_run(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        add_event(
            session,
            '<img src=x onerror="alert(1)">Disco',
            now=clock(),
            starts_at=wall("Europe/Stockholm", "2026-01-16 20:00"),
            body="<script>alert('hej')</script>",
        )

    page = await client.get("/calendar")

    assert "<script>alert" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#39;hej&#39;)&lt;/script&gt;" in page.text


async def test_only_the_pictures_of_approved_events_are_public(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, storage: LocalMediaStorage
) -> None:
    with session_scope(engine) as session:
        shown, hidden = (
            content.store_media(
                session,
                storage,
                data=png(seed=seed),
                media_type="image/png",
                original_name=f"{seed}.png",
                now=clock(),
            )
            for seed in (1, 2)
        )
        approved = add_event(session, "Med bild", now=clock(), starts_at=clock())
        approved.asset_sha256 = shown.sha256
        pending = add_event(session, "Väntar", now=clock(), starts_at=clock(), status="pending")
        pending.asset_sha256 = hidden.sha256
        session.add_all([approved, pending])
        urls = (f"/calendar/pictures/{shown.sha256}", f"/calendar/pictures/{hidden.sha256}")

    page = await client.get("/calendar")
    public, private = [await client.get(url) for url in urls]

    assert f'src="{urls[0]}"' in page.text
    assert (public.status_code, public.headers["content-type"]) == (200, "image/png")
    assert public.content == png(seed=1)
    assert private.status_code == 404
