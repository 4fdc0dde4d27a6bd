"""Mail to those who send events, when the installation has a mail server: the receipt with
the status link, and the moderator's decision, in the language the form was filled in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.schedules import place
from anslag_testing.server_app import FakeClock
from anslag_testing.smtp_sink import SmtpSink
from anslag_testing.submissions import MARKET, send_form
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.db import session_scope
from server.models import Event, Role
from server.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def settings(tmp_path: Path, database_url: str, sink: SmtpSink) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        municipality_name="Övertorneå kommun",
        smtp_host="127.0.0.1",
        smtp_port=sink.port,
        smtp_starttls=False,
        smtp_from="kalender@overtornea.example",
        public_url="https://anslag.overtornea.example",
    )


@pytest.fixture(autouse=True)
def village(engine: Engine, clock: FakeClock) -> None:
    with session_scope(engine) as session:
        place(session, name="Byabutiken", now=clock(), tags=["svanstein"])


async def test_the_sender_gets_the_status_link_by_mail(
    client: httpx.AsyncClient, sink: SmtpSink
) -> None:
    sent = await send_form(client, MARKET)

    (mail,) = sink.wait_for(1)
    link = f"https://anslag.overtornea.example{sent.headers['location'].split('?')[0]}"
    assert mail["To"] == "aino@example.se"
    assert mail["From"] == "Övertorneå kommun <kalender@overtornea.example>"
    assert mail["Subject"] == "Vi har tagit emot ”Vårmarknad i bygdegården”"
    body = mail.get_content()
    assert body.startswith("Hej Aino Niemi!")
    assert link in body
    followed = await client.get(link.removeprefix("https://anslag.overtornea.example"))
    assert followed.status_code == 200


async def test_a_sender_writing_in_english_hears_the_decision_in_english(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, sink: SmtpSink
) -> None:
    await client.get("/calendar/submit?lang=en")
    await send_form(client, {**MARKET, "title": "Spring market"})
    add_user(engine, now=clock(), username="mona", role=Role.MODERATOR)
    await log_in(client, username="mona")
    with Session(engine) as session:
        event = session.exec(select(Event)).one()
    token = await page_token(client, f"/admin/moderation/{event.id}")

    await client.post(
        f"/admin/moderation/{event.id}",
        data={
            "csrf_token": token,
            "action": "reject",
            "version": "1",
            "language": ["sv"],
            "title_sv": "Spring market",
            "starts_day": "2026-01-24",
            "starts_time": "10:00",
            "reason": "It is already in the calendar.",
        },
    )

    receipt, decision = sink.wait_for(2)
    assert receipt["Subject"] == "We have received 'Spring market'"
    assert decision["Subject"] == "'Spring market' could not be approved"
    body = decision.get_content().replace("\r\n", "\n")
    assert "The moderator wrote:\n\nIt is already in the calendar." in body


async def test_a_mail_server_that_is_away_costs_the_sender_nothing(
    client: httpx.AsyncClient, engine: Engine, sink: SmtpSink
) -> None:
    sink.stop()

    sent = await send_form(client, MARKET)
    status = await client.get(sent.headers["location"])

    assert sent.status_code == 303
    assert status.status_code == 200
    with Session(engine) as session:
        assert session.exec(select(Event)).one().status == "pending"
