"""From the municipality's feed to the shop's screen: the polled news slide as the player draws it
from the server's manifest, in Swedish where the shop reads Swedish and Meänkieli."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anslag_testing.news import ROAD_COLOUR, ROAD_TITLE, arrange_news_shop, pajala_website
from anslag_testing.screens import SLIDE_AREA, share_close_to
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine
from sqlmodel import Session

from player.slides import slide_views
from player.ui.stage import Stage
from player.ui.window import PlayerWindow
from playlists.manifest import Manifest, TextItem
from server.db import create_engine_for, migrate
from server.services.content import find_location
from server.services.manifests import build_manifest
from server.settings import Settings
from server.storage import LocalMediaStorage

pytestmark = pytest.mark.gui

NOW = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    migrate(settings.database_url)
    engine = create_engine_for(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[tuple[Stage, PlayerWindow]]:
    stage = Stage(fade_ms=60)
    window = PlayerWindow(stage, size=(1920, 1080))
    window.show()
    qtbot.waitExposed(window)
    yield stage, window
    window.close()
    window.deleteLater()


def shop_manifest(engine: Engine, settings: Settings, language_mode: str) -> Manifest:
    storage = LocalMediaStorage(settings.media_dir)
    arrange_news_shop(
        engine, storage, settings, pajala_website(), now=NOW, language_mode=language_mode
    )
    with Session(engine) as session:
        shop = find_location(session, slug="byabutiken")
        return build_manifest(session, location=shop, now=NOW, horizon=timedelta(days=7))


def road_news(manifest: Manifest) -> TextItem:
    return next(
        item
        for item in manifest.items
        if isinstance(item, TextItem) and item.texts["sv"].title == ROAD_TITLE
    )


def shown_texts(window: PlayerWindow, name: str) -> list[str]:
    root = window.rootObject()
    return [
        str(item.property("text"))
        for item in root.findChildren(QObject, name)
        if item.property("visible")
    ]


def test_swedish_news_fills_the_shops_slide_once_with_its_picture_when_meankieli_is_missing(
    qtbot: QtBot, window: tuple[Stage, PlayerWindow], engine: Engine, settings: Settings
) -> None:
    stage, player = window
    manifest = shop_manifest(engine, settings, "both")
    storage = LocalMediaStorage(settings.media_dir)

    [view] = slide_views(road_news(manifest), location=manifest.location, asset_path=storage.path)
    with qtbot.waitSignal(stage.transition_finished, timeout=5000):
        stage.present(view)

    # The Swedish text in the primary place; no Meänkieli block repeating it beneath.
    assert shown_texts(player, "primaryTitle") == [ROAD_TITLE]
    [body] = shown_texts(player, "primaryBody")
    assert body.startswith("Isvägen över Torne älv är öppen")
    assert "<" not in body
    assert shown_texts(player, "secondaryTitle") == []
    frame = player.grab_frame()
    assert share_close_to(frame, ROAD_COLOUR, SLIDE_AREA, tolerance=30) > 0.2


def test_an_alternating_shop_gives_swedish_only_news_a_single_turn(
    engine: Engine, settings: Settings
) -> None:
    manifest = shop_manifest(engine, settings, "alternate")
    storage = LocalMediaStorage(settings.media_dir)

    turns = slide_views(road_news(manifest), location=manifest.location, asset_path=storage.path)

    assert [[text["title"] for text in turn["texts"]] for turn in turns] == [[ROAD_TITLE]]
