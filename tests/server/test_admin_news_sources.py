"""The news sources' pages: adding a feed, its status and last error, fetching it now, turning it
off, in Swedish and English, for editors only."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html import unescape

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.feed_server import FakeWeb
from anslag_testing.media import picture
from anslag_testing.server_app import FakeClock, started
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.app import create_app
from server.models import AuditEntry, Item, NewsSource, Role
from server.settings import Settings
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.anyio

PAJALA = "https://www.pajala.se/nyheter/rss.xml"
NEW = "/admin/news-sources/new"
FORM = {
    "name": "Pajala kommun",
    "url": PAJALA,
    "language": "sv",
    "poll_minutes": "30",
    "validity_days": "7",
    "enabled": "1",
}


@pytest.fixture
def web() -> FakeWeb:
    web = FakeWeb()
    web.serve_feed(PAJALA, "pajala-rss2.xml", etag='"v1"')
    web.serve("https://www.pajala.se/bilder/isvag.jpg", picture("JPEG"), content_type="image/jpeg")
    return web


@pytest.fixture
async def editor(
    settings: Settings,
    clock: FakeClock,
    storage: LocalMediaStorage,
    engine: Engine,
    web: FakeWeb,
) -> AsyncIterator[httpx.AsyncClient]:
    """An editor logged in to a server whose feeds come from `web`."""
    app = create_app(settings, clock=clock, storage=storage, feed_transport=web.transport)
    async with started(app) as client:
        add_user(engine, now=clock())
        await log_in(client)
        yield client


def text_of(page: httpx.Response) -> str:
    """The page's words, as a reader sees them (tags gone, entities decoded)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page.text)).split())


def sources(engine: Engine) -> list[NewsSource]:
    with Session(engine) as session:
        return list(session.exec(select(NewsSource).order_by(col(NewsSource.id))))


async def add(client: httpx.AsyncClient, **changes: str) -> httpx.Response:
    token = await page_token(client, NEW)
    fields = {**FORM, **changes}
    return await client.post(NEW, data={"csrf_token": token, **fields})


async def test_an_editor_adds_a_source_and_the_log_keeps_it(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    menu = await editor.get("/admin/")
    assert 'href="/admin/news-sources"' in menu.text
    assert "Nyhetsflöden" in menu.text

    sent = await add(editor)

    [source] = sources(engine)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/admin/news-sources/{source.id}?saved=1"
    assert (source.name, source.url, source.language) == ("Pajala kommun", PAJALA, "sv")
    assert (source.poll_minutes, source.validity_days, source.enabled) == (30, 7, True)
    page = await editor.get(sent.headers["location"])
    assert "Sparat." in page.text
    assert "Aldrig hämtat" not in page.text  # only the list says so
    assert "Senast hämtat aldrig" in text_of(page)
    with Session(engine) as session:
        logged = session.exec(select(AuditEntry).where(AuditEntry.entity == "news_source")).one()
    assert (logged.action, logged.actor) == ("create", "anna")


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        (
            {"url": "www.pajala.se/rss"},
            "'www.pajala.se/rss' är ingen webbadress; kopiera flödets hela adress, "
            "med https:// och allt",
        ),
        ({"name": "  "}, "Ge flödet ett namn som säger vems nyheter det är"),
        ({"poll_minutes": "ofta"}, "'ofta' är inget heltal."),
        ({"poll_minutes": "1"}, "Hämta flödet med 5 till 1440 minuters mellanrum"),
        ({"validity_days": "365"}, "Nyheter visas 1 till 90 dagar från sitt datum"),
        ({"language": "de"}, "Texter skrivs på sv, fit, se, fi, nb, nn, en, inte ”de”"),
    ],
)
async def test_a_form_that_cannot_be_saved_says_why_and_keeps_what_was_typed(
    editor: httpx.AsyncClient, engine: Engine, changes: dict[str, str], refusal: str
) -> None:
    refused = await add(editor, **{"name": "Byarnas nyheter", **changes})

    assert refused.status_code == 422
    assert refusal in text_of(refused)
    assert f'value="{changes.get("url", PAJALA)}"' in refused.text
    assert sources(engine) == []


