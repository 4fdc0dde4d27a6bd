"""Player updates: the release an admin wants each screen to run.

Revision ID: 0010
Revises: 0009
Create Date: written by hand
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("screen") as table:
        table.add_column(sa.Column("wanted_player_version", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screen") as table:
        table.drop_column("wanted_player_version")
