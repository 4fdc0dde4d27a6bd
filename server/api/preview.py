"""The JSON API for the preview: what a location's screens show at a moment, and that day."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, Field

from server.api.auth import ApiEditor
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.services.preview import preview

router = APIRouter(prefix="/api/v1/preview", tags=["preview"])


class PreviewSlot(BaseModel):
    position: int = Field(description="The entry's place in its playlist, from 1.")
    item_id: int | None = Field(description="The item shown; null for an upcoming event.")
    event_id: int | None = Field(
        default=None, description="The calendar event an upcoming-events entry shows."
    )
    kind: str = Field(description="image, video, text or event.")
    title: str = Field(description="In the location's first language; a picture's file name.")
    starts_at: datetime = Field(description="When a screen starting at `at` shows it.")
    length_s: float = Field(description="How long it stays, cut short if the playlist changes.")


class PreviewPeriod(BaseModel):
    start: datetime
    end: datetime
    playlist: str | None = Field(description="The playlist in force; null: nothing plays.")
    priority: int | None
    slides: int = Field(description="How many slides its rotation has then.")


class OpeningStretch(BaseModel):
    start: datetime
    end: datetime
    open: bool = Field(description="Whether the opening hours keep the screens on.")


class PreviewPublic(BaseModel):
    location_id: int
    location: str
    timezone: str
    at: datetime = Field(description="The moment previewed.")
    open: bool = Field(description="Whether the screens are on then, by the opening hours.")
    playlist: str | None = Field(description="The playlist in force then; null: nothing plays.")
    priority: int | None
    slots: list[PreviewSlot] = Field(
        description="One round of the rotation, as a screen starting at `at` plays it."
    )
    timeline: list[PreviewPeriod] = Field(
        description="The local day of `at`, cut where the rotation changes."
    )
    opening: list[OpeningStretch] = Field(description="The same day, cut by the opening hours.")


@router.get("")
def get_preview(
    location_id: int,
    _actor: ApiEditor,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    at: AwareDatetime | None = None,
) -> PreviewPublic:
    """What the screens at a location show at `at` (default: now), evaluated exactly as the
    player evaluates its manifest, and the whole local day around it."""
    shown = preview(
        session,
        location_id=location_id,
        moment=at or clock(),
        horizon=timedelta(days=settings.manifest_horizon_days),
    )
    return PreviewPublic(
        location_id=shown.location_id,
        location=shown.location.name,
        timezone=shown.location.timezone,
        at=shown.moment,
        open=shown.open,
        playlist=shown.playlist,
        priority=shown.priority,
        slots=[
            PreviewSlot(
                position=slot.position,
                item_id=slot.card.item_id,
                event_id=slot.card.event_id,
                kind=slot.card.kind,
                title=slot.card.title,
                starts_at=slot.starts_at,
                length_s=slot.length_s,
            )
            for slot in shown.slots
        ],
        timeline=[
            PreviewPeriod(
                start=period.start,
                end=period.end,
                playlist=period.playlist,
                priority=period.priority,
                slides=period.slides,
            )
            for period in shown.periods
        ],
        opening=[
            OpeningStretch(start=stretch.start, end=stretch.end, open=stretch.open)
            for stretch in shown.opening
        ],
    )
