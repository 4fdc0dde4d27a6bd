"""Alembic's environment: migrates the connection `server.db.migrate` hands in.

Run by hand (`alembic -c server/migrations/alembic.ini …`, to write a new
revision) it migrates the database the `ANSLAG_*` settings point to.
"""

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import server.models  # noqa: F401  (declares the tables on SQLModel.metadata)
from server.db import create_engine_for
from server.settings import Settings


def _run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        # SQLite alters a table by copying it; batch mode writes revisions that do so.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run() -> None:
    if context.is_offline_mode():
        raise SystemExit("Anslag migrates a live database; offline (--sql) mode is not supported")
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run_on(connection)
        return
    engine = create_engine_for(Settings().database_url)
    try:
        with engine.begin() as own_connection:
            _run_on(own_connection)
    finally:
        engine.dispose()


_run()
