"""The initial schema: locations, screens, media, items, playlists, assignments.

Revision ID: 0001
Revises:
Create Date: written by hand
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _validity() -> list[sa.Column[object]]:
    return [_instant("valid_from", nullable=True), _instant("valid_until", nullable=True)]


def upgrade() -> None:
    op.create_table(
        "location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        _instant("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
        sa.UniqueConstraint("slug", name=op.f("uq_location_slug")),
    )
    op.create_table(
        "media_asset",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        _instant("created_at", nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_media_asset")),
    )
    op.create_table(
        "playlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        *_validity(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playlist")),
    )
    op.create_table(
        "screen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        _instant("created_at", nullable=False),
        _instant("last_seen_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screen")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_screen_location_id_location")
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_screen_token_hash")),
    )
    op.create_index(op.f("ix_screen_location_id"), "screen", ["location_id"])
    op.create_table(
        "item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        *_validity(),
        sa.Column("asset_sha256", sa.String(length=64), nullable=True),
        sa.Column("fit", sa.String(length=8), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        _instant("starts_at", nullable=True),
        _instant("ends_at", nullable=True),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("organiser", sa.String(length=200), nullable=False),
        _instant("created_at", nullable=False),
        _instant("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item")),
        sa.CheckConstraint("kind IN ('image', 'text', 'event')", name=op.f("ck_item_kind")),
        sa.CheckConstraint("fit IN ('fill', 'fit')", name=op.f("ck_item_fit")),
        sa.ForeignKeyConstraint(
            ["asset_sha256"],
            ["media_asset.sha256"],
            name=op.f("fk_item_asset_sha256_media_asset"),
        ),
    )
    op.create_index(op.f("ix_item_asset_sha256"), "item", ["asset_sha256"])
    op.create_table(
        "playlist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("playlist_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=True),
        *_validity(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playlist_entry")),
        sa.ForeignKeyConstraint(
            ["playlist_id"],
            ["playlist.id"],
            name=op.f("fk_playlist_entry_playlist_id_playlist"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_playlist_entry_item_id_item")
        ),
        sa.UniqueConstraint(
            "playlist_id", "position", name=op.f("uq_playlist_entry_playlist_id_position")
        ),
    )
    op.create_index(op.f("ix_playlist_entry_item_id"), "playlist_entry", ["item_id"])
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("playlist_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        *_validity(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
        sa.ForeignKeyConstraint(
            ["playlist_id"],
            ["playlist.id"],
            name=op.f("fk_assignment_playlist_id_playlist"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_assignment_location_id_location"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_assignment_playlist_id"), "assignment", ["playlist_id"])
    op.create_index(op.f("ix_assignment_location_id"), "assignment", ["location_id"])


def downgrade() -> None:
    for table in (
        "assignment",
        "playlist_entry",
        "item",
        "screen",
        "playlist",
        "media_asset",
        "location",
    ):
        op.drop_table(table)
