"""Fixtures every test package shares."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from anslag_testing.databases import backends, throwaway_database


@pytest.fixture(params=backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, once per configured backend (SQLite, and PostgreSQL in CI)."""
    with throwaway_database(request.param, tmp_path) as url:
        yield url
