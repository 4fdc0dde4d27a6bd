"""The API tokens page: an admin makes a token, sees it once, and can revoke it."""

from __future__ import annotations

import re

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import select

from server.db import session_scope
from server.errors import InvalidCredentials
from server.models import ApiToken, Role
from server.services.api_tokens import authenticate_api_token

pytestmark = pytest.mark.anyio

PAGE = "/admin/api-tokens"
_SECRET = re.compile(r'<code class="secret" id="new-token">([^<]+)</code>')


async def test_an_admin_makes_a_token_that_is_shown_once_and_works(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), role=Role.ADMIN, username="anna")
    publisher = add_user(engine, now=clock(), role=Role.EDITOR, username="webbplatsen")
    await log_in(client)

    made = await client.post(
        PAGE,
        data={
            "csrf_token": await page_token(client, PAGE),
            "name": "Kommunens webbplats",
            "user_id": str(publisher),
        },
    )
    match = _SECRET.search(made.text)
    assert match is not None
    secret = match.group(1)
    again = await client.get(PAGE)

    assert "Kopiera den nu" in made.text
    assert secret not in again.text
    assert "Kommunens webbplats" in again.text
    assert "agerar som webbplatsen" in again.text
    with session_scope(engine) as session:
        assert authenticate_api_token(session, token=secret, now=clock()).name == (
            "webbplatsen via API token 'Kommunens webbplats'"
        )


async def test_a_revoked_token_stops_working_and_is_shown_as_revoked(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    admin = add_user(engine, now=clock(), role=Role.ADMIN)
    await log_in(client)
    made = await client.post(
        PAGE,
        data={"csrf_token": await page_token(client, PAGE), "name": "Intranät", "user_id": admin},
    )
    match = _SECRET.search(made.text)
    assert match is not None
    with session_scope(engine) as session:
        token_id = session.exec(select(ApiToken.id)).one()

    revoked = await client.post(
        f"{PAGE}/{token_id}/revoke", data={"csrf_token": await page_token(client, PAGE)}
    )
    page = await client.get(revoked.headers["location"])

    assert revoked.status_code == 303
    assert "Nyckeln har återkallats" in page.text
    assert "Återkallad" in page.text
    with session_scope(engine) as session, pytest.raises(InvalidCredentials):
        authenticate_api_token(session, token=match.group(1), now=clock())


async def test_a_token_without_a_name_is_refused_and_the_form_kept(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    admin = add_user(engine, now=clock(), role=Role.ADMIN)
    await log_in(client)

    refused = await client.post(
        PAGE, data={"csrf_token": await page_token(client, PAGE), "name": " ", "user_id": admin}
    )

    assert refused.status_code == 400
    assert "Ge nyckeln ett namn" in refused.text
    with session_scope(engine) as session:
        assert session.exec(select(ApiToken)).all() == []


async def test_an_editor_may_not_see_or_make_tokens(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    editor = add_user(engine, now=clock(), role=Role.EDITOR)
    await log_in(client)

    page = await client.get(PAGE)
    dashboard = await client.get("/admin/")
    made = await client.post(
        PAGE,
        data={"csrf_token": await page_token(client), "name": "Smygväg", "user_id": editor},
    )

    assert page.status_code == 403
    assert "Din roll ger inte tillgång" in page.text
    assert made.status_code == 403
    assert 'href="/admin/api-tokens"' not in dashboard.text
    assert 'href="/admin/media"' in dashboard.text
