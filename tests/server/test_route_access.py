"""No route answers an anonymous caller unless it is on the public list: walked, not remembered.

A new route is covered the day it is added: this test finds it in the app's route
table and knocks on it without credentials.
"""

from __future__ import annotations

import re

import httpx
import pytest
from anslag_testing.admin import route_table

from server.app import create_app
from server.settings import Settings

pytestmark = pytest.mark.anyio

# What anyone may open. Everything else needs a screen's token or a login.
PUBLIC = {
    "/api/health",
    # Player releases: a Pi being installed has no token yet, and the wheels hold no secret.
    "/api/device/v1/player-releases",
    "/api/device/v1/player-releases/{filename}",
    "/admin/login",
    "/admin/static",  # the admin's CSS: nothing in it is private
    "/docs",
    "/docs/oauth2-redirect",
    "/openapi.json",
    "/redoc",
    # The public alerts page, and the municipality's own alerts as CAP for anyone to reuse.
    "/larm",
    "/larm/feed.atom",
    "/larm/cap/{identifier}.xml",
    # The public calendar, its feeds and the pictures of approved events.
    "/calendar",
    "/calendar.ics",
    "/calendar/villages/{tag}.ics",
    "/calendar/locations/{slug}.ics",
    "/calendar/pictures/{sha256}",
    # The public event form and each submitter's status page (a token in the path).
    "/calendar/submit",
    "/calendar/submissions/{token}",
    "/public/static",
}
# Public for one method only: a new player asks for its pairing code before it has any token.
PUBLIC_REQUESTS = {"POST /api/device/v1/pairing"}
_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")
SAMPLE_PARAMETERS = {"sha256": "0" * 64}


def concrete(path: str) -> str:
    """`path` with every {parameter} filled in with a plausible value."""
    return _PARAMETER.sub(lambda match: SAMPLE_PARAMETERS.get(match.group(1), "1"), path)


async def test_every_route_but_the_public_ones_refuses_an_anonymous_caller(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    table = route_table(create_app(settings))
    paths = {path for path, _methods in table}
    # The walk found the app's real routes, and the public list names no route that is gone.
    assert {"/api/device/v1/manifest", "/admin/", "/admin/password"} <= paths
    assert paths >= PUBLIC
    assert {f"{method} {path}" for path, methods in table for method in methods} >= PUBLIC_REQUESTS

    answers = {}
    for path, methods in table:
        if path in PUBLIC:
            continue
        for method in sorted(methods - {"HEAD"}):
            if f"{method} {path}" in PUBLIC_REQUESTS:
                continue
            response = await client.request(method, concrete(path))
            answers[f"{method} {path}"] = (response.status_code, response.headers.get("location"))

    expected = {}
    for request in answers:
        path = request.split(" ", 1)[1]
        if path.startswith("/api/"):
            expected[request] = (401, None)
        elif path.startswith("/admin/"):
            login = "/admin/login" if request.startswith("POST") or path == "/admin/" else None
            expected[request] = (303, login or f"/admin/login?next={concrete(path)}")
        else:
            expected[request] = ("outside /api/ and /admin/: decide who may call it", None)
    assert answers == expected
    assert len(answers) >= 6


async def test_the_public_routes_answer_without_credentials(client: httpx.AsyncClient) -> None:
    for path in (
        "/api/health",
        "/admin/login",
        "/admin/static/admin.css",
        "/openapi.json",
        "/calendar",
        "/calendar.ics",
        "/public/static/public.css",
    ):
        assert (await client.get(path)).status_code == 200, path
