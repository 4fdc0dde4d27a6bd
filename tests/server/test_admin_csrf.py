"""Every admin form post must carry its page's token; a forged one is refused, changing nothing."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.admin import PASSWORD, add_user, log_in, page_token, route_table
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.app import create_app
from server.models import LoginSession, User
from server.settings import Settings

pytestmark = pytest.mark.anyio

NEW_PASSWORD = "ett-helt-nytt-lösen"


@pytest.fixture
async def logged_in(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> str:
    """Anna logged in on `client`; returns her session's form token."""
    add_user(engine, now=clock())
    assert (await log_in(client)).status_code == 303
    return await page_token(client)


def password_hash(engine: Engine) -> str:
    with Session(engine) as session:
        return session.exec(select(User.password_hash)).one()


def session_count(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(LoginSession)).all())


@pytest.mark.parametrize("token", [None, "", "ett-påhittat-värde"])
async def test_a_login_form_without_its_pages_token_is_refused(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, token: str | None
) -> None:
    add_user(engine, now=clock())
    await client.get("/admin/login")  # the browser has the login page's cookie
    data = {"username": "anna", "password": PASSWORD}
    if token is not None:
        data["csrf_token"] = token

    response = await client.post("/admin/login", data=data)

    assert response.status_code == 403
    assert "Formuläret avvisades" in response.text
    assert "Ingenting har ändrats." in response.text
    assert session_count(engine) == 0


async def test_a_login_form_posted_without_the_login_pages_cookie_is_refused(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock())
    page = await client.get("/admin/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.cookies.clear()  # another site's form: it cannot send our cookie along

    response = await client.post(
        "/admin/login", data={"username": "anna", "password": PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 403
    assert session_count(engine) == 0


@pytest.mark.parametrize("token", [None, "fel"])
async def test_a_forged_logout_leaves_the_user_logged_in(
    client: httpx.AsyncClient, engine: Engine, logged_in: str, token: str | None
) -> None:
    response = await client.post(
        "/admin/logout", data={} if token is None else {"csrf_token": token}
    )

    assert response.status_code == 403
    assert session_count(engine) == 1
    assert (await client.get("/admin/")).status_code == 200


@pytest.mark.parametrize("token", [None, "fel"])
async def test_a_forged_password_change_changes_nothing(
    client: httpx.AsyncClient, engine: Engine, logged_in: str, token: str | None
) -> None:
    before = password_hash(engine)
    data = {
        "old_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "repeated_password": NEW_PASSWORD,
    }
    if token is not None:
        data["csrf_token"] = token

    response = await client.post("/admin/password", data=data)

    assert response.status_code == 403
    assert password_hash(engine) == before


async def test_every_admin_form_post_checks_the_token(
    client: httpx.AsyncClient, logged_in: str, settings: Settings
) -> None:
    posts = [
        path
        for path, methods in route_table(create_app(settings))
        if path.startswith("/admin/") and "POST" in methods
    ]
    assert "/admin/password" in posts

    refused = {path: (await client.post(path, data={})).status_code for path in posts}

    assert refused == dict.fromkeys(posts, 403)
