"""Alert deliveries: per screen and alert version, delivered, displayed and with what latency.

Revision ID: 0008
Revises: 0007
Create Date: written by hand
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "alert_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("alert_version", sa.Integer(), nullable=False),
        sa.Column("screen_id", sa.Integer(), nullable=False),
        _instant("sent_at", nullable=False),
        _instant("delivered_at", nullable=False),
        sa.Column("delivered_via", sa.String(length=16), nullable=False),
        _instant("fetched_at", nullable=True),
        _instant("received_at", nullable=True),
        _instant("displayed_at", nullable=True),
        _instant("acknowledged_at", nullable=True),
        sa.Column("latency_s", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_delivery")),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert.id"],
            name=op.f("fk_alert_delivery_alert_id_alert"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["screen_id"],
            ["screen.id"],
            name=op.f("fk_alert_delivery_screen_id_screen"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "alert_id",
            "alert_version",
            "screen_id",
            name=op.f("uq_alert_delivery_alert_id_alert_version_screen_id"),
        ),
        sa.CheckConstraint(
            "delivered_via IN ('channel', 'manifest')", name=op.f("ck_alert_delivery_delivered_via")
        ),
    )
    op.create_index(op.f("ix_alert_delivery_screen_id"), "alert_delivery", ["screen_id"])


def downgrade() -> None:
    op.drop_table("alert_delivery")
