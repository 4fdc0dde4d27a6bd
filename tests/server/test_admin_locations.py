"""The admin's location pages: add and change a location with a plain form, keep what was
typed when something is wrong, and refuse to delete a location that still has screens."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine
from sqlmodel import select

from server.db import session_scope
from server.models import AuditEntry, Location, Role
from server.services import content

pytestmark = pytest.mark.anyio

NEW = "/admin/locations/new"


@pytest.fixture
async def admin(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> None:
    add_user(engine, now=clock(), username="ivar", role=Role.ADMIN, display_name="Ivar IT")
    assert (await log_in(client, username="ivar")).status_code == 303


def shop_form(token: str, **changes: str | list[str]) -> dict[str, str | list[str]]:
    """The new-location form filled in for the village shop, as a browser sends it."""
    form: dict[str, str | list[str]] = {
        "csrf_token": token,
        "version": "0",
        "name": "Byabutiken i Svanstein",
        "slug": "",
        "address": "Byavägen 12, Svanstein",
        "municipality_code": "2518",
        "latitude": "66,6517",
        "longitude": "23.8566",
        "tags": "Svanstein, Tornedalen norra",
        "timezone": "Europe/Stockholm",
        "language_order": ["fit", "sv", "se", "fi", "nb", "nn", "en"],
        "languages": ["sv", "fit"],
        "language_mode": "alternate",
        "hours_mode": "hours",
        "day-1-opens-1": "09:00",
        "day-1-closes-1": "18:00",
        "day-6-opens-1": "10:00",
        "day-6-closes-1": "14:00",
        "day-6-opens-2": "20:00",
        "day-6-closes-2": "01:30",
    }
    for weekday in (2, 3, 4, 5, 7):
        form[f"day-{weekday}-closed"] = "1"
    form.update(changes)
    return form


def visible(page: str) -> str:
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def field_value(page: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    assert match is not None, name
    return html.unescape(match.group(1))


def language_rows(page: str) -> list[tuple[str, bool]]:
    """The display languages in the form's order, each with whether it is ticked."""
    return [
        (code, "checked" in rest)
        for code, rest in re.findall(r'name="languages" value="(\w+)"([^>]*)>', page)
    ]


def stored_locations(engine: Engine) -> list[Location]:
    with session_scope(engine) as session:
        rows = list(session.exec(select(Location)))
        session.expunge_all()
        return rows


async def test_an_admin_adds_a_location_and_sees_it_saved(
    client: httpx.AsyncClient, admin: None
) -> None:
    token = await page_token(client, NEW)

    answer = await client.post(NEW, data=shop_form(token))

    assert answer.status_code == 303
    location_page = await client.get(answer.headers["location"])
    assert "Sparat." in location_page.text
    assert field_value(location_page.text, "slug") == "byabutiken-i-svanstein"
    assert field_value(location_page.text, "latitude") == "66.6517"
    assert language_rows(location_page.text)[:3] == [("fit", True), ("sv", True), ("se", False)]
    listing = visible((await client.get("/admin/locations")).text)
    assert (
        "Byabutiken i Svanstein byabutiken-i-svanstein Byavägen 12, Svanstein"
        " svanstein tornedalen-norra Skärmar 0 Visningsspråk Meänkieli, Svenska"
        " Tidszon Europe/Stockholm Öppettider mån 09:00-18:00 lör 10:00-14:00, 20:00-01:30"
    ) in listing.replace("\N{EN DASH}", "-")


async def test_what_the_form_saves_is_what_the_screens_are_sent(
    client: httpx.AsyncClient, admin: None, engine: Engine
) -> None:
    token = await page_token(client, NEW)
    await client.post(NEW, data=shop_form(token))

    [location] = stored_locations(engine)

    assert (location.languages, location.language_mode) == (["fit", "sv"], "alternate")
    assert (location.latitude, location.longitude, location.municipality_code) == (
        66.6517,
        23.8566,
        "2518",
    )
    assert location.tags == ["svanstein", "tornedalen-norra"]
    assert location.opening_hours == [
        {"weekday": 1, "opens": "09:00", "closes": "18:00"},
        {"weekday": 6, "opens": "10:00", "closes": "14:00"},
        {"weekday": 6, "opens": "20:00", "closes": "01:30"},
    ]


