"""The public event form: anyone sends an event without an account, it waits for a moderator,
and spam, forged posts, huge files and HTML are kept out or shown as text, losing nothing."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import httpx
import pytest
from anslag_testing.schedules import place, visible_text
from anslag_testing.server_app import FakeClock, png
from anslag_testing.submissions import MARKET, SUBMIT, send_form
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.db import session_scope
from server.models import AuditEntry, Event, EventSubmission, MediaAsset

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def villages(engine: Engine, clock: FakeClock) -> None:
    with session_scope(engine) as session:
        place(session, name="Byabutiken", now=clock(), tags=["svanstein"])


def stored(engine: Engine) -> list[tuple[Event, EventSubmission]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Event, EventSubmission)
            .join(EventSubmission, col(EventSubmission.event_id) == col(Event.id))
            .order_by(col(Event.id))
        ).all()
        return [(event, submission) for event, submission in rows]


def nothing_stored(engine: Engine) -> bool:
    with Session(engine) as session:
        return not session.exec(select(Event)).all() and not session.exec(select(MediaAsset)).all()


def kept(page: str, name: str) -> str:
    marker = f'name="{name}"'
    start = page.index(marker)
    value = page[start:].split('value="', 1)[1].split('"', 1)[0]
    return unescape(value)


async def test_anyone_sends_an_event_and_gets_a_status_link_while_it_waits(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    form = await client.get(SUBMIT)
    sent = await send_form(client, MARKET)
    status = await client.get(sent.headers["location"])
    calendar = await client.get("/calendar")
    feed = await client.get("/calendar.ics")

    assert form.status_code == 200
    assert "Tipsa om ett evenemang" in visible_text(form.text)
    assert sent.status_code == 303
    assert sent.headers["location"].startswith("/calendar/submissions/")
    assert sent.headers["referrer-policy"] == "no-referrer"
    ((event, submission),) = stored(engine)
    assert (event.status, event.origin, event.location_tags) == (
        "pending",
        "submission",
        ["svanstein"],
    )
    assert event.texts == {
        "sv": {"title": "Vårmarknad i bygdegården", "body": "Hantverk, kaffe och lotterier."}
    }
    assert (submission.contact_name, submission.contact_email, submission.association) == (
        "Aino Niemi",
        "aino@example.se",
        "Svansteins byaförening",
    )
    token = sent.headers["location"].split("/")[-1].split("?")[0]
    assert len(token) >= 40
    assert token not in submission.token_hash
    text = visible_text(status.text)
    assert "Tack! Ditt evenemang väntar nu på granskning." in text
    assert "Väntar på granskning lördag 24 januari 2026, 10:00–14:00" in text  # noqa: RUF001
    assert status.headers["x-robots-tag"] == "noindex"
    assert "Vårmarknad" not in calendar.text
    assert "Vårmarknad" not in feed.text


async def test_a_program_filling_in_the_hidden_field_is_thanked_and_nothing_is_stored(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    answer = await send_form(client, {**MARKET, "website": "http://spam.example"})

    assert answer.status_code == 200
    assert "Tack!" in answer.text
    assert nothing_stored(engine)


async def test_a_post_without_the_forms_token_is_refused_and_keeps_what_was_typed(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    forged = await send_form(client, MARKET, token="guessed")

    assert forged.status_code == 403
    assert "Formuläret hade gått ut. Din text finns kvar här: skicka den igen." in forged.text
    assert kept(forged.text, "title") == "Vårmarknad i bygdegården"
    assert nothing_stored(engine)
    again = await send_form(client, MARKET)
    assert again.status_code == 303


async def test_an_address_sending_many_events_waits_an_hour(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    answers = [await send_form(client, {**MARKET, "title": f"Evenemang {n}"}) for n in range(6)]
    clock.advance(timedelta(hours=1, minutes=1))
    later = await send_form(client, MARKET)

    assert [answer.status_code for answer in answers] == [303] * 5 + [429]
    refused = answers[-1]
    assert int(refused.headers["retry-after"]) == 3600
    assert "Försök igen om 60 min." in refused.text
    assert kept(refused.text, "title") == "Evenemang 5"
    assert later.status_code == 303
    assert len(stored(engine)) == 6


async def test_a_picture_too_large_is_refused_before_it_is_read_whole(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    huge = b"\x89PNG\r\n\x1a\n" + b"\0" * (9 * 1024 * 1024)

    refused = await send_form(client, MARKET, picture=("affisch.png", huge, "image/png"))

    assert refused.status_code == 413
    assert "”affisch.png” är större än 8 MB" in refused.text
    assert kept(refused.text, "contact_email") == "aino@example.se"
    assert nothing_stored(engine)


async def test_a_file_that_is_no_picture_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    refused = await send_form(
        client, MARKET, picture=("program.pdf", b"%PDF-1.7\n...", "image/png")
    )

    assert refused.status_code == 422
    assert "”program.pdf” är ingen bild; välj en JPEG- eller PNG-bild" in refused.text
    assert nothing_stored(engine)


async def test_a_chosen_picture_goes_to_the_media_library_with_the_event(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    sent = await send_form(client, MARKET, picture=("affisch.png", png(seed=3), "image/png"))

    assert sent.status_code == 303
    ((event, _submission),) = stored(engine)
    with Session(engine) as session:
        asset = session.get(MediaAsset, event.asset_sha256 or "")
        log = session.exec(select(AuditEntry.actor).where(AuditEntry.entity == "media_asset")).all()
    assert asset is not None
    assert asset.original_name == "affisch.png"
    assert log == ["Aino Niemi via the public form"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"contact_email": "aino"}, "”aino” ser inte ut som en e-postadress"),
        (
            {"contact_name": " "},
            "Skriv ditt namn, så att moderatorn vet vem som skickade evenemanget",
        ),
        ({"title": ""}, "Svenska: skriv en rubrik eller ta bort språket."),
        (
            {"starts_time": ""},
            "Ange när evenemanget börjar, eller markera att det pågår hela dagen.",
        ),
        ({"body": "x" * 4001}, "texten längre än 4000"),
    ],
)
async def test_a_form_that_cannot_be_saved_says_why_and_keeps_the_input(
    client: httpx.AsyncClient, engine: Engine, changes: dict[str, str], message: str
) -> None:
    refused = await send_form(client, {**MARKET, **changes})

    assert refused.status_code in (413, 422)
    assert message in unescape(refused.text)
    assert kept(refused.text, "place") == "Bygdegården"
    assert nothing_stored(engine)


async def test_html_in_a_submission_is_shown_as_text(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    sent = await send_form(
        client, {**MARKET, "title": "<b>Fest</b>", "body": "<script>alert('x')</script>"}
    )
    status = await client.get(sent.headers["location"])

    assert "<script>alert" not in status.text
    assert "<b>Fest</b>" not in status.text
    assert "&lt;b&gt;Fest&lt;/b&gt;" in status.text
    assert stored(engine)[0][0].texts["sv"]["body"] == "<script>alert('x')</script>"


async def test_a_status_link_that_leads_nowhere_says_so(client: httpx.AsyncClient) -> None:
    answer = await client.get("/calendar/submissions/not-a-real-token")

    assert answer.status_code == 404
    assert "Den här länken leder ingenstans" in answer.text


async def test_an_approved_event_edited_by_its_sender_goes_back_to_moderation(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    sent = await send_form(client, MARKET)
    link = sent.headers["location"].split("?")[0]
    with session_scope(engine) as session:
        event = session.exec(select(Event)).one()
        event.status = "approved"
        event.texts = {**event.texts, "en": {"title": "Spring market", "body": ""}}
        session.add(event)
    listed_before = await client.get("/calendar")

    edited = await send_form(client, {**MARKET, "place": "Skolan", "version": "1"}, path=link)
    listed_after = await client.get("/calendar")
    status = await client.get(edited.headers["location"])

    assert "Vårmarknad i bygdegården" in listed_before.text
    assert edited.status_code == 303
    ((event, _submission),) = stored(engine)
    assert (event.status, event.place, event.version) == ("pending", "Skolan", 2)
    assert event.texts["en"]["title"] == "Spring market"
    assert "Vårmarknad i bygdegården" not in listed_after.text
    assert "Sparat. Moderatorn granskar evenemanget på nytt." in status.text
