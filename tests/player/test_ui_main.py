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

REPOSITORY = Path(__file__).resolve().parents[2]
ORANGE = (232, 120, 32)


def test_command_line_overrides_only_what_it_names() -> None:
    arguments = parse_arguments(
        ["--server-url", "https://skyltar.pajala.se", "--size", "1080x1920", "--fullscreen"]
    )

    assert settings_overrides(arguments) == {
        "server_url": "https://skyltar.pajala.se",
        "window_size": "1080x1920",
        "fullscreen": True,
    }


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
def test_without_a_display_it_plays_offscreen_and_stops_cleanly_on_sigterm(
    tmp_path: Path,
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
    }
    command = [
        sys.executable,
        "-m",
        "player.main",
        "--data-dir",
        str(tmp_path / "data"),
        # Nothing listens there: the server is down, as after a power cut in the village.
        "--server-url",
        f"http://127.0.0.1:{free_port()}",
        "--size",
        "640x360",
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
    assert "running offscreen" in output
    latest = QImage(str(tmp_path / "screens" / "latest.png"))
    assert share_close_to(latest, ORANGE, SLIDE_AREA) > 0.97
