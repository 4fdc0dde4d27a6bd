"""Database plumbing: engines for SQLite and PostgreSQL, sessions, UTC datetimes, migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import DateTime, Dialect, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session

# The psycopg 3 driver is the one Anslag installs; SQLAlchemy's bare "postgresql"
# would pick psycopg2, and "postgres" is the spelling hosting providers hand out.
_POSTGRES_ALIASES = {"postgres", "postgresql", "postgresql+psycopg"}
_SQLITE_ALIASES = {"sqlite", "sqlite+pysqlite"}
# Any constant will do; it only has to be the same in every replica.
_MIGRATION_LOCK_ID = 0x616E736C6167


def normalise_database_url(url: str) -> str:
    """`url` with the driver Anslag uses; ValueError when it is not a supported database."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ValueError(
            f"{url!r} is not a database URL; expected sqlite:///path/to/anslag.db "
            "or postgresql://user:password@host:5432/name"
        ) from exc
    if parsed.drivername in _POSTGRES_ALIASES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif parsed.drivername not in _SQLITE_ALIASES:
        raise ValueError(
            f"unsupported database {parsed.drivername!r} in {_safe(parsed)}; "
            "Anslag runs on SQLite (sqlite:///path) and PostgreSQL (postgresql://…)"
        )
    return parsed.render_as_string(hide_password=False)


def describe_database_url(url: str) -> str:
    """`url` fit for a log line or a message: the password masked."""
    return _safe(make_url(url))


def _safe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def create_engine_for(url: str) -> Engine:
    """An engine for `url`; for SQLite the database's folder is created if missing."""
    parsed = make_url(normalise_database_url(url))
    if parsed.get_backend_name() != "sqlite":
        # A replica behind a load balancer outlives PostgreSQL restarts.
        return create_engine(parsed, pool_pre_ping=True)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        # SQLite leaves foreign keys unenforced unless asked, per connection.
        cursor.execute("PRAGMA foreign_keys = ON")
        # WAL lets the manifest endpoint read while an editor's save is being written.
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed when the block ends and rolled back when it raises."""
    with Session(engine) as session:
        yield session
        session.commit()


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone was about to be stored."""


class UtcDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC: refuses naive datetimes, always returns aware UTC ones.

    SQLite has no time zone type and hands back naive values; PostgreSQL hands
    back the session's zone. Both come back as UTC here.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__} {value!r}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(
                f"refusing to store naive datetime {value.isoformat()}: "
                "it is ambiguous; pass an aware one (UTC)"
            )
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def migrate(url: str) -> None:
    """Upgrade the database at `url` to the newest schema (creating it on SQLite)."""
    engine = create_engine_for(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Replicas starting together take turns; the later ones find nothing to do.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": _MIGRATION_LOCK_ID}
                )
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def alembic_config() -> Config:
    """Alembic's configuration, built in code so that no alembic.ini must be at hand."""
    config = Config()
    # A path, not the resource "server:migrations": that would resolve whatever `server`
    # is on sys.path first, and under pytest that can be the namespace tests/server.
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    return config