async def test_refused_input_is_shown_again_with_what_is_wrong_next_to_it(
    client: httpx.AsyncClient, admin: None, engine: Engine
) -> None:
    token = await page_token(client, NEW)
    form = shop_form(
        token,
        latitude="sextiosex",
        municipality_code="25",
        **{"day-1-closes-1": "", "day-3-closed": ""},
    )
    del form["day-3-closed"]

    answer = await client.post(NEW, data=form)

    assert answer.status_code == 422
    text = visible(answer.text)
    assert "Inget sparades: kontrollera de markerade fälten." in text
    assert "Latituden är inget tal; skriv den som 65,85." in text
    assert "Måndag: ange både när det öppnar och när det stänger." in text
    assert "Onsdag: ange öppettiderna eller kryssa i Stängt." in text
    # Everything typed is still there, the mistakes too.
    assert field_value(answer.text, "name") == "Byabutiken i Svanstein"
    assert field_value(answer.text, "latitude") == "sextiosex"
    assert field_value(answer.text, "day-1-opens-1") == "09:00"
    assert field_value(answer.text, "day-6-closes-2") == "01:30"
    assert field_value(answer.text, "tags") == "Svanstein, Tornedalen norra"
    assert language_rows(answer.text)[:2] == [("fit", True), ("sv", True)]
    assert stored_locations(engine) == []

    # Once the readable fields are fixed, the service's own checks speak up the same way.
    form.update({"latitude": "66.65", "day-1-closes-1": "09:00", "day-3-closed": "1"})
    second = await client.post(NEW, data=form)
    assert second.status_code == 422
    assert "Kommunkoden är fyra siffror, till exempel 2518 för Övertorneå." in visible(second.text)
    assert "Måndag: det öppnar och stänger på samma tid." in visible(second.text)
    assert stored_locations(engine) == []


async def test_opening_hours_need_a_day_that_opens_unless_the_screens_are_always_on(
    client: httpx.AsyncClient, admin: None, engine: Engine
) -> None:
    token = await page_token(client, NEW)
    every_day_closed = {f"day-{weekday}-closed": "1" for weekday in range(1, 8)}

    refused = await client.post(NEW, data=shop_form(token, **every_day_closed))
    always_on = await client.post(NEW, data=shop_form(token, hours_mode="always"))

    assert refused.status_code == 422
    assert "Ange öppettider för minst en dag, eller välj Alltid på." in visible(refused.text)
    assert always_on.status_code == 303
    [location] = stored_locations(engine)
    assert location.opening_hours == []


async def test_the_helper_buttons_rearrange_the_form_without_saving(
    client: httpx.AsyncClient, admin: None, engine: Engine
) -> None:
    token = await page_token(client, NEW)

    moved = await client.post(NEW, data=shop_form(token, move="sv:up"))
    copied = await client.post(
        NEW, data=shop_form(token, copy_monday="1", **{"day-1-opens-2": "19:00"})
    )

    assert moved.status_code == 200
    assert language_rows(moved.text)[:3] == [("sv", True), ("fit", True), ("se", False)]
    assert copied.status_code == 200
    for weekday in (2, 3, 4, 5):
        assert field_value(copied.text, f"day-{weekday}-opens-1") == "09:00"
        assert field_value(copied.text, f"day-{weekday}-closes-1") == "18:00"
        assert field_value(copied.text, f"day-{weekday}-opens-2") == "19:00"
        assert f'name="day-{weekday}-closed"' in copied.text
        assert not re.search(rf'name="day-{weekday}-closed" value="1" checked', copied.text)
    assert field_value(copied.text, "day-6-opens-1") == "10:00"
    assert stored_locations(engine) == []


async def test_a_short_name_that_is_taken_is_refused_with_the_form_kept(
    client: httpx.AsyncClient, admin: None, engine: Engine
) -> None:
    token = await page_token(client, NEW)
    await client.post(NEW, data=shop_form(token))

    answer = await client.post(
        NEW, data=shop_form(token, name="Affären", slug="byabutiken-i-svanstein")
    )

    assert answer.status_code == 409
    assert "En annan plats har redan kortnamnet byabutiken-i-svanstein." in visible(answer.text)
    assert field_value(answer.text, "name") == "Affären"
    assert len(stored_locations(engine)) == 1


