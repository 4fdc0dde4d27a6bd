"""CAP messages into alerts: added, updated, cancelled or all-cleared, and never revived.

One alert row per chain of messages. The first message of a chain makes the
alert (its sender and identifier name it); an Update changes that row in place
and raises its version, exactly as the duty officer's update does, so a screen
swaps the text of the alert it shows rather than dropping one alert for another,
and the duty officer's list shows one line per warning. Which messages belong
to which alert is kept per message (`CapMessage.alert_id`).

Every message is stored once, keyed by sender and identifier, whatever it did:

- a repeat (same sender and identifier) changes nothing;
- a message that a stored later message references arrives late: it joins that
  message's alert and changes nothing, or, when only a Cancel referencing it
  came before it, it is stored as an alert ended at once — the Cancel is its
  tombstone;
- an Update or Cancel for an alert that has ended leaves it ended; an Update
  sent before the alert's current version is out of order and ignored;
- an Update of a message never seen is the first of its chain;
- references are matched by sender and identifier, and by identifier within the
  same source when a sender spells itself differently; self-references are ignored.

Only Actual, Exercise and Test messages a source accepts, with scope Public,
become alerts; the alert model keeps Exercise to exercise screens and Test off
every screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from server.cap.content import CapContent, content_of
from server.cap.model import Message
from server.models import Alert, CapMessage, CapReference, CapSource, Location
from server.services.alerts import audit_alert, end_alert
from server.services.audit import snapshot
from server.services.permissions import SYSTEM_ACTOR, Actor

ALERT_STATUSES = ("actual", "exercise", "test")
NOTE_MAX_LENGTH = 300


def source_actor(source: CapSource) -> Actor:
    """The source as the audit log names it when its messages change alerts."""
    return Actor(user_id=None, name=f"CAP: {source.name}", role=SYSTEM_ACTOR.role)


@dataclass(frozen=True)
class Intake:
    """What the server holds and needs while taking in messages from one source."""

    source: CapSource
    now: datetime
    all_clear_for: timedelta

    @property
    def actor(self) -> Actor:
        return source_actor(self.source)


def take_in(session: Session, message: Message, *, intake: Intake, url: str = "") -> str:
    """Store `message` and apply it to the alerts; returns what it did, in a few words."""
    stored = session.exec(
        select(CapMessage)
        .where(CapMessage.sender == message.sender)
        .where(CapMessage.identifier == message.identifier)
    ).first()
    if stored is not None:
        return "a repeat of a message already taken in"
    record = CapMessage(
        source_id=intake.source.id,
        sender=message.sender,
        identifier=message.identifier,
        sent_at=message.sent,
        msg_type=message.msg_type,
        status=message.status,
        url=url[:2000],
        received_at=intake.now,
        references=[
            CapReference(sender=ref.sender, identifier=ref.identifier, sent_at=ref.sent)
            for ref in message.references
            if (ref.sender, ref.identifier) != (message.sender, message.identifier)
        ],
    )
    session.add(record)
    session.flush()
    content = _content(session, message, intake)
    note = _apply(session, message, record, intake, content)
    problems = [*message.problems, *(content.problems if content is not None else ())]
    record.note = "; ".join([note, *problems])[:NOTE_MAX_LENGTH]
    session.add(record)
    session.flush()
    return record.note


def _apply(
    session: Session,
    message: Message,
    record: CapMessage,
    intake: Intake,
    content: CapContent | None,
) -> str:
    if message.scope != "public":
        return f"not shown: scope {message.scope}"
    if message.status not in ALERT_STATUSES or message.status not in intake.source.statuses:
        return f"not shown: status {message.status} is not taken from this source"
    if message.msg_type in ("ack", "error"):
        return f"{message.msg_type}: changes nothing on screens"
    later = _referencing(session, record)
    if later:
        return _arrived_late(session, message, record, later, intake, content)
    earlier = _alerts_of(session, _referenced(session, record))
    if message.msg_type == "cancel":
        return _cancel(session, record, earlier, intake)
    if message.msg_type == "update" and earlier:
        return _update(session, message, record, earlier, intake, content)
    if message.msg_type == "update" and message.all_clear:
        return "an all-clear for nothing shown here; kept against late messages"
    return _raise(session, message, record, intake, content)


def _referencing(session: Session, record: CapMessage) -> list[CapMessage]:
    """Stored messages that name `record` among their references."""
    query = (
        select(CapMessage)
        .join(CapReference, col(CapReference.message_id) == col(CapMessage.id))
        .where(CapReference.identifier == record.identifier)
        .where(
            or_(
                CapReference.sender == record.sender,
                col(CapMessage.source_id) == record.source_id,
            )
        )
        .where(col(CapMessage.id) != record.id)
        .order_by(col(CapMessage.sent_at))
    )
    return list({message.id: message for message in session.exec(query)}.values())


def _referenced(session: Session, record: CapMessage) -> list[CapMessage]:
    """The stored messages `record` references; by identifier within its source as a fallback."""
    found = []
    for reference in record.references:
        exact = session.exec(
            select(CapMessage)
            .where(CapMessage.sender == reference.sender)
            .where(CapMessage.identifier == reference.identifier)
        ).first()
        if exact is None:
            exact = session.exec(
                select(CapMessage)
                .where(CapMessage.identifier == reference.identifier)
                .where(CapMessage.source_id == record.source_id)
                .where(col(CapMessage.id) != record.id)
            ).first()
        if exact is not None:
            found.append(exact)
    return found


def _alerts_of(session: Session, records: Iterable[CapMessage]) -> list[Alert]:
    """The alerts of `records`, each once, the most recently sent first."""
    alerts = {
        alert.id: alert
        for record in records
        if record.alert_id is not None and (alert := session.get(Alert, record.alert_id))
    }
    return sorted(alerts.values(), key=lambda alert: alert.sent_at, reverse=True)


def _content(session: Session, message: Message, intake: Intake) -> CapContent | None:
    places = [
        (latitude, longitude)
        for latitude, longitude in session.exec(select(Location.latitude, Location.longitude)).all()
        if latitude is not None and longitude is not None
    ]
    return content_of(
        message,
        lifetime=timedelta(hours=intake.source.lifetime_hours),
        source_name=intake.source.name,
        places=places,
    )


def _new_alert(
    session: Session, message: Message, content: CapContent, intake: Intake
) -> Alert | str:
    """A new alert from `message`, or why none can be made."""
    if content.target is None:
        return "not shown: no area to place it in"
    alert = Alert(
        source=f"cap:{intake.source.id}",
        sender=message.sender,
        identifier=message.identifier,
        sender_name=content.sender_name,
        status=message.status,
        severity=content.severity,
        urgency=content.urgency,
        certainty=content.certainty,
        texts=content.texts,
        target=content.target.model_dump(mode="json"),
        sent_at=message.sent,
        effective_at=content.effective_at,
        onset_at=content.onset_at,
        expires_at=content.expires_at,
        created_at=intake.now,
        updated_at=intake.now,
    )
    session.add(alert)
    session.flush()
    return alert


def _raise(
    session: Session,
    message: Message,
    record: CapMessage,
    intake: Intake,
    content: CapContent | None,
) -> str:
    if content is None:
        return "not shown: it carries no info block"
    if content.expires_at <= intake.now:
        return "not shown: it had expired when it arrived"
    alert = _new_alert(session, message, content, intake)
    if isinstance(alert, str):
        return alert
    record.alert_id = alert.id
    audit_alert(
        session, alert, "create", "raised from CAP", actor=intake.actor, before=None, now=intake.now
    )
    return f"raised alert {alert.id}"


def _arrived_late(
    session: Session,
    message: Message,
    record: CapMessage,
    later: list[CapMessage],
    intake: Intake,
    content: CapContent | None,
) -> str:
    """`message` was overtaken by `later` ones that reference it: it never shows on its own."""
    joined = _alerts_of(session, later)
    if joined:
        record.alert_id = joined[0].id
        merged = _supersede(
            session,
            _alerts_of(session, _referenced(session, record)),
            keep=joined[0],
            intake=intake,
        )
        return f"late: alert {joined[0].id} already has a later message{merged}"
    cancels = [earlier for earlier in later if earlier.msg_type == "cancel"]
    if not cancels or message.msg_type == "cancel":
        return "late: a later message that is not shown already replaced it"
    if content is None:
        return "late: already cancelled, and it carries no info block"
    made = _new_alert(session, message, content, intake)
    if isinstance(made, str):
        return made
    alert = made
    alert.ended_at = intake.now
    alert.end_reason = "cancelled"
    session.add(alert)
    record.alert_id = alert.id
    for cancel in cancels:
        cancel.alert_id = alert.id
        session.add(cancel)
    session.flush()
    audit_alert(
        session,
        alert,
        "create",
        "received after its cancellation, stored as cancelled",
        actor=intake.actor,
        before=None,
        now=intake.now,
    )
    return f"late: cancelled before it arrived; stored as ended alert {alert.id}"


def _supersede(session: Session, alerts: list[Alert], *, keep: Alert, intake: Intake) -> str:
    """End every live alert of `alerts` but `keep`: one update now carries them all."""
    ended = []
    for alert in alerts:
        if alert.id == keep.id or alert.ended_at is not None:
            continue
        before = snapshot(alert)
        alert.ended_at = intake.now
        alert.end_reason = "superseded"
        alert.updated_at = intake.now
        alert.version += 1
        session.add(alert)
        session.flush()
        audit_alert(
            session,
            alert,
            "update",
            f"superseded by alert {keep.id}",
            actor=intake.actor,
            before=before,
            now=intake.now,
        )
        ended.append(str(alert.id))
    return f"; alert {', '.join(ended)} merged into it" if ended else ""


def _end(session: Session, alert: Alert, *, all_clear: bool, intake: Intake) -> None:
    all_clear_for = None
    if all_clear:
        # An alert that has expired meanwhile needs no card saying it is over.
        all_clear_for = intake.all_clear_for if alert.expires_at > intake.now else timedelta(0)
    assert alert.id is not None  # stored alerts have ids
    end_alert(
        session, alert_id=alert.id, all_clear_for=all_clear_for, actor=intake.actor, now=intake.now
    )


def _cancel(session: Session, record: CapMessage, earlier: list[Alert], intake: Intake) -> str:
    if not earlier:
        return "cancels nothing taken in yet; kept against late messages"
    record.alert_id = earlier[0].id
    live = [alert for alert in earlier if alert.ended_at is None]
    for alert in live:
        _end(session, alert, all_clear=False, intake=intake)
    if not live:
        return f"alert {earlier[0].id} had ended already"
    return f"cancelled alert {', '.join(str(alert.id) for alert in live)}"


def _update(
    session: Session,
    message: Message,
    record: CapMessage,
    earlier: list[Alert],
    intake: Intake,
    content: CapContent | None,
) -> str:
    live = [alert for alert in earlier if alert.ended_at is None]
    alert = live[0] if live else earlier[0]
    record.alert_id = alert.id
    if alert.ended_at is not None:
        return f"alert {alert.id} has ended ({alert.end_reason}) and stays ended"
    if message.sent < alert.sent_at:
        return f"out of order: alert {alert.id} already shows a newer message"
    merged = _supersede(session, earlier, keep=alert, intake=intake)
    if message.all_clear:
        _end(session, alert, all_clear=True, intake=intake)
        return f"all clear for alert {alert.id}{merged}"
    if content is None:
        return f"an update without an info block; alert {alert.id} is unchanged{merged}"
    if content.target is None:
        return f"an update without an area; alert {alert.id} is unchanged{merged}"
    before = snapshot(alert)
    alert.sender_name = content.sender_name
    alert.status = message.status
    alert.severity = content.severity
    alert.urgency = content.urgency
    alert.certainty = content.certainty
    alert.texts = content.texts
    alert.target = content.target.model_dump(mode="json")
    alert.sent_at = message.sent
    alert.effective_at = content.effective_at
    alert.onset_at = content.onset_at
    alert.expires_at = content.expires_at
    alert.updated_at = intake.now
    alert.version += 1
    session.add(alert)
    session.flush()
    audit_alert(
        session,
        alert,
        "update",
        "updated from CAP",
        actor=intake.actor,
        before=before,
        now=intake.now,
    )
    return f"updated alert {alert.id} to version {alert.version}{merged}"
