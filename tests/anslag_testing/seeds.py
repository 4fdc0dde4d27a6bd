"""Content for end-to-end tests, written straight into a server's database before it starts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from anslag_testing.screens import Rgb, png_bytes
from server.db import create_engine_for, migrate
from server.models import Location
from server.services.content import (
    assign_playlist,
    create_image_item,
    create_location,
    create_playlist,
    create_screen,
    store_media,
)
from server.storage import LocalMediaStorage

# The slug of the village shop's location.
SHOP = "byabutiken"


def seed_coloured_slides(
    database_url: str, media_dir: Path, slides: Mapping[str, Rgb], *, duration_s: float
) -> tuple[int, str]:
    """The village shop's screen showing a picture of each colour in turn, named after it.

    Returns the screen's id and its device token.
    """
    with _seeding(database_url) as session:
        location = _shop_with_slides(session, media_dir, slides, duration_s=duration_s)
        screen, token = create_screen(
            session, location=location, name="Vid kassan", now=datetime.now(UTC)
        )
        session.commit()
        assert screen.id is not None
        return screen.id, token


def seed_shop_without_a_screen(
    database_url: str, media_dir: Path, slides: Mapping[str, Rgb], *, duration_s: float
) -> None:
    """The village shop with its slides, waiting for a screen to be paired there."""
    with _seeding(database_url) as session:
        _shop_with_slides(session, media_dir, slides, duration_s=duration_s)
        session.commit()


@contextmanager
def _seeding(database_url: str) -> Iterator[Session]:
    migrate(database_url)
    engine = create_engine_for(database_url)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def _shop_with_slides(
    session: Session, media_dir: Path, slides: Mapping[str, Rgb], *, duration_s: float
) -> Location:
    storage = LocalMediaStorage(media_dir)
    now = datetime.now(UTC)
    location = create_location(
        session,
        slug=SHOP,
        name="Byabutiken",
        timezone="Europe/Stockholm",
        languages=["sv"],
        now=now,
    )
    items = [
        create_image_item(
            session,
            asset=store_media(
                session,
                storage,
                data=png_bytes(colour),
                media_type="image/png",
                original_name=f"{name}.png",
                now=now,
            ),
            duration_s=duration_s,
            now=now,
        )
        for name, colour in slides.items()
    ]
    playlist = create_playlist(session, name="Dagens", entries=items)
    assign_playlist(session, playlist=playlist, location=location)
    return location
