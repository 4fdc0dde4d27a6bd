"""Locations to pair and move screens between: the village shop and the sports hall."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine

from server.db import session_scope
from server.services import content

SHOP_AND_HALL = (("butiken", "Byabutiken"), ("hallen", "Sporthallen"))


def add_locations(
    engine: Engine, *, now: datetime, places: Sequence[tuple[str, str]] = SHOP_AND_HALL
) -> dict[str, int]:
    """Swedish-speaking locations in Stockholm's zone, by (slug, name); their ids by slug."""
    ids = {}
    with session_scope(engine) as session:
        for slug, name in places:
            location = content.create_location(
                session,
                slug=slug,
                name=name,
                timezone="Europe/Stockholm",
                languages=["sv"],
                now=now,
            )
            assert location.id is not None
            ids[slug] = location.id
    return ids
