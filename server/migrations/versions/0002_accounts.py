"""Accounts: users with roles, their login sessions, and failed logins for throttling.

Revision ID: 0002
Revises: 0001
Create Date: written by hand
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        _instant("created_at", nullable=False),
        _instant("last_login_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
        sa.CheckConstraint(
            "role IN ('admin', 'editor', 'moderator', 'alert_operator')",
            name=op.f("ck_user_account_role"),
        ),
    )
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        _instant("created_at", nullable=False),
        _instant("expires_at", nullable=False),
        _instant("last_seen_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_login_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_session_token_hash")),
    )
    op.create_index(op.f("ix_login_session_user_id"), "login_session", ["user_id"])
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        _instant("failed_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    op.create_index(op.f("ix_login_failure_username"), "login_failure", ["username"])
    op.create_index(op.f("ix_login_failure_address"), "login_failure", ["address"])
    op.create_index(op.f("ix_login_failure_failed_at"), "login_failure", ["failed_at"])


def downgrade() -> None:
    for table in ("login_failure", "login_session", "user_account"):
        op.drop_table(table)
