"""Whether an alert reaches a location: by name, tag, municipality or county code, or geometry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from server.models import Location
from server.services.alert_areas import AlertTarget, Circle, distance_km

# Svanstein, a village in Övertorneå (municipality 2518, Norrbotten county 25).
SVANSTEIN = (66.6569, 23.8576)
OVERTORNEA = (66.3886, 23.6547)
PAJALA = (67.2137, 23.3666)


def village(
    slug: str,
    point: tuple[float, float] | None,
    *,
    code: str = "2518",
    tags: list[str] | None = None,
) -> Location:
    return Location(
        slug=slug,
        name=slug,
        timezone="Europe/Stockholm",
        languages=["sv"],
        municipality_code=code,
        tags=tags or [],
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_a_target_reaches_named_locations_tags_and_codes_and_nothing_else() -> None:
    shop = village("byabutiken", SVANSTEIN, tags=["svanstein"])
    hall = village("sporthallen", OVERTORNEA, tags=["centralorten"])
    pajala = village("pajala-bibliotek", PAJALA, code="2521")
    oslo = village("oslo", None, code="0301")

    by_tag = AlertTarget(tags=("svanstein",))
    by_municipality = AlertTarget(codes=("2518",))
    by_county = AlertTarget(codes=("25",))
    by_name = AlertTarget(locations=("sporthallen",))

    assert [by_tag.reaches(place) for place in (shop, hall, pajala)] == [True, False, False]
    assert [by_municipality.reaches(place) for place in (shop, hall, pajala)] == [True, True, False]
    assert [by_county.reaches(place) for place in (shop, pajala, oslo)] == [True, True, False]
    assert [by_name.reaches(place) for place in (shop, hall)] == [False, True]
    assert AlertTarget(everywhere=True).reaches(oslo)


def test_a_polygon_and_a_circle_in_kilometres_reach_the_locations_inside() -> None:
    shop = village("byabutiken", SVANSTEIN)
    hall = village("sporthallen", OVERTORNEA)
    nowhere = village("okand", None)
    # A box around Svanstein only, as CAP writes it: lat,lon pairs, first = last.
    box = ((66.6, 23.7), (66.7, 23.7), (66.7, 24.0), (66.6, 24.0), (66.6, 23.7))
    polygon = AlertTarget(polygons=(box,))
    # Svanstein lies about 30 km north of Övertorneå.
    near = AlertTarget(
        circles=(Circle(latitude=OVERTORNEA[0], longitude=OVERTORNEA[1], radius_km=10),)
    )
    wide = AlertTarget(
        circles=(Circle(latitude=OVERTORNEA[0], longitude=OVERTORNEA[1], radius_km=35),)
    )

    assert 28 < distance_km(SVANSTEIN, OVERTORNEA) < 32
    assert [polygon.reaches(place) for place in (shop, hall, nowhere)] == [True, False, False]
    assert [near.reaches(place) for place in (shop, hall)] == [False, True]
    assert [wide.reaches(place) for place in (shop, hall)] == [True, True]


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ({}, "must say where it applies"),
        ({"codes": ["25180"]}, r"2 \(county\) or 4 \(municipality\) digits"),
        ({"polygons": [[[66.6, 23.7], [66.7, 23.7], [66.6, 23.7]]]}, "three distinct points"),
        ({"polygons": [[[123.0, 23.7], [66.7, 23.7], [66.7, 24.0]]]}, "less than or equal to 90"),
        ({"circles": [{"latitude": 66.0, "longitude": 23.0, "radius_km": 0}]}, "greater than 0"),
    ],
)
def test_a_target_that_cannot_be_placed_is_refused_with_the_reason(
    target: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem):
        AlertTarget.model_validate(target)
