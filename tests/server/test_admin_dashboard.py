"""The dashboard: every screen, whether it is online, when it was last seen, what it shows now."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from anslag_testing.admin import log_in
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine

from server.admin.pages import describe_moment
from server.db import session_scope
from server.demo.seed import DEMO_PASSWORD, DEMO_USERNAME, seed_demo
from server.i18n import Translator
from server.services import content
from server.services.dashboard import screen_statuses
from server.services.devices import authenticate_device
from server.storage import LocalMediaStorage

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HORIZON = timedelta(days=7)


def cards(page: str) -> dict[str, str]:
    """Each screen card's visible text, by screen name."""
    found = {}
    for card in re.findall(r'<li class="screen-card[^"]*"[^>]*>(.*?)</li>', page, flags=re.DOTALL):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", card)).split())
        name = re.search(r"<h2>(.*?)</h2>", card)
        assert name is not None
        found[html.unescape(re.sub(r"<[^>]+>", "", name.group(1)))] = text
    return found


@pytest.mark.anyio
async def test_the_dashboard_shows_each_demo_screen_with_its_state_and_current_slide(
    client: httpx.AsyncClient, engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        seed = seed_demo(session, storage, now=clock() - timedelta(days=1))
        shop, hall, _health_centre = seed.screens
        # The shop's player polled a minute ago; the sports hall's went quiet three minutes ago.
        for screen, ago in ((shop, timedelta(minutes=1)), (hall, timedelta(minutes=3))):
            token = content.issue_screen_token(session, screen=screen)
            authenticate_device(session, token=token, now=clock() - ago)
    await log_in(client, username=DEMO_USERNAME, password=DEMO_PASSWORD)

    page = await client.get("/admin/")

    assert page.status_code == 200
    assert "1 av 3 online" in page.text
    # Monday 09:00 in Stockholm; cards come by location name. The demo user is an
    # administrator, who may ask a screen for a screenshot.
    assert cards(page.text) == {
        "Vid kassan": (
            "Vid kassan Byabutiken i Svanstein Online"
            " Visar nu enligt schemat Bild: gryning-over-kullarna.png"
            " Spellista: Byabutiken i Svanstein"
            " Senast sedd i dag 08:59 Visningar i dag 0"
            " Cachefyllnad inte rapporterat än Spelarversion inte rapporterat än"
            " Skärmbild inte rapporterat än Begär en skärmbild"
        ),
        "Väntrummet": (
            "Väntrummet Hälsocentralen i Övertorneå Offline"
            " Visar nu enligt schemat Bild: norrsken-over-skogen.png"
            " Spellista: Hälsocentralen i Övertorneå"
            " Senast sedd aldrig Visningar i dag 0"
            " Cachefyllnad inte rapporterat än Spelarversion inte rapporterat än"
            " Skärmbild inte rapporterat än Begär en skärmbild"
        ),
        "Entrén": (
            "Entrén Sporthallen i Övertorneå Offline"
            " Visar nu enligt schemat Bild: vintersol-vid-alven.png"
            " Spellista: Sporthallen i Övertorneå"
            " Senast sedd i dag 08:57 Visningar i dag 0"
            " Cachefyllnad inte rapporterat än Spelarversion inte rapporterat än"
            " Skärmbild inte rapporterat än Begär en skärmbild"
        ),
    }
    assert list(cards(page.text)) == ["Vid kassan", "Väntrummet", "Entrén"]


def test_a_news_slide_shows_by_its_swedish_title_and_an_empty_location_as_nothing_scheduled(
    engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        library = content.create_location(
            session,
            slug="biblioteket",
            name="Biblioteket",
            timezone="Europe/Stockholm",
            languages=["fi", "sv"],
            now=clock(),
        )
        content.create_screen(session, location=library, name="Ingången", now=clock())
        news = content.create_text_item(
            session,
            texts={"fi": ("Kirjasto on kiinni", ""), "sv": ("Biblioteket är stängt", "")},
            now=clock(),
        )
        playlist = content.create_playlist(session, name="Vardag", entries=[news])
        content.assign_playlist(session, playlist=playlist, location=library)
        empty = content.create_location(
            session,
            slug="tom",
            name="Tomma hallen",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=clock(),
        )
        content.create_screen(session, location=empty, name="Väggen", now=clock())

    with session_scope(engine) as session:
        library_screen, empty_screen = screen_statuses(session, now=clock(), horizon=HORIZON)

    assert library_screen.showing is not None
    assert (library_screen.showing.kind, library_screen.showing.title) == (
        "text",
        "Biblioteket är stängt",
    )
    assert library_screen.showing.playlist == "Vardag"
    assert (library_screen.online, library_screen.last_seen_at) == (False, None)
    assert empty_screen.name == "Väggen"
    assert empty_screen.showing is None


def test_a_slide_that_has_expired_is_no_longer_what_the_dashboard_shows(
    engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        hall = content.create_location(
            session,
            slug="hallen",
            name="Hallen",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=clock(),
        )
        content.create_screen(session, location=hall, name="Entrén", now=clock())
        closing = content.create_text_item(
            session,
            texts={"sv": ("Stängt i dag", "")},
            valid_until=clock() + timedelta(hours=1),
            now=clock(),
        )
        opening = content.create_text_item(
            session, texts={"sv": ("Öppet som vanligt", "")}, now=clock()
        )
        playlist = content.create_playlist(session, name="Hallen", entries=[closing, opening])
        content.assign_playlist(session, playlist=playlist, location=hall)

    titles = []
    for later in (timedelta(0), timedelta(hours=2)):
        with session_scope(engine) as session:
            [status] = screen_statuses(session, now=clock() + later, horizon=HORIZON)
            assert status.showing is not None
            titles.append(status.showing.title)

    assert titles == ["Stängt i dag", "Öppet som vanligt"]


@pytest.mark.parametrize(
    ("seen", "language", "expected"),
    [
        (datetime(2026, 1, 12, 10, 41, tzinfo=STOCKHOLM), "sv", "i dag 10:41"),
        (datetime(2026, 1, 11, 22, 5, tzinfo=STOCKHOLM), "sv", "i går 22:05"),
        (datetime(2026, 1, 11, 22, 5, tzinfo=STOCKHOLM), "en", "yesterday 22:05"),
        (datetime(2026, 1, 2, 7, 30, tzinfo=STOCKHOLM), "sv", "2 jan. 2026 07:30"),
        (datetime(2026, 1, 2, 7, 30, tzinfo=STOCKHOLM), "en", "Jan 2, 2026 07:30"),
        (None, "sv", "aldrig"),
    ],
)
def test_last_seen_reads_in_the_locations_own_time(
    seen: datetime | None, language: str, expected: str
) -> None:
    # 23:30 UTC on the 11th is already the 12th in Stockholm.
    now = datetime(2026, 1, 11, 23, 30, tzinfo=UTC)
    moment = seen.astimezone(UTC) if seen else None

    described = describe_moment(moment, zone=STOCKHOLM, now=now, translate=Translator(language))

    assert described == expected
