"""The public side: what anyone may open without an account, Swedish first with English,
readable on a phone — the alerts page and the CAP feed of the municipality's own alerts,
the event calendar with its iCalendar feeds, and the event submission form.

`install_public(app)` adds their routes and their static files.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from server.public import alerts, calendar, submissions
from server.public.pages import STATIC_DIR


def install_public(app: FastAPI) -> None:
    app.include_router(alerts.router)
    app.include_router(calendar.router)
    app.include_router(submissions.router)
    app.mount("/public/static", StaticFiles(directory=STATIC_DIR), name="public-static")
