"""Alerts: raised by hand or taken from CAP feeds; exercise groups of locations.

Revision ID: 0004
Revises: 0003
Create Date: written by hand
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("location") as table:
        table.add_column(
            sa.Column("exercise_group", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=255), nullable=False),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        sa.Column("sender_name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("certainty", sa.String(length=16), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("target", sa.JSON(), nullable=False),
        _instant("sent_at", nullable=False),
        _instant("effective_at", nullable=False),
        _instant("onset_at", nullable=True),
        _instant("expires_at", nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _instant("ended_at", nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        _instant("all_clear_until", nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        _instant("created_at", nullable=False),
        _instant("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert")),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_alert_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("sender", "identifier", name=op.f("uq_alert_sender_identifier")),
        sa.CheckConstraint(
            "status IN ('actual', 'exercise', 'test')", name=op.f("ck_alert_status")
        ),
        sa.CheckConstraint(
            "severity IN ('extreme', 'severe', 'moderate', 'minor', 'unknown')",
            name=op.f("ck_alert_severity"),
        ),
        sa.CheckConstraint(
            "end_reason IS NULL OR end_reason IN ('cancelled', 'all_clear', 'superseded')",
            name=op.f("ck_alert_end_reason"),
        ),
    )
    op.create_index(op.f("ix_alert_source"), "alert", ["source"])
    op.create_index(op.f("ix_alert_expires_at"), "alert", ["expires_at"])


def downgrade() -> None:
    op.drop_table("alert")
    with op.batch_alter_table("location") as table:
        table.drop_column("exercise_group")
