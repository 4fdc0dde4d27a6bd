"""What makes a file a video a Raspberry Pi plays well, and a frame of it for the library.

The container must be whole (an interrupted upload of an MP4 whose index comes
first still probes fine, so its boxes are walked), the codec one the Pi decodes
smoothly (H.264 in MP4, VP8 or VP9 in WebM), 8-bit 4:2:0, at most 1080p.
`ffprobe` and `ffmpeg` run without a shell, with a timeout, reading only the file.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from server.errors import Refused
from server.i18n import marked as _

Container = Literal["mp4", "webm"]

PROBE_TIMEOUT_S = 30
FRAME_TIMEOUT_S = 60
# The Pi 4 decodes H.264 in hardware up to 1080p; VP8/VP9 in software, which 1080p strains.
MAX_VIDEO_PIXELS = 1920 * 1088
PLAYABLE_CODECS: dict[Container, frozenset[str]] = {
    "mp4": frozenset({"h264"}),
    "webm": frozenset({"vp8", "vp9"}),
}
# 10-bit and 4:2:2/4:4:4 video falls back to slow software decoding, or none.
PLAYABLE_PIXEL_FORMATS = frozenset({"yuv420p", "yuvj420p"})
CODEC_NAMES = {
    "h264": "H.264",
    "hevc": "HEVC (H.265)",
    "vp8": "VP8",
    "vp9": "VP9",
    "av1": "AV1",
    "mpeg4": "MPEG-4 Part 2",
    "mpeg2video": "MPEG-2",
    "prores": "ProRes",
    "mjpeg": "Motion JPEG",
    "theora": "Theora",
}
# The demuxer that reads each container, named so that ffmpeg guesses nothing.
_DEMUXERS: dict[Container, str] = {"mp4": "mov", "webm": "matroska"}
# A real MP4 has a handful of top-level boxes, a fragmented one a few thousand.
_MAX_BOXES = 100_000
_EBML_ID = 0x1A45DFA3
_SEGMENT_ID = 0x18538067
_QUARTER_TURNS = {90, 270, -90, -270}


@dataclass(frozen=True)
class VideoFacts:
    """A playable clip: its media type, its size as shown (rotation applied) and its length."""

    media_type: str
    width: int
    height: int
    duration_s: float


def inspect_video(
    path: Path, *, container: Container, media_type: str, original_name: str
) -> VideoFacts:
    """Check the clip at `path`; Refused, naming the problem, when a screen would not play it."""
    complete = _boxes_complete(path) if container == "mp4" else _segment_complete(path)
    if not complete:
        raise Refused(
            _("'%(name)s' is incomplete: the upload was cut off or the file is damaged"),
            name=original_name,
        )
    probe = _probe(path, container=container, original_name=original_name)
    stream = _picture_stream(probe)
    if stream is None:
        raise Refused(_("'%(name)s' has no picture, only sound"), name=original_name)
    codec = str(stream.get("codec_name", "unknown"))
    if codec not in PLAYABLE_CODECS[container]:
        raise Refused(
            _(
                "'%(name)s' is %(codec)s video; screens play H.264 in MP4 and VP8 or VP9 in "
                "WebM. Export it again as MP4 (H.264)."
            ),
            name=original_name,
            codec=CODEC_NAMES.get(codec, codec.upper()),
        )
    pixel_format = str(stream.get("pix_fmt", "unknown"))
    if pixel_format not in PLAYABLE_PIXEL_FORMATS:
        raise Refused(
            _(
                "'%(name)s' is stored as %(format)s, which screens cannot play smoothly; "
                "export it again with 8-bit 4:2:0 colour (yuv420p)"
            ),
            name=original_name,
            format=pixel_format,
        )
    width, height = int(stream.get("width", 0)), int(stream.get("height", 0))
    if width * height > MAX_VIDEO_PIXELS:
        raise Refused(
            _(
                "'%(name)s' is %(width)dx%(height)d pixels; screens play video up to 1080p "
                "(1920x1080). Export it again at that size."
            ),
            name=original_name,
            width=width,
            height=height,
        )
    duration_s = _duration(probe, stream)
    if duration_s is None or width <= 0 or height <= 0:
        raise Refused(
            _("'%(name)s' is damaged: its length or picture size cannot be read"),
            name=original_name,
        )
    if _rotation(stream) in _QUARTER_TURNS:
        width, height = height, width
    return VideoFacts(media_type=media_type, width=width, height=height, duration_s=duration_s)


def video_frame(path: Path, *, container: Container, at_s: float, original_name: str) -> bytes:
    """One frame, `at_s` seconds in, as a PNG at most 400 pixels on a side, turned upright."""
    command = [
        "ffmpeg",
        "-nostdin",
        *_reading(container),
        "-ss",
        f"{at_s:.3f}",
        "-i",
        f"file:{path}",
        "-an",
        "-frames:v",
        "1",
        "-vf",
        "scale=w='min(400,iw)':h='min(400,ih)':force_original_aspect_ratio=decrease",
        "-f",
        "image2pipe",
        "-c:v",
        "png",
        "pipe:1",
    ]
    frame = _run(command, timeout_s=FRAME_TIMEOUT_S, original_name=original_name)
    if not frame:
        raise Refused(
            _("'%(name)s' is damaged: not one picture in it can be decoded"), name=original_name
        )
    return frame


def _probe(path: Path, *, container: Container, original_name: str) -> dict[str, Any]:
    command = [
        "ffprobe",
        *_reading(container),
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        f"file:{path}",
    ]
    output = _run(command, timeout_s=PROBE_TIMEOUT_S, original_name=original_name)
    try:
        probe = json.loads(output)
    except ValueError:
        probe = None
    if not isinstance(probe, dict):
        raise Refused(_("'%(name)s' is damaged: it cannot be read as video"), name=original_name)
    return probe


def _reading(container: Container) -> list[str]:
    # Quiet but for errors; the named demuxer only, and no protocol but the local file:
    # a crafted file cannot make ffmpeg guess a format or fetch anything.
    return ["-v", "error", "-protocol_whitelist", "file", "-f", _DEMUXERS[container]]


def _run(command: list[str], *, timeout_s: float, original_name: str) -> bytes:
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
    except FileNotFoundError as exc:
        raise Refused(
            _("This server cannot check videos: %(program)s is missing. Ask IT to install ffmpeg."),
            program=command[0],
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise Refused(
            _("'%(name)s' took too long to check; the file may be damaged"), name=original_name
        ) from exc
    if done.returncode != 0:
        raise Refused(_("'%(name)s' is damaged: it cannot be read as video"), name=original_name)
    return done.stdout


def _picture_stream(probe: dict[str, Any]) -> dict[str, Any] | None:
    for stream in probe.get("streams", []):
        # A cover picture in an MP4 is a "video" stream of one frame: not the clip.
        cover = stream.get("disposition", {}).get("attached_pic") == 1
        if stream.get("codec_type") == "video" and not cover:
            return dict(stream)
    return None


def _duration(probe: dict[str, Any], stream: dict[str, Any]) -> float | None:
    for value in (probe.get("format", {}).get("duration"), stream.get("duration")):
        if value is None:
            continue
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if seconds > 0:
            return seconds
    return None


def _rotation(stream: dict[str, Any]) -> int:
    for side_data in stream.get("side_data_list", []):
        if "rotation" in side_data:
            return int(side_data["rotation"])
    return int(stream.get("tags", {}).get("rotate", 0))


def _boxes_complete(path: Path) -> bool:
    """Whether the MP4's top-level boxes end exactly where the file does."""
    size = path.stat().st_size
    offset = 0
    with path.open("rb") as file:
        for _box in range(_MAX_BOXES):
            if offset == size:
                return True
            file.seek(offset)
            header = file.read(16)
            if len(header) < 8:
                return False
            box_size = int.from_bytes(header[:4], "big")
            if box_size == 1 and len(header) == 16:
                box_size = int.from_bytes(header[8:16], "big")
            elif box_size == 0:
                return True  # the last box runs to the end of the file
            if box_size < 8:
                return False
            offset += box_size
            if offset > size:
                return False
    return False


