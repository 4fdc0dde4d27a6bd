"""Where an alert applies, and whether a location is inside: names, tags, codes and geometry.

A target can name locations, location tags (villages, zones), administrative
codes (a Swedish municipality's four digits or a county's two; a Norwegian
municipality number), polygons and circles. A location is reached when any
part of the target reaches it. Coordinates are (latitude, longitude) in
degrees; circle radii are kilometres, as in CAP.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from server.models import Location

EARTH_RADIUS_KM = 6371.0088

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Point = tuple[Latitude, Longitude]


class Circle(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    latitude: Latitude
    longitude: Longitude
    radius_km: float = Field(gt=0, le=2000)


class AlertTarget(BaseModel):
    """Where an alert applies; stored as JSON on the alert."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    everywhere: bool = False
    locations: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    polygons: tuple[tuple[Point, ...], ...] = ()
    circles: tuple[Circle, ...] = ()

    @field_validator("codes")
    @classmethod
    def _digits(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        for code in codes:
            if not code.isdigit() or len(code) not in (2, 4):
                raise ValueError(
                    f"area code {code!r} must be 2 (county) or 4 (municipality) digits"
                )
        return codes

    @field_validator("polygons")
    @classmethod
    def _closed_rings(
        cls, polygons: tuple[tuple[Point, ...], ...]
    ) -> tuple[tuple[Point, ...], ...]:
        for polygon in polygons:
            if len(set(polygon)) < 3:
                raise ValueError("a polygon needs at least three distinct points")
        return polygons

    @model_validator(mode="after")
    def _somewhere(self) -> AlertTarget:
        if not (
            self.everywhere
            or self.locations
            or self.tags
            or self.codes
            or self.polygons
            or self.circles
        ):
            raise ValueError("an alert must say where it applies")
        return self

    def reaches(self, location: Location) -> bool:
        """Whether screens at `location` show the alert."""
        if self.everywhere or location.slug in self.locations:
            return True
        if set(self.tags) & set(location.tags):
            return True
        code = location.municipality_code
        if code and any(code == wanted or code[:2] == wanted for wanted in self.codes):
            return True
        if location.latitude is None or location.longitude is None:
            return False
        here = (location.latitude, location.longitude)
        return any(inside_polygon(here, polygon) for polygon in self.polygons) or any(
            distance_km(here, (circle.latitude, circle.longitude)) <= circle.radius_km
            for circle in self.circles
        )


def inside_polygon(point: Point, polygon: tuple[Point, ...]) -> bool:
    """Ray casting on latitude/longitude: exact enough for areas the size of a municipality."""
    latitude, longitude = point
    inside = False
    previous = polygon[-1]
    for current in polygon:
        (lat_a, lon_a), (lat_b, lon_b) = previous, current
        if (lat_a > latitude) != (lat_b > latitude):
            crossing = lon_a + (latitude - lat_a) * (lon_b - lon_a) / (lat_b - lat_a)
            if longitude < crossing:
                inside = not inside
        previous = current
    return inside


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    lat_a, lon_a, lat_b, lon_b = map(math.radians, (*a, *b))
    h = (
        math.sin((lat_b - lat_a) / 2) ** 2
        + math.cos(lat_a) * math.cos(lat_b) * math.sin((lon_b - lon_a) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
