"""The admin's screen pages: pair a new player by the code it shows, then rename, move,
revoke and remove the screen; the dashboard leads to each screen."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.locations import add_locations
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine
from sqlmodel import select

from server.db import session_scope
from server.models import AuditEntry, Location, Role, Screen
from server.services import content

pytestmark = pytest.mark.anyio

PAIR = "/admin/screens/pair"
PAIRING = "/api/device/v1/pairing"
MANIFEST = "/api/device/v1/manifest"


@pytest.fixture
def locations(engine: Engine, clock: FakeClock) -> dict[str, int]:
    """The shop and the sports hall, by slug."""
    return add_locations(engine, now=clock())


@pytest.fixture
async def admin(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> str:
    """Ivar, an admin, logged in; returns his form token."""
    add_user(engine, now=clock(), username="ivar", role=Role.ADMIN, display_name="Ivar IT")
    assert (await log_in(client, username="ivar")).status_code == 303
    return await page_token(client)


def visible(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def new_player(client: httpx.AsyncClient) -> tuple[str, str]:
    """A player asking to be paired: the code it shows and the token it holds."""
    answer = (await client.post(PAIRING, json={"hostname": "pi-butik"})).json()
    return answer["code"], answer["token"]


async def pair(
    client: httpx.AsyncClient, token: str, code: str, location_id: int, name: str = "Vid kassan"
) -> httpx.Response:
    data = {"csrf_token": token, "code": code, "name": name, "location": str(location_id)}
    return await client.post(PAIR, data=data)


async def paired_screen(client: httpx.AsyncClient, token: str, location_id: int) -> tuple[str, str]:
    """A screen paired through the form: its page and its player's token."""
    code, device_token = await new_player(client)
    answer = await pair(client, token, code, location_id)
    assert answer.status_code == 303
    return answer.headers["location"].split("?")[0], device_token


async def test_a_code_typed_loosely_pairs_the_player_and_the_screen_page_says_so(
    client: httpx.AsyncClient, admin: str, locations: dict[str, int]
) -> None:
    code, device_token = await new_player(client)
    form = await client.get(f"{PAIR}?location={locations['hallen']}")
    assert re.search(rf'value="{locations["hallen"]}" selected', form.text)

    typed = f"{code[:3].lower()} {code[3:].lower()}"
    answer = await pair(client, admin, typed, locations["butiken"])

    assert answer.status_code == 303
    page = await client.get(answer.headers["location"])
    text = visible(page.text)
    assert "Skärmen är kopplad och hämtar inom några sekunder det som Byabutiken visar." in text
    assert "Vid kassan Offline" in text
    assert "Datornamn pi-butik" in text
    status = (await client.get(PAIRING, headers=bearer(device_token))).json()
    assert (status["status"], status["screen"], status["location"]) == (
        "paired",
        "Vid kassan",
        "Byabutiken",
    )
    manifest = await client.get(MANIFEST, headers=bearer(device_token))
    assert manifest.json()["location"]["id"] == "butiken"


async def test_a_wrong_code_is_explained_and_the_form_keeps_what_was_typed(
    client: httpx.AsyncClient, admin: str, locations: dict[str, int], engine: Engine
) -> None:
    answer = await pair(client, admin, "zzz 999", locations["hallen"], name="Entrén")

    assert answer.status_code == 422
    text = visible(answer.text)
    assert "Ingen skärm visar koden ZZZ 999." in text
    assert "en kod gäller i 24 timmar" in text
    assert 'value="zzz 999"' in answer.text
    assert 'value="Entrén"' in answer.text
    assert re.search(rf'value="{locations["hallen"]}" selected', answer.text)
    with session_scope(engine) as session:
        assert session.exec(select(Screen)).all() == []


async def test_a_pairing_without_a_name_or_location_says_which_is_missing(
    client: httpx.AsyncClient, admin: str, locations: dict[str, int]
) -> None:
    code, _device_token = await new_player(client)
    no_name = await pair(client, admin, code, locations["butiken"], name="  ")
    no_place = await client.post(
        PAIR, data={"csrf_token": admin, "code": code, "name": "Kassan", "location": ""}
    )

    assert no_name.status_code == 422
    assert "Ge skärmen ett namn på högst 200 tecken." in visible(no_name.text)
    assert no_place.status_code == 422
    assert "Välj platsen där skärmen står." in visible(no_place.text)


