"""Demo pictures: three winter landscapes drawn with Pillow, the same bytes on every run.

No text in them (text belongs on text slides, in the screen's language), and
nothing random but seeded, so a second seeding finds the same sha256 and
stores nothing new.
"""

from __future__ import annotations

import io
import itertools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1920, 1080
Color = tuple[int, int, int]


@dataclass(frozen=True)
class DemoImage:
    name: str  # a file name, as an editor's upload would have one
    data: bytes  # PNG

    media_type = "image/png"


@cache
def demo_images() -> tuple[DemoImage, ...]:
    """The three landscapes, drawn once per process."""
    scenes: Sequence[tuple[str, Callable[[], Image.Image]]] = (
        ("gryning-over-kullarna.png", _dawn_over_hills),
        ("norrsken-over-skogen.png", _aurora_over_forest),
        ("vintersol-vid-alven.png", _winter_sun_by_river),
    )
    return tuple(DemoImage(name, _png(draw())) for name, draw in scenes)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _dawn_over_hills() -> Image.Image:
    image = _sky([(0.0, (22, 34, 82)), (0.45, (106, 91, 149)), (0.72, (246, 185, 138))])
    _glow(image, center=(560, 700), radius=70, color=(255, 226, 170), halo=260)
    rng = random.Random(1)
    _hills(image, base=720, amplitude=50, waves=(2.1, 5.3), phase=0.4, color=(150, 150, 196))
    _forest(image, rng, base=760, count=40, height=(40, 90), color=(46, 42, 78))
    _hills(image, base=800, amplitude=40, waves=(1.3, 3.7), phase=1.9, color=(200, 206, 236))
    _hills(image, base=900, amplitude=35, waves=(0.8, 2.9), phase=3.1, color=(240, 242, 252))
    _forest(image, rng, base=930, count=6, height=(160, 260), color=(28, 26, 52))
    return image


def _aurora_over_forest() -> Image.Image:
    image = _sky([(0.0, (4, 8, 28)), (0.55, (10, 30, 62)), (0.8, (22, 56, 92))])
    rng = random.Random(2)
    stars = ImageDraw.Draw(image)
    for _ in range(450):
        x, y = rng.randrange(WIDTH), rng.randrange(int(HEIGHT * 0.7))
        shade = rng.randrange(150, 256)
        stars.point((x, y), fill=(shade, shade, min(255, shade + 20)))
    _aurora(image, base=330, amplitude=90, color=(88, 245, 160), phase=0.0)
    _aurora(image, base=230, amplitude=60, color=(150, 110, 230), phase=2.2)
    _hills(image, base=860, amplitude=20, waves=(1.1, 4.1), phase=0.7, color=(120, 140, 180))
    _forest(image, rng, base=880, count=140, height=(50, 140), color=(3, 6, 16))
    _hills(image, base=960, amplitude=15, waves=(0.7, 2.3), phase=2.5, color=(160, 178, 214))
    return image


def _winter_sun_by_river() -> Image.Image:
    image = _sky([(0.0, (92, 150, 214)), (0.6, (190, 220, 244)), (0.75, (236, 240, 246))])
    _glow(image, center=(1420, 560), radius=55, color=(255, 250, 225), halo=320)
    rng = random.Random(3)
    _hills(image, base=700, amplitude=30, waves=(1.7, 4.9), phase=1.2, color=(170, 184, 206))
    _forest(image, rng, base=730, count=90, height=(40, 110), color=(32, 58, 50), snow=True)
    # The frozen river: a pale band with a faint blue sheen.
    ice = _sky([(0.0, (214, 228, 242)), (1.0, (170, 196, 226))], height=140)
    image.paste(ice, (0, 760))
    _hills(image, base=900, amplitude=30, waves=(1.0, 3.3), phase=0.3, color=(246, 248, 252))
    _forest(image, rng, base=950, count=5, height=(220, 320), color=(22, 44, 36), snow=True)
    return image


