"""The life of an alert: raised, updated, cancelled or ended with an all-clear, and which
screens show it. Every step is audited, and a manual alert's steps are published as CAP;
an ended alert never comes back.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlmodel import Session, col, or_, select

from playlists import manifest as wire
from server.cap.publishing import publish
from server.errors import Conflict, InvalidContent, NotFound, StaleEdit
from server.models import Alert, Location
from server.services.alert_areas import AlertTarget
from server.services.audit import Action, record_change, snapshot
from server.services.permissions import Actor
from server.services.wire import checked

SEVERITIES = ("extreme", "severe", "moderate", "minor")
URGENCIES = ("immediate", "expected", "future", "past", "unknown")
CERTAINTIES = ("observed", "likely", "possible", "unlikely", "unknown")
STATUSES = ("actual", "exercise", "test")

# Per language, (headline, description, instruction).
AlertTexts = Mapping[str, tuple[str, str, str]]


@dataclass(frozen=True)
class AlertContent:
    """What an operator writes and chooses: the same for raising and updating."""

    texts: AlertTexts
    severity: str
    target: AlertTarget
    expires_at: datetime
    urgency: str = "immediate"
    certainty: str = "observed"
    status: str = "actual"
    effective_at: datetime | None = None
    onset_at: datetime | None = None


def _checked_texts(texts: AlertTexts) -> dict[str, dict[str, str]]:
    if not texts:
        raise InvalidContent("an alert needs a headline in at least one language")
    checked_texts = {}
    for language, (headline, description, instruction) in texts.items():
        build = functools.partial(
            wire.AlertText,
            headline=headline.strip(),
            description=description.strip(),
            instruction=instruction.strip(),
        )
        text = checked(f"the {language} text of the alert", build)
        checked_texts[language] = text.model_dump()
    return checked_texts


def _apply(alert: Alert, content: AlertContent, *, now: datetime) -> None:
    for value, allowed, what in (
        (content.severity, SEVERITIES, "severity"),
        (content.urgency, URGENCIES, "urgency"),
        (content.certainty, CERTAINTIES, "certainty"),
        (content.status, STATUSES, "status"),
    ):
        if value not in allowed:
            raise InvalidContent(f"{what} {value!r} is not one of {', '.join(allowed)}")
    effective = content.effective_at or now
    if content.expires_at <= max(effective, now):
        raise InvalidContent("the alert must expire in the future, after it takes effect")
    alert.texts = _checked_texts(content.texts)
    alert.severity = content.severity
    alert.urgency = content.urgency
    alert.certainty = content.certainty
    alert.status = content.status
    alert.target = content.target.model_dump(mode="json")
    alert.effective_at = effective
    alert.onset_at = content.onset_at
    alert.expires_at = content.expires_at
    alert.sent_at = now
    alert.updated_at = now


def raise_alert(
    session: Session,
    *,
    content: AlertContent,
    sender: str,
    sender_name: str,
    actor: Actor,
    now: datetime,
) -> Alert:
    """A new manual alert, on screens from its effective time (now unless later)."""
    alert = Alert(
        source="manual",
        sender=sender,
        identifier=f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}",
        sender_name=sender_name,
        created_by=actor.user_id,
        created_at=now,
        # Replaced by _apply; the columns are not nullable.
        status="actual",
        severity="unknown",
        texts={},
        target={},
        sent_at=now,
        effective_at=now,
        expires_at=now,
        updated_at=now,
    )
    _apply(alert, content, now=now)
    session.add(alert)
    session.flush()
    audit_alert(session, alert, "create", "raised", actor=actor, before=None, now=now)
    publish(session, alert, now=now)
    return alert


def _live(session: Session, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert with id {alert_id}")
    if alert.ended_at is not None:
        raise Conflict(f"alert {alert_id} has ended ({alert.end_reason}); raise a new one")
    return alert


def update_alert(
    session: Session,
    *,
    alert_id: int,
    expected_version: int,
    content: AlertContent,
    actor: Actor,
    now: datetime,
) -> Alert:
    """A new version of a live alert: it replaces the old one on every screen."""
    alert = _live(session, alert_id)
    if alert.version != expected_version:
        raise StaleEdit(
            f"alert {alert_id} is at version {alert.version}, not {expected_version}: "
            "someone else updated it; look at the new text first"
        )
    before = snapshot(alert)
    _apply(alert, content, now=now)
    alert.version += 1
    session.add(alert)
    session.flush()
    audit_alert(session, alert, "update", "updated", actor=actor, before=before, now=now)
    publish(session, alert, now=now)
    return alert


def end_alert(
    session: Session,
    *,
    alert_id: int,
    all_clear_for: timedelta | None,
    actor: Actor,
    now: datetime,
) -> Alert:
    """Take a live alert off the screens: cancelled, or with an all-clear card for a while."""
    alert = _live(session, alert_id)
    before = snapshot(alert)
    alert.ended_at = now
    alert.updated_at = now
    alert.version += 1
    if all_clear_for is None:
        alert.end_reason = "cancelled"
    else:
        alert.end_reason = "all_clear"
        alert.all_clear_until = now + all_clear_for
    session.add(alert)
    session.flush()
    what = "cancelled" if all_clear_for is None else "all clear"
    audit_alert(session, alert, "update", what, actor=actor, before=before, now=now)
    publish(session, alert, now=now)
    return alert


def audit_alert(
    session: Session,
    alert: Alert,
    action: Action,
    what: str,
    *,
    actor: Actor,
    before: dict[str, object] | None,
    now: datetime,
) -> None:
    """Log a change to `alert`: `what` happened, by `actor`, with the alert before and after."""
    headline = next(iter(alert.texts.values()), {}).get("headline", "")
    record_change(
        session,
        actor=actor,
        action=action,
        entity="alert",
        entity_id=alert.id,
        summary=f"{what}: {headline}",
        before=before,
        after=snapshot(alert),
        now=now,
    )


def alert_target(alert: Alert) -> AlertTarget:
    try:
        return AlertTarget.model_validate(alert.target)
    except ValidationError as exc:
        raise InvalidContent(f"alert {alert.id} has an unreadable target: {exc}") from exc


def current_alerts(session: Session, *, now: datetime) -> list[Alert]:
    """Alerts on some screen now or soon: live and unexpired, or showing their all-clear."""
    return list(
        session.exec(
            select(Alert)
            .where(
                or_(
                    col(Alert.ended_at).is_(None) & (col(Alert.expires_at) > now),
                    col(Alert.all_clear_until) > now,
                )
            )
            .order_by(col(Alert.id))
        )
    )


def alerts_for_location(
    session: Session, *, location: Location, now: datetime, alerts: list[Alert] | None = None
) -> list[wire.Alert]:
    """What the screens at `location` must know of alerts, as the manifest carries it."""
    return [
        wire_alert(alert)
        for alert in (current_alerts(session, now=now) if alerts is None else alerts)
        if reaches(alert, location)
    ]


def reaches(alert: Alert, location: Location) -> bool:
    """Whether `alert` is for the screens at `location`: its area, and its status allows."""
    if alert.status == "test" or (alert.status == "exercise" and not location.exercise_group):
        return False
    return alert_target(alert).reaches(location)


WIRE_ID_PREFIX = "alert-"


def alert_id_of(wire_id: str) -> int:
    """The alert's row id from the id manifests give it ("alert-12"); NotFound otherwise."""
    number = wire_id.removeprefix(WIRE_ID_PREFIX)
    if number == wire_id or not number.isdigit():
        raise NotFound(f"{wire_id!r} is not an alert id of this server (alert-<number>)")
    return int(number)


