"""The municipality's time zone: Stockholm unless `ANSLAG_TIMEZONE` names another real zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from server.settings import Settings


def test_the_admin_reads_dates_in_stockholm_time_by_default() -> None:
    assert Settings().zone == ZoneInfo("Europe/Stockholm")


def test_another_municipality_sets_its_own_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSLAG_TIMEZONE", "Europe/Oslo")

    assert Settings().zone == ZoneInfo("Europe/Oslo")


def test_a_zone_that_does_not_exist_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANSLAG_TIMEZONE", "Europe/Tornedalen")

    with pytest.raises(ValidationError, match="unknown time zone 'Europe/Tornedalen'"):
        Settings()
