"""The player's settings, read once at start from `ANSLAG_PLAYER_*` environment variables."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, NamedTuple
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from player.display_power import DEFAULT_OFF_COMMAND, DEFAULT_ON_COMMAND
from playlists.reports import HEARTBEAT_INTERVAL_S

_WINDOW_SIZE = re.compile(r"^\s*(\d+)\s*[xX]\s*(\d+)\s*$")
_MAX_SIDE = 16384


class WindowSize(NamedTuple):
    width: int
    height: int


class PlayerSettings(BaseSettings):
    """Where the server is, where the player keeps its data, and how its window looks."""

    model_config = SettingsConfigDict(env_prefix="ANSLAG_PLAYER_", validate_assignment=True)

    server_url: str = "http://127.0.0.1:8000"
    data_dir: Path = Path("var/player")
    poll_interval_s: float = Field(default=10.0, gt=0)
    # Listen to the server's push channel, so changes and alerts arrive at once; polling goes
    # on either way. Off only where a proxy holds back streamed answers.
    push_channel: bool = True
    # How much the asset cache may hold, in megabytes (1 MB = 1 000 000 bytes). Two
    # gigabytes hold a few dozen clips and hundreds of pictures, on the smallest SD card sold.
    cache_limit_mb: int = Field(default=2000, gt=0)
    # Run outside and at the start of the location's opening hours; empty: no command, the
    # screen only goes black.
    display_on_command: str = DEFAULT_ON_COMMAND
    display_off_command: str = DEFAULT_OFF_COMMAND
    # Run with a release's version, URL and sha256 when the server offers a player update;
    # empty: updates are not taken (see player.updates).
    update_command: str = ""
    fullscreen: bool = False
    # Draw without a display (Qt's offscreen platform); what is shown goes to screenshots.
    offscreen: bool = False
    screenshot_dir: Path | None = None
    # Monitoring: how often the screen reports, and sends what it shows (0: only on request).
    heartbeat_interval_s: float = Field(default=HEARTBEAT_INTERVAL_S, gt=0)
    screenshot_interval_min: float = Field(default=15.0, ge=0)
    # "WIDTHxHEIGHT"; a portrait screen is simply taller than wide, e.g. "1080x1920".
    window_size: Annotated[WindowSize, NoDecode] = WindowSize(1920, 1080)

    @field_validator("server_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"server_url must be an http:// or https:// URL with a host, "
                f"e.g. http://127.0.0.1:8000; got {value!r}"
            )
        if parts.query or parts.fragment:
            raise ValueError(f"server_url must not carry a query or fragment; got {value!r}")
        return value.strip().rstrip("/")

    @model_validator(mode="after")
    def _one_way_to_show(self) -> PlayerSettings:
        if self.fullscreen and self.offscreen:
            raise ValueError("fullscreen and offscreen exclude each other; choose one")
        return self

    @field_validator("screenshot_dir", mode="before")
    @classmethod
    def _empty_means_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("window_size", mode="before")
    @classmethod
    def _parse_window_size(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        match = _WINDOW_SIZE.match(value)
        if match is None:
            raise ValueError(
                f"window_size must be WIDTHxHEIGHT in pixels, e.g. 1920x1080 or 1080x1920; "
                f"got {value!r}"
            )
        return WindowSize(int(match.group(1)), int(match.group(2)))

    @field_validator("window_size")
    @classmethod
    def _sensible_window_size(cls, value: WindowSize) -> WindowSize:
        if not all(0 < side <= _MAX_SIDE for side in value):
            raise ValueError(
                f"window_size sides must be between 1 and {_MAX_SIDE} pixels; "
                f"got {value.width}x{value.height}"
            )
        return value

    @property
    def window_width(self) -> int:
        return self.window_size.width

    @property
    def window_height(self) -> int:
        return self.window_size.height

    @property
    def token_file(self) -> Path:
        return self.data_dir / "device-token"

    @property
    def pairing_file(self) -> Path:
        return self.data_dir / "pairing.json"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "objects"

    @property
    def cache_limit_bytes(self) -> int:
        return self.cache_limit_mb * 1_000_000

    @property
    def manifest_file(self) -> Path:
        return self.data_dir / "manifest.json"

    @property
    def play_queue_file(self) -> Path:
        return self.data_dir / "plays.jsonl"

    @property
    def ack_outbox_file(self) -> Path:
        return self.data_dir / "alert-acks.jsonl"
