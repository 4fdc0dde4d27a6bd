"""The audit log: every change, who made it, when, and the thing before and after."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic_core import to_jsonable_python
from sqlmodel import Session, SQLModel, col, select

from server.models import AuditEntry
from server.services.permissions import Actor

Action = Literal[
    "create",
    "update",
    "delete",
    "pair",
    "revoke",
    "move",
    "reorder",
    "request",
    "approve",
    "reject",
    "import",
]
# Never copied into the log: a hash of a secret is still something to guess at.
SECRET_FIELDS = frozenset({"password_hash", "token_hash"})
SUMMARY_MAX_LENGTH = 300


def snapshot(row: SQLModel, *, exclude: Iterable[str] = ()) -> dict[str, object]:
    """`row`'s columns as JSON-ready values, without secrets."""
    skip = SECRET_FIELDS | set(exclude)
    values = {name: getattr(row, name) for name in type(row).model_fields if name not in skip}
    jsonable: dict[str, object] = to_jsonable_python(values)
    return jsonable


def record_change(
    session: Session,
    *,
    actor: Actor,
    action: Action,
    entity: str,
    entity_id: str | int | None,
    summary: str,
    before: Mapping[str, object] | None = None,
    after: Mapping[str, object] | None = None,
    now: datetime,
) -> AuditEntry:
    """Add one entry to the log, in the caller's transaction: no change without its entry."""
    entry = AuditEntry(
        at=now,
        user_id=actor.user_id,
        actor=actor.name[:SUMMARY_MAX_LENGTH],
        action=action,
        entity=entity,
        entity_id=str(entity_id if entity_id is not None else ""),
        summary=summary[:SUMMARY_MAX_LENGTH],
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
    )
    session.add(entry)
    session.flush()
    return entry


def logged_entities(session: Session) -> list[str]:
    """The kinds of thing the log has entries about, for its filter."""
    return sorted(session.exec(select(AuditEntry.entity).distinct()))


def recent_changes(
    session: Session,
    *,
    entity: str | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """The newest entries first, optionally of one kind of thing, paged by id."""
    query = select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if before_id is not None:
        query = query.where(col(AuditEntry.id) < before_id)
    return list(session.exec(query))


@dataclass(frozen=True)
class FieldChange:
    """One field of a logged change, as text: what it was and what it became."""

    field: str
    before: str
    after: str


def field_changes(entry: AuditEntry) -> list[FieldChange]:
    """The fields an entry changed; for a creation or deletion, every field it had."""
    before = entry.before or {}
    after = entry.after or {}
    changes = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old != new or entry.before is None or entry.after is None:
            changes.append(FieldChange(name, _as_text(old), _as_text(new)))
    return changes


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
