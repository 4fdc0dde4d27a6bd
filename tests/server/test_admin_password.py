"""Changing one's password in the admin: the old one is needed, the new one typed twice."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.admin import PASSWORD, add_user, log_in, page_token
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine

pytestmark = pytest.mark.anyio

NEW_PASSWORD = "ett-helt-nytt-lösen"


@pytest.fixture
async def logged_in(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> None:
    add_user(engine, now=clock())
    assert (await log_in(client)).status_code == 303


async def change(
    client: httpx.AsyncClient, old: str, new: str, repeated: str | None = None
) -> httpx.Response:
    return await client.post(
        "/admin/password",
        data={
            "csrf_token": await page_token(client, "/admin/password"),
            "old_password": old,
            "new_password": new,
            "repeated_password": new if repeated is None else repeated,
        },
    )


async def login_works(client: httpx.AsyncClient, password: str) -> bool:
    client.cookies.clear()
    return (await log_in(client, password=password)).status_code == 303


async def test_a_new_password_replaces_the_old_one(
    client: httpx.AsyncClient, logged_in: None
) -> None:
    response = await change(client, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 303
    confirmation = await client.get(response.headers["location"])
    assert "Ditt lösenord är bytt." in confirmation.text
    assert await login_works(client, NEW_PASSWORD)
    assert not await login_works(client, PASSWORD)


@pytest.mark.parametrize(
    ("old", "new", "repeated", "message"),
    [
        ("inte-det-gamla", NEW_PASSWORD, None, "Det nuvarande lösenordet är fel."),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "upprepningen är inte likadana"),
        (PASSWORD, "kort", None, "Det nya lösenordet måste ha minst 10 tecken."),
    ],
)
async def test_a_refused_change_says_why_and_keeps_the_old_password(
    client: httpx.AsyncClient,
    logged_in: None,
    old: str,
    new: str,
    repeated: str | None,
    message: str,
) -> None:
    response = await change(client, old, new, repeated)

    assert response.status_code == 400
    assert message in response.text
    assert await login_works(client, PASSWORD)


async def test_the_password_page_needs_a_login(client: httpx.AsyncClient) -> None:
    response = await client.get("/admin/password")

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login?next=/admin/password"
