"""The items' pages: making each kind, languages, local times, two editors at once, deleting."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import httpx
import pytest
from anslag_testing.admin import add_user, log_in, page_token
from anslag_testing.media import clip, picture
from anslag_testing.server_app import FakeClock
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from server.db import session_scope
from server.models import Item, Role
from server.services import content
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.anyio

NEW = "/admin/items/new"


@pytest.fixture
async def editor(client: httpx.AsyncClient, engine: Engine, clock: FakeClock) -> httpx.AsyncClient:
    add_user(engine, now=clock())
    await log_in(client)
    return client


def stored(engine: Engine) -> list[Item]:
    with Session(engine) as session:
        return list(session.exec(select(Item).order_by(col(Item.id))))


def field_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert match is not None, f"no field {name}"
    return unescape(match.group(1))


async def upload(client: httpx.AsyncClient, data: bytes, name: str) -> str:
    token = await page_token(client, "/admin/media")
    sent = await client.post(
        "/admin/media", data={"csrf_token": token}, files={"file": (name, data, "image/jpeg")}
    )
    return sent.headers["location"].rsplit("=", 1)[1]


async def post_new(
    client: httpx.AsyncClient, kind: str, fields: dict[str, str | list[str]]
) -> httpx.Response:
    token = await page_token(client, f"{NEW}?kind={kind}")
    return await client.post(NEW, data={"csrf_token": token, "kind": kind, **fields})


async def post_event(client: httpx.AsyncClient, title: str, **when: str) -> httpx.Response:
    return await post_new(client, "event", {"language": ["sv"], "title_sv": title, **when})


NEWS_FIELDS: dict[str, str | list[str]] = {
    "language": ["sv", "fit"],
    "title_sv": "Vägen till Juoksengi är lagad",
    "body_sv": "Tack för ert tålamod!",
    "title_fit": "Tie Juoksenkhiin on korjattu",
    "body_fit": "",
    "duration": "12",
}


async def test_someone_whose_role_may_not_edit_is_refused_the_items(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock(), username="mona", role=Role.MODERATOR)
    await log_in(client, username="mona")
    token = await page_token(client, "/admin/")

    listed = await client.get("/admin/items")
    posted = await client.post(NEW, data={"csrf_token": token, "kind": "text", **NEWS_FIELDS})

    assert (listed.status_code, posted.status_code) == (403, 403)
    assert stored(engine) == []


async def test_a_new_item_starts_by_choosing_what_it_shows(editor: httpx.AsyncClient) -> None:
    page = await editor.get(NEW)

    for kind, label in [
        ("image", "Bild"),
        ("video", "Video"),
        ("text", "Text"),
        ("event", "Evenemang"),
    ]:
        assert f'href="/admin/items/new?kind={kind}"' in page.text
        assert f"<strong>{label}</strong>" in page.text


async def test_a_news_slide_in_two_languages_is_saved_and_shown_again(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    saved = await post_new(editor, "text", NEWS_FIELDS)

    (item,) = stored(engine)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/admin/items/{item.id}?saved=1"
    assert item.texts == {
        "sv": {"title": "Vägen till Juoksengi är lagad", "body": "Tack för ert tålamod!"},
        "fit": {"title": "Tie Juoksenkhiin on korjattu", "body": ""},
    }
    assert item.duration_s == 12
    page = await editor.get(saved.headers["location"])
    assert "Sparat." in page.text
    assert "<h1>Vägen till Juoksengi är lagad</h1>" in page.text
    assert field_value(page.text, "title_fit") == "Tie Juoksenkhiin on korjattu"
    assert '<h3 id="language-fit">Meänkieli</h3>' in page.text
    listed = await editor.get("/admin/items")
    assert "Vägen till Juoksengi är lagad" in listed.text
    assert "Visas alltid" in listed.text
    assert "Inte i någon spellista" in listed.text


async def test_a_new_text_is_news_proposed_for_a_week_and_can_be_made_to_stay(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    # Monday 12 January 2026, 09:00 in Stockholm.
    page = await editor.get(f"{NEW}?kind=text")
    picture_page = await editor.get(f"{NEW}?kind=image")

    assert field_value(page.text, "until_day") == "2026-01-19"
    assert "En nyhet föreslås visas en vecka" in page.text
    assert field_value(picture_page.text, "until_day") == ""
    await post_new(editor, "text", {**NEWS_FIELDS, "until_day": "2026-01-19"})
    await post_new(editor, "text", {**NEWS_FIELDS, "title_sv": "Öppettider", "until_day": ""})

    news, notice = stored(engine)
    # Shown to the end of the last day, on the municipality's clock, in both languages.
    assert news.valid_until == datetime(2026, 1, 19, 23, 0, tzinfo=UTC)
    assert set(news.texts) == {"sv", "fit"}
    assert notice.valid_until is None


async def test_adding_and_removing_a_language_keeps_what_was_typed_and_saves_nothing(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    typed = {"language": ["sv"], "title_sv": "Badhuset stänger", "body_sv": "Hela veckan."}

    added = await post_new(
        editor, "text", {**typed, "action": "add_language", "new_language": "se"}
    )
    removed = await post_new(
        editor,
        "text",
        {**typed, "language": ["sv", "se"], "title_se": "", "remove_language": "sv"},
    )

    assert added.status_code == 200
    assert field_value(added.text, "title_sv") == "Badhuset stänger"
    assert "Nordsamiska" in added.text
    assert 'name="title_se"' in added.text
    assert 'name="title_sv"' not in removed.text
    assert 'name="title_se"' in removed.text
    assert stored(engine) == []


async def test_a_form_with_a_missing_title_is_refused_in_swedish_and_keeps_the_input(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    refused = await post_new(
        editor, "text", {**NEWS_FIELDS, "title_fit": "  ", "from_day": "2026-02-01"}
    )

    assert refused.status_code == 422
    assert "Meänkieli: skriv en rubrik eller ta bort språket." in refused.text
    assert field_value(refused.text, "title_sv") == "Vägen till Juoksengi är lagad"
    assert field_value(refused.text, "from_day") == "2026-02-01"
    assert stored(engine) == []


async def test_an_events_times_are_read_on_the_municipalitys_clock_and_stored_in_utc(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    saved = await post_event(
        editor,
        "Julmarknad",
        starts_day="2026-07-04",
        starts_time="10:00",
        ends_time="15:00",
        place="Bygdegården",
        organiser="Byaföreningen",
    )

    (event,) = stored(engine)
    # Summer time: 10:00 in Övertorneå is 08:00 UTC.
    assert (event.starts_at, event.ends_at) == (
        datetime(2026, 7, 4, 8, 0, tzinfo=UTC),
        datetime(2026, 7, 4, 13, 0, tzinfo=UTC),
    )
    assert event.valid_until == event.ends_at
    page = await editor.get(saved.headers["location"])
    assert field_value(page.text, "starts_time") == "10:00"
    assert field_value(page.text, "ends_day") == "2026-07-04"
    assert field_value(page.text, "until_day") == ""


async def test_an_all_day_event_covers_its_days_from_midnight_to_midnight(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    saved = await post_event(
        editor, "Marknadsdagar", starts_day="2026-10-24", ends_day="2026-10-25", all_day="1"
    )

    (event,) = stored(engine)
    # The clocks go back in the night to 25 October: that day has 25 hours.
    assert (event.starts_at, event.ends_at, event.all_day) == (
        datetime(2026, 10, 23, 22, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 23, 0, tzinfo=UTC),
        True,
    )
    page = await editor.get(saved.headers["location"])
    assert field_value(page.text, "ends_day") == "2026-10-25"


async def test_a_time_the_clocks_skip_is_refused_with_the_reason(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    refused = await post_event(editor, "Nattvandring", starts_day="2026-03-29", starts_time="02:30")

    assert refused.status_code == 422
    assert "02:30 den 2026-03-29 finns inte här: klockan ställs fram den natten." in refused.text
    assert stored(engine) == []


async def test_a_picture_item_is_picked_from_the_library_with_thumbnails(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    photo = await upload(editor, picture(), "vinter.jpg")
    video = await upload(editor, clip("vp8"), "film.webm")

    form = await editor.get(f"{NEW}?kind=image&asset={photo}")
    saved = await post_new(
        editor, "image", {"asset": photo, "fit": "fit", "until_day": "2026-02-14"}
    )

    assert f'src="/admin/media/{photo}/thumbnail"' in form.text
    assert f'value="{photo}" checked' in form.text
    assert video not in form.text
    assert saved.status_code == 303
    (item,) = stored(engine)
    assert (item.kind, item.asset_sha256, item.fit, item.duration_s) == ("image", photo, "fit", 8)
    # "Until 14 February" includes the 14th: it ends at the next midnight, Swedish time.
    assert item.valid_until == datetime(2026, 2, 14, 23, 0, tzinfo=UTC)


async def test_a_video_plays_as_long_as_its_clip_without_sound_unless_chosen(
    editor: httpx.AsyncClient, engine: Engine
) -> None:
    video = await upload(editor, clip("h264", seconds=2.0), "film.mp4")

    saved = await post_new(editor, "video", {"asset": video, "fit": "fit", "duration": ""})

    (item,) = stored(engine)
    assert item.duration_s == pytest.approx(2.0, abs=0.05)
    assert (item.muted, item.loop) == (True, False)
    page = await editor.get(saved.headers["location"])
    assert field_value(page.text, "duration") == ""
    assert 'name="sound" value="1" aria' in page.text


async def test_the_second_editor_saving_an_item_is_told_and_keeps_their_input(
    client: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    add_user(engine, now=clock())
    add_user(engine, now=clock(), username="berit", display_name="Berit")
    with session_scope(engine) as session:
        item = content.create_text_item(session, texts={"sv": ("Öppettider", "")}, now=clock())
        item_id = item.id
    page = f"/admin/items/{item_id}"
    await log_in(client, username="berit")
    berits_form = await client.get(page)
    client.cookies.clear()
    await log_in(client)
    anna_token = await page_token(client, page)
    await client.post(
        page,
        data={
            "csrf_token": anna_token,
            "version": "1",
            "language": "sv",
            "title_sv": "Annas rubrik",
        },
    )
    client.cookies.clear()
    await log_in(client, username="berit")
    berit_token = await page_token(client, page)

    stale = await client.post(
        page,
        data={
            "csrf_token": berit_token,
            "version": field_value(berits_form.text, "version"),
            "language": "sv",
            "title_sv": "Berits rubrik",
        },
    )

    assert stale.status_code == 409
    assert "Någon annan sparade inslaget efter att du öppnade det" in stale.text
    assert "Sparat under tiden av anna" in stale.text
    assert "<strong>Annas rubrik</strong>" in stale.text
    assert field_value(stale.text, "title_sv") == "Berits rubrik"
    assert field_value(stale.text, "version") == "2"
    assert stored(engine)[0].texts["sv"]["title"] == "Annas rubrik"

    again = await client.post(
        page,
        data={
            "csrf_token": berit_token,
            "version": "2",
            "language": "sv",
            "title_sv": "Berits rubrik",
        },
    )

    assert again.status_code == 303
    assert stored(engine)[0].texts["sv"]["title"] == "Berits rubrik"


async def test_an_item_in_a_playlist_cannot_be_deleted_and_an_unused_one_can(
    editor: httpx.AsyncClient, engine: Engine, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        used = content.create_text_item(session, texts={"sv": ("I bruk", "")}, now=clock())
        unused = content.create_text_item(session, texts={"sv": ("Gammal", "")}, now=clock())
        content.create_playlist(session, name="Sporthallen", entries=[used])
        used_id, unused_id = used.id, unused.id
    token = await page_token(editor, f"/admin/items/{used_id}")

    refused = await editor.post(f"/admin/items/{used_id}/delete", data={"csrf_token": token})
    deleted = await editor.post(f"/admin/items/{unused_id}/delete", data={"csrf_token": token})

    assert refused.status_code == 409
    assert "”I bruk” finns i spellistorna 'Sporthallen'; ta bort det därifrån först" in unescape(
        refused.text
    )
    assert deleted.status_code == 303
    listed = await editor.get(deleted.headers["location"])
    assert "”Gammal” togs bort." in listed.text
    assert [item.id for item in stored(engine)] == [used_id]
    assert (await editor.get(f"/admin/items/{unused_id}")).status_code == 404


async def test_the_list_filters_by_kind_and_marks_what_has_ended(
    editor: httpx.AsyncClient, engine: Engine, clock: FakeClock, storage: LocalMediaStorage
) -> None:
    with session_scope(engine) as session:
        content.create_text_item(
            session,
            texts={"sv": ("Förra veckans nyhet", "")},
            valid_until=datetime(2026, 1, 5, tzinfo=UTC),
            now=clock(),
        )
        asset = content.store_media(
            session, storage, data=picture(), media_type="image/jpeg",
            original_name="bild.jpg", now=clock(),
        )  # fmt: skip
        content.create_image_item(session, asset=asset, now=clock())

    everything = await editor.get("/admin/items")
    pictures = await editor.get("/admin/items?kind=image")

    assert "Förra veckans nyhet" in everything.text
    assert '<span class="badge ended">Utgånget</span>' in everything.text
    assert "bild.jpg" in pictures.text
    assert "Förra veckans nyhet" not in pictures.text
