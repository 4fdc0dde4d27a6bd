"""The schedule pages: put a playlist on a location or a tag with a form, and see the schedule."""

# The schedule writes its ranges with an en dash, as residents read them.
# ruff: noqa: RUF001

from __future__ import annotations

import re
from datetime import UTC, datetime, time

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.schedules import place, slides, visible_text
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.db import session_scope
from server.models import Assignment, Role
from server.services import content

pytestmark = pytest.mark.anyio
NEW = "/admin/assignments/new"


def arrange(engine: Engine, clock: FakeClock) -> tuple[int, int, int]:
    """The shop (tags svanstein, tornedalen), the sports hall (tornedalen); two playlists."""
    with session_scope(engine) as session:
        found = [
            place(session, name="Byabutiken", tags=["svanstein", "tornedalen"], now=clock()),
            place(session, name="Sporthallen", tags=["tornedalen"], now=clock()),
        ]
        [item] = slides(session, "Kaffe", now=clock())
        morning = content.create_playlist(session, name="Morgon", entries=[item])
        content.create_playlist(session, name="Vardag", entries=[item])
        session.flush()
        shop_id, _hall_id = (location.id for location in found)
        assert shop_id is not None
        assert morning.id is not None
        return shop_id, morning.id, found[1].id or 0


def stored(engine: Engine) -> list[Assignment]:
    with Session(engine) as session:
        return list(session.exec(select(Assignment)))


