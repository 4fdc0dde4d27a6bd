"""Real media files for tests: clips encoded by Debian's ffmpeg, pictures made with Pillow."""

from __future__ import annotations

import functools
import hashlib
import io
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from server.services.media import Upload

# libx264, libvpx and libx265, as the ffmpeg that scripts/ensure-system-deps.sh installs has them.
_ENCODERS = {
    "h264": ("mp4", ["-c:v", "libx264", "-preset", "ultrafast"]),
    "hevc": ("mp4", ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error"]),
    "vp8": ("webm", ["-c:v", "libvpx", "-deadline", "realtime"]),
    "vp9": ("webm", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8"]),
}


@functools.cache
def clip(
    codec: str = "h264",
    *,
    width: int = 320,
    height: int = 240,
    seconds: float = 2.0,
    pixel_format: str = "yuv420p",
    colour: str = "teal",
    index_first: bool = False,
) -> bytes:
    """A clip of a test pattern under a band of `colour`, encoded with `codec`.

    `index_first` puts an MP4's index before the frames, as web exports do. Cached:
    encoding is the slow part of a test.
    """
    container, encoder = _ENCODERS[codec]
    if index_first:
        encoder = [*encoder, "-movflags", "+faststart"]
    source = (
        f"testsrc2=size={width}x{height}:rate=25:duration={seconds},"
        f"drawbox=x=0:y=0:w=iw:h=ih/4:color={colour}:t=fill"
    )
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"clip.{container}"
        subprocess.run(
            [
                "ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", source,
                *encoder, "-pix_fmt", pixel_format, "-an", str(target),
            ],
            check=True,
            timeout=120,
        )  # fmt: skip
        return target.read_bytes()


def rotated(data: bytes, *, degrees: int) -> bytes:
    """The MP4 `data` with a display matrix that turns it by `degrees`, as phones record."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.mp4", Path(folder) / "out.mp4"
        source.write_bytes(data)
        subprocess.run(
            [
                "ffmpeg", "-nostdin", "-v", "error", "-i", str(source), "-c", "copy",
                "-metadata:s:v:0", f"rotate={degrees}", str(target),
            ],
            check=True,
            timeout=60,
        )  # fmt: skip
        return target.read_bytes()


def picture(
    format: str = "JPEG",
    *,
    width: int = 120,
    height: int = 80,
    colour: tuple[int, ...] = (200, 30, 30),
    mode: str = "RGB",
    orientation: int | None = None,
) -> bytes:
    """A one-colour picture; `orientation` writes that EXIF orientation tag (JPEG)."""
    image = Image.new(mode, (width, height), colour)
    buffer = io.BytesIO()
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(buffer, format=format, exif=exif.tobytes())
    else:
        image.save(buffer, format=format)
    return buffer.getvalue()


def upload_of(data: bytes, *, folder: Path, name: str = "upload.bin") -> Upload:
    """`data` as a received upload waiting in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}.upload"
    path.write_bytes(data)
    return Upload(
        path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data), original_name=name
    )
