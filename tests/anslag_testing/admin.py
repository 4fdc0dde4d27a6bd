"""Helpers for tests of the web admin: users to log in as, form tokens, logging in, routes."""

from __future__ import annotations

import re
from datetime import datetime

import httpx
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import Engine
from starlette.routing import Mount

from server.db import session_scope
from server.models import Role, User
from server.services.accounts import create_user
from server.services.api_tokens import create_api_token
from server.services.permissions import SYSTEM_ACTOR

PASSWORD = "snöskoter-i-mars"
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]*)"')


def add_user(
    engine: Engine,
    *,
    now: datetime,
    username: str = "anna",
    password: str = PASSWORD,
    role: Role = Role.EDITOR,
    display_name: str = "Anna Editor",
) -> int:
    """A user in the database; returns the id."""
    with session_scope(engine) as session:
        user = create_user(
            session,
            username=username,
            password=password,
            role=role,
            display_name=display_name,
            now=now,
        )
        assert user.id is not None
        return user.id


def add_api_token(engine: Engine, *, now: datetime, user_id: int, name: str = "Intranätet") -> str:
    """A token acting as the user with `user_id`; returns the token to send as a bearer."""
    with session_scope(engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        _row, token = create_api_token(session, user=user, name=name, actor=SYSTEM_ACTOR, now=now)
        return token


def api_headers(engine: Engine, *, now: datetime, role: Role) -> dict[str, str]:
    """The headers of an API token for a new user with `role` (named after the role)."""
    user_id = add_user(engine, now=now, username=role.value.replace("_", "-"), role=role)
    return {"Authorization": f"Bearer {add_api_token(engine, now=now, user_id=user_id)}"}


def form_token(html: str) -> str:
    """The CSRF token the page's first form carries."""
    match = _CSRF_FIELD.search(html)
    assert match is not None, "the page has no form with a csrf_token"
    return match.group(1)


async def log_in(
    client: httpx.AsyncClient,
    *,
    username: str = "anna",
    password: str = PASSWORD,
    next_path: str | None = None,
) -> httpx.Response:
    """Open the login page and send its form, as a browser would; returns the answer."""
    page = await client.get("/admin/login")
    data = {"username": username, "password": password, "csrf_token": form_token(page.text)}
    if next_path is not None:
        data["next"] = next_path
    return await client.post("/admin/login", data=data)


async def page_token(client: httpx.AsyncClient, path: str = "/admin/") -> str:
    """The CSRF token of the forms on a logged-in page."""
    page = await client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return form_token(page.text)


def route_table(app: FastAPI) -> list[tuple[str, frozenset[str]]]:
    """Every (path, methods) the app answers, through included routers; a mount has no methods.

    FastAPI keeps included routers as nodes of their own in `app.routes`; its route
    contexts flatten them to the paths a client sees.
    """
    table = []
    for context in iter_route_contexts(app.routes):
        path = context.path
        assert path is not None, f"a route without a path: {context.route!r}"
        methods = (
            frozenset() if isinstance(context.route, Mount) else frozenset(context.methods or ())
        )
        table.append((path, methods))
    return table
