"""Events: the calendar, its iCalendar sources, public submissions; dynamic playlist entries.

Revision ID: 0007
Revises: 0006
Create Date: written by hand
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int, *, default: str = "") -> sa.Column[object]:
    return sa.Column(name, sa.String(length=length), nullable=False, server_default=default)


def _list(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.JSON(), nullable=False, server_default="[]")


def upgrade() -> None:
    op.create_table(
        "calendar_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        _text("language", 8, default="sv"),
        _list("location_ids"),
        _list("location_tags"),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        _instant("checked_at", nullable=True),
        _instant("succeeded_at", nullable=True),
        sa.Column("last_error", sa.JSON(), nullable=True),
        sa.Column("event_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        _instant("created_at", nullable=False),
        _instant("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_source")),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("source_key", sa.String(length=500), nullable=True),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        _instant("starts_at", nullable=False),
        _instant("ends_at", nullable=True),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("end_day", sa.Date(), nullable=True),
        _instant("over_at", nullable=False),
        _text("place", 200),
        _text("organiser", 200),
        sa.Column("asset_sha256", sa.String(length=64), nullable=True),
        _list("location_ids"),
        _list("location_tags"),
        _text("rejection_reason", 500),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        _instant("created_at", nullable=False),
        _instant("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["calendar_source.id"],
            name=op.f("fk_event_source_id_calendar_source"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["asset_sha256"],
            ["media_asset.sha256"],
            name=op.f("fk_event_asset_sha256_media_asset"),
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_event_uid")),
        sa.UniqueConstraint("source_id", "source_key", name=op.f("uq_event_source_id_source_key")),
        sa.CheckConstraint(
            "status IN ('draft', 'pending', 'approved', 'rejected')", name=op.f("ck_event_status")
        ),
        sa.CheckConstraint(
            "origin IN ('manual', 'submission', 'ical')", name=op.f("ck_event_origin")
        ),
        sa.CheckConstraint(
            "(origin = 'ical') = (source_id IS NOT NULL)", name=op.f("ck_event_source")
        ),
    )
    for column in ("status", "source_id", "starts_at", "over_at", "asset_sha256"):
        op.create_index(op.f(f"ix_event_{column}"), "event", [column])
    op.create_table(
        "event_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        _text("association", 200),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        _text("language", 8, default="sv"),
        _instant("created_at", nullable=False),
        _instant("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_submission")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_submission_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("event_id", name=op.f("uq_event_submission_event_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_event_submission_token_hash")),
    )
    op.create_index(op.f("ix_event_submission_address"), "event_submission", ["address"])
    op.create_index(op.f("ix_event_submission_created_at"), "event_submission", ["created_at"])
    # Batch mode: SQLite rebuilds the table to loosen a column and add a constraint.
    with op.batch_alter_table("playlist_entry") as table:
        table.alter_column("item_id", existing_type=sa.Integer(), nullable=True)
        table.add_column(sa.Column("dynamic_kind", sa.String(length=32), nullable=True))
        table.add_column(sa.Column("dynamic_options", sa.JSON(), nullable=True))
        table.create_check_constraint("one_content", "(item_id IS NULL) <> (dynamic_kind IS NULL)")


def downgrade() -> None:
    # Dynamic entries have no item to fall back to: they go, the rest of each playlist stays.
    op.execute("DELETE FROM playlist_entry WHERE item_id IS NULL")
    with op.batch_alter_table("playlist_entry") as table:
        table.drop_constraint(op.f("ck_playlist_entry_one_content"), type_="check")
        table.drop_column("dynamic_options")
        table.drop_column("dynamic_kind")
        table.alter_column("item_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("event_submission")
    op.drop_table("event")
    op.drop_table("calendar_source")