async def test_a_screen_is_renamed_and_moved_and_its_player_follows(
    client: httpx.AsyncClient, admin: str, locations: dict[str, int]
) -> None:
    page, device_token = await paired_screen(client, admin, locations["butiken"])

    renamed = await client.post(f"{page}/name", data={"csrf_token": admin, "name": "Kassan"})
    empty = await client.post(f"{page}/name", data={"csrf_token": admin, "name": " "})
    moved = await client.post(
        f"{page}/location", data={"csrf_token": admin, "location": str(locations["hallen"])}
    )

    assert renamed.status_code == 303
    assert empty.status_code == 422
    assert "Ge skärmen ett namn på högst 200 tecken." in visible(empty.text)
    assert moved.status_code == 303
    text = visible((await client.get(moved.headers["location"])).text)
    assert "Flyttad. Från nästa uppdatering visar skärmen det som Sporthallen visar." in text
    assert "Kassan" in text
    manifest = await client.get(MANIFEST, headers=bearer(device_token))
    assert manifest.json()["location"]["id"] == "hallen"


async def test_revoking_asks_first_then_sends_the_player_back_to_pairing(
    client: httpx.AsyncClient, admin: str, locations: dict[str, int], engine: Engine
) -> None:
    page, device_token = await paired_screen(client, admin, locations["butiken"])

    confirm = await client.get(f"{page}/revoke")
    assert (await client.get(MANIFEST, headers=bearer(device_token))).status_code == 200
    revoked = await client.post(f"{page}/revoke", data={"csrf_token": admin})

    assert "Återkalla Vid kassan?" in visible(confirm.text)
    assert revoked.status_code == 303
    assert "Återkallad" in visible((await client.get(page)).text)
    assert (await client.get(MANIFEST, headers=bearer(device_token))).status_code == 401
    status = await client.get(PAIRING, headers=bearer(device_token))
    assert "revoked" in status.json()["detail"]
    dashboard = visible((await client.get("/admin/")).text)
    assert "Vid kassan" not in dashboard
    with session_scope(engine) as session:
        actions = [entry.action for entry in session.exec(select(AuditEntry))]
    assert actions == ["pair", "revoke"]


async def test_only_a_revoked_screen_can_be_removed(
    client: httpx.AsyncClient, admin: str, locations: dict[str, int], engine: Engine
) -> None:
    page, _device_token = await paired_screen(client, admin, locations["butiken"])

    refused = await client.post(f"{page}/remove", data={"csrf_token": admin})
    await client.post(f"{page}/revoke", data={"csrf_token": admin})
    removed = await client.post(f"{page}/remove", data={"csrf_token": admin})

    assert refused.status_code == 409
    assert "Skärmen används. Återkalla den innan du tar bort den." in visible(refused.text)
    assert removed.status_code == 303
    location_page = await client.get(removed.headers["location"])
    assert "Skärmen är borttagen." in visible(location_page.text)
    with session_scope(engine) as session:
        assert session.exec(select(Screen)).all() == []


async def test_the_dashboard_leads_to_each_screen_and_offers_pairing_to_an_admin(
    client: httpx.AsyncClient, admin: str, locations: dict[str, int]
) -> None:
    page, _device_token = await paired_screen(client, admin, locations["butiken"])

    dashboard = await client.get("/admin/")

    assert f'<a href="{page}">Vid kassan</a>' in dashboard.text
    assert f'href="{PAIR}"' in dashboard.text


async def test_an_editor_sees_a_screen_but_may_not_pair_or_change_it(
    client: httpx.AsyncClient,
    engine: Engine,
    clock: FakeClock,
    locations: dict[str, int],
) -> None:
    with session_scope(engine) as session:
        shop = session.get(Location, locations["butiken"])
        assert shop is not None
        screen, _token = content.create_screen(
            session, location=shop, name="Vid kassan", now=clock()
        )
        page = f"/admin/screens/{screen.id}"
    add_user(engine, now=clock(), role=Role.EDITOR)
    await log_in(client)
    token = await page_token(client)
    code, _device_token = await new_player(client)

    seen = await client.get(page)
    dashboard = await client.get("/admin/")
    attempts = [
        await client.get(PAIR),
        await pair(client, token, code, locations["butiken"]),
        await client.post(f"{page}/name", data={"csrf_token": token, "name": "X"}),
        await client.get(f"{page}/revoke"),
        await client.post(f"{page}/revoke", data={"csrf_token": token}),
    ]

    assert seen.status_code == 200
    assert "Byt namn" not in visible(seen.text)
    assert f'href="{PAIR}"' not in dashboard.text
    assert [attempt.status_code for attempt in attempts] == [403] * 5
    with session_scope(engine) as session:
        assert [row.name for row in session.exec(select(Screen))] == ["Vid kassan"]
        assert session.exec(select(Screen)).one().revoked_at is None
