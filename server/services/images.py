"""What makes a file an image a screen can show, and the small JPEG the library shows of it."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from server.errors import InvalidContent, Refused
from server.i18n import marked as _

# The formats the player's image slide decodes, by Pillow's name for them.
IMAGE_MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
# A 4K screen shows 8.3 megapixels; far more than that is a mistake or a decompression bomb.
MAX_IMAGE_PIXELS = 40_000_000
# The library's cards are about 200 CSS pixels wide: twice that stays sharp on a phone.
THUMBNAIL_BOX = (400, 400)
THUMBNAIL_QUALITY = 80
# Transparent parts of a thumbnail are shown on the library's card colour.
THUMBNAIL_BACKGROUND = (238, 242, 247)
# EXIF orientations that turn the picture a quarter: width and height swap on screen.
_QUARTER_TURNS = frozenset({5, 6, 7, 8})
_ORIENTATION_TAG = 0x0112
_UNREADABLE = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
    OSError,
    SyntaxError,
    ValueError,
)


@dataclass(frozen=True)
class ImageFacts:
    """A decoded picture: its format, and its size as it is seen (EXIF orientation applied)."""

    format: str
    width: int
    height: int

    @property
    def media_type(self) -> str | None:
        """Its media type when screens show the format, else None."""
        return IMAGE_MEDIA_TYPES.get(self.format)


def read_image(source: bytes | Path, *, original_name: str) -> ImageFacts:
    """Decode every pixel of `source`; Refused when it is damaged or far too large."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(_readable(source)) as image:
                detected, (width, height) = image.format or "", image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise Refused(
                        _(
                            "'%(name)s' is %(width)dx%(height)d pixels; screens need at most "
                            "%(limit)d megapixels"
                        ),
                        name=original_name,
                        width=width,
                        height=height,
                        limit=MAX_IMAGE_PIXELS // 1_000_000,
                    )
                # Decoding every pixel is what finds a truncated or corrupt file.
                image.load()
                orientation = image.getexif().get(_ORIENTATION_TAG)
    except _UNREADABLE as exc:
        raise Refused(
            _("'%(name)s' is not a readable image: it is damaged, incomplete or not a picture"),
            name=original_name,
        ) from exc
    if orientation in _QUARTER_TURNS:
        width, height = height, width
    return ImageFacts(format=detected, width=width, height=height)


def inspect_image(data: bytes, *, media_type: str, original_name: str) -> tuple[int, int]:
    """The width and height of an image a screen can show, sent as `media_type`."""
    if media_type not in IMAGE_MEDIA_TYPES.values():
        raise InvalidContent(
            f"{original_name!r} is {media_type}; screens show "
            f"{', '.join(sorted(IMAGE_MEDIA_TYPES.values()))}"
        )
    facts = read_image(data, original_name=original_name)
    if facts.media_type != media_type:
        raise InvalidContent(
            f"{original_name!r} was sent as {media_type} but is "
            f"{facts.media_type or facts.format or 'unknown'}"
        )
    return facts.width, facts.height


def thumbnail_jpeg(source: bytes | Path) -> bytes:
    """A small JPEG of the picture, the right way up, transparency on the card colour."""
    with Image.open(_readable(source)) as image:
        # Only as many pixels as the thumbnail needs: a large JPEG decodes at a fraction.
        image.draft("RGB", THUMBNAIL_BOX)
        upright = ImageOps.exif_transpose(image)
        if upright.mode in {"RGBA", "LA", "PA", "P"}:
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, THUMBNAIL_BACKGROUND)
            flat.paste(rgba, mask=rgba.getchannel("A"))
        else:
            flat = upright.convert("RGB")
        flat.thumbnail(THUMBNAIL_BOX)
        buffer = io.BytesIO()
        flat.save(buffer, format="JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
        return buffer.getvalue()


def _readable(source: bytes | Path) -> io.BytesIO | Path:
    return io.BytesIO(source) if isinstance(source, bytes) else source
