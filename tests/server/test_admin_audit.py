"""The audit log page: admins see every change with who, when and what; others may not."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from anslag_testing.admin import add_user, log_in
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine

from server.db import session_scope
from server.models import Role
from server.services.audit import record_change
from server.services.permissions import Actor

pytestmark = pytest.mark.anyio


def log_changes(engine: Engine, clock: FakeClock, count: int) -> None:
    actor = Actor(user_id=None, name="eva", role="editor")
    with session_scope(engine) as session:
        for number in range(count):
            record_change(
                session,
                actor=actor,
                action="update",
                entity="playlist" if number % 2 else "location",
                entity_id=number,
                summary=f"ändring nummer {number}",
                before={"name": "Vinter", "version": number},
                after={"name": "Vår", "version": number},
                now=clock() + timedelta(minutes=number),
            )


async def test_an_admin_sees_who_changed_what_and_when_in_local_time(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), role=Role.ADMIN)
    log_changes(engine, clock, 1)
    await log_in(client)

    page = await client.get("/admin/audit")

    assert page.status_code == 200
    # 08:00 UTC in January is 09:00 in Sweden.
    assert "2026-01-12 09:00:00" in page.text
    assert "eva" in page.text
    assert "<strong>Plats</strong> ändrad: ändring nummer 0" in page.text
    # Only the field that changed is listed.
    assert '<th scope="row">name</th><td>Vinter</td><td>Vår</td>' in page.text
    assert '<th scope="row">version</th>' not in page.text


async def test_the_log_pages_back_and_filters_by_kind(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), role=Role.ADMIN)
    log_changes(engine, clock, 60)
    await log_in(client)

    first = await client.get("/admin/audit")
    assert "ändring nummer 59" in first.text
    assert "ändring nummer 9<" not in first.text
    older = first.text.split('href="/admin/audit?before=')[1].split('"')[0]
    second = await client.get(f"/admin/audit?before={older}")
    playlists = await client.get("/admin/audit?entity=playlist")

    assert "ändring nummer 9<" in second.text
    assert "ändring nummer 59" not in second.text
    assert "ändring nummer 59" in playlists.text
    assert "ändring nummer 58" not in playlists.text


async def test_an_editor_may_not_read_the_log(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), role=Role.EDITOR)
    await log_in(client)

    assert (await client.get("/admin/audit")).status_code == 403