def _sky(stops: Sequence[tuple[float, Color]], *, height: int = HEIGHT) -> Image.Image:
    """A vertical gradient through `stops` (position 0..1 from the top, colour)."""
    column = Image.new("RGB", (1, height))
    for y in range(height):
        column.putpixel((0, y), _blend(stops, y / (height - 1)))
    return column.resize((WIDTH, height), Image.Resampling.BILINEAR)


def _blend(stops: Sequence[tuple[float, Color]], position: float) -> Color:
    if position <= stops[0][0]:
        return stops[0][1]
    for (start, low), (end, high) in itertools.pairwise(stops):
        if position <= end:
            t = (position - start) / (end - start)
            r, g, b = (round(a + (b - a) * t) for a, b in zip(low, high, strict=True))
            return (r, g, b)
    return stops[-1][1]


def _glow(
    image: Image.Image, *, center: tuple[int, int], radius: int, color: Color, halo: int
) -> None:
    """A low sun: a bright disc in a soft halo."""
    x, y = center
    mask = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(mask)
    draw.ellipse((x - halo, y - halo, x + halo, y + halo), fill=90)
    mask = mask.filter(ImageFilter.GaussianBlur(halo / 2))
    ImageDraw.Draw(mask).ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    image.paste(
        Image.new("RGB", image.size, color), (0, 0), mask.filter(ImageFilter.GaussianBlur(3))
    )


def _hills(
    image: Image.Image,
    *,
    base: int,
    amplitude: int,
    waves: tuple[float, float],
    phase: float,
    color: Color,
) -> None:
    """A ridge of rolling hills from `base` down to the bottom edge."""
    slow, fast = waves
    outline = [
        (
            x,
            base
            - amplitude * math.sin(slow * math.tau * x / WIDTH + phase)
            - amplitude / 3 * math.sin(fast * math.tau * x / WIDTH + 2 * phase),
        )
        for x in range(0, WIDTH + 16, 16)
    ]
    ImageDraw.Draw(image).polygon([*outline, (WIDTH, HEIGHT), (0, HEIGHT)], fill=color)


def _forest(
    image: Image.Image,
    rng: random.Random,
    *,
    base: int,
    count: int,
    height: tuple[int, int],
    color: Color,
    snow: bool = False,
) -> None:
    """Spruce silhouettes standing on a line at `base`, smaller ones first."""
    draw = ImageDraw.Draw(image)
    trees = sorted(
        (rng.uniform(height[0], height[1]), rng.uniform(-40, WIDTH + 40), rng.uniform(-12, 12))
        for _ in range(count)
    )
    for tall, x, dip in trees:
        foot = base + dip
        draw.rectangle((x - tall * 0.03, foot - tall * 0.12, x + tall * 0.03, foot), fill=color)
        for tier in range(4):
            top = foot - tall + tier * tall * 0.2
            bottom = foot - tall * 0.1 - (3 - tier) * tall * 0.08
            half = tall * (0.12 + tier * 0.05)
            draw.polygon([(x, top), (x + half, bottom), (x - half, bottom)], fill=color)
            if snow:
                ledge = (bottom - top) * 0.25
                draw.polygon(
                    [(x, top), (x + half * 0.35, top + ledge), (x - half * 0.35, top + ledge)],
                    fill=(236, 242, 250),
                )


def _aurora(image: Image.Image, *, base: int, amplitude: int, color: Color, phase: float) -> None:
    """A curtain of light: vertical strokes along a wave, fading upwards, blurred."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for x in range(0, WIDTH, 3):
        bottom = (
            base
            + amplitude * math.sin(math.tau * x / 900 + phase)
            + 25 * math.sin(math.tau * x / 230 + 3 * phase)
        )
        length = 160 + 70 * math.sin(math.tau * x / 610 + phase)
        for step in range(8):
            alpha = int(110 * (1 - step / 8))
            y = bottom - step * length / 8
            draw.line((x, y, x, y - length / 8), fill=(*color, alpha), width=3)
    image.paste(
        layer.filter(ImageFilter.GaussianBlur(14)),
        (0, 0),
        layer.filter(ImageFilter.GaussianBlur(14)),
    )
