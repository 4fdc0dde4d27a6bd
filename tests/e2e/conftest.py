"""Fixtures of the end-to-end tests: a real Chromium for the admin's browser tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from anslag_testing.browser import chromium
from playwright.sync_api import Browser


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser
