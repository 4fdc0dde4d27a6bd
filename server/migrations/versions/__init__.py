"""The schema revisions, oldest first; alembic loads them by file, not by import."""
