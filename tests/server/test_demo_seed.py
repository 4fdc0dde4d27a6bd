"""The demo municipality: three Övertorneå screens with pictures, news and an event, seeded once."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from anslag_testing.server_app import FakeClock
from PIL import Image
from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, select

from playlists.manifest import EventItem, ImageItem, TextItem, parse_manifest
from server.db import session_scope
from server.demo.images import demo_images
from server.demo.seed import DEMO_LOCATIONS, seed_demo
from server.services.manifests import build_manifest
from server.storage import LocalMediaStorage

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def row_counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            name: session.exec(select(func.count()).select_from(table)).one()
            for name, table in SQLModel.metadata.tables.items()
        }


def test_seeding_twice_changes_nothing_and_returns_the_same_demo(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        first = seed_demo(session, storage, now=clock())
        first_ids = [
            [row.id for row in first.locations],
            [row.id for row in first.screens],
            [row.id for row in first.playlists],
            [asset.sha256 for asset in first.assets],
            first.editor.id,
        ]
        first_tokens = [screen.token_hash for screen in first.screens]
    counts = row_counts(engine)
    media = sorted(storage.root.rglob("*"))

    clock.advance(timedelta(days=3))
    with session_scope(engine) as session:
        again = seed_demo(session, storage, now=clock())
        assert [
            [row.id for row in again.locations],
            [row.id for row in again.screens],
            [row.id for row in again.playlists],
            [asset.sha256 for asset in again.assets],
            again.editor.id,
        ] == first_ids
        assert [screen.token_hash for screen in again.screens] == first_tokens

    assert row_counts(engine) == counts
    assert counts["location"] == counts["screen"] == counts["playlist"] == 3
    assert counts["user_account"] == 1
    assert sorted(storage.root.rglob("*")) == media


def test_every_demo_screen_shows_pictures_news_and_an_event_in_both_its_languages(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        seed = seed_demo(session, storage, now=clock())
        manifests = [
            build_manifest(session, location=location, now=clock(), horizon=timedelta(days=7))
            for location in seed.locations
        ]

    for demo, manifest in zip(DEMO_LOCATIONS, manifests, strict=True):
        manifest = parse_manifest(manifest.model_dump_json())
        assert manifest.location.id == demo.slug
        assert manifest.location.timezone == "Europe/Stockholm"
        assert len(manifest.location.languages) == 2
        kinds = sorted(item.kind for item in manifest.items)
        assert kinds == ["event", "image", "image", "image", "text"]
        for item in manifest.items:
            if isinstance(item, TextItem | EventItem):
                assert set(manifest.location.languages) <= set(item.texts), (demo.slug, item.id)
                assert all(text.title for text in item.texts.values())
            assert 8 <= item.duration_s <= 10
        for asset in manifest.assets:
            assert storage.exists(asset.sha256)
        [assignment] = manifest.assignments
        assert assignment.weekdays == frozenset(range(1, 8))
        assert assignment.start_time is None


def test_the_christmas_market_is_on_the_coming_saturday_and_leaves_the_screens_after(
    engine: Engine, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    with session_scope(engine) as session:
        seed = seed_demo(session, storage, now=clock())
        shop = seed.locations[0]
        before = build_manifest(session, location=shop, now=clock(), horizon=timedelta(days=7))
        [market] = [item for item in before.items if isinstance(item, EventItem)]
        after = build_manifest(
            session,
            location=shop,
            now=market.starts_at + timedelta(days=1),
            horizon=timedelta(days=7),
        )

    # The clock fixture reads Monday 12 January 2026; the coming Saturday is the 17th.
    assert market.starts_at.astimezone(STOCKHOLM) == datetime(2026, 1, 17, 10, tzinfo=STOCKHOLM)
    assert market.ends_at is not None
    assert market.ends_at.astimezone(STOCKHOLM).time() == time(15)
    assert market.texts["sv"].title == "Julmarknad i Svanstein"
    assert market.image is not None
    assert not any(isinstance(item, EventItem) for item in after.items)
    assert any(isinstance(item, ImageItem) for item in after.items)


@pytest.mark.parametrize(
    ("seeded_at", "market_day"),
    [
        (datetime(2026, 1, 17, 9, 0, tzinfo=STOCKHOLM), 17),
        (datetime(2026, 1, 17, 15, 30, tzinfo=STOCKHOLM), 24),
    ],
)
def test_seeded_on_a_saturday_the_market_is_that_day_until_it_has_closed(
    engine: Engine, storage: LocalMediaStorage, seeded_at: datetime, market_day: int
) -> None:
    now = seeded_at.astimezone(UTC)
    with session_scope(engine) as session:
        shop = seed_demo(session, storage, now=now).locations[0]
        manifest = build_manifest(session, location=shop, now=now, horizon=timedelta(days=7))

    [market] = [item for item in manifest.items if isinstance(item, EventItem)]
    assert market.starts_at == datetime(2026, 1, market_day, 10, tzinfo=STOCKHOLM)


def test_demo_pictures_are_three_different_full_hd_pngs_drawn_the_same_every_time() -> None:
    images = demo_images()
    redrawn = demo_images.__wrapped__()

    assert [image.data for image in redrawn] == [image.data for image in images]
    assert len({image.data for image in images}) == 3
    for image in images:
        with Image.open(io.BytesIO(image.data)) as picture:
            assert (picture.format, picture.size) == ("PNG", (1920, 1080))
            assert image.media_type == "image/png"


@pytest.mark.parametrize("index", range(3))
def test_demo_pictures_are_landscapes_not_blank_frames(index: int) -> None:
    with Image.open(io.BytesIO(demo_images()[index].data)) as picture:
        colours = picture.convert("RGB").getcolors(maxcolors=1_000_000)

    assert colours is not None
    assert len(colours) > 50