async def editor(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> str:
    add_user(engine, now=clock())
    await log_in(client)
    return await page_token(client, NEW)


async def test_the_form_offers_weekdays_monday_first_and_explains_priority(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    arrange(engine, clock)
    await editor(client, engine, clock)

    page = await client.get(NEW)

    text = visible_text(page.text)
    assert "måndag tisdag onsdag torsdag fredag lördag söndag" in text
    assert "Där två schemaläggningar överlappar spelas den med högst prioritet" in text
    assert page.text.count('name="weekday"') == 7
    assert page.text.count("checked") == 7
    assert (
        '<option value="tag:tornedalen">tornedalen (Byabutiken, Sporthallen)</option>' in page.text
    )


async def test_an_editor_schedules_a_morning_playlist_on_weekdays_and_sees_it_listed(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    shop_id, morning_id, _hall_id = arrange(engine, clock)
    token = await editor(client, engine, clock)

    saved = await client.post(
        "/admin/assignments",
        data={
            "csrf_token": token,
            "playlist": str(morning_id),
            "target": f"location:{shop_id}",
            "weekday": ["1", "2", "3", "4", "5"],
            "start_time": "07:00",
            "end_time": "10:00",
            "first_day": "2026-03-02",
            "last_day": "2026-04-30",
            "priority": "10",
        },
    )
    schedule = await client.get(saved.headers["location"])

    assert saved.status_code == 303
    assert saved.headers["location"] == "/admin/assignments?saved=1"
    [assignment] = stored(engine)
    assert (assignment.location_id, assignment.weekdays, assignment.priority) == (
        shop_id,
        [1, 2, 3, 4, 5],
        10,
    )
    assert (assignment.start_time, assignment.end_time) == (time(7), time(10))
    assert assignment.valid_from == datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    assert assignment.valid_until == datetime(2026, 4, 30, 22, 0, tzinfo=UTC)
    text = visible_text(schedule.text)
    assert "Sparat." in text
    assert (
        "Byabutiken Spelar också det som är schemalagt för platsens taggar: svanstein, tornedalen"
        " Morgon mån–fre · 07:00–10:00 · 2 mars 2026–30 apr. 2026 prioritet 10"
    ) in text


async def test_a_tag_assignment_is_listed_under_its_tag_with_the_locations_it_reaches(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    _shop_id, morning_id, _hall_id = arrange(engine, clock)
    token = await editor(client, engine, clock)

    await client.post(
        "/admin/assignments",
        data={
            "csrf_token": token,
            "playlist": str(morning_id),
            "target": "tag:tornedalen",
            "weekday": ["6", "7"],
            "start_time": "22:00",
            "end_time": "02:00",
            "priority": "0",
        },
    )
    schedule = await client.get("/admin/assignments")

    [assignment] = stored(engine)
    assert (assignment.location_id, assignment.location_tag) == (None, "tornedalen")
    assert (
        "taggen tornedalen Spelas på alla platser med taggen: Byabutiken, Sporthallen"
        " Morgon lör, sön · 22:00–02:00 (över midnatt) · tills vidare prioritet 0"
    ) in visible_text(schedule.text)


async def test_an_assignment_without_weekdays_is_refused_and_the_form_keeps_the_rest(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    shop_id, morning_id, _hall_id = arrange(engine, clock)
    token = await editor(client, engine, clock)

    refused = await client.post(
        "/admin/assignments",
        data={
            "csrf_token": token,
            "playlist": str(morning_id),
            "target": f"location:{shop_id}",
            "start_time": "07:00",
            "end_time": "10:00",
            "priority": "10",
        },
    )

    assert refused.status_code == 422
    assert "Välj minst en veckodag." in refused.text
    assert f'<option value="{morning_id}" selected>Morgon</option>' in refused.text
    assert f'<option value="location:{shop_id}" selected>Byabutiken</option>' in refused.text
    assert 'value="07:00"' in refused.text
    assert 'value="10"' in refused.text
    assert "checked" not in refused.text
    assert stored(engine) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_time": ""}, "Ange både start- och sluttid"),
        ({"last_day": "2026-03-01"}, "Sista dagen kommer före den första."),
        ({"priority": "hög"}, "Prioriteten ska vara ett heltal från 0 till 1000."),
        ({"target": ""}, "Välj var den ska spelas: en plats eller en tagg."),
    ],
)
async def test_a_refused_assignment_says_what_to_change(
    client: httpx.AsyncClient,
    engine: Engine,
    clock: FakeClock,
    changes: dict[str, str],
    message: str,
) -> None:
    shop_id, morning_id, _hall_id = arrange(engine, clock)
    token = await editor(client, engine, clock)
    data = {
        "csrf_token": token,
        "playlist": str(morning_id),
        "target": f"location:{shop_id}",
        "weekday": "1",
        "start_time": "07:00",
        "end_time": "10:00",
        "first_day": "2026-03-02",
        "last_day": "2026-03-06",
        "priority": "10",
        **changes,
    }

    refused = await client.post("/admin/assignments", data=data)

    assert refused.status_code == 422
    assert message in refused.text
    assert stored(engine) == []


async def test_a_change_based_on_an_old_reading_is_refused_showing_what_is_saved(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    shop_id, morning_id, _hall_id = arrange(engine, clock)
    token = await editor(client, engine, clock)
    await client.post(
        "/admin/assignments",
        data={
            "csrf_token": token,
            "playlist": str(morning_id),
            "target": f"location:{shop_id}",
            "weekday": ["1", "2"],
            "priority": "5",
        },
    )
    [assignment] = stored(engine)
    url = f"/admin/assignments/{assignment.id}"
    opened = await client.get(url)
    old_revision = re.search(r'name="revision" value="([0-9a-f]+)"', opened.text)
    assert old_revision is not None
    form = {
        "csrf_token": token,
        "playlist": str(morning_id),
        "target": f"location:{shop_id}",
        "weekday": ["1", "2"],
        "revision": old_revision.group(1),
    }

    first = await client.post(url, data={**form, "priority": "7"})
    second = await client.post(url, data={**form, "priority": "9"})
    new_revision = re.search(r'name="revision" value="([0-9a-f]+)"', second.text)
    assert new_revision is not None
    again = await client.post(
        url, data={**form, "priority": "9", "revision": new_revision.group(1)}
    )

    assert first.status_code == 303
    assert second.status_code == 409
    assert (
        "Sparat nu: Morgon på Byabutiken, mån, tis, hela dygnet, tills vidare, prioritet 7."
        in visible_text(second.text)
    )
    assert 'value="9"' in second.text
    assert again.status_code == 303
    assert stored(engine)[0].priority == 9


async def test_deleting_an_assignment_takes_it_off_the_schedule(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    shop_id, morning_id, _hall_id = arrange(engine, clock)
    with session_scope(engine) as session:
        session.add(Assignment(playlist_id=morning_id, location_id=shop_id, weekdays=[1]))
    token = await editor(client, engine, clock)
    [assignment] = stored(engine)

    deleted = await client.post(
        f"/admin/assignments/{assignment.id}/delete", data={"csrf_token": token}
    )
    schedule = await client.get(deleted.headers["location"])

    assert deleted.status_code == 303
    assert stored(engine) == []
    assert "Schemaläggningen togs bort." in schedule.text
    assert "Inget är schemalagt än." in schedule.text


async def test_a_moderator_may_not_open_or_change_the_schedule(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    shop_id, morning_id, _hall_id = arrange(engine, clock)
    add_user(engine, now=clock(), username="maja", role=Role.MODERATOR)
    await log_in(client, username="maja")
    token = await page_token(client)

    page = await client.get("/admin/assignments")
    posted = await client.post(
        "/admin/assignments",
        data={
            "csrf_token": token,
            "playlist": str(morning_id),
            "target": f"location:{shop_id}",
            "weekday": "1",
        },
    )

    assert (page.status_code, posted.status_code) == (403, 403)
    assert stored(engine) == []
