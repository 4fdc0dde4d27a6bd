"""The preview page: a location, a date and a time in, the rotation and the day's timeline out."""

# The page writes its ranges with an en dash, as residents read them.
# ruff: noqa: RUF001

from __future__ import annotations

import httpx
import pytest
from anslag_testing.admin import add_user, log_in
from anslag_testing.schedules import night_above_day, place, slides, visible_text
from anslag_testing.server_app import FakeClock, png
from sqlalchemy import Engine

from server.db import session_scope
from server.models import Role
from server.services import content
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.anyio


def arrange(engine: Engine, storage: LocalMediaStorage, clock: FakeClock) -> tuple[int, str]:
    """The shop: a night playlist 02:30-04:00 on Sundays above an all-day picture and news."""
    with session_scope(engine) as session:
        shop = place(session, name="Byabutiken i Svanstein", languages=["sv", "fit"], now=clock())
        shop.opening_hours = [{"weekday": 1, "opens": "08:00", "closes": "18:00"}]
        photo = content.store_media(
            session,
            storage,
            data=png(),
            media_type="image/png",
            original_name="älven.png",
            now=clock(),
        )
        photo.thumbnail_sha256 = "d" * 64
        picture = content.create_image_item(session, asset=photo, now=clock())
        news = content.create_text_item(
            session,
            texts={"sv": ("Vägen är lagad", "Äntligen öppen."), "fit": ("Tie on korjattu", "")},
            duration_s=10,
            now=clock(),
        )
        night_above_day(
            session,
            location=shop,
            night=slides(session, "Nattöppet", now=clock()),
            day=[picture, news],
        )
        place(session, name="Sporthallen", now=clock())
        session.flush()
        assert shop.id is not None
        return shop.id, photo.sha256


async def editor(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> None:
    add_user(engine, now=clock())
    await log_in(client)


async def test_the_preview_opens_on_the_first_location_now_with_its_slides_as_cards(
    client: httpx.AsyncClient, engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    _shop_id, sha256 = arrange(engine, storage, clock)
    await editor(client, engine, clock)

    page = await client.get("/admin/preview")

    text = visible_text(page.text)
    assert page.status_code == 200
    assert 'value="2026-01-12"' in page.text  # Monday, 09:00 in Stockholm
    assert 'value="09:00"' in page.text
    assert "Byabutiken i Svanstein, måndag 12 januari 2026 09:00" in text
    assert "Spellistan Heldag spelas (prioritet 0)." in text
    assert "09:00:00 8 s 1. Bild: älven.png" in text
    assert "Vägen är lagad Äntligen öppen. 09:00:08 10 s 2. Text" in text
    assert f'src="/admin/media/{sha256}/thumbnail"' in page.text
    assert "00:00–00:00 Heldag 2 inslag · prioritet 0 vid vald tid" in text
    assert "08:00–18:00 Öppet: skärmarna är på" in text


async def test_a_time_the_clocks_skip_is_explained_and_the_night_playlist_shown(
    client: httpx.AsyncClient, engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    shop_id, _sha256 = arrange(engine, storage, clock)
    await editor(client, engine, clock)

    page = await client.get(
        "/admin/preview", params={"location": shop_id, "day": "2026-03-29", "at": "02:30"}
    )

    text = visible_text(page.text)
    assert "Klockan ställs fram den natten och visar aldrig 02:30: det här är 03:30." in text
    assert "Spellistan Natt spelas (prioritet 5)." in text
    assert "03:30:00 8 s 1. Text" in text
    assert (
        "00:00–03:00 Heldag 2 inslag · prioritet 0"
        " 03:00–04:00 Natt 1 inslag · prioritet 5 vid vald tid"
        " 04:00–00:00 Heldag 2 inslag · prioritet 0"
    ) in text
    assert "Platsen är stängd då" in text  # opening hours on Mondays only


async def test_a_time_the_clocks_show_twice_is_read_as_the_first(
    client: httpx.AsyncClient, engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    shop_id, _sha256 = arrange(engine, storage, clock)
    await editor(client, engine, clock)

    page = await client.get(
        "/admin/preview", params={"location": shop_id, "day": "2026-10-25", "at": "02:45"}
    )

    text = visible_text(page.text)
    assert "visar 02:45 två gånger: det här är den första." in text
    assert "Spellistan Natt spelas (prioritet 5)." in text


async def test_a_date_that_cannot_be_read_is_refused_and_kept(
    client: httpx.AsyncClient, engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    shop_id, _sha256 = arrange(engine, storage, clock)
    await editor(client, engine, clock)

    page = await client.get(
        "/admin/preview", params={"location": shop_id, "day": "29 mars", "at": "10:00"}
    )

    assert page.status_code == 422
    assert "Skriv datumet som 2026-03-28 och tiden som 10:00." in page.text
    assert 'value="29 mars"' in page.text


async def test_a_location_that_is_gone_is_said_so(
    client: httpx.AsyncClient, engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    arrange(engine, storage, clock)
    await editor(client, engine, clock)

    page = await client.get("/admin/preview", params={"location": "4242"})

    assert page.status_code == 404
    assert "Platsen finns inte längre. Välj en annan." in page.text


async def test_a_moderator_may_not_preview(
    client: httpx.AsyncClient, engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    arrange(engine, storage, clock)
    add_user(engine, now=clock(), username="maja", role=Role.MODERATOR)
    await log_in(client, username="maja")

    assert (await client.get("/admin/preview")).status_code == 403
