"""What makes uploaded bytes an image a screen can show."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from server.errors import InvalidContent

# The formats the player's image slide decodes, by Pillow's name for them.
IMAGE_MEDIA_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
# A 4K screen shows 8.3 megapixels; far more than that is a mistake or a decompression bomb.
MAX_IMAGE_PIXELS = 40_000_000


def inspect_image(data: bytes, *, media_type: str, original_name: str) -> tuple[int, int]:
    """The width and height of an image a screen can show; InvalidContent otherwise."""
    if media_type not in IMAGE_MEDIA_TYPES.values():
        raise InvalidContent(
            f"{original_name!r} is {media_type}; screens show "
            f"{', '.join(sorted(IMAGE_MEDIA_TYPES.values()))}"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                detected, (width, height) = image.format, image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise InvalidContent(
                        f"{original_name!r} is {width}x{height} pixels; screens need at most "
                        f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels"
                    )
                # Decoding every pixel is what finds a truncated or corrupt file.
                image.load()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise InvalidContent(f"{original_name!r} is not a readable image: {exc}") from exc
    actual = IMAGE_MEDIA_TYPES.get(detected or "")
    if actual != media_type:
        raise InvalidContent(
            f"{original_name!r} was sent as {media_type} but is {actual or detected or 'unknown'}"
        )
    return width, height
