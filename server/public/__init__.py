"""The public side: pages and feeds anyone may open, no login (the alerts page, the CAP feed).

`install_public(app)` adds their routes and the public stylesheet.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from server.public import alerts
from server.public.pages import STATIC_DIR


def install_public(app: FastAPI) -> None:
    app.include_router(alerts.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="public-static")
