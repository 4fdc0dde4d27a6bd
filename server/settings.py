"""The server's settings, read once at start from `ANSLAG_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from server.db import normalise_database_url


def _default_database_url(data: dict[str, Any]) -> str:
    return f"sqlite:///{Path(data['data_dir']) / 'anslag.db'}"


def _default_media_dir(data: dict[str, Any]) -> Path:
    return Path(data["data_dir"]) / "media"


def _default_player_releases_dir(data: dict[str, Any]) -> Path:
    return Path(data["data_dir"]) / "player-releases"


class Settings(BaseSettings):
    """Where the server keeps its data and how it serves it.

    The defaults make an embedded installation: a SQLite database and a media
    folder under `data_dir`. A `postgresql://` URL is for larger ones.
    """

    model_config = SettingsConfigDict(env_prefix="ANSLAG_")

    data_dir: Path = Path("var")
    media_dir: Path = Field(default_factory=_default_media_dir)
    database_url: str = Field(default_factory=_default_database_url)
    # Player releases screens install and update to: wheels named anslag-<version>-py3-none-any.whl.
    player_releases_dir: Path = Field(default_factory=_default_player_releases_dir)
    # How far ahead each manifest reaches: how long a screen plays on without the server.
    manifest_horizon_days: int = Field(default=7, ge=1, le=60)
    # The municipality's zone: admin pages show and read dates and times in it.
    timezone: str = "Europe/Stockholm"
    # Who the municipality's own alerts come from: the name on screens, the CAP sender.
    municipality_name: str = Field(default="Kommunen", min_length=1, max_length=200)
    alert_sender: str = Field(default="anslag.invalid", min_length=1, max_length=255)
    # A manual alert always ends: after this long unless its operator says otherwise.
    alert_lifetime_hours: float = Field(default=12, gt=0, le=24 * 14)
    # How long the "all clear" card stays up after an alert is ended that way.
    all_clear_minutes: int = Field(default=10, ge=1, le=24 * 60)
    # The largest media file an editor may upload; reading stops there. A minute of
    # 1080p H.264 at a signage bitrate is about 60 MB.
    max_upload_mb: int = Field(default=256, ge=1, le=4096)
    # How often an open push stream says it is alive when there is nothing to tell: often
    # enough for proxies not to cut it, and the player gives up on a silent one after three.
    push_keepalive_s: float = Field(default=15, gt=0, le=300)
    # CAP feeds: the largest single message and index feed read, and how long a request may take.
    cap_message_limit_kb: int = Field(default=1024, ge=16, le=64 * 1024)
    cap_index_limit_kb: int = Field(default=10 * 1024, ge=16, le=256 * 1024)
    cap_timeout_s: float = Field(default=15, gt=0, le=300)
    # The public event form: submissions per address and hour, and the largest picture.
    submissions_per_hour: int = Field(default=5, ge=1, le=1000)
    submission_image_mb: int = Field(default=8, ge=1, le=64)
    # Mail to those who submit events; no host means no mail (the status link is still shown).
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_from: str = Field(default="anslag@localhost", min_length=3, max_length=254)
    # The address the public reaches the server at, for links in mail ("https://anslag.kommun.se");
    # without it, the address the request came to.
    public_url: str | None = None
    # Background jobs (feed and CAP polling); off for a replica that should only serve.
    jobs_enabled: bool = True
    host: str = Field(default="127.0.0.1", min_length=1)
    port: int = Field(default=8000, ge=1, le=65535)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (try Europe/Stockholm)") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def upload_dir(self) -> Path:
        """Where uploads are received before they are checked: in the data folder, not /tmp."""
        return self.data_dir / "uploads"

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        return normalise_database_url(value)
