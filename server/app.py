"""The FastAPI application, built from settings: `create_app(settings)`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from fastapi import FastAPI

from server.admin import install_admin
from server.api import (
    alert_acks,
    assignments,
    device,
    events,
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
from server.api.errors import install_error_handler
from server.clock import Clock, system_clock
from server.context import AppContext
from server.db import create_engine_for, describe_database_url, migrate
from server.jobs import installation_jobs
from server.public import install_public
from server.push.channel import PushChannel
from server.scheduler import JobRunner
from server.settings import Settings
from server.storage import LocalMediaStorage, MediaStorage

logger = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    storage: MediaStorage | None = None,
    feed_transport: httpx.BaseTransport | None = None,
) -> FastAPI:
    """An app serving `settings`' database; it migrates the database when it starts.

    `clock`, `storage` and `feed_transport` replace the real clock, the media folder
    and the network feeds are fetched over (for tests).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The embedded default: a new SQLite database is created and migrated on first start.
        migrate(settings.database_url)
        logger.info("database %s is migrated", describe_database_url(settings.database_url))
        engine = create_engine_for(settings.database_url)
        push = PushChannel(
            engine=engine,
            database_url=settings.database_url,
            clock=clock or system_clock,
            horizon=timedelta(days=settings.manifest_horizon_days),
            keepalive_s=settings.push_keepalive_s,
        )
        context = AppContext(
            settings=settings,
            engine=engine,
            clock=clock or system_clock,
            storage=storage or LocalMediaStorage(settings.media_dir),
            feed_transport=feed_transport,
            push=push,
        )
        app.state.anslag = context
        await push.start()
        jobs = JobRunner(installation_jobs(), context=context)
        if settings.jobs_enabled:
            jobs.start()
        app.state.jobs = jobs
        try:
            yield
        finally:
            jobs.shutdown()
            await push.stop()
            engine.dispose()

    app = FastAPI(title="Anslag", lifespan=lifespan)
    install_error_handler(app)
    app.include_router(health.router)
    app.include_router(device.router)
    app.include_router(events.router)
    app.include_router(alert_acks.router)
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
    install_public(app)
    return app


def end_push_streams(app: FastAPI) -> None:
    """End the app's open push streams, so that a server shutting down need not wait for
    screens to hang up (they reconnect to whichever server answers next)."""
    context = getattr(app.state, "anslag", None)
    if isinstance(context, AppContext):
        context.push.hub.close()
