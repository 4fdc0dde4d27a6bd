"""What residents see of alerts on the public page and in the feed: real ones, in force or
recently over, the municipality's own and those from feeds that reach one of its places.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from server.models import Alert, CapSource, Location
from server.services.alerts import SEVERITIES, alert_target, recent_alerts

MANUAL_SOURCE = "manual"


@dataclass(frozen=True)
class PublicAlert:
    """An alert as the public page lists it, with the names of the places it reaches."""

    alert: Alert
    places: list[str]
    # The name of the CAP source it came through; empty for the municipality's own.
    via: str = ""

    @property
    def own(self) -> bool:
        return self.alert.source == MANUAL_SOURCE

    def in_force(self, now: datetime) -> bool:
        return self.alert.ended_at is None and self.alert.expires_at > now


def public_alerts(
    session: Session, *, now: datetime, ended_within: timedelta
) -> tuple[list[PublicAlert], list[PublicAlert]]:
    """(alerts in force now or later, the gravest first; alerts over within `ended_within`).

    Exercises and tests stay off the public page, and so does an alert from a
    feed that reaches none of the municipality's places (a warning for the next
    county over).
    """
    locations = session.exec(select(Location).order_by(col(Location.name))).all()
    sources = {f"cap:{source.id}": source.name for source in session.exec(select(CapSource))}
    current: list[PublicAlert] = []
    ended: list[PublicAlert] = []
    for alert in recent_alerts(session, now=now, ended_within=ended_within):
        if alert.status != "actual" or alert.end_reason == "superseded":
            continue
        target = alert_target(alert)
        places = [location.name for location in locations if target.reaches(location)]
        if alert.source != MANUAL_SOURCE and not places:
            continue
        shown = PublicAlert(alert, places, via=sources.get(alert.source, ""))
        (current if shown.in_force(now) else ended).append(shown)
    current.sort(key=lambda shown: (_rank(shown.alert.severity), -shown.alert.sent_at.timestamp()))
    ended.sort(key=lambda shown: shown.alert.ended_at or shown.alert.expires_at, reverse=True)
    return current, ended


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
