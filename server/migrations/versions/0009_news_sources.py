"""News sources: RSS and Atom feeds polled into news slides, and the entries each one gave.

Revision ID: 0009
Revises: 0008
Create Date: written by hand
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "news_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("poll_minutes", sa.Integer(), nullable=False),
        sa.Column("validity_days", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        _instant("last_polled_at", nullable=True),
        _instant("last_succeeded_at", nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("last_error_detail", sa.JSON(), nullable=True),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        _instant("created_at", nullable=False),
        _instant("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news_source")),
        sa.UniqueConstraint("url", name=op.f("uq_news_source_url")),
    )
    op.create_table(
        "news_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("link", sa.String(length=2000), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        _instant("published_at", nullable=False),
        _instant("first_seen_at", nullable=False),
        _instant("last_seen_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news_entry")),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["news_source.id"],
            name=op.f("fk_news_entry_source_id_news_source"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["item.id"],
            name=op.f("fk_news_entry_item_id_item"),
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("source_id", "key", name=op.f("uq_news_entry_source_id_key")),
    )
    op.create_index(op.f("ix_news_entry_source_id"), "news_entry", ["source_id"])
    op.create_index(op.f("ix_news_entry_item_id"), "news_entry", ["item_id"])
    op.create_index(op.f("ix_news_entry_published_at"), "news_entry", ["published_at"])


def downgrade() -> None:
    op.drop_table("news_entry")
    op.drop_table("news_source")
