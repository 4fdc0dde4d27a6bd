"""The duty officer's view of where an alert got: per screen delivered, displayed, unreachable.

The follow-up page shows it as it is when the page loads; `alerts.js` then asks
`/admin/alerts/{id}/deliveries` every few seconds and updates it in place, so the
operator watches the screens confirm one by one without reloading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlmodel import Session

from server.admin.pages import LanguageDep
from server.admin.security import AlertOperatorLogin
from server.api.deps import SessionDep
from server.errors import NotFound
from server.i18n import Translator
from server.models import Alert
from server.services.alert_deliveries import ScreenDelivery, alert_deliveries

router = APIRouter(prefix="/admin/alerts", tags=["admin"], include_in_schema=False)

# How often the page asks again, in milliseconds.
REFRESH_MS = 2000


@dataclass(frozen=True)
class DeliveryRow:
    """A screen's line in the list, in the page's language."""

    screen_id: int
    screen: str
    location: str
    state: str
    text: str


@dataclass(frozen=True)
class DeliveryPanel:
    summary: str
    rows: list[DeliveryRow]

    def as_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "screens": [
                {"id": row.screen_id, "state": row.state, "text": row.text} for row in self.rows
            ],
        }


def _state_text(delivery: ScreenDelivery, translate: Translator) -> str:
    if delivery.state == "displayed":
        if delivery.latency_s is None:
            return translate("Displayed")
        seconds = format_decimal(delivery.latency_s, format="0.0", locale=translate.language)
        return translate("Displayed, %(seconds)s s after sending", seconds=seconds)
    if delivery.state == "delivered":
        return translate("Delivered, not on screen yet")
    return translate("Unreachable: not connected")


def delivery_panel(session: Session, *, alert: Alert, translate: Translator) -> DeliveryPanel:
    deliveries = alert_deliveries(session, alert=alert)
    displayed = sum(delivery.state == "displayed" for delivery in deliveries)
    return DeliveryPanel(
        summary=translate(
            "%(displayed)s of %(total)s screens show it", displayed=displayed, total=len(deliveries)
        ),
        rows=[
            DeliveryRow(
                screen_id=delivery.screen_id,
                screen=delivery.screen_name,
                location=delivery.location_name,
                state=delivery.state,
                text=_state_text(delivery, translate),
            )
            for delivery in deliveries
        ],
    )


def shows_deliveries(alert: Alert) -> bool:
    """A cancelled alert has nothing left to display; a live one or its all-clear card has."""
    return alert.end_reason != "cancelled"


@router.get("/{alert_id}/deliveries")
def deliveries(
    alert_id: int, session: SessionDep, language: LanguageDep, _login: AlertOperatorLogin
) -> JSONResponse:
    """Where the alert's current version got, per screen, worded for the page."""
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert with id {alert_id}")
    panel = delivery_panel(session, alert=alert, translate=Translator(language))
    return JSONResponse(panel.as_json(), headers={"Cache-Control": "no-store"})
