"""Throwaway databases: a SQLite file always, a fresh PostgreSQL database when configured."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

POSTGRES_ENV = "ANSLAG_TEST_DATABASE_URL"


def backends() -> list[str]:
    """The database backends this run covers: SQLite always, PostgreSQL when its URL is set."""
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


@contextmanager
def throwaway_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield the SQLAlchemy URL of an empty database that is gone afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'anslag.db'}"
        return
    admin_url = os.environ[POSTGRES_ENV]
    name = f"anslag_test_{secrets.token_hex(6)}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base, _, _ = admin_url.rpartition("/")
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
