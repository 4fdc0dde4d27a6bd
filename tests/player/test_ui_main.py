"""The `anslag-player` command: arguments, running without a display, quitting on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from anslag_testing.fake_server import FakeDeviceServer, image_manifest
from anslag_testing.processes import free_port
from anslag_testing.screens import SLIDE_AREA, fill_data_dir, png_bytes, share_close_to
from PySide6.QtGui import QImage

from player.main import has_display, main, parse_arguments, settings_overrides
from player.settings import PlayerSettings

REPOSITORY = Path(__file__).resolve().parents[2]
ORANGE = (232, 120, 32)


def test_command_line_overrides_only_what_it_names() -> None:
    arguments = parse_arguments(
        ["--server", "https://skyltar.pajala.se", "--size", "1080x1920", "--fullscreen"]
    )

    assert settings_overrides(arguments) == {
        "server_url": "https://skyltar.pajala.se",
        "window_size": "1080x1920",
        "fullscreen": True,
        "offscreen": False,
    }


@pytest.mark.parametrize(
    ("flag", "fullscreen", "offscreen"),
    [("--windowed", False, False), ("--offscreen", False, True), ("--fullscreen", True, False)],
)
def test_a_flag_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, flag: str, fullscreen: bool, offscreen: bool
) -> None:
    monkeypatch.setenv("ANSLAG_PLAYER_FULLSCREEN", "true")
    monkeypatch.setenv("ANSLAG_PLAYER_SERVER_URL", "https://old.example.se")
    monkeypatch.setenv("ANSLAG_PLAYER_DATA_DIR", "/var/lib/anslag")

    arguments = parse_arguments([flag, "--server", "https://skyltar.pajala.se"])
    settings = PlayerSettings(**settings_overrides(arguments))

    assert (settings.fullscreen, settings.offscreen) == (fullscreen, offscreen)
    assert settings.server_url == "https://skyltar.pajala.se"
    assert settings.data_dir == Path("/var/lib/anslag"), "what no flag names comes from the env"


def test_only_one_way_to_show_may_be_chosen(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_arguments(["--fullscreen", "--offscreen"])

    assert exited.value.code == 2
    assert "argument --offscreen: not allowed with argument --fullscreen" in capsys.readouterr().err


def test_help_explains_each_option_its_default_and_gives_examples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])

    shown = capsys.readouterr().out
    assert exited.value.code == 0
    for option in ("--server URL", "--data-dir DIR", "--fullscreen", "--windowed", "--offscreen"):
        assert option in shown
    assert "--screenshot-dir DIR" in shown
    assert "(default: http://127.0.0.1:8000)" in shown
    assert "pairing code" in shown
    assert "ANSLAG_PLAYER_SERVER_URL" in shown
    assert "anslag-player --server https://skyltar.pajala.se --data-dir" in shown


def test_invalid_settings_stop_before_any_window_with_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--size", "huge"]) == 2

    assert "window_size must be WIDTHxHEIGHT" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, False),
        ({"DISPLAY": ":0"}, True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"QT_QPA_PLATFORM": "eglfs"}, True),
        ({"DISPLAY": ""}, False),
    ],
)
def test_display_is_detected_from_the_environment(environ: dict[str, str], expected: bool) -> None:
    assert has_display(environ) is expected


@pytest.mark.gui
@pytest.mark.parametrize(
    ("display", "flags", "why"),
    [({}, [], "no display found"), ({"DISPLAY": ":99"}, ["--offscreen"], "as asked")],
)
def test_offscreen_it_plays_into_screenshots_and_stops_cleanly_on_sigterm(
    tmp_path: Path, display: dict[str, str], flags: list[str], why: str
) -> None:
    picture = png_bytes(ORANGE)
    server = FakeDeviceServer()
    ref = server.add_asset(picture)
    fill_data_dir(tmp_path / "data", image_manifest(ref), {ref.sha256: picture})
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
        and not name.startswith("ANSLAG_PLAYER_")
    } | display
    command = [
        sys.executable,
        "-m",
        "player.main",
        "--data-dir",
        str(tmp_path / "data"),
        # Nothing listens there: the server is down, as after a power cut in the village.
        "--server",
        f"http://127.0.0.1:{free_port()}",
        "--size",
        "640x360",
        *flags,
    ]
    with subprocess.Popen(
        command, cwd=REPOSITORY, env=environ, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stderr is not None
        seen: list[str] = []
        for line in process.stderr:
            seen.append(line)
            if "screenshots go to" in line:
                break
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=30)

    output = "".join(seen) + rest
    assert process.returncode == 0, output
    assert "running offscreen, " + why in output
    latest = QImage(str(tmp_path / "screens" / "latest.png"))
    assert share_close_to(latest, ORANGE, SLIDE_AREA) > 0.97