def _segment_complete(path: Path) -> bool:
    """Whether the WebM's segment fits in the file (a live recording leaves its size open)."""
    size = path.stat().st_size
    with path.open("rb") as file:
        header = _read_element(file)
        if header is None or header[0] != _EBML_ID or header[1] is None:
            return False
        file.seek(header[1], 1)
        segment = _read_element(file)
        if segment is None or segment[0] != _SEGMENT_ID:
            return False
        return segment[1] is None or file.tell() + segment[1] <= size


def _read_element(file: BinaryIO) -> tuple[int, int | None] | None:
    """An EBML element's id and data size (None: unknown) at the file's position."""
    element_id = _read_vint(file, keep_marker=True)
    data_size = _read_vint(file, keep_marker=False)
    if element_id is None or data_size is None:
        return None
    return element_id[0], None if data_size[1] else data_size[0]


def _read_vint(file: BinaryIO, *, keep_marker: bool) -> tuple[int, bool] | None:
    """A variable-length integer and whether all its value bits are set (an unknown size)."""
    first = file.read(1)
    if not first or first[0] == 0:
        return None
    length = 9 - first[0].bit_length()
    rest = file.read(length - 1)
    if len(rest) < length - 1:
        return None
    raw = int.from_bytes(first + rest, "big")
    marker = 1 << (7 * length)
    value = raw if keep_marker else raw - marker
    return value, value == marker - 1 and not keep_marker
