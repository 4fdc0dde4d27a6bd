"""The admin speaks Swedish unless the language picker chose English, which it remembers."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.admin import add_user, log_in
from anslag_testing.catalogs import admin_message_ids, placeholders
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine

from server.i18n import LANGUAGES, Translator, catalog_files, read_catalog_file

pytestmark = pytest.mark.anyio


async def test_the_picker_switches_the_login_page_to_english_and_it_stays_so(
    client: httpx.AsyncClient,
) -> None:
    swedish = await client.get("/admin/login")
    assert 'href="/admin/login?lang=en"' in swedish.text

    english = await client.get("/admin/login?lang=en")
    later = await client.get("/admin/login")

    for page in (english, later):
        assert '<html lang="en">' in page.text
        assert "Username" in page.text
        assert "Användarnamn" not in page.text


async def test_the_picker_keeps_where_the_login_goes_next(client: httpx.AsyncClient) -> None:
    page = await client.get("/admin/login?next=/admin/password")

    assert 'href="/admin/login?next=%2Fadmin%2Fpassword&amp;lang=en"' in page.text


async def test_after_switching_to_english_the_dashboard_and_its_messages_are_english(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock())
    await log_in(client)

    dashboard = await client.get("/admin/?lang=en")
    client.cookies.delete("anslag_session")
    refused = await log_in(client, password="fel-lösenord-1")

    assert "Screens" in dashboard.text
    assert "Log out" in dashboard.text
    assert "Logga ut" not in dashboard.text
    assert "Wrong username or password." in refused.text


async def test_a_language_the_admin_does_not_speak_falls_back_to_swedish(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/admin/login?lang=xx")

    assert '<html lang="sv">' in page.text
    assert "anslag_language" not in page.headers.get("set-cookie", "")


def test_every_catalog_translates_every_text_of_the_admin_with_the_same_placeholders() -> None:
    message_ids = admin_message_ids()
    assert "Wrong username or password." in message_ids
    for language in LANGUAGES:
        translate = Translator(language)
        for message_id in message_ids:
            translated = translate.own(message_id)
            assert translated, f"{language}: no translation of {message_id!r}"
            assert placeholders(translated) == placeholders(message_id), (language, message_id)


def test_the_area_catalogs_of_a_language_never_translate_one_text_two_ways() -> None:
    for language in LANGUAGES:
        seen: dict[str, tuple[str, str]] = {}
        files = catalog_files(language)
        assert "messages.po" in {file.name for file in files}, language
        for po_file in files:
            for message_id, text in read_catalog_file(po_file, language).items():
                earlier = seen.setdefault(message_id, (po_file.name, text))
                assert earlier[1] == text, (language, message_id, earlier[0], po_file.name)
