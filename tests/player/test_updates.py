"""Passing a player update the server offers on to the update command, once per release."""

from __future__ import annotations

import logging
import shlex
import sys
from pathlib import Path

import pytest

from player.updates import PlayerUpdater
from playlists.reports import PlayerUpdate

SERVER = "https://skyltar.example.se"
OFFER = PlayerUpdate(
    version="0.2.0",
    path="/api/device/v1/player-releases/anslag-0.2.0-py3-none-any.whl",
    sha256="5e" * 32,
    size=380_000,
)


class Ticker:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def recording_command(tmp_path: Path, *, exit_status: int = 0) -> tuple[str, Path]:
    """A real command that writes down the arguments it got, then exits with `exit_status`."""
    script = tmp_path / "request-update.py"
    record = tmp_path / "requests.txt"
    script.write_text(
        "import sys\n"
        f"with open({str(record)!r}, 'a') as out:\n"
        "    out.write(' '.join(sys.argv[1:]) + '\\n')\n"
        f"print('the updater says no', file=sys.stderr) if {exit_status} else None\n"
        f"sys.exit({exit_status})\n"
    )
    return shlex.join([sys.executable, str(script)]), record


def test_the_command_gets_the_version_the_wheels_url_and_its_hash(tmp_path: Path) -> None:
    command, record = recording_command(tmp_path)
    updater = PlayerUpdater(
        command=command, server_url=SERVER + "/", running_version="0.1.0", monotonic=Ticker()
    )

    assert updater.offer(OFFER)
    assert record.read_text().splitlines() == [
        f"0.2.0 {SERVER}/api/device/v1/player-releases/anslag-0.2.0-py3-none-any.whl {'5e' * 32}"
    ]


def test_a_release_is_passed_on_once_an_hour_however_often_it_is_offered(
    tmp_path: Path,
) -> None:
    command, record = recording_command(tmp_path, exit_status=1)
    ticker = Ticker()
    updater = PlayerUpdater(
        command=command, server_url=SERVER, running_version="0.1.0", monotonic=ticker
    )

    results = [updater.offer(OFFER)]
    ticker.now += 59 * 60
    results.append(updater.offer(OFFER))
    ticker.now += 2 * 60
    results.append(updater.offer(OFFER))

    assert results == [False, False, False]
    assert len(record.read_text().splitlines()) == 2


def test_nothing_runs_for_the_version_it_runs_or_without_an_offer(tmp_path: Path) -> None:
    command, record = recording_command(tmp_path)
    updater = PlayerUpdater(
        command=command, server_url=SERVER, running_version="0.2.0", monotonic=Ticker()
    )

    assert not updater.offer(OFFER)
    assert not updater.offer(None)
    assert not record.exists()


def test_a_refusal_is_logged_with_what_the_command_said(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    command, _record = recording_command(tmp_path, exit_status=3)
    updater = PlayerUpdater(
        command=command, server_url=SERVER, running_version="0.1.0", monotonic=Ticker()
    )

    with caplog.at_level(logging.WARNING, logger="player.updates"):
        updater.offer(OFFER)

    assert "could not request player 0.2.0" in caplog.text
    assert "exit status 3: the updater says no" in caplog.text


def test_a_screen_without_an_update_command_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    updater = PlayerUpdater(
        command="  ", server_url=SERVER, running_version="0.1.0", monotonic=Ticker()
    )

    with caplog.at_level(logging.WARNING, logger="player.updates"):
        updater.offer(OFFER)
        updater.offer(OFFER)

    assert caplog.text.count("no update command (ANSLAG_PLAYER_UPDATE_COMMAND)") == 1
