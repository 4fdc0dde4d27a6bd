"""The FastAPI application, built from settings: `create_app(settings)`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from server.admin import install_admin
from server.api import (
    assignments,
    device,
    health,
    items,
    locations,
    media,
    monitoring,
    pairing,
    player_releases,
    playlists,
    preview,
    screens,
)
from server.api.deps import AppContext
from server.api.errors import install_error_handler
from server.clock import Clock, system_clock
from server.db import create_engine_for, describe_database_url, migrate
from server.settings import Settings
from server.storage import LocalMediaStorage, MediaStorage

logger = logging.getLogger(__name__)


def create_app(
    settings: Settings, *, clock: Clock | None = None, storage: MediaStorage | None = None
) -> FastAPI:
    """An app serving `settings`' database; it migrates the database when it starts.

    `clock` and `storage` replace the real clock and the media folder (for tests).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The embedded default: a new SQLite database is created and migrated on first start.
        migrate(settings.database_url)
        logger.info("database %s is migrated", describe_database_url(settings.database_url))
        engine = create_engine_for(settings.database_url)
        app.state.anslag = AppContext(
            settings=settings,
            engine=engine,
            clock=clock or system_clock,
            storage=storage or LocalMediaStorage(settings.media_dir),
        )
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(title="Anslag", lifespan=lifespan)
    install_error_handler(app)
    app.include_router(health.router)
    app.include_router(device.router)
    app.include_router(pairing.router)
    app.include_router(playlists.router)
    app.include_router(assignments.router)
    app.include_router(preview.router)
    app.include_router(monitoring.router)
    app.include_router(player_releases.router)
    app.include_router(locations.router)
    app.include_router(screens.router)
    app.include_router(media.router)
    app.include_router(items.router)
    install_admin(app)
    return app
