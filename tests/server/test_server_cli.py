"""The `anslag-server` command as an installer uses it: seed, issue tokens, serve, stop."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from anslag_testing.processes import free_port
from anslag_testing.server_app import bearer, started

from playlists.manifest import parse_manifest
from server.app import create_app
from server.cli import main
from server.settings import Settings

SCRIPT = Path(sys.executable).with_name("anslag-server")


@pytest.fixture
def environment(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """ANSLAG_* variables pointing at a fresh data folder and test database, also set here."""
    variables = {"ANSLAG_DATA_DIR": str(tmp_path / "data"), "ANSLAG_DATABASE_URL": database_url}
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return {**os.environ, **variables}


async def manifest_location(token: str) -> str | int:
    """The location whose manifest `token` opens, or the refusal's status code."""
    async with started(create_app(Settings())) as client:
        response = await client.get("/api/device/v1/manifest", headers=bearer(token))
    if response.status_code != 200:
        return response.status_code
    return parse_manifest(response.content).location.id


@pytest.mark.anyio
async def test_seed_demo_writes_a_private_token_that_opens_the_shops_manifest(
    environment: dict[str, str], tmp_path: Path
) -> None:
    token_file = tmp_path / "etc" / "anslag" / "screen.token"

    done = subprocess.run(
        [SCRIPT, "seed-demo", "--token-file", token_file],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "byabutiken-svanstein" in done.stdout
    assert str(token_file) in done.stdout
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert await manifest_location(token_file.read_text()) == "byabutiken-svanstein"


@pytest.mark.anyio
async def test_seed_demo_can_hand_out_another_locations_screen(
    environment: dict[str, str], tmp_path: Path
) -> None:
    token_file = tmp_path / "hall.token"

    assert main(["seed-demo"]) == 0
    assert (
        main(["seed-demo", "--location", "sporthallen-overtornea", "--token-file", str(token_file)])
        == 0
    )

    assert await manifest_location(token_file.read_text()) == "sporthallen-overtornea"


@pytest.mark.anyio
async def test_issuing_a_token_makes_the_previous_one_stop_working(
    environment: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first.token", tmp_path / "second.token"
    assert main(["seed-demo", "--token-file", str(first)]) == 0

    status = main(
        ["issue-token", "--location", "byabutiken-svanstein", "--token-file", str(second)]
    )

    assert status == 0
    assert "previous token no longer works" in capsys.readouterr().out
    assert await manifest_location(first.read_text()) == 401
    assert await manifest_location(second.read_text()) == "byabutiken-svanstein"


def test_issuing_a_token_for_an_unknown_location_says_so(
    environment: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token_file = tmp_path / "screen.token"

    status = main(["issue-token", "--location", "kiruna", "--token-file", str(token_file)])

    assert status == 1
    assert "no location with slug 'kiruna'" in capsys.readouterr().err
    assert not token_file.exists()


def test_an_unsupported_database_url_stops_the_command_without_showing_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANSLAG_DATABASE_URL", "mysql://anslag:hemligt@db/anslag")

    status = main(["migrate"])

    error = capsys.readouterr().err
    assert status == 2
    assert "ANSLAG_DATABASE_URL" in error
    assert "unsupported database 'mysql'" in error
    assert "hemligt" not in error


@pytest.mark.e2e
def test_serve_answers_and_ctrl_c_stops_it_cleanly(environment: dict[str, str]) -> None:
    port = free_port()
    server = subprocess.Popen(
        [SCRIPT, "serve", "--port", str(port)],
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        started_up = []
        for line in server.stderr:
            started_up.append(line)
            if "Application startup complete" in line:
                break
        health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=10)
        server.send_signal(signal.SIGINT)
        _, rest = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()

    assert health.json() == {"status": "ok"}
    assert server.returncode == 0
    assert "Traceback" not in "".join(started_up) + rest
