"""What one running server holds: settings, the database engine, the clock, the media store and
the way out to other systems' feeds."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
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
    # How feeds (news, calendars, alerts) are fetched: None is the network; tests hand in
    # an httpx.MockTransport that serves their fixtures.
    feed_transport: httpx.BaseTransport | None = None
