"""Screens acknowledging the alerts they put on screen: the duty officer's "displayed"."""

from __future__ import annotations

from fastapi import APIRouter, Response

from playlists.reports import AlertShown
from server.api.deps import ClockDep, CurrentScreen, SessionDep
from server.services.alert_deliveries import record_displayed

router = APIRouter(prefix="/api/device/v1", tags=["device"])


@router.post("/alerts/{alert_id}/ack", status_code=204, response_class=Response)
def acknowledge_alert(
    alert_id: str, shown: AlertShown, screen: CurrentScreen, session: SessionDep, clock: ClockDep
) -> Response:
    """The screen shows `shown.version` of the alert (its manifest id, "alert-12"); repeating
    an acknowledgement changes nothing."""
    record_displayed(session, screen=screen, wire_id=alert_id, shown=shown, now=clock())
    return Response(status_code=204)
