"""Alembic migrations of the server's database; `server.db.migrate` runs them."""
