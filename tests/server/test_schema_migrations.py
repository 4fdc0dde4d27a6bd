"""The hand-written migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

import server.models  # noqa: F401  (the tables the comparison needs)
from server.db import alembic_config, create_engine_for, migrate


def test_migrated_database_matches_the_models(database_url: str) -> None:
    migrate(database_url)

    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
            tables = set(inspect(connection).get_table_names())
    finally:
        engine.dispose()

    assert differences == []
    assert set(SQLModel.metadata.tables) <= tables


def test_migrating_an_up_to_date_database_changes_nothing(database_url: str) -> None:
    migrate(database_url)
    migrate(database_url)

    engine = create_engine_for(database_url)
    try:
        with engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
    assert revision == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_every_migration_steps_down_and_up_again(database_url: str) -> None:
    migrate(database_url)
    engine = create_engine_for(database_url)
    try:
        for step in ("base", "head"):
            with engine.begin() as connection:
                config = alembic_config()
                config.attributes["connection"] = connection
                if step == "base":
                    command.downgrade(config, "base")
                else:
                    command.upgrade(config, "head")
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        engine.dispose()
