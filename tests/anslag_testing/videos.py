"""Short video clips for the player's tests, made by Debian's ffmpeg when a test asks for one."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from anslag_testing.screens import Rgb

# Machine-dependent messages Qt Multimedia prints in the default category, so no logging rule
# can name them. Neither is the player's fault; both stay failures everywhere else:
# - Qt 6.8 connects to the sound server when Multimedia starts, even for a silent clip, and a
#   test machine has none;
# - the offscreen platform has no GPU, so frames are converted to images on the CPU.
_MACHINE_MESSAGES = (
    r"^PulseAudioService: pa_context_connect\(\) failed$",
    r"No RHI backend\. Using CPU conversion\.$",
)


def video_messages(*expected: str) -> pytest.MarkDecorator:
    """Marks a test that plays video: the machine's messages above, and the `expected` ones."""
    return pytest.mark.qt_log_ignore(*_MACHINE_MESSAGES, *expected)


def ffmpeg() -> str:
    """Debian's ffmpeg; the tests that need it fail, never skip, without it."""
    found = shutil.which("ffmpeg")
    if found is None:
        pytest.fail(
            "ffmpeg is missing: the video tests make their clips with Debian's ffmpeg. "
            "Install it with `make system-deps` (scripts/ensure-system-deps.sh)."
        )
    return found


def make_clip(
    path: Path,
    colours: Sequence[Rgb],
    *,
    seconds_each: float = 0.5,
    size: tuple[int, int] = (320, 180),
) -> Path:
    """An H.264 clip (what a Pi decodes in hardware) showing each colour in turn."""
    width, height = size
    inputs: list[str] = []
    for colour in colours:
        hex_colour = "0x{:02x}{:02x}{:02x}".format(*colour)
        source = f"color=c={hex_colour}:s={width}x{height}:r=25"
        inputs += ["-f", "lavfi", "-t", str(seconds_each), "-i", source]
    joined = "".join(f"[{index}:v]" for index in range(len(colours)))
    command = [
        ffmpeg(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        *inputs,
        "-filter_complex",
        f"{joined}concat=n={len(colours)}:v=1:a=0,format=yuv420p[v]",
        "-map",
        "[v]",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        # Cached files are named by their sha256 alone: the container must be named.
        "-f",
        "mp4",
        str(path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(f"ffmpeg could not make {path.name}: {result.stderr.strip()}")
    return path
