"""The server's settings: defaults under one data folder, URLs normalised, clear refusals."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from server.settings import Settings


def test_everything_lives_under_the_data_folder_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSLAG_DATA_DIR", "/srv/anslag")

    settings = Settings()

    assert settings.database_url == "sqlite:////srv/anslag/anslag.db"
    assert settings.media_dir == Path("/srv/anslag/media")
    assert settings.manifest_horizon_days == 7
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_the_environment_sets_each_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSLAG_MEDIA_DIR", "/mnt/media")
    monkeypatch.setenv("ANSLAG_MANIFEST_HORIZON_DAYS", "3")
    monkeypatch.setenv("ANSLAG_PORT", "8080")

    settings = Settings()

    assert settings.media_dir == Path("/mnt/media")
    assert settings.manifest_horizon_days == 3
    assert settings.port == 8080


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (
            "postgresql://anslag:hemligt@db:5432/anslag",
            "postgresql+psycopg://anslag:hemligt@db:5432/anslag",
        ),
        ("postgres://anslag@db/anslag", "postgresql+psycopg://anslag@db/anslag"),
        ("postgresql+psycopg://anslag@db/anslag", "postgresql+psycopg://anslag@db/anslag"),
        ("sqlite:///var/anslag.db", "sqlite:///var/anslag.db"),
    ],
)
def test_a_postgresql_url_uses_the_psycopg_3_driver(given: str, used: str) -> None:
    assert Settings(database_url=given).database_url == used


@pytest.mark.parametrize(
    ("given", "complaint"),
    [
        ("mysql://anslag:hemligt@db/anslag", "unsupported database 'mysql'"),
        ("postgresql+psycopg2://anslag@db/anslag", "unsupported database 'postgresql+psycopg2'"),
        ("anslag.db", "is not a database URL"),
    ],
)
def test_an_unsupported_database_is_refused_with_a_clear_message(
    given: str, complaint: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(complaint)) as refused:
        Settings(database_url=given)

    assert "hemligt" not in str(refused.value.errors(include_input=False))


@pytest.mark.parametrize(
    ("field", "value"), [("port", 0), ("port", 70000), ("manifest_horizon_days", 0)]
)
def test_out_of_range_numbers_are_refused(field: str, value: int) -> None:
    with pytest.raises(ValidationError, match=field):
        Settings.model_validate({field: value})


def test_the_municipality_zone_defaults_to_sweden_and_a_typo_is_refused(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path).zone == ZoneInfo("Europe/Stockholm")
    assert Settings(data_dir=tmp_path, timezone="Europe/Oslo").timezone == "Europe/Oslo"
    with pytest.raises(ValidationError, match="unknown time zone 'Europe/Stokholm'"):
        Settings(data_dir=tmp_path, timezone="Europe/Stokholm")
