"""An alert's life as screens see it: raised, updated, ended, never back; only where it applies."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from anslag_testing.server_app import FakeClock, bearer
from sqlalchemy import Engine
from sqlmodel import col, select

from server.db import session_scope
from server.errors import Conflict, InvalidContent, StaleEdit
from server.models import AuditEntry
from server.services import content
from server.services.alert_areas import AlertTarget
from server.services.alerts import AlertContent, end_alert, raise_alert, update_alert
from server.services.permissions import Actor

pytestmark = pytest.mark.anyio

MANIFEST = "/api/device/v1/manifest"
DUTY_OFFICER = Actor(user_id=None, name="tib", role="alert_operator")
HOUR = timedelta(hours=1)


def leak(clock: FakeClock, **changes: object) -> AlertContent:
    values: dict[str, object] = {
        "texts": {
            "sv": ("Vattenläcka i Svanstein", "Vi vet inte än hur länge.", "Spara vatten."),
            "fit": ("Vesivuoto Svansteinissa", "", ""),
        },
        "severity": "severe",
        "target": AlertTarget(tags=("svanstein",)),
        "expires_at": clock() + 6 * HOUR,
        **changes,
    }
    return AlertContent(**values)  # type: ignore[arg-type]


def arrange(engine: Engine, clock: FakeClock) -> dict[str, str]:
    """Two screens: the shop in Svanstein and the sports hall in the central village."""
    tokens = {}
    with session_scope(engine) as session:
        for slug, tag, exercises in (
            ("byabutiken", "svanstein", True),
            ("sporthallen", "centralorten", False),
        ):
            location = content.create_location(
                session,
                slug=slug,
                name=slug,
                timezone="Europe/Stockholm",
                languages=["sv", "fit"],
                now=clock(),
            )
            location.tags = [tag]
            location.exercise_group = exercises
            _screen, tokens[slug] = content.create_screen(
                session, location=location, name="Skärm", now=clock()
            )
    return tokens


def raise_one(engine: Engine, clock: FakeClock, alert: AlertContent) -> int:
    with session_scope(engine) as session:
        raised = raise_alert(
            session,
            content=alert,
            sender="overtornea.se",
            sender_name="Övertorneå kommun",
            actor=DUTY_OFFICER,
            now=clock(),
        )
        assert raised.id is not None
        return raised.id


async def alerts_on(client: httpx.AsyncClient, token: str) -> list[dict[str, Any]]:
    answer = await client.get(MANIFEST, headers=bearer(token))
    assert answer.status_code == 200
    alerts: list[dict[str, Any]] = answer.json()["alerts"]
    return alerts


async def test_a_raised_alert_reaches_only_the_screens_in_its_area_and_changes_their_etag(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    tokens = arrange(engine, clock)
    before = await client.get(MANIFEST, headers=bearer(tokens["byabutiken"]))

    raise_one(engine, clock, leak(clock))
    after = await client.get(
        MANIFEST, headers={**bearer(tokens["byabutiken"]), "If-None-Match": before.headers["etag"]}
    )

    assert after.status_code == 200
    [shown] = after.json()["alerts"]
    assert shown["texts"]["sv"]["headline"] == "Vattenläcka i Svanstein"
    assert shown["texts"]["fit"]["headline"] == "Vesivuoto Svansteinissa"
    assert (shown["kind"], shown["severity"], shown["sender_name"]) == (
        "alert",
        "severe",
        "Övertorneå kommun",
    )
    assert await alerts_on(client, tokens["sporthallen"]) == []


async def test_an_update_replaces_the_text_and_a_stale_update_is_refused(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    tokens = arrange(engine, clock)
    alert_id = raise_one(engine, clock, leak(clock))
    clock.advance(timedelta(minutes=20))
    followed_up = leak(clock, texts={"sv": ("Vattenläcka i Svanstein", "Lagas till kl. 18.", "")})

    with session_scope(engine) as session:
        update_alert(
            session,
            alert_id=alert_id,
            expected_version=1,
            content=followed_up,
            actor=DUTY_OFFICER,
            now=clock(),
        )
    with (
        session_scope(engine) as session,
        pytest.raises(StaleEdit, match="someone else updated it"),
    ):
        update_alert(
            session,
            alert_id=alert_id,
            expected_version=1,
            content=leak(clock),
            actor=DUTY_OFFICER,
            now=clock(),
        )

    [shown] = await alerts_on(client, tokens["byabutiken"])
    assert (shown["version"], shown["texts"]["sv"]["description"]) == (2, "Lagas till kl. 18.")
    assert list(shown["texts"]) == ["sv"]


async def test_a_cancelled_alert_leaves_at_once_and_can_never_be_updated_back(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    tokens = arrange(engine, clock)
    alert_id = raise_one(engine, clock, leak(clock))

    with session_scope(engine) as session:
        end_alert(session, alert_id=alert_id, all_clear_for=None, actor=DUTY_OFFICER, now=clock())
    with session_scope(engine) as session, pytest.raises(Conflict, match="has ended"):
        update_alert(
            session,
            alert_id=alert_id,
            expected_version=2,
            content=leak(clock),
            actor=DUTY_OFFICER,
            now=clock(),
        )

    assert await alerts_on(client, tokens["byabutiken"]) == []
    with session_scope(engine) as session:
        summaries = [
            entry.summary for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))
        ]
    assert summaries == ["raised: Vattenläcka i Svanstein", "cancelled: Vattenläcka i Svanstein"]


async def test_an_all_clear_shows_a_card_for_a_few_minutes_then_nothing(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    tokens = arrange(engine, clock)
    alert_id = raise_one(engine, clock, leak(clock))
    clock.advance(HOUR)
    with session_scope(engine) as session:
        end_alert(
            session,
            alert_id=alert_id,
            all_clear_for=timedelta(minutes=10),
            actor=DUTY_OFFICER,
            now=clock(),
        )

    [card] = await alerts_on(client, tokens["byabutiken"])
    clock.advance(timedelta(minutes=10))
    gone = await alerts_on(client, tokens["byabutiken"])

    assert (card["kind"], card["version"]) == ("all_clear", 2)
    assert gone == []


async def test_an_exercise_reaches_only_exercise_screens_and_a_test_reaches_none(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    tokens = arrange(engine, clock)
    everywhere = AlertTarget(everywhere=True)
    raise_one(engine, clock, leak(clock, status="exercise", target=everywhere))
    raise_one(engine, clock, leak(clock, status="test", target=everywhere))

    [exercise] = await alerts_on(client, tokens["byabutiken"])
    assert exercise["status"] == "exercise"
    assert await alerts_on(client, tokens["sporthallen"]) == []


async def test_an_alert_expires_on_its_own_and_must_expire_in_the_future(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    tokens = arrange(engine, clock)
    raise_one(engine, clock, leak(clock, expires_at=clock() + HOUR))
    with (
        session_scope(engine) as session,
        pytest.raises(InvalidContent, match="expire in the future"),
    ):
        raise_alert(
            session,
            content=leak(clock, expires_at=clock()),
            sender="s",
            sender_name="n",
            actor=DUTY_OFFICER,
            now=clock(),
        )

    assert len(await alerts_on(client, tokens["byabutiken"])) == 1
    clock.advance(HOUR)
    assert await alerts_on(client, tokens["byabutiken"]) == []


async def test_a_banner_warnings_headline_runs_in_the_ticker_and_a_grave_ones_does_not(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    tokens = arrange(engine, clock)
    raise_one(engine, clock, leak(clock))
    raise_one(engine, clock, leak(clock, severity="moderate", expires_at=clock() + HOUR))

    answer = await client.get(MANIFEST, headers=bearer(tokens["byabutiken"]))

    [line] = answer.json()["ticker"]
    assert line["texts"] == {"sv": "Vattenläcka i Svanstein", "fit": "Vesivuoto Svansteinissa"}
    assert line["validity"]["valid_until"] == (clock() + HOUR).isoformat().replace("+00:00", "Z")
    clock.advance(HOUR)
    assert (await client.get(MANIFEST, headers=bearer(tokens["byabutiken"]))).json()["ticker"] == []
