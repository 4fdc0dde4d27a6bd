"""Player settings: sensible defaults, environment overrides, and clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from player.settings import PlayerSettings, WindowSize


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own ANSLAG_PLAYER_* variables must not leak into these tests.
    for field in PlayerSettings.model_fields:
        monkeypatch.delenv(f"ANSLAG_PLAYER_{field.upper()}", raising=False)


def test_defaults_run_a_windowed_player_against_a_local_server() -> None:
    settings = PlayerSettings()

    assert settings.server_url == "http://127.0.0.1:8000"
    assert settings.window_size == WindowSize(1920, 1080)
    assert not settings.fullscreen
    assert settings.token_file == Path("var/player/device-token")
    assert settings.cache_dir == Path("var/player/objects")
    assert settings.manifest_file == Path("var/player/manifest.json")
    assert settings.cache_limit_bytes == 2_000_000_000


def test_environment_configures_a_portrait_kiosk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSLAG_PLAYER_SERVER_URL", "https://skyltar.pajala.se/")
    monkeypatch.setenv("ANSLAG_PLAYER_DATA_DIR", "/var/lib/anslag")
    monkeypatch.setenv("ANSLAG_PLAYER_FULLSCREEN", "true")
    monkeypatch.setenv("ANSLAG_PLAYER_WINDOW_SIZE", "1080x1920")
    monkeypatch.setenv("ANSLAG_PLAYER_POLL_INTERVAL_S", "30")
    monkeypatch.setenv("ANSLAG_PLAYER_SCREENSHOT_DIR", "")
    monkeypatch.setenv("ANSLAG_PLAYER_CACHE_LIMIT_MB", "500")

    settings = PlayerSettings()

    assert settings.server_url == "https://skyltar.pajala.se"
    assert (settings.window_width, settings.window_height) == (1080, 1920)
    assert settings.fullscreen
    assert settings.poll_interval_s == 30
    assert settings.screenshot_dir is None
    assert settings.token_file == Path("/var/lib/anslag/device-token")
    assert settings.cache_limit_bytes == 500_000_000


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("window_size", "full-hd", "window_size must be WIDTHxHEIGHT"),
        ("window_size", "0x1080", "between 1 and 16384 pixels"),
        ("server_url", "skyltar.pajala.se", "must be an http:// or https:// URL"),
        ("poll_interval_s", "0", "greater than 0"),
        ("cache_limit_mb", "-1", "greater than 0"),
    ],
)
def test_bad_setting_is_refused_with_a_message_naming_it(
    monkeypatch: pytest.MonkeyPatch, field: str, value: str, message: str
) -> None:
    monkeypatch.setenv(f"ANSLAG_PLAYER_{field.upper()}", value)

    with pytest.raises(ValidationError, match=message) as raised:
        PlayerSettings()

    assert raised.value.errors()[0]["loc"] == (field,)


def test_fullscreen_and_offscreen_together_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSLAG_PLAYER_FULLSCREEN", "true")
    monkeypatch.setenv("ANSLAG_PLAYER_OFFSCREEN", "true")

    with pytest.raises(ValidationError, match="fullscreen and offscreen exclude each other"):
        PlayerSettings()
