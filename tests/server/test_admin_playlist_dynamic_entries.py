"""The playlist editor's dynamic entries: add "upcoming events", set its days and count, save."""

from __future__ import annotations

import httpx
import pytest
from anslag_testing.admin import add_user, log_in
from anslag_testing.forms import form_fields
from anslag_testing.schedules import slide_ids, visible_text
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.db import session_scope
from server.models import Playlist, PlaylistEntry

pytestmark = pytest.mark.anyio


@pytest.fixture
async def playlist_id(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> int:
    add_user(engine, now=clock())
    await log_in(client)
    (news,) = slide_ids(engine, "Vägen är lagad", now=clock())
    with session_scope(engine) as session:
        playlist = Playlist(name="Entrén", entries=[PlaylistEntry(position=0, item_id=news)])
        session.add(playlist)
        session.flush()
        assert playlist.id is not None
        return playlist.id


async def press(
    client: httpx.AsyncClient, playlist_id: int, action: str, **changes: list[str]
) -> httpx.Response:
    page = await client.get(f"/admin/playlists/{playlist_id}")
    fields = form_fields(page.text)
    fields.update(changes)
    return await client.post(f"/admin/playlists/{playlist_id}", data={**fields, "action": [action]})


def entries(engine: Engine, playlist_id: int) -> list[tuple[int | None, str | None, object]]:
    with Session(engine) as session:
        rows = session.exec(
            select(PlaylistEntry)
            .where(PlaylistEntry.playlist_id == playlist_id)
            .order_by(col(PlaylistEntry.position))
        ).all()
        return [(row.item_id, row.dynamic_kind, row.dynamic_options) for row in rows]


async def test_an_editor_adds_upcoming_events_and_sets_how_many_days_and_events(
    client: httpx.AsyncClient, engine: Engine, playlist_id: int
) -> None:
    offered = await client.get(f"/admin/playlists/{playlist_id}")
    added = await press(client, playlist_id, "add-dynamic:upcoming_events")
    after_adding = entries(engine, playlist_id)
    saved = await press(client, playlist_id, "save", option_k2_days=["7"], option_k2_count=["3"])
    page = await client.get(f"/admin/playlists/{playlist_id}")

    assert "Kommande evenemang Fylls i för varje skärm och håller sig aktuell av sig själv" in (
        visible_text(offered.text)
    )
    assert added.status_code == saved.status_code == 303
    news = after_adding[0][0]
    assert after_adding == [(news, None, None), (None, "upcoming_events", {"days": 14, "count": 5})]
    assert entries(engine, playlist_id) == [
        (news, None, None),
        (None, "upcoming_events", {"days": 7, "count": 3}),
    ]
    text = visible_text(page.text)
    assert "Kommande evenemang här inom 7 dagar, högst 3 åt gången Fylls i för varje skärm" in text


async def test_a_days_ahead_out_of_range_is_refused_naming_the_slide_and_keeps_the_input(
    client: httpx.AsyncClient, engine: Engine, playlist_id: int
) -> None:
    await press(client, playlist_id, "add-dynamic:upcoming_events")

    refused = await press(client, playlist_id, "save", option_k2_days=["90"])

    assert refused.status_code == 422
    assert (
        "Bild 2: Kommande evenemang: dagarna framåt måste vara ett heltal från 1 till 60"
        in visible_text(refused.text)
    )
    assert (
        'name="option_k2_days" type="number" inputmode="numeric" min="1" max="60" value="90"'
        in (refused.text)
    )
    assert entries(engine, playlist_id)[1] == (None, "upcoming_events", {"days": 14, "count": 5})


async def test_the_dynamic_entry_moves_with_the_arrows_like_any_slide(
    client: httpx.AsyncClient, engine: Engine, playlist_id: int
) -> None:
    await press(client, playlist_id, "add-dynamic:upcoming_events")

    await press(client, playlist_id, "up:1")

    news = entries(engine, playlist_id)[1][0]
    assert entries(engine, playlist_id) == [
        (None, "upcoming_events", {"days": 14, "count": 5}),
        (news, None, None),
    ]
