"""The duty officer targets a circle around a place or a pasted polygon, and sees the reach."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.cap_places import add_places
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.models import Alert, Role

pytestmark = pytest.mark.anyio

NEW = "/admin/alerts/new"
YARD = "65.836,24.129"  # Haparanda bangård, as the form offers it
AROUND_KUKKOLA = """65.90, 24.00
65.90, 24.10
66.00, 24.10
66.00, 24.00"""


def area_form(csrf: str, action: str, **changes: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "version": "0",
        "headline": "Gasläcka vid bangården",
        "description": "",
        "instruction": "Håll dig inomhus.",
        "severity": "extreme",
        "hours": "2",
        "action": action,
        **changes,
    }


def reach_of(page: str) -> str:
    return page.split("Vart det går")[1]


@pytest.fixture
async def operator(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> str:
    add_places(engine, clock())
    add_user(engine, now=clock(), username="tib", role=Role.ALERT_OPERATOR)
    await log_in(client, username="tib")
    return await page_token(client, NEW)


async def test_a_circle_around_a_place_reaches_what_lies_within_its_radius(
    client: httpx.AsyncClient, engine: Engine, operator: str
) -> None:
    form = area_form(operator, "preview", circle_centre=YARD, circle_radius="3")

    preview = await client.post(NEW, data=form)
    sent = await client.post(NEW, data={**form, "action": "send"})

    assert '<option value="65.836,24.129" selected>Haparanda bangård</option>' in preview.text
    assert "<strong>Haparanda bangård</strong>" in reach_of(preview.text)
    # Kukkolaforsen is 13 km up the river.
    assert "Kukkolaforsen" not in reach_of(preview.text)
    assert sent.status_code == 303
    with Session(engine) as session:
        alert = session.exec(select(Alert)).one()
    assert alert.target["circles"] == [{"latitude": 65.836, "longitude": 24.129, "radius_km": 3.0}]
    follow_up = await client.get(sent.headers["location"])
    assert '<option value="65.836,24.129" selected>Haparanda bangård</option>' in follow_up.text


async def test_a_pasted_polygon_over_several_lines_reaches_the_places_inside(
    client: httpx.AsyncClient, operator: str
) -> None:
    preview = await client.post(NEW, data=area_form(operator, "preview", polygon=AROUND_KUKKOLA))

    assert preview.status_code == 200
    assert "<strong>Kukkolaforsen</strong>" in reach_of(preview.text)
    assert "Haparanda bangård" not in reach_of(preview.text)


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"polygon": "65.9 24.0 66.0 24.1"}, "Skriv områdets hörn som latitud,longitud-par"),
        ({"polygon": "65.9,24.0 66.0,24.1"}, "Ett område behöver minst tre olika hörn."),
        ({"polygon": "65.9,24.0 166.0,24.1 66.0,24.2"}, "så 166,24.1 kan inte vara en plats"),
        ({"circle_radius": "5"}, "Välj platsen i cirkelns mitt."),
        ({"circle_centre": YARD, "circle_radius": "0"}, "En cirkels radie är mer än 0"),
    ],
)
async def test_a_bad_area_is_refused_with_why_and_the_form_kept(
    client: httpx.AsyncClient, engine: Engine, operator: str, changes: dict[str, str], refusal: str
) -> None:
    refused = await client.post(NEW, data=area_form(operator, "send", **changes))

    assert refused.status_code == 422
    assert refusal in refused.text
    assert 'value="Gasläcka vid bangården"' in refused.text
    with Session(engine) as session:
        assert session.exec(select(Alert)).all() == []


async def test_the_area_refusal_reads_in_english_too(
    client: httpx.AsyncClient, operator: str
) -> None:
    await client.get(f"{NEW}?lang=en")

    refused = await client.post(NEW, data=area_form(operator, "send", polygon="65.9,24.0"))

    assert "An area needs at least three different corners." in refused.text
