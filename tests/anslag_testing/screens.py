"""The player's screen in tests: sampled colours, pictures to show, filled data folders."""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from PIL import Image
from PySide6.QtGui import QImage

from player.cache import AssetCache
from player.settings import PlayerSettings
from player.store import ManifestStore
from playlists.manifest import Manifest

Rgb = tuple[int, int, int]

NAVY: Rgb = (0x0B, 0x1F, 0x3A)
# The alert colours of Theme.qml, by severity, and the all-clear's green.
EXTREME: Rgb = (0xA3, 0x00, 0x15)
SEVERE: Rgb = (0xF2, 0x8C, 0x00)
MODERATE: Rgb = (0xFF, 0xD2, 0x3F)
ALL_CLEAR: Rgb = (0x1D, 0x6B, 0x3A)


class RunningClock:
    """A clock that starts at a chosen instant and runs at real speed (Qt timers run for real)."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._started = time.monotonic()

    def __call__(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._started)

    def jump(self, delta: timedelta) -> None:
        """Set the clock forward (or back), as NTP does after a Pi boots without network."""
        self._start += delta


def png_bytes(colour: Rgb, size: tuple[int, int] = (320, 180)) -> bytes:
    """A small PNG of one colour; the player scales it up to the slide."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class Region:
    """A rectangle as fractions of the frame: Region(0, 0, 1, 0.5) is the top half."""

    left: float
    top: float
    right: float
    bottom: float


WHOLE = Region(0, 0, 1, 1)
# Above the footer strip, where slides are.
SLIDE_AREA = Region(0, 0, 1, 0.88)


def sample(frame: QImage, region: Region = WHOLE, grid: int = 24) -> list[Rgb]:
    """Colours on a `grid` x `grid` lattice over `region` of the frame."""
    width, height = frame.width(), frame.height()
    colours = []
    for row in range(grid):
        for column in range(grid):
            x = int(width * (region.left + (region.right - region.left) * (column + 0.5) / grid))
            y = int(height * (region.top + (region.bottom - region.top) * (row + 0.5) / grid))
            colour = frame.pixelColor(x, y)
            colours.append((colour.red(), colour.green(), colour.blue()))
    return colours


def close_to(colour: Rgb, expected: Rgb, tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def share_close_to(
    frame: QImage, expected: Rgb, region: Region = WHOLE, tolerance: int = 12, grid: int = 24
) -> float:
    """Which share of the sampled points has (about) the expected colour."""
    colours = sample(frame, region, grid)
    return sum(close_to(colour, expected, tolerance) for colour in colours) / len(colours)


def black_share(frame: QImage, region: Region = WHOLE) -> float:
    """Which share of the sampled points is black or nearly so."""
    colours = sample(frame, region)
    return sum(max(colour) < 24 for colour in colours) / len(colours)


def distinct_colours(frame: QImage, region: Region = WHOLE) -> int:
    """How many colours a dense sample finds: text and pictures bring many, a flat fill one."""
    return len(set(sample(frame, region, grid=128)))


def fill_data_dir(
    data_dir: Path,
    manifest: Manifest | None,
    assets: Mapping[str, bytes],
    *,
    token: str | None = "test-device-token",
) -> None:
    """Lay out a player's data folder as a previous run would have left it."""
    settings = PlayerSettings(data_dir=data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    if token is not None:
        settings.token_file.write_text(token, encoding="utf-8")
    cache = AssetCache(settings.cache_dir)
    for sha256, data in assets.items():
        cache.partial_path(sha256).write_bytes(data)
        cache.commit(sha256)
    if manifest is not None:
        ManifestStore(settings.manifest_file).save(manifest, manifest.content_hash())
