"""What one running server holds: settings, the database engine, the clock and the media store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from server.clock import Clock
from server.settings import Settings
from server.storage import MediaStorage


@dataclass(frozen=True)
class AppContext:
    """What one app instance holds for its requests and jobs; built in `create_app`'s lifespan."""

    settings: Settings
    engine: Engine
    clock: Clock
    storage: MediaStorage
