"""The display's power commands: run off the caller's thread, bounded in time, failures told."""

from __future__ import annotations

import logging
import shlex
from pathlib import Path

import pytest

from player.display_power import DisplayPower, run_command


def logging_command(log: Path, word: str) -> str:
    """A command that notes `word` in `log`, as a stand-in for `wlopm --on '*'`."""
    return f"sh -c {shlex.quote(f'echo {word} >> {shlex.quote(str(log))}')}"


def running(pid: int) -> bool:
    """Whether the process is alive; a killed one whose parent is gone may linger as a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def test_switching_runs_the_configured_command(tmp_path: Path) -> None:
    log = tmp_path / "display.log"
    power = DisplayPower(
        on_command=logging_command(log, "on"), off_command=logging_command(log, "off")
    )

    results = [power.switch(False).result(timeout=10), power.switch(True).result(timeout=10)]
    power.close()

    assert log.read_text().split() == ["off", "on"]
    assert [(result.on, result.ok) for result in results] == [(False, True), (True, True)]


def test_a_missing_program_is_reported_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    power = DisplayPower(off_command="wlopm-is-not-installed --off '*'")

    result = power.switch(False).result(timeout=10)
    power.close()

    assert not result.ok
    assert result.detail == "wlopm-is-not-installed: No such file or directory"
    assert "could not turn the display off: wlopm-is-not-installed" in caplog.text


def test_a_failing_command_is_reported_with_its_exit_status_and_what_it_said() -> None:
    ok, detail = run_command("sh -c 'echo no output named HDMI-A-1 >&2; exit 3'")

    assert not ok
    assert detail.endswith("failed with exit status 3: no output named HDMI-A-1")


def test_a_hanging_command_is_stopped_with_everything_it_started(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    hanging = f"sh -c {shlex.quote(f'sleep 60 & echo $$ $! > {pids}; wait')}"
    power = DisplayPower(off_command=hanging, timeout_s=2)

    switching = power.switch(False)
    assert not switching.done(), "the caller does not wait for the command"
    result = switching.result(timeout=10)
    power.close()

    assert not result.ok
    assert result.detail.endswith("did not finish within 2 s and was stopped")
    assert not any(running(int(pid)) for pid in pids.read_text().split())


def test_no_command_configured_means_no_switch(caplog: pytest.LogCaptureFixture) -> None:
    power = DisplayPower(on_command="", off_command="  ")

    with caplog.at_level(logging.INFO, logger="player.display_power"):
        result = power.switch(False).result(timeout=10)
    power.close()

    assert (result.ok, result.detail) == (False, "no command configured")
    assert caplog.records == []
