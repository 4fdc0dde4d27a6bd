"""The Raspberry Pi installer's scripts on their own: lint-clean, and doing what a screen needs.

Each script is taken out of install.sh as it installs it and run for real; what
only a Raspberry Pi has (the TV's HDMI-CEC adapter, the Wayland outputs, setting
the system clock) is played by small stand-ins on PATH that write down how they
were called: `cec-ctl`, `wlopm` and `date --set`.
"""

from __future__ import annotations

import http.server
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

import pytest
from anslag_testing.installer import INSTALLER, REPOSITORY, embedded_scripts, write_script

from player.display_power import DisplayPower

SHA = "5e" * 32


def test_every_script_passes_shellcheck(tmp_path: Path) -> None:
    scripts = [INSTALLER, *REPOSITORY.glob("deploy/**/*.sh"), REPOSITORY / ".ci" / "run"]
    scripts += [REPOSITORY / "scripts" / "ensure-system-deps.sh"]
    scripts += [write_script(tmp_path, path) for path in embedded_scripts()]

    checked = subprocess.run(
        ["shellcheck", "--severity=style", *map(str, set(scripts))],
        capture_output=True,
        text=True,
        check=False,
    )

    assert len(embedded_scripts()) >= 6
    assert checked.returncode == 0, checked.stdout


def stand_in(bin_dir: Path, name: str, body: str) -> None:
    """A command on PATH that appends its arguments to `<name>.calls`, then runs `body`."""
    script = bin_dir / name
    script.write_text(
        f'#!/bin/bash\necho "$*" >> "{bin_dir}/{name}.calls"\n{body}\n',
    )
    script.chmod(0o755)


def calls(bin_dir: Path, name: str) -> list[str]:
    log = bin_dir / f"{name}.calls"
    return log.read_text().splitlines() if log.exists() else []


class Display:
    """display-power with stand-ins for the TV's CEC adapter and the compositor's outputs."""

    def __init__(self, tmp_path: Path) -> None:
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        self.script = write_script(tmp_path, "/usr/local/lib/anslag/display-power")
        self.cec_device = tmp_path / "cec0"
        self.cec_device.touch()
        self.tv("answers")
        self.outputs("work")

    def tv(self, behaviour: str) -> None:
        body = {
            "answers": "echo 'Transmit from Playback Device 1 to TV (4 to 0): OK'",
            # A TV with CEC switched off: the message goes out and nobody acknowledges it.
            "ignores": "echo 'Tx, Not Acknowledged (4), Max Retries'",
            # A driver that never returns: one process, as cec-ctl is, that the deadline ends.
            "hangs": "exec sleep 60",
        }[behaviour]
        stand_in(self.bin, "cec-ctl", body)

    def outputs(self, behaviour: str) -> None:
        stand_in(self.bin, "wlopm", "exit 0" if behaviour == "work" else "exit 1")

    @property
    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "PATH": f"{self.bin}:{os.environ['PATH']}",
            "ANSLAG_CEC_DEVICE": str(self.cec_device),
        }

    def switch(self, state: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.script), state],
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )


@pytest.fixture
def display(tmp_path: Path) -> Display:
    return Display(tmp_path)


def test_off_puts_the_tv_to_standby_over_cec_and_leaves_the_output_alone(
    display: Display,
) -> None:
    switched = display.switch("off")

    assert switched.returncode == 0
    assert "the TV went to standby over HDMI-CEC" in switched.stderr
    assert calls(display.bin, "cec-ctl") == [
        f"--device {display.cec_device} --playback --osd-name Anslag",
        f"--device {display.cec_device} --to 0 --standby",
    ]
    assert calls(display.bin, "wlopm") == []


@pytest.mark.parametrize("tv", ["ignores", "hangs"])
def test_a_tv_that_does_not_take_cec_gets_its_hdmi_output_powered_off(
    display: Display, tv: str
) -> None:
    display.tv(tv)

    switched = display.switch("off")

    assert switched.returncode == 0
    assert "the HDMI output is powered off instead" in switched.stderr
    assert calls(display.bin, "wlopm") == ["--off *"]


def test_without_a_cec_adapter_or_outputs_off_fails_and_the_player_shows_black(
    display: Display,
) -> None:
    display.cec_device.unlink()
    display.outputs("fail")

    switched = display.switch("off")

    assert switched.returncode == 1
    assert "neither HDMI-CEC nor wlopm" in switched.stderr
    assert calls(display.bin, "cec-ctl") == []


def test_on_powers_the_output_and_wakes_the_tv(display: Display) -> None:
    switched = display.switch("on")

    assert switched.returncode == 0
    assert calls(display.bin, "wlopm") == ["--on *"]
    assert (
        calls(display.bin, "cec-ctl")[-1] == f"--device {display.cec_device} --to 0 --image-view-on"
    )


