"""Content for end-to-end tests, written straight into a server's database before it starts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from anslag_testing.screens import Rgb, png_bytes
from server.db import create_engine_for, migrate
from server.services.content import (
    assign_playlist,
    create_image_item,
    create_location,
    create_playlist,
    create_screen,
    store_media,
)
from server.storage import LocalMediaStorage


def seed_coloured_slides(
    database_url: str, media_dir: Path, slides: Mapping[str, Rgb], *, duration_s: float
) -> tuple[int, str]:
    """The village shop's screen showing a picture of each colour in turn, named after it.

    Returns the screen's id and its device token.
    """
    migrate(database_url)
    engine = create_engine_for(database_url)
    storage = LocalMediaStorage(media_dir)
    now = datetime.now(UTC)
    try:
        with Session(engine) as session:
            location = create_location(
                session,
                slug="byabutiken",
                name="Byabutiken",
                timezone="Europe/Stockholm",
                languages=["sv"],
                now=now,
            )
            screen, token = create_screen(session, location=location, name="Vid kassan", now=now)
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
            session.commit()
            assert screen.id is not None
            return screen.id, token
    finally:
        engine.dispose()
