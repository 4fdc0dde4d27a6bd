"""The users page: an admin adds people, changes their roles and sets forgotten passwords."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.admin import PASSWORD, add_user, log_in, page_token
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import select

from server.db import session_scope
from server.models import AuditEntry, Role, User

pytestmark = pytest.mark.anyio

PAGE = "/admin/users"


async def test_an_admin_adds_an_editor_who_can_then_log_in_with_the_first_password(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), role=Role.ADMIN)
    await log_in(client)

    added = await client.post(
        PAGE,
        data={
            "csrf_token": await page_token(client, PAGE),
            "username": "Kalle",
            "display_name": "Kalle Kommunikatör",
            "role": "editor",
            "password": "första-lösenordet",
        },
    )
    page = await client.get(added.headers["location"])
    client.cookies.clear()
    kalle = await log_in(client, username="kalle", password="första-lösenordet")

    assert "Kalle Kommunikatör" in page.text
    assert "Användaren har lagts till" in page.text
    assert kalle.status_code == 303
    with session_scope(engine) as session:
        entry = session.exec(select(AuditEntry)).one()
        assert (entry.entity, entry.action, entry.actor) == ("user", "create", "anna")
        assert entry.after is not None
        assert "password_hash" not in entry.after


async def test_a_weak_first_password_is_refused_and_the_form_kept(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), role=Role.ADMIN)
    await log_in(client)

    refused = await client.post(
        PAGE,
        data={
            "csrf_token": await page_token(client, PAGE),
            "username": "kalle",
            "display_name": "Kalle Kommunikatör",
            "role": "moderator",
            "password": "kort",
        },
    )

    assert refused.status_code == 400
    assert "Lösenordet måste ha minst 10 tecken." in refused.text
    assert 'value="Kalle Kommunikatör"' in refused.text
    assert '<option value="moderator" selected>' in refused.text
    with session_scope(engine) as session:
        assert session.exec(select(User).where(User.username == "kalle")).first() is None


async def test_the_only_administrator_cannot_be_demoted(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    admin = add_user(engine, now=clock(), role=Role.ADMIN)
    await log_in(client)

    refused = await client.post(
        f"{PAGE}/{admin}/role",
        data={"csrf_token": await page_token(client, PAGE), "role": "editor"},
    )

    assert refused.status_code == 409
    assert "enda administratören" in refused.text
    with session_scope(engine) as session:
        user = session.get(User, admin)
        assert user is not None
        assert user.role == "admin"


async def test_a_new_password_set_by_an_admin_logs_the_user_out_and_works(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), role=Role.ADMIN)
    eva = add_user(engine, now=clock(), username="eva", role=Role.ALERT_OPERATOR)
    await log_in(client)

    changed = await client.post(
        f"{PAGE}/{eva}/password",
        data={"csrf_token": await page_token(client, PAGE), "password": "nytt-lösenord-för-eva"},
    )
    client.cookies.clear()
    old = await log_in(client, username="eva", password=PASSWORD)
    new = await log_in(client, username="eva", password="nytt-lösenord-för-eva")

    assert changed.status_code == 303
    assert old.status_code == 400
    assert new.status_code == 303


async def test_a_moderator_may_not_manage_users(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), role=Role.MODERATOR)
    await log_in(client)

    assert (await client.get(PAGE)).status_code == 403
