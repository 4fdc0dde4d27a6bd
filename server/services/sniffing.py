"""What a file is, from its first bytes: the name it was uploaded under is never trusted."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

# Enough for every signature below, the EBML header that names WebM and three
# packets of an MPEG transport stream.
HEAD_SIZE = 512
_TS_PACKET = 188
# ISO base media brands that hold still pictures rather than video.
_PICTURE_BRANDS = {b"heic": "HEIC", b"heix": "HEIC", b"mif1": "HEIF", b"avif": "AVIF"}
_SOUND_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
_EBML = b"\x1a\x45\xdf\xa3"
# The sizes of the header that follows a BMP's "BM": "BM" alone starts many a text.
_BMP_HEADER_SIZES = {12, 40, 52, 56, 108, 124}

Family = Literal["image", "video", "sound", "document", "unknown"]


@dataclass(frozen=True)
class Sniffed:
    """The family of a file and the name people know its format by ("PNG", "MP4", "GIF")."""

    family: Family
    format: str


def sniff(path: Path) -> Sniffed:
    """What the first bytes of the file at `path` say it is."""
    with path.open("rb") as file:
        head = file.read(HEAD_SIZE)
    return sniff_bytes(head)


def sniff_bytes(head: bytes) -> Sniffed:
    """What `head`, a file's first bytes, says the file is."""
    for signature, found in _SIGNATURES:
        if head.startswith(signature):
            return found
    if head[:4] == b"RIFF":
        kind = head[8:12]
        if kind == b"WEBP":
            return Sniffed("image", "WebP")
        if kind == b"AVI ":
            return Sniffed("video", "AVI")
        if kind == b"WAVE":
            return Sniffed("sound", "WAV")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _PICTURE_BRANDS:
            return Sniffed("image", _PICTURE_BRANDS[brand])
        if brand in _SOUND_BRANDS:
            return Sniffed("sound", "M4A")
        return Sniffed("video", "QuickTime" if brand == b"qt  " else "MP4")
    if head.startswith(_EBML):
        return Sniffed("video", "WebM" if b"webm" in head else "Matroska")
    if _is_transport_stream(head):
        return Sniffed("video", "MPEG-TS")
    if head.startswith(b"BM") and len(head) > 14 and head[14] in _BMP_HEADER_SIZES:
        return Sniffed("image", "BMP")
    if head.lstrip().startswith((b"<svg", b"<?xml")) and b"<svg" in head:
        return Sniffed("image", "SVG")
    return Sniffed("unknown", "")


def _is_transport_stream(head: bytes) -> bool:
    # Packets of 188 bytes, each opening with the sync byte 0x47.
    offsets = range(0, 3 * _TS_PACKET, _TS_PACKET)
    return len(head) > offsets[-1] and all(head[offset] == 0x47 for offset in offsets)


_SIGNATURES: tuple[tuple[bytes, Sniffed], ...] = (
    (b"\x89PNG\r\n\x1a\n", Sniffed("image", "PNG")),
    (b"\xff\xd8\xff", Sniffed("image", "JPEG")),
    (b"GIF87a", Sniffed("image", "GIF")),
    (b"GIF89a", Sniffed("image", "GIF")),
    (b"II*\x00", Sniffed("image", "TIFF")),
    (b"MM\x00*", Sniffed("image", "TIFF")),
    (b"OggS", Sniffed("video", "Ogg")),
    (b"FLV\x01", Sniffed("video", "Flash")),
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", Sniffed("video", "Windows Media")),
    (b"\x00\x00\x01\xba", Sniffed("video", "MPEG")),
    (b"\x00\x00\x01\xb3", Sniffed("video", "MPEG")),
    (b"%PDF", Sniffed("document", "PDF")),
    (b"PK\x03\x04", Sniffed("document", "ZIP")),
    (b"ID3", Sniffed("sound", "MP3")),
    (b"fLaC", Sniffed("sound", "FLAC")),
)
