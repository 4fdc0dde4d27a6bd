"""The JSON API for locations: list, read, create, change (with its version) and delete them."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from playlists.manifest import OpeningHours
from server.api.auth import ApiScreenAdmin, ApiViewer
from server.api.deps import ClockDep, SessionDep
from server.models import Location
from server.services.location_rules import LocationDetails
from server.services.locations import (
    create_location,
    delete_location,
    details_of,
    get_location,
    list_locations,
    update_location,
)

router = APIRouter(prefix="/api/v1/locations", tags=["locations"])

_NAME = "What people call the place: “Byabutiken i Svanstein”."
_SLUG = "Names the location in addresses and on the command line: a-z, 0-9 and single hyphens."
_TAGS = "Villages and zones it belongs to; stored as lowercase slugs. Assignments can target a tag."
_ZONE = "An IANA time zone; weekdays, time windows and opening hours follow its wall clock."
_LANGUAGES = "Display languages in order, the first the main one: sv, fit, se, fi, nb, nn, en."
_MODE = "How an item in several languages is shown: all `together` or each `alternate`ly."
_HOURS = (
    "When the screens are on, per ISO weekday (1 = Monday); at most two periods a day, a"
    " `closes` at or before `opens` runs past midnight. Empty: on around the clock."
)
_CODE = "The official municipality code: four digits (SCB in Sweden, Kartverket in Norway)."


class LocationCreate(BaseModel):
    """A new location; a missing slug is made from the name."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description=_NAME)
    slug: str = Field(default="", description=_SLUG)
    timezone: str = Field(default="Europe/Stockholm", description=_ZONE)
    languages: list[str] = Field(default=["sv"], description=_LANGUAGES)
    language_mode: Literal["alternate", "both"] = Field(default="both", description=_MODE)
    address: str = Field(default="", description="The street address, for people.")
    latitude: float | None = Field(default=None, description="WGS 84 degrees, -90 to 90.")
    longitude: float | None = Field(default=None, description="WGS 84 degrees, -180 to 180.")
    municipality_code: str = Field(default="", description=_CODE)
    tags: list[str] = Field(default=[], description=_TAGS)
    opening_hours: list[OpeningHours] = Field(default=[], description=_HOURS)

    def details(self) -> LocationDetails:
        return LocationDetails(
            **{name: _held(getattr(self, name)) for name in type(self).model_fields}
        )


class LocationUpdate(BaseModel):
    """The fields to change; the others stay. `version` is the one the change is based on."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="The version read; a newer stored one answers 409.")
    name: str | None = Field(default=None, description=_NAME)
    slug: str | None = Field(default=None, description=_SLUG)
    timezone: str | None = Field(default=None, description=_ZONE)
    languages: list[str] | None = Field(default=None, description=_LANGUAGES)
    language_mode: Literal["alternate", "both"] | None = Field(default=None, description=_MODE)
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    municipality_code: str | None = Field(default=None, description=_CODE)
    tags: list[str] | None = Field(default=None, description=_TAGS)
    opening_hours: list[OpeningHours] | None = Field(default=None, description=_HOURS)

    def applied_to(self, old: LocationDetails) -> LocationDetails:
        """`old` with the fields this update sets; an explicit null clears a coordinate."""
        changes = {
            name: _held(getattr(self, name))
            for name in self.model_fields_set - {"version"}
            if getattr(self, name) is not None or name in ("latitude", "longitude")
        }
        return replace(old, **changes)


def _held(value: Any) -> Any:
    """A request's value as LocationDetails holds it: lists as tuples."""
    return tuple(value) if isinstance(value, list) else value


class LocationPublic(BaseModel):
    id: int
    slug: str
    name: str
    timezone: str
    languages: list[str]
    language_mode: str
    address: str
    latitude: float | None
    longitude: float | None
    municipality_code: str
    tags: list[str]
    opening_hours: list[OpeningHours]
    version: int = Field(description="Send it back with a change.")
    created_at: datetime

    @classmethod
    def of(cls, location: Location) -> LocationPublic:
        assert location.id is not None
        return cls(
            id=location.id,
            version=location.version,
            created_at=location.created_at,
            **asdict(details_of(location)),
        )


@router.get("")
def read_locations(session: SessionDep, _actor: ApiViewer) -> list[LocationPublic]:
    """Every location, by name."""
    return [LocationPublic.of(location) for location in list_locations(session)]


@router.post("", status_code=201)
def add_location(
    body: LocationCreate, session: SessionDep, clock: ClockDep, actor: ApiScreenAdmin
) -> LocationPublic:
    """Create a location (422 naming every field that is wrong; 409 when the slug is taken)."""
    location = create_location(session, details=body.details(), actor=actor, now=clock())
    return LocationPublic.of(location)


@router.get("/{location_id}")
def read_location(location_id: int, session: SessionDep, _actor: ApiViewer) -> LocationPublic:
    """One location, with the `version` a change must send back."""
    return LocationPublic.of(get_location(session, location_id=location_id))


@router.patch("/{location_id}")
def change_location(
    location_id: int,
    body: LocationUpdate,
    session: SessionDep,
    clock: ClockDep,
    actor: ApiScreenAdmin,
) -> LocationPublic:
    """Change some fields; 409 when someone saved the location since `version`."""
    location = get_location(session, location_id=location_id)
    location = update_location(
        session,
        location_id=location_id,
        details=body.applied_to(details_of(location)),
        expected_version=body.version,
        actor=actor,
        now=clock(),
    )
    return LocationPublic.of(location)


@router.delete("/{location_id}", status_code=204)
def remove_location(
    location_id: int, session: SessionDep, clock: ClockDep, actor: ApiScreenAdmin
) -> Response:
    """Delete a location and its own assignments; 409 naming its screens while it has any."""
    delete_location(session, location_id=location_id, actor=actor, now=clock())
    return Response(status_code=204)
