"""Player releases and screens for tests of player updates: wheels in a server's releases
folder, and screens at the village shop to offer them to."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from server.db import session_scope
from server.services import content


def put_release(
    folder: Path, version: str, *, data: bytes | None = None, at: datetime | None = None
) -> bytes:
    """A wheel copied into the releases folder (at `at`, else now); returns its bytes."""
    data = data if data is not None else f"the wheel of {version}".encode()
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"anslag-{version}-py3-none-any.whl"
    wheel.write_bytes(data)
    if at is not None:
        os.utime(wheel, (at.timestamp(), at.timestamp()))
    return data


def shop_screens(engine: Engine, now: datetime, *names: str) -> dict[str, tuple[int, str]]:
    """Screens called `names` at the village shop: each one's id and device token."""
    with session_scope(engine) as session:
        shop = content.create_location(
            session,
            slug="byabutiken",
            name="Byabutiken",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=now,
        )
        made = {}
        for name in names:
            screen, token = content.create_screen(session, location=shop, name=name, now=now)
            assert screen.id is not None
            made[name] = (screen.id, token)
        return made
