"""Fixtures for the content server's tests: settings on each database backend, a clock, an app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from anslag_testing.server_app import FakeClock, started
from sqlalchemy import Engine

from server.app import create_app
from server.db import create_engine_for, migrate
from server.settings import Settings
from server.storage import LocalMediaStorage


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def clock() -> FakeClock:
    # A Monday morning in January, Swedish time (08:00 UTC = 09:00 CET).
    return FakeClock(datetime(2026, 1, 12, 8, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    # No background jobs: they would poll feeds from a thread of their own while a test
    # arranges its rows; tests run a job's turn themselves.
    return Settings(data_dir=tmp_path / "data", database_url=database_url, jobs_enabled=False)


@pytest.fixture
def storage(settings: Settings) -> LocalMediaStorage:
    return LocalMediaStorage(settings.media_dir)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """An engine on the migrated test database, for arranging content and checking rows."""
    migrate(settings.database_url)
    engine = create_engine_for(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
async def client(
    settings: Settings, clock: FakeClock, storage: LocalMediaStorage
) -> AsyncIterator[httpx.AsyncClient]:
    async with started(create_app(settings, clock=clock, storage=storage)) as client:
        yield client
