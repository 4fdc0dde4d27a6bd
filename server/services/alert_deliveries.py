"""How far each version of an alert got with each screen it reaches: delivered, displayed, or not.

A screen has an alert version *delivered* once the server handed it over, as an
event on the push channel or in a manifest the screen fetched; *displayed* once
the screen acknowledged it on screen; and is *unreachable* while neither has
happened — it is not connected and has not fetched it.

The latency shown is from the operator's send to the screen, added up from two
clocks that are each right about their own part: the server's, from the send to
the fetch of the manifest carrying it, and the player's, from that manifest's
arrival to the alert on screen. A Pi whose clock is off by minutes still
reports an honest latency.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from playlists import manifest as wire
from playlists.reports import AlertShown
from server.errors import InvalidContent, NotFound
from server.models import Alert, AlertDelivery, Location, Screen
from server.services.alerts import alert_id_of, reaches

DeliveryState = Literal["displayed", "delivered", "unreachable"]


def _insert_missing(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert the deliveries not recorded yet; another replica may be recording the same."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert: Insert
    if dialect == "postgresql":
        insert = postgresql.insert(AlertDelivery).on_conflict_do_nothing()
    else:
        insert = sqlite.insert(AlertDelivery).on_conflict_do_nothing()
    # The rows as parameters, not as values in the statement: one compiled statement, sent
    # in batches, however many screens an alert reaches.
    session.execute(insert, rows)


def record_channel_deliveries(
    session: Session, *, alert_id: int, version: int, screen_ids: Iterable[int], now: datetime
) -> None:
    """`version` of the alert went out on the push channel to `screen_ids`."""
    alert = session.get(Alert, alert_id)
    if alert is None or alert.version != version:
        # Deleted, or a newer version is already on its way: that one counts.
        return
    _insert_missing(
        session,
        [
            {
                "alert_id": alert_id,
                "alert_version": version,
                "screen_id": screen_id,
                "sent_at": alert.updated_at,
                "delivered_at": now,
                "delivered_via": "channel",
            }
            for screen_id in sorted(set(screen_ids))
        ],
    )


def record_fetched(
    session: Session, *, screen: Screen, alerts: Sequence[wire.Alert], now: datetime
) -> None:
    """The screen fetched (or confirmed with a 304) a manifest carrying `alerts`."""
    versions = {alert_id_of(alert.id): alert.version for alert in alerts}
    if not versions or screen.id is None:
        return
    # Every poll of a screen with an alert on comes here: once all is recorded, only read.
    recorded = _deliveries_of(session, screen_id=screen.id, versions=versions)
    if len(recorded) == len(versions) and all(row.fetched_at for row in recorded):
        return
    stored = {
        alert.id: alert
        for alert in session.exec(select(Alert).where(col(Alert.id).in_(versions)))
        if alert.id is not None
    }
    _insert_missing(
        session,
        [
            {
                "alert_id": alert_id,
                "alert_version": version,
                "screen_id": screen.id,
                "sent_at": stored[alert_id].updated_at,
                "delivered_at": now,
                "delivered_via": "manifest",
            }
            for alert_id, version in versions.items()
            if alert_id in stored
        ],
    )
    for delivery in _deliveries_of(session, screen_id=screen.id, versions=versions):
        if delivery.fetched_at is None:
            delivery.fetched_at = now
            session.add(delivery)
    session.flush()


def _deliveries_of(
    session: Session, *, screen_id: int, versions: dict[int, int]
) -> list[AlertDelivery]:
    rows = session.exec(
        select(AlertDelivery).where(
            AlertDelivery.screen_id == screen_id, col(AlertDelivery.alert_id).in_(versions)
        )
    )
    return [row for row in rows if versions.get(row.alert_id or 0) == row.alert_version]


def latency_s(delivery: AlertDelivery) -> float | None:
    """Seconds from the operator's send to the screen (see the module's docstring)."""
    if delivery.displayed_at is None:
        return None
    if delivery.fetched_at is not None and delivery.received_at is not None:
        on_the_way = (delivery.fetched_at - delivery.sent_at).total_seconds()
        on_the_screen = (delivery.displayed_at - delivery.received_at).total_seconds()
        return max(0.0, on_the_way) + max(0.0, on_the_screen)
    # Without the fetch to measure against, only the player's clock can tell.
    return max(0.0, (delivery.displayed_at - delivery.sent_at).total_seconds())


def record_displayed(
    session: Session, *, screen: Screen, wire_id: str, shown: AlertShown, now: datetime
) -> AlertDelivery:
    """The screen acknowledged `shown.version` of the alert on screen; the first time counts."""
    alert_id = alert_id_of(wire_id)
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {wire_id!r}")
    if shown.version > alert.version:
        raise InvalidContent(
            f"alert {wire_id!r} has no version {shown.version} yet (it is at {alert.version})"
        )
    assert screen.id is not None
    _insert_missing(
        session,
        [
            {
                "alert_id": alert_id,
                "alert_version": shown.version,
                "screen_id": screen.id,
                # An older version's own send time is gone; its latency is then an estimate.
                "sent_at": alert.updated_at,
                "delivered_at": now,
                "delivered_via": "manifest",
            }
        ],
    )
    [delivery] = _deliveries_of(session, screen_id=screen.id, versions={alert_id: shown.version})
    if delivery.displayed_at is None:
        delivery.received_at = shown.received_at
        delivery.displayed_at = shown.displayed_at
        delivery.acknowledged_at = now
        delivery.latency_s = latency_s(delivery)
        session.add(delivery)
        session.flush()
    return delivery


@dataclass(frozen=True)
class ScreenDelivery:
    """One screen an alert reaches and how far the alert's current version got there."""

    screen_id: int
    screen_name: str
    location_name: str
    state: DeliveryState
    delivered_via: str | None = None
    latency_s: float | None = None


def alert_deliveries(session: Session, *, alert: Alert) -> list[ScreenDelivery]:
    """Every paired screen the alert reaches, by location and screen name, with its state."""
    locations = session.exec(select(Location).order_by(col(Location.name))).all()
    screens = [
        (location, screen)
        for location in locations
        if reaches(alert, location)
        for screen in location.screens
        if screen.token_hash is not None and screen.id is not None
    ]
    assert alert.id is not None
    rows = {
        row.screen_id: row
        for row in session.exec(
            select(AlertDelivery).where(
                AlertDelivery.alert_id == alert.id, AlertDelivery.alert_version == alert.version
            )
        )
    }
    deliveries = []
    for location, screen in screens:
        assert screen.id is not None
        row = rows.get(screen.id)
        state: DeliveryState = "unreachable"
        if row is not None:
            state = "displayed" if row.displayed_at is not None else "delivered"
        deliveries.append(
            ScreenDelivery(
                screen_id=screen.id,
                screen_name=screen.name,
                location_name=location.name,
                state=state,
                delivered_via=row.delivered_via if row is not None else None,
                latency_s=row.latency_s if row is not None else None,
            )
        )
    return deliveries
