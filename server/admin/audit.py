"""The audit log page: every change, newest first, with what each changed."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from server.admin.pages import LanguageDep, render, user_context
from server.admin.security import AuditLogin
from server.api.deps import SessionDep, SettingsDep
from server.services.audit import field_changes, logged_entities, recent_changes

router = APIRouter(prefix="/admin/audit", tags=["admin"], include_in_schema=False)

PAGE_SIZE = 50


@router.get("")
def audit_log(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: AuditLogin,
    entity: str | None = None,
    before: int | None = None,
) -> Response:
    entity = entity or None
    entries = recent_changes(session, entity=entity, before_id=before, limit=PAGE_SIZE + 1)
    older = entries[PAGE_SIZE - 1].id if len(entries) > PAGE_SIZE else None
    rows = [
        {
            "entry": entry,
            "at": entry.at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M:%S"),
            "changes": field_changes(entry),
        }
        for entry in entries[:PAGE_SIZE]
    ]
    return render(
        request,
        "audit/log.html",
        language=language,
        context={
            **user_context(login),
            "section": "audit",
            "rows": rows,
            "entities": logged_entities(session),
            "entity": entity,
            "older": older,
            "timezone": settings.timezone,
        },
    )