def wire_alert(alert: Alert) -> wire.Alert:
    ended_with_all_clear = alert.end_reason == "all_clear" and alert.all_clear_until is not None
    return wire.Alert(
        id=f"{WIRE_ID_PREFIX}{alert.id}",
        version=alert.version,
        kind="all_clear" if ended_with_all_clear else "alert",
        status="exercise" if alert.status == "exercise" else "actual",
        severity=alert.severity,
        urgency=alert.urgency,
        certainty=alert.certainty,
        sender_name=alert.sender_name,
        texts={
            language: wire.AlertText.model_validate(text) for language, text in alert.texts.items()
        },
        sent_at=alert.sent_at,
        effective=alert.ended_at if ended_with_all_clear else alert.effective_at,
        onset=alert.onset_at,
        expires=alert.all_clear_until if ended_with_all_clear else alert.expires_at,
    )


@dataclass(frozen=True)
class Reach:
    """A location an alert would reach, with the names of its screens."""

    location: Location
    screens: list[str]


def alert_reach(session: Session, *, target: AlertTarget, status: str) -> list[Reach]:
    """Where an alert with `target` and `status` would show, before it is sent."""
    if status == "test":
        return []
    locations = session.exec(select(Location).order_by(col(Location.name))).all()
    return [
        Reach(location, [screen.name for screen in location.screens if screen.token_hash])
        for location in locations
        if target.reaches(location) and (status == "actual" or location.exercise_group)
    ]


def recent_alerts(session: Session, *, now: datetime, ended_within: timedelta) -> list[Alert]:
    """Live alerts and those ended or expired within `ended_within`, newest first.

    Feeds bring alerts that simply expire; without the bound on expiry they would
    stay on the duty officer's list for good.
    """
    since = now - ended_within
    return list(
        session.exec(
            select(Alert)
            .where(
                or_(
                    col(Alert.ended_at).is_(None) & (col(Alert.expires_at) > since),
                    col(Alert.ended_at) > since,
                )
            )
            .order_by(col(Alert.id).desc())
        )
    )
