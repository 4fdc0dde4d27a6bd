"""Fixtures of the end-to-end tests: a real demo server and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from anslag_testing.browsers import chromium, seeded_demo_server
from anslag_testing.processes import ServerProcess
from playwright.sync_api import Browser


@pytest.fixture
def demo_server(tmp_path: Path, database_url: str) -> Iterator[ServerProcess]:
    """`anslag-server serve` on a database holding the demo municipality."""
    with seeded_demo_server(tmp_path / "server", database_url) as server:
        yield server


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser
