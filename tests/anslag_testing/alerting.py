"""The duty officer in tests: an operator account, logging in, raising and ending alerts by form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy import Engine

from anslag_testing.admin import PASSWORD, add_user, form_token
from server.db import session_scope
from server.models import Role
from server.services import content

OPERATOR = "tib"


@dataclass(frozen=True)
class Screens:
    """The shop in Svanstein (tagged "svanstein") and the sports hall, a screen at each."""

    shop_token: str
    shop_screen: int
    hall_token: str
    hall_screen: int


def arrange_two_places(engine: Engine, *, now: datetime) -> Screens:
    """Two locations with a screen each, and an alert operator to log in as."""
    with session_scope(engine) as session:
        shop = content.create_location(
            session,
            slug="byabutiken",
            name="Byabutiken i Svanstein",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=now,
        )
        shop.tags = ["svanstein"]
        hall = content.create_location(
            session,
            slug="sporthallen",
            name="Sporthallen",
            timezone="Europe/Stockholm",
            languages=["sv"],
            now=now,
        )
        shop_screen, shop_token = content.create_screen(
            session, location=shop, name="Kassan", now=now
        )
        hall_screen, hall_token = content.create_screen(
            session, location=hall, name="Entrén", now=now
        )
        session.flush()
        assert shop_screen.id is not None
        assert hall_screen.id is not None
        screens = Screens(shop_token, shop_screen.id, hall_token, hall_screen.id)
    add_operator(engine, now=now)
    return screens


def add_operator(engine: Engine, *, now: datetime) -> None:
    add_user(engine, now=now, username=OPERATOR, role=Role.ALERT_OPERATOR)


def log_in_operator(client: httpx.Client) -> str:
    """Log `client` in as the operator through the login form; the CSRF token of its pages."""
    page = client.get("/admin/login")
    answer = client.post(
        "/admin/login",
        data={"username": OPERATOR, "password": PASSWORD, "csrf_token": form_token(page.text)},
    )
    assert answer.status_code == 303, answer.text
    return form_token(client.get("/admin/alerts/new").text)


def raise_water_alert(client: httpx.Client, csrf: str, *, where: dict[str, list[str]]) -> int:
    """Send the water shut-off alert through the duty officer's form; the new alert's id."""
    sent = client.post(
        "/admin/alerts/new",
        data={
            "csrf_token": csrf,
            "version": "0",
            "headline": "Vattnet är avstängt",
            "description": "En vattenledning har gått sönder.",
            "instruction": "Spara på vattnet.",
            "severity": "severe",
            "hours": "4",
            "action": "send",
            **where,
        },
    )
    assert sent.status_code == 303, sent.text
    return int(sent.headers["location"].split("/")[-1].split("?")[0])


def cancel_alert(client: httpx.Client, csrf: str, alert_id: int) -> None:
    ended = client.post(f"/admin/alerts/{alert_id}/end", data={"csrf_token": csrf, "how": "cancel"})
    assert ended.status_code == 303, ended.text