def test_a_hanging_tv_is_given_up_on_within_the_players_own_deadline(
    display: Display, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wired as the installer wires it: the player's display commands, which it kills
    after its timeout and then counts as failed."""
    display.tv("hangs")
    for name, value in display.environment.items():
        monkeypatch.setenv(name, value)
    power = DisplayPower(on_command=f"{display.script} on", off_command=f"{display.script} off")

    try:
        off = power.switch(False).result()
        on = power.switch(True).result()
    finally:
        power.close()

    assert (off.ok, on.ok) == (True, True), (off.detail, on.detail)
    assert calls(display.bin, "wlopm") == ["--off *", "--on *"]


class Clock:
    """The clock script with its file in tmp_path, and `date --set` written down, not done."""

    def __init__(self, tmp_path: Path) -> None:
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        stand_in(self.bin, "date", '[[ " $* " == *" --set "* ]] || exec /bin/date "$@"')
        self.script = write_script(tmp_path, "/usr/local/lib/anslag/clock")
        self.saved = tmp_path / "kept-time"
        self.synchronised = tmp_path / "synchronized"

    def run(self, *arguments: str, server: str = "") -> subprocess.CompletedProcess[str]:
        environment = {
            **os.environ,
            "PATH": f"{self.bin}:{os.environ['PATH']}",
            "ANSLAG_CLOCK_FILE": str(self.saved),
            "ANSLAG_TIMESYNC_FLAG": str(self.synchronised),
            "ANSLAG_PLAYER_SERVER_URL": server,
        }
        return subprocess.run(
            [str(self.script), *arguments],
            env=environment,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )

    def settings(self) -> list[str]:
        return [call for call in calls(self.bin, "date") if "--set" in call]


@pytest.fixture
def clock(tmp_path: Path) -> Clock:
    return Clock(tmp_path)


def test_the_time_kept_is_never_set_back_by_a_clock_that_booted_in_the_past(
    clock: Clock,
) -> None:
    clock.run("save")
    kept = int(clock.saved.read_text())
    a_day_ahead = kept + 86_400
    clock.saved.write_text(f"{a_day_ahead}\n")

    clock.run("save")
    unsynchronised = int(clock.saved.read_text())
    clock.synchronised.touch()
    clock.run("save")

    assert abs(kept - time.time()) < 60
    assert unsynchronised == a_day_ahead
    assert int(clock.saved.read_text()) < a_day_ahead


def test_at_boot_a_clock_behind_the_kept_time_is_set_forward_to_it(clock: Clock) -> None:
    clock.run("restore")
    a_day_ahead = int(time.time()) + 86_400
    clock.saved.write_text(f"{a_day_ahead}\n")
    clock.run("restore")
    clock.saved.write_text("1000000000\n")
    clock.run("restore")

    assert clock.settings() == [f"--utc --set @{a_day_ahead}"]


class _DatedAnswers(http.server.BaseHTTPRequestHandler):
    date = ""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Date", self.date)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def date_time_string(self, timestamp: float | None = None) -> str:
        return self.date

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server_an_hour_ahead() -> Iterator[tuple[str, int]]:
    an_hour_ahead = int(time.time()) + 3600
    handler = type("Handler", (_DatedAnswers,), {"date": formatdate(an_hour_ahead, usegmt=True)})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, name="dated-server")
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", an_hour_ahead
    httpd.shutdown()
    thread.join()
    httpd.server_close()


def test_where_ntp_is_blocked_the_clock_follows_the_servers_date(
    clock: Clock, server_an_hour_ahead: tuple[str, int]
) -> None:
    url, an_hour_ahead = server_an_hour_ahead

    said = clock.run("from-server", server=url)
    clock.synchronised.touch()
    clock.run("from-server", server=url)

    assert clock.settings() == [f"--utc --set @{an_hour_ahead}"]
    assert "it was 3600 s off" in said.stdout or "it was 3599 s off" in said.stdout


def run_request_update(data: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    script = write_script(data, "/usr/local/lib/anslag/request-update")
    return subprocess.run(
        [str(script), *arguments],
        env={**os.environ, "ANSLAG_DATA": str(data)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_players_update_request_reaches_the_updater_as_one_whole_file(tmp_path: Path) -> None:
    (tmp_path / "update").mkdir()
    url = "https://skyltar.example.se/api/device/v1/player-releases/anslag-0.2.0-py3-none-any.whl"

    asked = run_request_update(tmp_path, "0.2.0", url, SHA)

    assert asked.returncode == 0
    assert (tmp_path / "update" / "request").read_text() == (
        f"version=0.2.0\nurl={url}\nsha256={SHA}\n"
    )
    assert [path.name for path in (tmp_path / "update").iterdir()] == ["request"]


def test_a_release_that_did_not_start_here_or_a_malformed_one_is_refused(tmp_path: Path) -> None:
    (tmp_path / "update").mkdir()
    (tmp_path / "updater").mkdir()
    (tmp_path / "updater" / "failed").write_text(f"0.2.0 {SHA}\n")
    url = "https://skyltar.example.se/w.whl"

    failed_before = run_request_update(tmp_path, "0.2.0", url, SHA)
    an_option = run_request_update(tmp_path, "--force", url, SHA)

    assert failed_before.returncode == 1
    assert "did not start cleanly on this screen before" in failed_before.stderr
    assert an_option.returncode == 2
    assert not (tmp_path / "update" / "request").exists()
