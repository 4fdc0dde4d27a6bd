"""The municipality's own alerts as CAP messages for radio, websites and neighbours to reuse.

Each step of a manual alert is published as it happens and kept as sent, since a
CAP message never changes: raising it is an Alert; each update an Update that
references every earlier message; an all-clear an Update with responseType
AllClear; a cancellation a Cancel without info. The first message's identifier
is the alert's own; later ones add the version (`…-v2`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from server.cap.writing import (
    PLACE_RADIUS_KM,
    OutgoingArea,
    OutgoingInfo,
    OutgoingMessage,
    write_message,
)
from server.errors import NotFound
from server.models import Alert, CapMessage, CapReference, Location
from server.services.alert_areas import AlertTarget

MANUAL_SOURCE = "manual"


def _message_type(alert: Alert) -> str:
    if alert.end_reason == "cancelled":
        return "cancel"
    return "alert" if alert.version == 1 else "update"


def _identifier(alert: Alert) -> str:
    return alert.identifier if alert.version == 1 else f"{alert.identifier}-v{alert.version}"


def _geocode(code: str) -> tuple[str, str]:
    # As Sveriges Radio's VMA names them; `server.cap.content` reads them back.
    return ("Kommun" if len(code) == 4 else "Län", code)


def _area(session: Session, alert: Alert) -> OutgoingArea:
    target = AlertTarget.model_validate(alert.target)
    locations = session.exec(select(Location).order_by(col(Location.name))).all()
    reached = [location for location in locations if target.reaches(location)]
    if target.everywhere:
        # The municipalities' codes, and a circle for any place without one.
        codes = sorted({location.municipality_code for location in locations} - {""})
        return OutgoingArea(
            description=alert.sender_name,
            circles=[
                (location.latitude, location.longitude, PLACE_RADIUS_KM)
                for location in locations
                if not location.municipality_code
                and location.latitude is not None
                and location.longitude is not None
            ],
            geocodes=[_geocode(code) for code in codes],
        )
    named = [
        location
        for location in reached
        if location.slug in target.locations or set(location.tags) & set(target.tags)
    ]
    names = [location.name for location in reached] or [alert.sender_name]
    return OutgoingArea(
        description=", ".join(names)[:500],
        polygons=[list(ring) for ring in target.polygons],
        circles=[
            *((circle.latitude, circle.longitude, circle.radius_km) for circle in target.circles),
            *(
                (location.latitude, location.longitude, PLACE_RADIUS_KM)
                for location in named
                if location.latitude is not None and location.longitude is not None
            ),
        ],
        geocodes=[_geocode(code) for code in target.codes],
    )


def publish(session: Session, alert: Alert, *, now: datetime) -> CapMessage | None:
    """Publish the step `alert` has just taken (a manual alert only); the message as stored."""
    if alert.source != MANUAL_SOURCE or alert.id is None:
        return None
    earlier = session.exec(
        select(CapMessage)
        .where(CapMessage.alert_id == alert.id)
        .where(col(CapMessage.published))
        .order_by(col(CapMessage.id))
    ).all()
    msg_type = _message_type(alert)
    all_clear = alert.end_reason == "all_clear"
    infos = []
    if msg_type != "cancel":
        infos = [
            OutgoingInfo(
                language=language,
                headline=text["headline"],
                description=text.get("description", ""),
                instruction=text.get("instruction", ""),
                severity="minor" if all_clear else alert.severity,
                urgency="past" if all_clear else alert.urgency,
                certainty=alert.certainty,
                sender_name=alert.sender_name,
                effective=now if all_clear else alert.effective_at,
                onset=None if all_clear else alert.onset_at,
                # An all-clear is news for as long as its card shows.
                expires=alert.all_clear_until or now + timedelta(hours=1)
                if all_clear
                else alert.expires_at,
                all_clear=all_clear,
            )
            for language, text in alert.texts.items()
        ]
    outgoing = OutgoingMessage(
        identifier=_identifier(alert),
        sender=alert.sender,
        sent=now,
        status=alert.status,
        msg_type=msg_type,
        references=[(row.sender, row.identifier, row.sent_at) for row in earlier],
        infos=infos,
        area=_area(session, alert) if infos else None,
    )
    record = CapMessage(
        source_id=None,
        published=True,
        sender=outgoing.sender,
        identifier=outgoing.identifier,
        sent_at=now,
        msg_type=msg_type,
        status=alert.status,
        alert_id=alert.id,
        note="published",
        document=write_message(outgoing).decode("utf-8"),
        received_at=now,
        references=[
            CapReference(sender=sender, identifier=identifier, sent_at=sent)
            for sender, identifier, sent in outgoing.references
        ],
    )
    session.add(record)
    session.flush()
    return record


def recent_publications(
    session: Session, *, alert_ids: Sequence[int]
) -> list[tuple[CapMessage, Alert]]:
    """The published messages of the alerts `alert_ids`, newest first, each with its alert."""
    if not alert_ids:
        return []
    rows = session.exec(
        select(CapMessage, Alert)
        .join(Alert, col(Alert.id) == col(CapMessage.alert_id))
        .where(col(CapMessage.published))
        .where(col(CapMessage.alert_id).in_(alert_ids))
        .order_by(col(CapMessage.sent_at).desc(), col(CapMessage.id).desc())
    ).all()
    return [(message, alert) for message, alert in rows]


def find_publication(session: Session, *, identifier: str) -> CapMessage:
    """The published message `identifier`; NotFound for any other (a feed's are not ours)."""
    message = session.exec(
        select(CapMessage)
        .where(col(CapMessage.published))
        .where(CapMessage.identifier == identifier)
    ).first()
    if message is None or message.document is None:
        raise NotFound(f"no CAP message {identifier!r} published here")
    return message
