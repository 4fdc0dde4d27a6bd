"""The web admin: server-rendered pages (Jinja2), plain forms, Swedish by default.

`install_admin(app)` adds its routes, its static files and the answers to an
anonymous visit (a redirect to the login), to a forged form and to a role that
may not (both 403), and to a page of something that does not exist (404).
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from server.admin import (
    alert_deliveries,
    alerts,
    api_tokens,
    assignments,
    audit,
    calendar_sources,
    cap_sources,
    events,
    items,
    locations,
    media,
    moderation,
    monitoring,
    news_sources,
    player_updates,
    playlists,
    preview,
    screens,
    users,
)
from server.admin.pages import STATIC_DIR, page_language, render
from server.admin.routes import router
from server.admin.security import CsrfRejected, LoginRequired, PermissionDenied, login_url
from server.errors import NotFound


async def _to_login(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, LoginRequired):
        raise exc
    return RedirectResponse(login_url(exc.next_path), status_code=303)


async def _forged_form(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, CsrfRejected):
        raise exc
    return render(
        request, "csrf.html", language=page_language(request), context={}, status_code=403
    )


async def _not_allowed(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, PermissionDenied):
        raise exc
    return render(
        request, "forbidden.html", language=page_language(request), context={}, status_code=403
    )


async def _missing(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, NotFound):
        raise exc
    # A page a browser opens for a thing that is gone (a location deleted in another tab) is
    # a page too; anything else (an API call, a screenshot an <img> loads) gets the API's answer.
    wants_page = "text/html" in request.headers.get("accept", "")
    if not (request.url.path.startswith("/admin/") and wants_page):
        return JSONResponse({"detail": str(exc)}, status_code=404)
    return render(
        request, "not_found.html", language=page_language(request), context={}, status_code=404
    )


def install_admin(app: FastAPI) -> None:
    app.include_router(router)
    app.include_router(alerts.router)
    app.include_router(alert_deliveries.router)
    app.include_router(cap_sources.router)
    app.include_router(audit.router)
    app.include_router(api_tokens.router)
    app.include_router(users.router)
    app.include_router(locations.router)
    app.include_router(screens.router)
    app.include_router(playlists.router)
    app.include_router(assignments.router)
    app.include_router(monitoring.router)
    app.include_router(player_updates.router)
    app.include_router(preview.router)
    app.include_router(media.router)
    app.include_router(items.router)
    app.include_router(news_sources.router)
    # Before the events: /admin/events/sources is not the event with the id "sources".
    app.include_router(calendar_sources.router)
    app.include_router(events.router)
    app.include_router(moderation.router)
    app.mount("/admin/static", StaticFiles(directory=STATIC_DIR), name="admin-static")
    app.add_exception_handler(LoginRequired, _to_login)
    app.add_exception_handler(CsrfRejected, _forged_form)
    app.add_exception_handler(PermissionDenied, _not_allowed)
    app.add_exception_handler(NotFound, _missing)
