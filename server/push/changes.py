"""What a committed transaction changed that screens must hear of, noticed as it is flushed.

Rather than every service remembering to announce its saves, a session opened with
`announcing_session` watches its own flushes: a new, changed or deleted row of a table
that manifests are built from is a content change; an alert row is also an alert
change (its id and version); a screen moved or revoked must reconnect. The changes
are handed to the notifier only once the transaction has committed, so a screen
that hears of one finds it stored; a rolled-back transaction announces nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event, inspect
from sqlalchemy.orm import UOWTransaction
from sqlmodel import Session, SQLModel

from server.db import session_scope
from server.models import (
    Alert,
    Assignment,
    Event,
    Item,
    Location,
    MediaAsset,
    Playlist,
    PlaylistEntry,
    Screen,
)

# The tables manifests are assembled from: a change to any row may change what a screen shows.
MANIFEST_TABLES: tuple[type[SQLModel], ...] = (
    Location,
    Item,
    Playlist,
    PlaylistEntry,
    Assignment,
    MediaAsset,
    # Upcoming events come into playlists by their dynamic entries.
    Event,
    Alert,
)
# A screen's stream is bound to its location and token: these make it reconnect.
_SCREEN_BINDING = ("location_id", "token_hash")
_STAGED = "anslag.push.changes"


@dataclass(frozen=True)
class Changes:
    """What changed, merged over a transaction (or several): each part only grows."""

    content: bool = False
    # (alert id, version) of every alert version written.
    alerts: frozenset[tuple[int, int]] = frozenset()
    # Screens whose stream must end: moved to another location, revoked or deleted.
    screens: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return self.content or bool(self.alerts) or bool(self.screens)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            content=self.content or other.content,
            alerts=self.alerts | other.alerts,
            screens=self.screens | other.screens,
        )

    def split(self, size: int) -> list[Changes]:
        """These changes in parts of at most `size` alerts and screens each (at least one)."""
        alerts, screens = sorted(self.alerts), sorted(self.screens)
        parts = [
            Changes(
                content=self.content,
                alerts=frozenset(alerts[start : start + size]),
                screens=frozenset(screens[start : start + size]),
            )
            for start in range(0, max(len(alerts), len(screens), 1), size)
        ]
        return parts

    def to_json(self) -> str:
        return json.dumps(
            {
                "content": self.content,
                "alerts": sorted([alert, version] for alert, version in self.alerts),
                "screens": sorted(self.screens),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Changes:
        """The changes `to_json` wrote; ValueError for anything else."""
        try:
            raw = json.loads(text)
            return cls(
                content=bool(raw["content"]),
                alerts=frozenset((int(alert), int(version)) for alert, version in raw["alerts"]),
                screens=frozenset(int(screen) for screen in raw["screens"]),
            )
        except (TypeError, KeyError, ValueError) as exc:
            raise ValueError(f"not a push change: {text[:200]!r}") from exc


def _changes_in(rows: Iterator[object], *, deleted: bool) -> Changes:
    changes = Changes()
    for row in rows:
        if isinstance(row, Screen):
            moved = deleted or any(
                inspect(row).attrs[name].history.has_changes() for name in _SCREEN_BINDING
            )
            if moved and row.id is not None:
                changes |= Changes(content=True, screens=frozenset({row.id}))
        elif isinstance(row, MANIFEST_TABLES):
            changes |= Changes(content=True)
            if isinstance(row, Alert) and row.id is not None:
                changes |= Changes(alerts=frozenset({(row.id, row.version)}))
    return changes


def _collect(session: Session, _flush: UOWTransaction) -> None:
    # After the flush the session still lists what it flushed, and new rows have their ids.
    seen = _changes_in(iter(session.new), deleted=False)
    seen |= _changes_in(iter(session.dirty), deleted=False)
    seen |= _changes_in(iter(session.deleted), deleted=True)
    if seen:
        session.info[_STAGED] = session.info.get(_STAGED, Changes()) | seen


def _forget(session: Session) -> None:
    session.info.pop(_STAGED, None)


def watch(session: Session) -> None:
    """Have `session` note the changes it flushes; `committed_changes` hands them out."""
    event.listen(session, "after_flush", _collect)
    event.listen(session, "after_rollback", _forget)


def committed_changes(session: Session) -> Changes:
    """What the watched `session` changed and committed since it was last asked."""
    changes: Changes = session.info.pop(_STAGED, Changes())
    return changes


Announce = Callable[[Changes], Any]


@contextmanager
def announcing_session(engine: Engine, announce: Announce) -> Iterator[Session]:
    """`session_scope` whose committed changes go to `announce` once the commit is done."""
    with session_scope(engine) as session:
        watch(session)
        yield session
    changes = committed_changes(session)
    if changes:
        announce(changes)
