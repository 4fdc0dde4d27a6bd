"""Turns committed changes into events for the screens: `alert` and `manifest-changed`.

An `alert` event goes to every location an alert version written reaches. Each
location with an open stream gets a `manifest-changed` event when its manifest's
ETag is not the one last announced there (an edit elsewhere changes nothing
here, and says nothing). Manifests nobody listens to are not built: one event for
"every other location" stands for them in the replay buffer, so a screen that
reconnects refetches. The database work runs on a worker thread; publishing on
the loop.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.clock import Clock
from server.db import session_scope
from server.models import Alert, Location
from server.push.changes import Changes
from server.push.hub import PushHub
from server.services.alert_deliveries import record_channel_deliveries
from server.services.alerts import WIRE_ID_PREFIX, reaches
from server.services.manifests import build_manifest

MANIFEST_CHANGED = "manifest-changed"
ALERT = "alert"


def event_data(**fields: object) -> str:
    return json.dumps(fields, separators=(",", ":"))


class Dispatcher:
    """Publishes what `Changes` mean for each listening location, and remembers its ETags."""

    def __init__(self, *, hub: PushHub, engine: Engine, clock: Clock, horizon: timedelta) -> None:
        self._hub = hub
        self._engine = engine
        self._clock = clock
        self._horizon = horizon
        # The ETag last announced (or looked up) per listening location.
        self._etags: dict[int, str] = {}
        # Grows with every change handled: a lookup begun before one must not be kept.
        self._generation = 0

    async def handle(self, changes: Changes) -> None:
        self._generation += 1
        for screen_id in changes.screens:
            self._hub.disconnect(screen_id, why="moved or revoked")
        listening = self._hub.connected_locations()
        # A location nobody listens to may change unseen: its ETag is looked up afresh later.
        self._etags = {key: etag for key, etag in self._etags.items() if key in listening}
        if not (changes.content or changes.alerts):
            return
        delivered: dict[tuple[int, int], list[int]] = {}
        if changes.alerts:
            # First, before any manifest is built: the alert is what the screens must not wait for.
            reached = await asyncio.to_thread(self._reach, changes.alerts)
            for (alert_id, version), location_ids in reached.items():
                data = event_data(id=f"{WIRE_ID_PREFIX}{alert_id}", version=version)
                delivered[alert_id, version] = [
                    screen_id
                    for location_id in location_ids
                    for screen_id in self._hub.publish(
                        location_id=location_id, name=ALERT, data=data
                    )
                ]
        etags = await asyncio.to_thread(self._etags_of, listening) if listening else {}
        for location_id, etag in etags.items():
            if self._etags.get(location_id) != etag:
                self._etags[location_id] = etag
                self._hub.publish(
                    location_id=location_id, name=MANIFEST_CHANGED, data=event_data(etag=etag)
                )
        # For the rest, whose manifests were not built: streams opened meanwhile hear it now,
        # the others when they reconnect.
        self._hub.publish(
            location_id=None,
            name=MANIFEST_CHANGED,
            data=event_data(etag=None),
            skip=frozenset(etags),
        )
        if any(delivered.values()):
            await asyncio.to_thread(self._record, delivered)

    async def etag(self, location_id: int) -> str | None:
        """The ETag of the location's manifest now; None when the location is gone."""
        known = self._etags.get(location_id)
        if known is not None:
            return known
        generation = self._generation
        etag = await asyncio.to_thread(self._etag_of, location_id)
        if etag is not None and generation == self._generation:
            self._etags[location_id] = etag
        return etag

    def _manifest_etag(self, session: Session, location: Location) -> str:
        manifest = build_manifest(
            session, location=location, now=self._clock(), horizon=self._horizon
        )
        return manifest.content_hash()

    def _etag_of(self, location_id: int) -> str | None:
        with Session(self._engine) as session:
            location = session.get(Location, location_id)
            return None if location is None else self._manifest_etag(session, location)

    def _reach(self, alerts: frozenset[tuple[int, int]]) -> dict[tuple[int, int], list[int]]:
        """(alert id, version) → the locations each reaches."""
        reached = {}
        with Session(self._engine) as session:
            locations = session.exec(select(Location).order_by(col(Location.id))).all()
            for alert_id, version in sorted(alerts):
                alert = session.get(Alert, alert_id)
                # A newer version written since brings its own event.
                if alert is None or alert.version != version:
                    continue
                reached[alert_id, version] = [
                    location.id
                    for location in locations
                    if location.id is not None and reaches(alert, location)
                ]
        return reached

    def _etags_of(self, location_ids: set[int]) -> dict[int, str]:
        """The ETag of each location's manifest now."""
        with Session(self._engine) as session:
            locations = session.exec(
                select(Location).where(col(Location.id).in_(location_ids))
            ).all()
            return {
                location.id: self._manifest_etag(session, location)
                for location in locations
                if location.id is not None
            }

    def _record(self, delivered: dict[tuple[int, int], list[int]]) -> None:
        with session_scope(self._engine) as session:
            for (alert_id, version), screen_ids in delivered.items():
                record_channel_deliveries(
                    session,
                    alert_id=alert_id,
                    version=version,
                    screen_ids=screen_ids,
                    now=self._clock(),
                )
