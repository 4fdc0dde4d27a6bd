"""Delivery confirmation: what the duty officer sees per screen, from the screens' own reports.

A screen that fetched the alert has it delivered; one that acknowledged it on
screen has it displayed, with the latency from the operator's send — right even
when the screen's clock is an hour off; one that did neither is unreachable.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from anslag_testing.admin import log_in, page_token
from anslag_testing.alerting import OPERATOR, Screens, arrange_two_places
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine

pytestmark = pytest.mark.anyio

MANIFEST = "/api/device/v1/manifest"


@pytest.fixture
def screens(engine: Engine, clock: FakeClock) -> Screens:
    return arrange_two_places(engine, now=clock())


async def raise_everywhere(client: httpx.AsyncClient) -> int:
    await log_in(client, username=OPERATOR)
    csrf = await page_token(client, "/admin/alerts/new")
    sent = await client.post(
        "/admin/alerts/new",
        data={
            "csrf_token": csrf,
            "version": "0",
            "headline": "Vattnet är avstängt",
            "severity": "severe",
            "target": "everywhere",
            "hours": "4",
            "action": "send",
        },
    )
    assert sent.status_code == 303, sent.text
    return int(sent.headers["location"].split("/")[-1].split("?")[0])


def shown(clock: FakeClock, *, clock_off_by: timedelta, after_s: float) -> dict[str, object]:
    """An acknowledgement as a player whose clock is `clock_off_by` wrong sends it: the
    manifest arrived now, and the alert was on screen `after_s` later."""
    received = clock() + clock_off_by
    return {
        "version": 1,
        "received_at": received.isoformat(),
        "displayed_at": (received + timedelta(seconds=after_s)).isoformat(),
    }


async def states(client: httpx.AsyncClient, alert_id: int) -> tuple[str, dict[int, str]]:
    answer = (await client.get(f"/admin/alerts/{alert_id}/deliveries")).json()
    return answer["summary"], {screen["id"]: screen["text"] for screen in answer["screens"]}


async def test_the_operator_sees_each_screen_delivered_displayed_with_latency_or_unreachable(
    client: httpx.AsyncClient, screens: Screens, clock: FakeClock
) -> None:
    alert_id = await raise_everywhere(client)
    sent = await states(client, alert_id)

    clock.advance(timedelta(seconds=2))
    await client.get(MANIFEST, headers=bearer(screens.shop_token))
    fetched = await states(client, alert_id)

    clock.advance(timedelta(seconds=1))
    acknowledged = await client.post(
        f"/api/device/v1/alerts/alert-{alert_id}/ack",
        headers=bearer(screens.shop_token),
        json=shown(clock, clock_off_by=timedelta(hours=-1), after_s=0.5),
    )
    displayed = await states(client, alert_id)
    english = (await client.get(f"/admin/alerts/{alert_id}/deliveries?lang=en")).json()

    shop, hall = screens.shop_screen, screens.hall_screen
    unreachable = "Nås inte: skärmen är inte ansluten"
    assert sent == ("0 av 2 skärmar visar det", {shop: unreachable, hall: unreachable})
    assert fetched == (
        "0 av 2 skärmar visar det",
        {shop: "Levererat, visas inte än", hall: unreachable},
    )
    assert acknowledged.status_code == 204
    # 2 s to the fetch by the server's clock, 0.5 s to the screen by the player's.
    assert displayed == (
        "1 av 2 skärmar visar det",
        {shop: "Visas, 2,5 s efter att det skickades", hall: unreachable},
    )
    assert english["summary"] == "1 of 2 screens show it"
    assert english["screens"][0] == {
        "id": shop,
        "state": "displayed",
        "text": "Displayed, 2.5 s after sending",
    }


async def test_the_follow_up_page_shows_the_screens_and_keeps_asking(
    client: httpx.AsyncClient, screens: Screens
) -> None:
    alert_id = await raise_everywhere(client)

    page = (await client.get(f"/admin/alerts/{alert_id}")).text

    assert f'data-deliveries="/admin/alerts/{alert_id}/deliveries"' in page
    assert "0 av 2 skärmar visar det" in page
    assert f'data-screen="{screens.shop_screen}"' in page
    assert '<strong>Entrén</strong> <span class="detail">Sporthallen</span>' in page
    assert '<script src="/admin/static/alerts.js" defer></script>' in page


async def test_a_cancelled_alert_shows_no_screens_to_wait_for(
    client: httpx.AsyncClient, screens: Screens
) -> None:
    alert_id = await raise_everywhere(client)
    csrf = await page_token(client, f"/admin/alerts/{alert_id}")
    await client.post(f"/admin/alerts/{alert_id}/end", data={"csrf_token": csrf, "how": "cancel"})

    page = (await client.get(f"/admin/alerts/{alert_id}")).text

    assert "data-deliveries" not in page


async def test_the_first_acknowledgement_counts_and_a_repeat_changes_nothing(
    client: httpx.AsyncClient, screens: Screens, clock: FakeClock
) -> None:
    alert_id = await raise_everywhere(client)
    await client.get(MANIFEST, headers=bearer(screens.shop_token))
    url = f"/api/device/v1/alerts/alert-{alert_id}/ack"

    first = await client.post(
        url,
        headers=bearer(screens.shop_token),
        json=shown(clock, clock_off_by=timedelta(0), after_s=1),
    )
    again = await client.post(
        url,
        headers=bearer(screens.shop_token),
        json=shown(clock, clock_off_by=timedelta(0), after_s=9),
    )

    assert (first.status_code, again.status_code) == (204, 204)
    _summary, texts = await states(client, alert_id)
    assert texts[screens.shop_screen] == "Visas, 1,0 s efter att det skickades"


async def test_acknowledging_what_does_not_exist_is_refused_and_says_why(
    client: httpx.AsyncClient, screens: Screens, clock: FakeClock
) -> None:
    alert_id = await raise_everywhere(client)
    body = shown(clock, clock_off_by=timedelta(0), after_s=1)
    auth = bearer(screens.shop_token)

    unknown = await client.post("/api/device/v1/alerts/alert-999/ack", headers=auth, json=body)
    foreign = await client.post("/api/device/v1/alerts/cap-77/ack", headers=auth, json=body)
    future = await client.post(
        f"/api/device/v1/alerts/alert-{alert_id}/ack", headers=auth, json={**body, "version": 5}
    )
    anonymous = await client.post(f"/api/device/v1/alerts/alert-{alert_id}/ack", json=body)

    assert unknown.status_code == 404
    assert foreign.status_code == 404
    assert "not an alert id of this server" in foreign.json()["detail"]
    assert future.status_code == 422
    assert "no version 5 yet (it is at 1)" in future.json()["detail"]
    assert anonymous.status_code == 401