async def test_the_same_feed_cannot_be_added_twice(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    await add(editor)

    refused = await add(editor, name="Pajala igen")

    assert refused.status_code == 422
    assert f"Flödet 'Pajala kommun' läser redan {PAJALA}" in text_of(refused)
    assert len(sources(engine)) == 1


async def test_fetch_now_makes_the_news_slides_and_the_page_shows_them(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    sent = await add(editor)
    page_path = sent.headers["location"].split("?")[0]
    token = await page_token(editor, page_path)

    fetched = await editor.post(f"{page_path}/fetch", data={"csrf_token": token})

    assert fetched.status_code == 303
    page = await editor.get(fetched.headers["location"])
    words = text_of(page)
    assert "Hämtat: 4 nya och 0 ändrade nyhetsinslag." in words
    assert "Nyheter i flödet 4" in words
    assert "Isvägen till Kangos är öppen" in words
    with Session(engine) as session:
        assert len(session.exec(select(Item)).all()) == 4

    again = await editor.post(f"{page_path}/fetch", data={"csrf_token": token})
    page = await editor.get(again.headers["location"])
    assert "Hämtat: flödet har inte ändrats sedan förra gången." in text_of(page)


async def test_a_feeds_slide_among_the_items_says_where_it_came_from(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    sent = await add(editor)
    page_path = sent.headers["location"].split("?")[0]
    await editor.post(
        f"{page_path}/fetch", data={"csrf_token": await page_token(editor, page_path)}
    )
    with Session(engine) as session:
        road = session.exec(select(Item).where(col(Item.asset_sha256).is_not(None))).one()

    listed = text_of(await editor.get("/admin/items"))
    page = await editor.get(f"/admin/items/{road.id}")

    assert listed.count("Från Pajala kommun") == 4
    assert "Nyheten kommer från nyhetsflödet Pajala kommun." in text_of(page)
    assert f'href="{page_path}"' in page.text


async def test_a_failing_source_shows_its_error_in_the_readers_language(
    editor: httpx.AsyncClient, web: FakeWeb
) -> None:
    web.serve_feed(PAJALA, "error-page.html", content_type="text/html")
    sent = await add(editor)
    page_path = sent.headers["location"].split("?")[0]
    token = await page_token(editor, page_path)

    await editor.post(f"{page_path}/fetch", data={"csrf_token": token})

    swedish = text_of(await editor.get(page_path))
    assert (
        "Den senaste hämtningen misslyckades: Adressen svarar med en webbsida "
        "('502 Bad Gateway \N{EN DASH} Tillfälligt fel'), inte ett RSS- eller Atom-flöde"
    ) in swedish
    listed = text_of(await editor.get("/admin/news-sources"))
    assert "Pajala kommun Fel" in listed
    english = text_of(await editor.get(f"{page_path}?lang=en"))
    assert (
        "The last fetch failed: The address answers with a web page "
        "('502 Bad Gateway \N{EN DASH} Tillfälligt fel'), not an RSS or Atom feed"
    ) in english


async def test_an_editor_turns_a_source_off_and_the_list_says_so(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    sent = await add(editor)
    page_path = sent.headers["location"].split("?")[0]
    token = await page_token(editor, page_path)
    fields = {key: value for key, value in FORM.items() if key != "enabled"}

    saved = await editor.post(page_path, data={"csrf_token": token, **fields})

    assert saved.status_code == 303
    [source] = sources(engine)
    assert source.enabled is False
    assert "Pajala kommun Hämtas inte" in text_of(await editor.get("/admin/news-sources"))
    assert "Hämtas bara när du ber om det" in text_of(await editor.get(page_path))
    with Session(engine) as session:
        logged = session.exec(
            select(AuditEntry).where(
                AuditEntry.action == "update", AuditEntry.entity == "news_source"
            )
        ).one()
    assert logged.before is not None
    assert logged.after is not None
    assert (logged.before["enabled"], logged.after["enabled"]) == (True, False)


async def test_someone_whose_role_may_not_edit_is_refused_the_news_sources(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), username="mona", role=Role.MODERATOR)
    await log_in(client, username="mona")

    page = await client.get("/admin/news-sources")

    assert page.status_code == 403
    assert 'href="/admin/news-sources"' not in (await client.get("/admin/")).text
