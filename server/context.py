"""What one running server holds: settings, the database, the clock, media and the push channel."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from server.clock import Clock
from server.push.changes import announcing_session
from server.push.channel import PushChannel
from server.settings import Settings
from server.storage import MediaStorage


@dataclass(frozen=True)
class AppContext:
    """What one app instance holds for its requests and jobs; built in `create_app`'s lifespan."""

    settings: Settings
    engine: Engine
    clock: Clock
    storage: MediaStorage
    push: PushChannel

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed when the block ends (rolled back when it raises); what it
        changed that screens show is pushed to them once committed. For requests and jobs."""
        with announcing_session(self.engine, self.push.announce) as session:
            yield session
