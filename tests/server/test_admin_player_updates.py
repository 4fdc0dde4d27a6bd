"""The player updates page: an admin sees the releases and what each screen runs, and sets
the release for all screens or one, in Swedish or English."""

from __future__ import annotations

import re

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.device_reports import heartbeat
from anslag_testing.player_releases import put_release, shop_screens
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine
from sqlmodel import select

from server.db import session_scope
from server.models import AuditEntry, Role, Screen
from server.settings import Settings

pytestmark = pytest.mark.anyio

PAGE = "/admin/player-updates"


def text_of(html: str) -> str:
    """The page's words, without tags and with single spaces, as a reader takes them in."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


async def test_the_page_lists_the_releases_and_what_each_screen_runs(
    client: httpx.AsyncClient, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    put_release(settings.player_releases_dir, "0.9.0", at=clock())
    put_release(settings.player_releases_dir, "0.10.0", at=clock())
    screens = shop_screens(engine, clock(), "Vid kassan", "Vid dörren")
    await client.post(
        "/api/device/v1/heartbeat",
        json=heartbeat(clock, player_version="0.9.0"),
        headers=bearer(screens["Vid kassan"][1]),
    )
    add_user(engine, now=clock(), role=Role.ADMIN)
    await log_in(client)

    page = text_of((await client.get(PAGE)).text)

    assert "Spelaruppdateringar" in page
    assert "0.10.0 i dag 09:00 nyast: nya skärmar installerar den 0.9.0" in page
    assert "Vid kassan Byabutiken kör 0.9.0" in page
    assert "Vid dörren Byabutiken har inte rapporterat sin version än" in page


async def test_an_admin_sets_a_release_for_all_screens_then_one_screen_back(
    client: httpx.AsyncClient, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    put_release(settings.player_releases_dir, "0.2.0", at=clock())
    screens = shop_screens(engine, clock(), "Vid kassan", "Vid dörren")
    add_user(engine, now=clock(), role=Role.ADMIN)
    await log_in(client)

    for_all = await client.post(
        PAGE,
        data={"csrf_token": await page_token(client, PAGE), "version": "0.2.0"},
    )
    after_all = await client.get(for_all.headers["location"])
    one_back = await client.post(
        PAGE,
        data={
            "csrf_token": await page_token(client, PAGE),
            "version": "none",
            "screen_id": str(screens["Vid dörren"][0]),
        },
    )

    assert (for_all.status_code, for_all.headers["location"]) == (303, f"{PAGE}?saved=all")
    assert "Sparat för alla skärmar" in after_all.text
    assert "uppdateras till 0.2.0" in text_of(after_all.text)
    assert one_back.headers["location"] == f"{PAGE}?saved=screen"
    with session_scope(engine) as session:
        wanted = {s.name: s.wanted_player_version for s in session.exec(select(Screen))}
        logged = [(entry.actor, entry.summary) for entry in session.exec(select(AuditEntry))]
    assert wanted == {"Vid kassan": "0.2.0", "Vid dörren": None}
    assert sorted(logged) == [
        ("anna", "no player update for screen 'Vid dörren' at Byabutiken"),
        ("anna", "player 0.2.0 for screen 'Vid dörren' at Byabutiken"),
        ("anna", "player 0.2.0 for screen 'Vid kassan' at Byabutiken"),
    ]


async def test_a_release_removed_meanwhile_is_explained_in_the_readers_language(
    client: httpx.AsyncClient, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    put_release(settings.player_releases_dir, "0.2.0", at=clock())
    shop_screens(engine, clock(), "Vid kassan")
    add_user(engine, now=clock(), role=Role.ADMIN)
    await log_in(client)
    token = await page_token(client, f"{PAGE}?lang=en")
    (settings.player_releases_dir / "anslag-0.2.0-py3-none-any.whl").unlink()

    refused = await client.post(PAGE, data={"csrf_token": token, "version": "0.2.0"})

    assert refused.status_code == 422
    assert "There is no player release 0.2.0 on the server any more." in refused.text
    assert "No releases yet" in refused.text


async def test_an_editor_may_not_choose_the_screens_player(
    client: httpx.AsyncClient, engine: Engine, settings: Settings, clock: FakeClock
) -> None:
    put_release(settings.player_releases_dir, "0.2.0", at=clock())
    shop_screens(engine, clock(), "Vid kassan")
    add_user(engine, now=clock(), role=Role.EDITOR)
    await log_in(client)

    page = await client.get(PAGE)
    dashboard = await client.get("/admin/")

    assert page.status_code == 403
    assert PAGE not in dashboard.text
