"""Helpers for tests of the content server: a settable clock, a started app, small images."""

from __future__ import annotations

import io
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import httpx
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import Engine

from server.clock import Clock
from server.context import AppContext
from server.push.channel import PushChannel
from server.settings import Settings
from server.storage import MediaStorage


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@asynccontextmanager
async def started(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Run `app`'s lifespan (migrations and all) and yield a client that talks to it in-process."""
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://anslag.test"
        ) as client,
    ):
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def png(width: int = 64, height: int = 48, *, seed: int = 0) -> bytes:
    """A real PNG of noise: different seeds give different bytes, and it barely compresses."""
    noise = random.Random(seed).randbytes(width * height * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), noise).save(buffer, format="PNG")
    return buffer.getvalue()


def app_context(
    *, settings: Settings, engine: Engine, clock: Clock, storage: MediaStorage
) -> AppContext:
    """A server's context for code that runs outside requests (jobs), as `create_app` builds
    it; its push channel is not started, so what the code changes reaches no screen here."""
    push = PushChannel(
        engine=engine,
        database_url=settings.database_url,
        clock=clock,
        horizon=timedelta(days=settings.manifest_horizon_days),
        keepalive_s=settings.push_keepalive_s,
    )
    return AppContext(settings=settings, engine=engine, clock=clock, storage=storage, push=push)
