"""Real browsers for end-to-end tests: Debian's Chromium driven by Playwright, a demo server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from anslag_testing.processes import ServerProcess
from server.clock import system_clock
from server.db import create_engine_for, migrate, session_scope
from server.demo.seed import DEMO_PASSWORD, DEMO_USERNAME, seed_demo
from server.storage import LocalMediaStorage

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (scripts/ensure-system-deps.sh)",
)


@contextmanager
def seeded_demo_server(data_dir: Path, database_url: str) -> Iterator[ServerProcess]:
    """`anslag-server serve` on a database holding the demo municipality."""
    migrate(database_url)
    engine = create_engine_for(database_url)
    try:
        with session_scope(engine) as session:
            seed_demo(session, LocalMediaStorage(data_dir / "media"), now=system_clock())
    finally:
        engine.dispose()
    with ServerProcess(data_dir=data_dir, database_url=database_url) as server:
        yield server


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def log_in_as_demo_editor(page: Page, server: ServerProcess) -> None:
    """Through the login form, as a person would."""
    page.goto(f"{server.url}/admin/login")
    page.get_by_label("Användarnamn").fill(DEMO_USERNAME)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{server.url}/admin/")
