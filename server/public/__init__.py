"""The public pages: what anyone may open without an account (the event calendar and its
feeds, the event submission form), Swedish first with English, readable on a phone.

`install_public(app)` adds their routes and their static files.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from server.public import calendar, submissions
from server.public.pages import STATIC_DIR


def install_public(app: FastAPI) -> None:
    app.include_router(calendar.router)
    app.include_router(submissions.router)
    app.mount("/public/static", StaticFiles(directory=STATIC_DIR), name="public-static")
