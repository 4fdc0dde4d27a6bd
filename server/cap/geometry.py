"""Polygons and circles written as CAP writes them, read strictly enough to be right.

A polygon is whitespace-separated `latitude,longitude` pairs (first = last), a
circle `latitude,longitude radius` with the radius in kilometres. Runs of spaces,
tabs and newlines all separate pairs, and a space after a comma is forgiven.
The same reading serves feeds and the duty officer's form; its refusals are
worded for the form and translated there.
"""

from __future__ import annotations

import itertools
import math
import re

from server.cap.model import Circle, Point
from server.errors import Refused
from server.i18n import marked as _
from server.services.alert_areas import distance_km

MAX_RADIUS_KM = 2000.0

_AROUND_COMMA = re.compile(r"\s*,\s*")
_POLYGON_FORMAT = _(
    "Write the area's corners as latitude,longitude pairs separated by spaces or new lines, "
    "for example 66.05,23.65 66.10,23.80 66.00,23.85."
)
_CIRCLE_FORMAT = _(
    "Write a circle as latitude,longitude and a radius in kilometres, for example 66.05,23.65 5."
)
_OUT_OF_RANGE = _(
    "A latitude is between -90 and 90 and a longitude between -180 and 180, so %(point)s "
    "cannot be a place. Are the two swapped?"
)


class BadArea(Refused):
    """Coordinates that do not make an area."""


def _tokens(text: str) -> list[str]:
    return _AROUND_COMMA.sub(",", text.replace(";", " ").strip()).split()


def _point(token: str, refusal: str) -> Point:
    parts = token.split(",")
    if len(parts) != 2:
        raise BadArea(refusal)
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except ValueError:
        raise BadArea(refusal) from None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise BadArea(refusal)
    return latitude, longitude


def _on_earth(point: Point) -> bool:
    return -90 <= point[0] <= 90 and -180 <= point[1] <= 180


def _placed(points: list[Point], *, fix_swapped: bool) -> tuple[list[Point], bool]:
    """`points`, swapped to (latitude, longitude) where they can only have been reversed."""
    if all(_on_earth(point) for point in points):
        return points, False
    swapped = [(longitude, latitude) for latitude, longitude in points]
    if fix_swapped and all(_on_earth(point) for point in swapped):
        return swapped, True
    stray = next(point for point in points if not _on_earth(point))
    raise BadArea(_OUT_OF_RANGE, point=f"{stray[0]:g},{stray[1]:g}")


def _twice_the_area(ring: list[Point]) -> float:
    return sum(a[1] * b[0] - b[1] * a[0] for a, b in itertools.pairwise(ring))


def read_polygon(text: str, *, fix_swapped: bool) -> tuple[tuple[Point, ...], bool]:
    """The closed ring `text` describes, and whether its pairs had to be swapped.

    `fix_swapped` turns pairs that only make sense as longitude,latitude around
    (as some feeds send them); without it such pairs are refused.
    """
    tokens = _tokens(text)
    if not tokens:
        raise BadArea(_POLYGON_FORMAT)
    points, swapped = _placed(
        [_point(token, _POLYGON_FORMAT) for token in tokens], fix_swapped=fix_swapped
    )
    if points[0] != points[-1]:
        points.append(points[0])
    if len(set(points)) < 3:
        raise BadArea(_("An area needs at least three different corners."))
    if abs(_twice_the_area(points)) < 1e-12:
        raise BadArea(_("The area's corners lie on one line, so it encloses nothing."))
    return tuple(points), swapped


def check_radius(radius_km: float) -> float:
    if not (math.isfinite(radius_km) and 0 < radius_km <= MAX_RADIUS_KM):
        raise BadArea(_("A circle's radius is more than 0 and at most 2000 kilometres."))
    return radius_km


def read_circle(text: str, *, fix_swapped: bool) -> tuple[Circle, bool]:
    """The circle `text` describes (radius in kilometres), and whether its centre was swapped."""
    tokens = _tokens(text)
    if len(tokens) != 2:
        raise BadArea(_CIRCLE_FORMAT)
    [centre], swapped = _placed([_point(tokens[0], _CIRCLE_FORMAT)], fix_swapped=fix_swapped)
    try:
        radius = float(tokens[1])
    except ValueError:
        raise BadArea(_CIRCLE_FORMAT) from None
    return Circle(centre[0], centre[1], check_radius(radius)), swapped


# A ring whose centre is this far from every location, and would be this near one with its
# pairs swapped, was written longitude,latitude: no feed warns of a place 1500 km away
# that happens to be our own places mirrored.
_FAR_KM = 1500.0
_NEAR_KM = 300.0


def looks_swapped(ring: tuple[Point, ...], *, places: list[Point]) -> bool:
    """Whether `ring` only makes sense as longitude,latitude pairs, judged by `places`.

    In the Nordic countries both readings of a pair are valid coordinates, so only
    where the area would land tells them apart.
    """
    corners = set(ring)
    centre = (
        sum(point[0] for point in corners) / len(corners),
        sum(point[1] for point in corners) / len(corners),
    )
    mirrored = (centre[1], centre[0])
    if not places or not _on_earth(mirrored):
        return False
    return min(distance_km(centre, place) for place in places) > _FAR_KM and any(
        distance_km(mirrored, place) < _NEAR_KM for place in places
    )


def write_polygon(ring: tuple[Point, ...]) -> str:
    """`ring` as CAP writes it: `lat,lon` pairs separated by single spaces, first = last."""
    closed = ring if ring[0] == ring[-1] else (*ring, ring[0])
    return " ".join(f"{latitude!r},{longitude!r}" for latitude, longitude in closed)
