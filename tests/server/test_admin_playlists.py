"""The playlists pages: build a playlist with forms alone, see it stored, hear of conflicts."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.forms import form_fields
from anslag_testing.schedules import place, slide_ids, visible_text
from anslag_testing.server_app import FakeClock, png
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.db import session_scope
from server.models import Assignment, Playlist, PlaylistEntry, Role
from server.services import content
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.anyio


def make_playlist(engine: Engine, name: str, *item_ids: int) -> int:
    with session_scope(engine) as session:
        playlist = Playlist(
            name=name,
            entries=[
                PlaylistEntry(position=position, item_id=item_id)
                for position, item_id in enumerate(item_ids)
            ],
        )
        session.add(playlist)
        session.flush()
        assert playlist.id is not None
        return playlist.id


def stored(engine: Engine, playlist_id: int) -> tuple[str, int, list[tuple[int, float | None]]]:
    with Session(engine) as session:
        playlist = session.get_one(Playlist, playlist_id)
        entries = session.exec(
            select(PlaylistEntry)
            .where(PlaylistEntry.playlist_id == playlist_id)
            .order_by(col(PlaylistEntry.position))
        ).all()
        return (
            playlist.name,
            playlist.version,
            [(entry.item_id or 0, entry.duration_s) for entry in entries],
        )


async def editor(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> None:
    add_user(engine, now=clock())
    await log_in(client)


async def send(
    client: httpx.AsyncClient, playlist_id: int, action: str = "save", **changes: list[str]
) -> httpx.Response:
    """Press `action` in the editor as it stands, after changing some fields."""
    page = await client.get(f"/admin/playlists/{playlist_id}")
    fields = form_fields(page.text)
    fields.update(changes)
    return await client.post(f"/admin/playlists/{playlist_id}", data={**fields, "action": [action]})


async def test_an_editor_creates_a_playlist_by_name_and_lands_in_its_editor(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    await editor(client, engine, clock)
    token = await page_token(client, "/admin/playlists")

    created = await client.post(
        "/admin/playlists", data={"csrf_token": token, "name": "Entrén, vinter"}
    )
    page = await client.get(created.headers["location"])
    listing = await client.get("/admin/playlists")

    assert created.status_code == 303
    assert re.fullmatch(r"/admin/playlists/\d+\?created=1", created.headers["location"])
    assert "<h1>Entrén, vinter</h1>" in page.text
    assert "Inga inslag än." in visible_text(page.text)
    assert "Entrén, vinter Inga inslag Inte schemalagd" in visible_text(listing.text)


async def test_a_playlist_without_a_name_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    await editor(client, engine, clock)
    token = await page_token(client, "/admin/playlists")

    refused = await client.post("/admin/playlists", data={"csrf_token": token, "name": "   "})

    assert refused.status_code == 422
    assert "Spellistan behöver ett namn." in refused.text
    with Session(engine) as session:
        assert session.exec(select(Playlist)).all() == []


async def test_the_picker_lists_items_by_kind_and_name_with_thumbnails_where_there_are(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock, storage: LocalMediaStorage
) -> None:
    with session_scope(engine) as session:
        photo = content.store_media(
            session,
            storage,
            data=png(),
            media_type="image/png",
            original_name="älven.png",
            now=clock(),
        )
        photo.thumbnail_sha256 = "b" * 64
        content.create_image_item(session, asset=photo, now=clock())
        sha256 = photo.sha256
    slide_ids(engine, "Vägen är lagad", now=clock())
    playlist_id = make_playlist(engine, "Entrén")
    await editor(client, engine, clock)

    page = await client.get(f"/admin/playlists/{playlist_id}")

    text = visible_text(page.text)
    assert "Vägen är lagad Text · 8 s Lägg till" in text
    assert "älven.png Bild · 8 s Lägg till" in text
    assert f'src="/admin/media/{sha256}/thumbnail"' in page.text
    assert page.text.count('class="thumb"') == 1  # the text slide has no picture


async def test_adding_moving_and_removing_slides_with_the_buttons_saves_each_change(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    road, market, pool = slide_ids(engine, "Vägen är lagad", "Julmarknad", "Simhallen", now=clock())
    playlist_id = make_playlist(engine, "Entrén")
    await editor(client, engine, clock)

    added = [await send(client, playlist_id, f"add:{item}") for item in (road, market, pool)]
    after_adding = stored(engine, playlist_id)
    moved = await send(client, playlist_id, "up:2")
    after_moving = stored(engine, playlist_id)
    await send(client, playlist_id, "remove:0")
    page = await client.get(f"/admin/playlists/{playlist_id}?saved=1")

    assert [response.headers["location"] for response in added] == [
        f"/admin/playlists/{playlist_id}?saved=1#entry-{n}" for n in (1, 2, 3)
    ]
    assert after_adding == ("Entrén", 4, [(road, None), (market, None), (pool, None)])
    assert moved.headers["location"].endswith("#entry-2")
    assert after_moving[2] == [(road, None), (pool, None), (market, None)]
    assert stored(engine, playlist_id) == ("Entrén", 6, [(pool, None), (market, None)])
    assert "Sparat." in page.text
    assert re.findall(r'name="entry_item" value="(\d+)"', page.text) == [str(pool), str(market)]


async def test_a_dragged_order_arrives_as_the_forms_entries_in_their_new_order(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    # The drag-and-drop script only moves the rows and presses Save: this is what it sends.
    road, market, pool = slide_ids(engine, "Vägen är lagad", "Julmarknad", "Simhallen", now=clock())
    playlist_id = make_playlist(engine, "Entrén", road, market, pool)
    await editor(client, engine, clock)
    page = await client.get(f"/admin/playlists/{playlist_id}")
    fields = form_fields(page.text)
    order = [2, 0, 1]
    for name in ("entry_item", "entry_duration", "entry_from", "entry_until"):
        fields[name] = [fields[name][i] for i in order]

    saved = await client.post(f"/admin/playlists/{playlist_id}", data={**fields, "action": "save"})

    assert saved.status_code == 303
    assert stored(engine, playlist_id)[2] == [(pool, None), (road, None), (market, None)]
    assert 'src="/admin/static/playlists.js"' in page.text


async def test_a_duration_with_a_decimal_comma_and_local_dates_are_stored_as_meant(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    road, market = slide_ids(engine, "Vägen är lagad", "Julmarknad", now=clock())
    playlist_id = make_playlist(engine, "Entrén", road, market)
    await editor(client, engine, clock)

    saved = await send(
        client,
        playlist_id,
        name=["Entrén, jul"],
        valid_until=["2026-12-27T00:00"],
        entry_duration=["7,5", ""],
        entry_from=["", "2026-12-01T10:00"],
    )
    page = await client.get(f"/admin/playlists/{playlist_id}")

    assert saved.status_code == 303
    assert stored(engine, playlist_id) == ("Entrén, jul", 2, [(road, 7.5), (market, None)])
    with Session(engine) as session:
        playlist = session.get_one(Playlist, playlist_id)
        assert playlist.valid_until == datetime(2026, 12, 26, 23, 0, tzinfo=UTC)
        assert playlist.entries[1].valid_from == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert 'value="7.5"' in page.text
    assert 'value="2026-12-01T10:00"' in page.text
    assert "Från 1 dec. 2026 10:00" in visible_text(page.text)


async def test_a_duration_that_is_not_a_number_is_refused_and_the_edit_is_kept(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    road, market = slide_ids(engine, "Vägen är lagad", "Julmarknad", now=clock())
    playlist_id = make_playlist(engine, "Entrén", road, market)
    await editor(client, engine, clock)

    refused = await send(client, playlist_id, name=["Entrén, ny"], entry_duration=["", "sju"])

    assert refused.status_code == 422
    assert (
        "Inslag 2: visningstiden ska vara ett antal sekunder, till exempel 8 eller 7,5."
        in visible_text(refused.text)
    )
    kept = form_fields(refused.text)
    assert (kept["name"], kept["entry_duration"]) == (["Entrén, ny"], ["", "sju"])
    assert stored(engine, playlist_id) == ("Entrén", 1, [(road, None), (market, None)])


async def test_a_window_that_ends_before_it_starts_is_refused_naming_the_slide(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    road, market = slide_ids(engine, "Vägen är lagad", "Julmarknad", now=clock())
    playlist_id = make_playlist(engine, "Entrén", road, market)
    await editor(client, engine, clock)

    refused = await send(
        client,
        playlist_id,
        entry_from=["", "2026-12-10T10:00"],
        entry_until=["", "2026-12-01T10:00"],
    )

    assert refused.status_code == 422
    assert "Inslag 2: ”Visas till” måste vara senare än ”Visas från”." in visible_text(refused.text)
    assert form_fields(refused.text)["entry_until"] == ["", "2026-12-01T10:00"]
    assert stored(engine, playlist_id)[1] == 1


async def test_the_second_of_two_editors_is_shown_their_edit_beside_the_saved_one(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    road, market = slide_ids(engine, "Vägen är lagad", "Julmarknad", now=clock())
    playlist_id = make_playlist(engine, "Entrén", road)
    add_user(engine, now=clock(), username="bertil", display_name="Bertil")
    await editor(client, engine, clock)
    bertils_page = await client.get(f"/admin/playlists/{playlist_id}")
    bertils_fields = form_fields(bertils_page.text)  # opened at version 1
    await send(client, playlist_id, f"add:{market}")  # anna saves first: version 2

    bertils_fields["name"] = ["Bertils entré"]
    refused = await client.post(
        f"/admin/playlists/{playlist_id}", data={**bertils_fields, "action": "save"}
    )
    kept = form_fields(refused.text)
    text = visible_text(refused.text)

    assert refused.status_code == 409
    assert "Någon annan sparade spellistan medan du redigerade den." in text
    assert "Det som är sparat nu (version 2) Sparad av anna" in text
    assert "Vägen är lagad 8 s Julmarknad 8 s" in text  # the saved entries, beside the edit
    assert kept["name"] == ["Bertils entré"]
    assert kept["entry_item"] == [str(road)]
    assert kept["version"] == ["2"]
    assert stored(engine, playlist_id) == ("Entrén", 2, [(road, None), (market, None)])

    replaced = await client.post(f"/admin/playlists/{playlist_id}", data={**kept, "action": "save"})

    assert replaced.status_code == 303
    assert stored(engine, playlist_id) == ("Bertils entré", 3, [(road, None)])


async def test_deleting_a_playlist_in_the_schedule_is_refused_naming_where_it_plays(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    (road,) = slide_ids(engine, "Vägen är lagad", now=clock())
    used = make_playlist(engine, "Butiken", road)
    unused = make_playlist(engine, "Gammal", road)
    with session_scope(engine) as session:
        shop = place(session, name="Byabutiken i Svanstein", tags=["tornedalen"], now=clock())
        content.assign_playlist(session, playlist=session.get_one(Playlist, used), location=shop)
        session.add(Assignment(playlist_id=used, location_tag="tornedalen", weekdays=[6, 7]))
    await editor(client, engine, clock)
    token = await page_token(client, f"/admin/playlists/{used}")

    refused = await client.post(f"/admin/playlists/{used}/delete", data={"csrf_token": token})
    deleted = await client.post(f"/admin/playlists/{unused}/delete", data={"csrf_token": token})
    listing = await client.get(deleted.headers["location"])

    assert refused.status_code == 409
    assert (
        "Spellistan finns kvar i schemat och togs därför inte bort. "
        "Platser där den spelas: Byabutiken i Svanstein. "
        "Den spelas på alla platser med taggen tornedalen: Byabutiken i Svanstein."
    ) in visible_text(refused.text)
    assert deleted.status_code == 303
    assert "Spellistan Gammal togs bort." in listing.text
    with Session(engine) as session:
        assert [p.name for p in session.exec(select(Playlist))] == ["Butiken"]


async def test_a_moderator_may_neither_open_nor_change_playlists(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    playlist_id = make_playlist(engine, "Entrén")
    add_user(engine, now=clock(), username="maja", role=Role.MODERATOR)
    await log_in(client, username="maja")
    token = await page_token(client)

    pages = [
        await client.get(path) for path in ("/admin/playlists", f"/admin/playlists/{playlist_id}")
    ]
    posted = await client.post(
        f"/admin/playlists/{playlist_id}",
        data={"csrf_token": token, "name": "Kapat", "version": "1", "action": "save"},
    )

    assert [page.status_code for page in pages] == [403, 403]
    assert posted.status_code == 403
    assert stored(engine, playlist_id)[0] == "Entrén"


async def test_a_playlist_that_is_gone_says_so_in_a_page(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    await editor(client, engine, clock)

    page = await client.get("/admin/playlists/4242")

    assert page.status_code == 404
    assert "Spellistan finns inte" in page.text
