"""The device API a new player uses before it is a screen: a pairing code, then its status."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from server.api.deps import ClockDep, SessionDep, device_bearer
from server.services.pairing import POLL_INTERVAL_S, pairing_status, start_pairing

router = APIRouter(prefix="/api/device/v1", tags=["device"])


class PairingStart(BaseModel):
    player_version: str = Field(default="", max_length=64)
    hostname: str = Field(default="", max_length=200)


class PairingCode(BaseModel):
    code: str
    token: str = Field(description="Keep it: once the code is claimed, it is the device token.")
    expires_at: datetime
    poll_interval_s: int


class PairingState(BaseModel):
    status: Literal["pending", "paired"]
    code: str
    expires_at: datetime
    screen: str | None = None
    location: str | None = None


@router.post("/pairing", status_code=201)
def request_pairing(
    body: PairingStart, request: Request, session: SessionDep, clock: ClockDep
) -> PairingCode:
    """A code for a new player to show until an admin claims it (no token needed)."""
    address = request.client.host if request.client is not None else "unknown"
    pairing, token = start_pairing(
        session,
        address=address,
        player_version=body.player_version,
        hostname=body.hostname,
        now=clock(),
    )
    return PairingCode(
        code=pairing.code,
        token=token,
        expires_at=pairing.expires_at,
        poll_interval_s=POLL_INTERVAL_S,
    )


@router.get("/pairing")
def get_pairing(
    session: SessionDep,
    clock: ClockDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(device_bearer)],
) -> PairingState:
    """Whether the code is claimed yet; 401 once it has expired (ask for a new one)."""
    token = credentials.credentials if credentials is not None else None
    state = pairing_status(session, token=token, now=clock())
    screen = state.screen
    return PairingState(
        status=state.status,
        code=state.code,
        expires_at=state.expires_at,
        screen=screen.name if screen is not None else None,
        location=screen.location.name if screen is not None else None,
    )
