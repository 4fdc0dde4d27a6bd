"""CAP sources the server polls, and every CAP message taken in or published, with references.

Revision ID: 0006
Revises: 0005
Create Date: written by hand
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "cap_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("poll_minutes", sa.Integer(), nullable=False),
        sa.Column("lifetime_hours", sa.Float(), nullable=False),
        sa.Column("statuses", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("seen", sa.JSON(), nullable=False),
        _instant("last_polled_at", nullable=True),
        _instant("last_succeeded_at", nullable=True),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _instant("created_at", nullable=False),
        _instant("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cap_source")),
    )
    op.create_table(
        "cap_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("sender", sa.String(length=255), nullable=False),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        _instant("sent_at", nullable=False),
        sa.Column("msg_type", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("document", sa.Text(), nullable=True),
        _instant("received_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cap_message")),
        sa.ForeignKeyConstraint(
            ["source_id"], ["cap_source.id"], name=op.f("fk_cap_message_source_id_cap_source")
        ),
        sa.ForeignKeyConstraint(
            ["alert_id"],
            ["alert.id"],
            name=op.f("fk_cap_message_alert_id_alert"),
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("sender", "identifier", name=op.f("uq_cap_message_sender_identifier")),
    )
    op.create_index(op.f("ix_cap_message_source_id"), "cap_message", ["source_id"])
    op.create_index(op.f("ix_cap_message_identifier"), "cap_message", ["identifier"])
    op.create_index(op.f("ix_cap_message_alert_id"), "cap_message", ["alert_id"])
    op.create_table(
        "cap_reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=255), nullable=False),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        _instant("sent_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cap_reference")),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["cap_message.id"],
            name=op.f("fk_cap_reference_message_id_cap_message"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_cap_reference_message_id"), "cap_reference", ["message_id"])
    op.create_index(op.f("ix_cap_reference_identifier"), "cap_reference", ["identifier"])


def downgrade() -> None:
    op.drop_table("cap_reference")
    op.drop_table("cap_message")
    op.drop_table("cap_source")