async def test_the_second_of_two_people_saving_the_same_location_is_told(
    client: httpx.AsyncClient, admin: None, engine: Engine
) -> None:
    token = await page_token(client, NEW)
    created = await client.post(NEW, data=shop_form(token))
    path = created.headers["location"].split("?")[0]
    opened = shop_form(token, slug="byabutiken-i-svanstein", version="1")

    first = await client.post(path, data={**opened, "name": "Butiken"})
    second = await client.post(path, data={**opened, "name": "Affären"})

    assert first.status_code == 303
    assert second.status_code == 409
    assert "Någon annan sparade platsen medan du redigerade den." in visible(second.text)
    assert field_value(second.text, "name") == "Affären"
    assert field_value(second.text, "version") == "2"
    [location] = stored_locations(engine)
    assert (location.name, location.version) == ("Butiken", 2)

    # Told, the second person may still save over it on purpose.
    again = await client.post(path, data={**opened, "name": "Affären", "version": "2"})
    assert again.status_code == 303
    assert [row.name for row in stored_locations(engine)] == ["Affären"]


async def test_an_edit_reaches_the_screens_as_a_new_manifest(
    client: httpx.AsyncClient, admin: None, engine: Engine, clock: FakeClock
) -> None:
    token = await page_token(client, NEW)
    path = (await client.post(NEW, data=shop_form(token))).headers["location"].split("?")[0]
    with session_scope(engine) as session:
        shop = session.exec(select(Location)).one()
        _screen, device_token = content.create_screen(
            session, location=shop, name="Vid kassan", now=clock()
        )
    first = await client.get("/api/device/v1/manifest", headers=bearer(device_token))
    etag = first.headers["etag"]

    edit = shop_form(token, slug="byabutiken-i-svanstein", version="1")
    edit.update({"day-1-opens-1": "08:00", "language_mode": "both"})
    assert (await client.post(path, data=edit)).status_code == 303
    later = await client.get(
        "/api/device/v1/manifest", headers={**bearer(device_token), "If-None-Match": etag}
    )

    assert later.status_code == 200
    assert later.headers["etag"] != etag
    location = later.json()["location"]
    assert location["language_mode"] == "both"
    assert location["opening_hours"][0] == {"weekday": 1, "opens": "08:00:00", "closes": "18:00:00"}


async def test_a_location_with_screens_is_not_deleted_and_its_screens_are_named(
    client: httpx.AsyncClient, admin: None, engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        shop = content.create_location(
            session,
            slug="butiken",
            name="Byabutiken",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=clock(),
        )
        content.create_screen(session, location=shop, name="Vid kassan", now=clock())
        location_id = shop.id
    token = await page_token(client, f"/admin/locations/{location_id}/delete")

    answer = await client.post(f"/admin/locations/{location_id}/delete", data={"csrf_token": token})

    assert answer.status_code == 409
    assert "Byabutiken har fortfarande skärmar och kan inte tas bort." in visible(answer.text)
    assert "Vid kassan" in visible(answer.text)
    assert len(stored_locations(engine)) == 1


async def test_a_location_without_screens_is_deleted_after_a_confirmation(
    client: httpx.AsyncClient, admin: None, engine: Engine
) -> None:
    token = await page_token(client, NEW)
    path = (await client.post(NEW, data=shop_form(token))).headers["location"].split("?")[0]

    confirm = await client.get(f"{path}/delete")
    answer = await client.post(f"{path}/delete", data={"csrf_token": token})

    assert "Ta bort Byabutiken i Svanstein?" in visible(confirm.text)
    assert answer.status_code == 303
    listing = await client.get(answer.headers["location"])
    assert "Platsen Byabutiken i Svanstein är borttagen." in visible(listing.text)
    assert stored_locations(engine) == []
    with session_scope(engine) as session:
        actions = [entry.action for entry in session.exec(select(AuditEntry))]
    assert actions == ["create", "delete"]


async def test_an_editor_sees_the_locations_but_may_not_change_them(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), role=Role.EDITOR)
    await log_in(client)
    token = await page_token(client)

    listing = await client.get("/admin/locations")
    form = await client.get(NEW)
    post = await client.post(NEW, data=shop_form(token))

    assert listing.status_code == 200
    assert "Ny plats" not in listing.text
    assert (form.status_code, post.status_code) == (403, 403)
    assert "Din roll ger inte tillgång till den här sidan." in post.text
    assert stored_locations(engine) == []


async def test_a_location_that_is_gone_shows_a_page_saying_so(
    client: httpx.AsyncClient, admin: None
) -> None:
    # What a browser sends when it opens a page.
    answer = await client.get("/admin/locations/404", headers={"Accept": "text/html,*/*;q=0.8"})

    assert answer.status_code == 404
    assert "Hittades inte" in visible(answer.text)
