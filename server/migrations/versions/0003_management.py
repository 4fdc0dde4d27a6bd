"""Management: location details, video items, versions for concurrent edits, tag
assignments, pairing, screen reports, proof of play, API tokens and the audit log.

Revision ID: 0003
Revises: 0002
Create Date: written by hand
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, length: int, *, default: str = "") -> sa.Column[object]:
    return sa.Column(name, sa.String(length=length), nullable=False, server_default=default)


def _version() -> sa.Column[object]:
    return sa.Column("version", sa.Integer(), nullable=False, server_default="1")


def upgrade() -> None:
    # Batch mode: SQLite rebuilds a table to change a constraint; PostgreSQL alters in place.
    with op.batch_alter_table("location") as table:
        table.add_column(_text("language_mode", 16, default="both"))
        table.add_column(_text("address", 300))
        table.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        table.add_column(sa.Column("longitude", sa.Float(), nullable=True))
        table.add_column(_text("municipality_code", 16))
        table.add_column(sa.Column("tags", sa.JSON(), nullable=False, server_default="[]"))
        table.add_column(sa.Column("opening_hours", sa.JSON(), nullable=False, server_default="[]"))
        table.add_column(_version())
        table.create_check_constraint("language_mode", "language_mode IN ('alternate', 'both')")
    with op.batch_alter_table("screen") as table:
        table.add_column(_instant("revoked_at", nullable=True))
        table.add_column(sa.Column("heartbeat", sa.JSON(), nullable=True))
        table.add_column(_instant("heartbeat_at", nullable=True))
        table.add_column(sa.Column("screenshot_sha256", sa.String(length=64), nullable=True))
        table.add_column(_instant("screenshot_at", nullable=True))
    with op.batch_alter_table("media_asset") as table:
        table.add_column(sa.Column("duration_s", sa.Float(), nullable=True))
        table.add_column(sa.Column("thumbnail_sha256", sa.String(length=64), nullable=True))
    with op.batch_alter_table("item") as table:
        table.drop_constraint(op.f("ck_item_kind"), type_="check")
        table.create_check_constraint("kind", "kind IN ('image', 'video', 'text', 'event')")
        table.add_column(sa.Column("loop", sa.Boolean(), nullable=False, server_default=sa.false()))
        table.add_column(sa.Column("muted", sa.Boolean(), nullable=False, server_default=sa.true()))
        table.add_column(_version())
    with op.batch_alter_table("playlist") as table:
        table.add_column(_version())
        table.add_column(_instant("updated_at", nullable=True))
    with op.batch_alter_table("assignment") as table:
        table.alter_column("location_id", existing_type=sa.Integer(), nullable=True)
        table.add_column(sa.Column("location_tag", sa.String(length=64), nullable=True))
        table.create_index(op.f("ix_assignment_location_tag"), ["location_tag"])
        table.create_check_constraint(
            "one_target", "(location_id IS NULL) <> (location_tag IS NULL)"
        )

    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _instant("created_at", nullable=False),
        _instant("last_used_at", nullable=True),
        _instant("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"])
    op.create_table(
        "pairing_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("player_version", sa.String(length=64), nullable=False),
        sa.Column("hostname", sa.String(length=200), nullable=False),
        _instant("created_at", nullable=False),
        _instant("expires_at", nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_request")),
        sa.ForeignKeyConstraint(
            ["screen_id"],
            ["screen.id"],
            name=op.f("fk_pairing_request_screen_id_screen"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_pairing_request_token_hash")),
    )
    op.create_index(op.f("ix_pairing_request_code"), "pairing_request", ["code"])
    op.create_index(op.f("ix_pairing_request_address"), "pairing_request", ["address"])
    op.create_index(op.f("ix_pairing_request_expires_at"), "pairing_request", ["expires_at"])
    op.create_table(
        "play_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("playlist", sa.String(length=64), nullable=False),
        _instant("started_at", nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        _instant("received_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_play_record")),
        sa.ForeignKeyConstraint(
            ["screen_id"],
            ["screen.id"],
            name=op.f("fk_play_record_screen_id_screen"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_play_record_screen_id"), "play_record", ["screen_id"])
    op.create_index(op.f("ix_play_record_started_at"), "play_record", ["started_at"])
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        _instant("at", nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_audit_entry_user_id_user_account"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(op.f("ix_audit_entry_at"), "audit_entry", ["at"])
    op.create_index(op.f("ix_audit_entry_user_id"), "audit_entry", ["user_id"])
    op.create_index(op.f("ix_audit_entry_entity"), "audit_entry", ["entity"])


def downgrade() -> None:
    for name in ("audit_entry", "play_record", "pairing_request", "api_token"):
        op.drop_table(name)
    with op.batch_alter_table("assignment") as table:
        table.drop_constraint(op.f("ck_assignment_one_target"), type_="check")
        table.drop_index(op.f("ix_assignment_location_tag"))
        table.drop_column("location_tag")
        table.alter_column("location_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("playlist") as table:
        table.drop_column("updated_at")
        table.drop_column("version")
    with op.batch_alter_table("item") as table:
        table.drop_constraint(op.f("ck_item_kind"), type_="check")
        table.create_check_constraint("kind", "kind IN ('image', 'text', 'event')")
        for column in ("version", "muted", "loop"):
            table.drop_column(column)
    with op.batch_alter_table("media_asset") as table:
        table.drop_column("thumbnail_sha256")
        table.drop_column("duration_s")
    with op.batch_alter_table("screen") as table:
        for column in ("screenshot_at", "screenshot_sha256", "heartbeat_at", "heartbeat"):
            table.drop_column(column)
        table.drop_column("revoked_at")
    with op.batch_alter_table("location") as table:
        table.drop_constraint(op.f("ck_location_language_mode"), type_="check")
        for column in (
            "version",
            "opening_hours",
            "tags",
            "municipality_code",
            "longitude",
            "latitude",
            "address",
            "language_mode",
        ):
            table.drop_column(column)
