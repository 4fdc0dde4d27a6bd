"""The JSON API for screens: list them, pair one by its code, rename, move, revoke, remove."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from server.api.auth import ApiScreenAdmin, ApiViewer
from server.api.deps import ClockDep, SessionDep
from server.models import Screen
from server.services.dashboard import is_online
from server.services.screens import (
    get_screen,
    list_screens,
    move_screen,
    pair_screen,
    remove_screen,
    rename_screen,
    revoke_screen,
)

router = APIRouter(prefix="/api/v1/screens", tags=["screens"])


class ScreenPair(BaseModel):
    """Claim the code a new player shows: it becomes this screen at that location."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="The code on the screen, typed as read: “K7M 4PX”, “k7m4px”.")
    name: str = Field(description="Where it hangs: “Vid kassan”.")
    location_id: int = Field(description="The location it stands at.")


class ScreenUpdate(BaseModel):
    """A new name, another location, or both."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    location_id: int | None = Field(
        default=None, description="Moves the screen: its next manifest is that location's."
    )


class ScreenPublic(BaseModel):
    id: int
    name: str
    location_id: int
    location: str = Field(description="The location's slug.")
    created_at: datetime = Field(description="When it was paired.")
    last_seen_at: datetime | None
    online: bool = Field(description="Seen within the last two minutes (never when revoked).")
    revoked_at: datetime | None = Field(description="Set once revoked: its token no longer works.")

    @classmethod
    def of(cls, screen: Screen, *, now: datetime) -> ScreenPublic:
        assert screen.id is not None
        assert screen.location_id is not None
        return cls(
            id=screen.id,
            name=screen.name,
            location_id=screen.location_id,
            location=screen.location.slug,
            created_at=screen.created_at,
            last_seen_at=screen.last_seen_at,
            online=screen.revoked_at is None and is_online(screen, now),
            revoked_at=screen.revoked_at,
        )


@router.get("")
def read_screens(
    session: SessionDep, clock: ClockDep, _actor: ApiViewer, location_id: int | None = None
) -> list[ScreenPublic]:
    """Every screen, revoked ones too, or those at one location."""
    now = clock()
    return [
        ScreenPublic.of(screen, now=now)
        for screen in list_screens(session, location_id=location_id)
    ]


@router.post("", status_code=201)
def pair(
    body: ScreenPair, session: SessionDep, clock: ClockDep, actor: ApiScreenAdmin
) -> ScreenPublic:
    """Pair the player showing `code`; 404 when no player shows it (codes last 24 hours)."""
    screen = pair_screen(
        session,
        code=body.code,
        location_id=body.location_id,
        name=body.name,
        actor=actor,
        now=clock(),
    )
    return ScreenPublic.of(screen, now=clock())


@router.get("/{screen_id}")
def read_screen(
    screen_id: int, session: SessionDep, clock: ClockDep, _actor: ApiViewer
) -> ScreenPublic:
    """One screen."""
    return ScreenPublic.of(get_screen(session, screen_id=screen_id), now=clock())


@router.patch("/{screen_id}")
def change_screen(
    screen_id: int, body: ScreenUpdate, session: SessionDep, clock: ClockDep, actor: ApiScreenAdmin
) -> ScreenPublic:
    """Rename the screen and/or move it to another location."""
    if body.name is not None:
        rename_screen(session, screen_id=screen_id, name=body.name, actor=actor, now=clock())
    if body.location_id is not None:
        move_screen(
            session, screen_id=screen_id, location_id=body.location_id, actor=actor, now=clock()
        )
    return ScreenPublic.of(get_screen(session, screen_id=screen_id), now=clock())


@router.post("/{screen_id}/revoke")
def revoke(
    screen_id: int, session: SessionDep, clock: ClockDep, actor: ApiScreenAdmin
) -> ScreenPublic:
    """Take the screen's token away: its player goes back to showing a pairing code."""
    screen = revoke_screen(session, screen_id=screen_id, actor=actor, now=clock())
    return ScreenPublic.of(screen, now=clock())


@router.delete("/{screen_id}", status_code=204)
def remove(screen_id: int, session: SessionDep, clock: ClockDep, actor: ApiScreenAdmin) -> Response:
    """Delete a revoked screen and its reports; 409 while it is not revoked."""
    remove_screen(session, screen_id=screen_id, actor=actor, now=clock())
    return Response(status_code=204)
