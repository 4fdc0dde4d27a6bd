"""Logging in to the admin and out again, as a browser does: forms, cookies, redirects."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from anslag_testing.admin import PASSWORD, add_user, form_token, log_in
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.app import create_app
from server.models import LoginSession
from server.services.accounts import FREE_FAILURES_PER_USERNAME
from server.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
def anna(engine: Engine, clock: FakeClock) -> int:
    return add_user(engine, now=clock())


def sessions(engine: Engine) -> list[LoginSession]:
    with Session(engine) as session:
        return list(session.exec(select(LoginSession)).all())


async def test_an_anonymous_visit_to_the_dashboard_is_sent_to_the_login(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/admin/")

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login"


async def test_after_logging_in_the_visitor_lands_on_the_page_they_asked_for(
    client: httpx.AsyncClient, anna: int
) -> None:
    asked = await client.get("/admin/password")
    assert asked.headers["location"] == "/admin/login?next=/admin/password"
    login_page = await client.get(asked.headers["location"])
    assert 'name="next" value="/admin/password"' in login_page.text

    response = await log_in(client, next_path="/admin/password")

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/password"
    assert (await client.get("/admin/password")).status_code == 200


async def test_the_login_page_is_in_swedish(client: httpx.AsyncClient) -> None:
    page = await client.get("/admin/login")

    assert page.status_code == 200
    assert '<html lang="sv">' in page.text
    assert "Logga in" in page.text
    assert "Användarnamn" in page.text


async def test_a_login_sets_a_session_cookie_scripts_and_other_sites_cannot_use(
    client: httpx.AsyncClient, engine: Engine, anna: int
) -> None:
    response = await log_in(client)

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("anslag_session=")
    assert "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # plain http: a Secure cookie would never come back
    dashboard = await client.get("/admin/")
    assert dashboard.status_code == 200
    assert "Anna Editor" in dashboard.text
    assert len(sessions(engine)) == 1


async def test_over_https_the_session_cookie_is_secure(
    settings: Settings, clock: FakeClock, anna: int
) -> None:
    app = create_app(settings, clock=clock)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://anslag.test"
        ) as client,
    ):
        response = await log_in(client)

    assert response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize(
    ("username", "password"), [("anna", "fel-lösenord-9"), ("bertil", PASSWORD)]
)
async def test_a_failed_login_says_only_that_username_or_password_is_wrong(
    client: httpx.AsyncClient, engine: Engine, anna: int, username: str, password: str
) -> None:
    response = await log_in(client, username=username, password=password)

    assert response.status_code == 400
    assert "Fel användarnamn eller lösenord." in response.text
    assert f'value="{username}"' in response.text  # typed once, not again
    assert "anslag_session" not in response.headers.get("set-cookie", "")
    assert sessions(engine) == []
    assert (await client.get("/admin/")).status_code == 303


async def test_repeated_failed_logins_are_slowed_down(
    client: httpx.AsyncClient, clock: FakeClock, anna: int
) -> None:
    for attempt in range(FREE_FAILURES_PER_USERNAME):
        assert (await log_in(client, password=f"gissning-{attempt}")).status_code == 400

    throttled = await log_in(client)

    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "15"
    assert "För många misslyckade försök. Försök igen om 1 min." in throttled.text
    clock.advance(timedelta(seconds=15))
    assert (await log_in(client)).status_code == 303


@pytest.mark.parametrize(
    "next_path",
    ["https://elak.example/", "//elak.example/admin/", "/\\elak.example", "javascript:alert(1)"],
)
async def test_after_login_only_pages_of_this_site_are_followed(
    client: httpx.AsyncClient, anna: int, next_path: str
) -> None:
    response = await log_in(client, next_path=next_path)

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/"


async def test_a_logged_in_visit_to_the_login_page_goes_on_to_the_dashboard(
    client: httpx.AsyncClient, anna: int
) -> None:
    await log_in(client)

    response = await client.get("/admin/login")

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/"


async def test_logging_out_ends_the_session_for_good(
    client: httpx.AsyncClient, engine: Engine, anna: int
) -> None:
    await log_in(client)
    dashboard = await client.get("/admin/")
    session_cookie = client.cookies["anslag_session"]

    response = await client.post("/admin/logout", data={"csrf_token": form_token(dashboard.text)})

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login"
    assert sessions(engine) == []
    assert "anslag_session" not in client.cookies
    # The old cookie, kept by someone, opens nothing any more.
    client.cookies.set("anslag_session", session_cookie)
    assert (await client.get("/admin/")).status_code == 303
