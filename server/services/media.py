"""The media library: uploads checked and stored once, their thumbnails, who uses them, deletion.

An upload's kind comes from its bytes, never from its name or the type the
browser claimed. Pictures are decoded whole (Pillow); videos are probed with
ffprobe. What is refused leaves nothing behind: the bytes are copied into
media storage only once they have passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlmodel import Session, col, or_, select

from server.errors import NotFound, Refused, StillUsed
from server.i18n import marked as _
from server.models import Event, Item, MediaAsset, Screen
from server.services.audit import record_change, snapshot
from server.services.content import find_asset
from server.services.images import read_image, thumbnail_jpeg
from server.services.naming import event_title, item_reference
from server.services.permissions import Actor
from server.services.sniffing import Sniffed, sniff
from server.services.videos import Container, inspect_video, video_frame
from server.storage import MediaStorage

MediaKind = Literal["image", "video"]
NAME_MAX_LENGTH = 255  # the length of MediaAsset.original_name
# The containers screens play, by the name sniffing gives them, and what they are sent as.
VIDEO_FORMATS: dict[str, tuple[Container, str]] = {
    "MP4": ("mp4", "video/mp4"),
    "QuickTime": ("mp4", "video/quicktime"),
    "WebM": ("webm", "video/webm"),
    "Matroska": ("webm", "video/x-matroska"),
}
PICTURE_FORMATS = frozenset({"PNG", "JPEG", "WebP"})
# A clip's first frames are often black: the thumbnail is taken a little way in.
THUMBNAIL_AT_FRACTION = 0.1
THUMBNAIL_AT_MOST_S = 3.0
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Upload:
    """A received file waiting to be checked: where it is, its hash and size, its given name."""

    path: Path
    sha256: str
    size: int
    original_name: str


@dataclass(frozen=True)
class LibraryEntry:
    """An asset and the items that show it."""

    asset: MediaAsset
    items: tuple[Item, ...]

    @property
    def kind(self) -> MediaKind:
        return media_kind(self.asset)


@dataclass(frozen=True)
class _Examined:
    media_type: str
    width: int
    height: int
    duration_s: float | None
    thumbnail: bytes


def media_kind(asset: MediaAsset) -> MediaKind:
    return "video" if asset.media_type.startswith("video/") else "image"


def add_media(
    session: Session, storage: MediaStorage, *, upload: Upload, actor: Actor, now: datetime
) -> tuple[MediaAsset, bool]:
    """The asset holding the uploaded bytes, and whether it is new.

    The same bytes uploaded again return the asset stored the first time.
    Refused, with nothing stored, when no screen could show the file.
    """
    existing = session.get(MediaAsset, upload.sha256)
    if existing is not None:
        # Heals a media folder that lost the file since.
        storage.put_file(upload.path, sha256=upload.sha256)
        return existing, False
    name = clean_name(upload.original_name)
    if upload.size == 0:
        raise Refused(_("'%(name)s' is empty"), name=name)
    examined = _examine(upload.path, sniff(upload.path), name=name)
    storage.put_file(upload.path, sha256=upload.sha256)
    asset = MediaAsset(
        sha256=upload.sha256,
        size=upload.size,
        media_type=examined.media_type,
        width=examined.width,
        height=examined.height,
        duration_s=examined.duration_s,
        original_name=name,
        thumbnail_sha256=storage.put(examined.thumbnail),
        created_at=now,
    )
    session.add(asset)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        entity="media_asset",
        entity_id=asset.sha256,
        summary=f"{media_kind(asset)} {name!r}",
        after=snapshot(asset),
        now=now,
    )
    return asset, True


def clean_name(name: str) -> str:
    """The file's own name, without a folder path or control characters, fit for the column."""
    base = _UNSAFE_NAME.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if not base:
        return "upload"
    if len(base) <= NAME_MAX_LENGTH:
        return base
    stem, dot, extension = base.rpartition(".")
    if dot and 0 < len(extension) <= 10:
        return f"{stem[: NAME_MAX_LENGTH - len(extension) - 1]}.{extension}"
    return base[:NAME_MAX_LENGTH]


def _examine(path: Path, sniffed: Sniffed, *, name: str) -> _Examined:
    if sniffed.family == "image" and sniffed.format in PICTURE_FORMATS:
        facts = read_image(path, original_name=name)
        if facts.media_type is None:
            raise _not_media(name)
        return _Examined(facts.media_type, facts.width, facts.height, None, thumbnail_jpeg(path))
    if sniffed.family == "video" and sniffed.format in VIDEO_FORMATS:
        container, media_type = VIDEO_FORMATS[sniffed.format]
        video = inspect_video(path, container=container, media_type=media_type, original_name=name)
        at_s = min(video.duration_s * THUMBNAIL_AT_FRACTION, THUMBNAIL_AT_MOST_S)
        frame = video_frame(path, container=container, at_s=at_s, original_name=name)
        return _Examined(
            video.media_type, video.width, video.height, video.duration_s, thumbnail_jpeg(frame)
        )
    if sniffed.family == "image":
        raise Refused(
            _(
                "'%(name)s' is a %(format)s picture; screens show PNG, JPEG and WebP. "
                "Save it as JPEG or PNG."
            ),
            name=name,
            format=sniffed.format,
        )
    if sniffed.family == "video":
        raise Refused(
            _(
                "'%(name)s' is a %(format)s video; screens play MP4 (H.264) and WebM "
                "(VP8, VP9). Export it again as MP4 (H.264)."
            ),
            name=name,
            format=sniffed.format,
        )
    if sniffed.family == "sound":
        raise Refused(
            _("'%(name)s' is sound only (%(format)s); screens show pictures and video"),
            name=name,
            format=sniffed.format,
        )
    if sniffed.family == "document":
        raise Refused(
            _(
                "'%(name)s' is a %(format)s file, not a picture or a video. Save what you want "
                "to show as a JPEG or PNG picture."
            ),
            name=name,
            format=sniffed.format,
        )
    raise _not_media(name)


def _not_media(name: str) -> Refused:
    return Refused(
        _(
            "'%(name)s' is neither a picture nor a video that screens can show. Screens show "
            "PNG, JPEG and WebP pictures and MP4 (H.264) and WebM (VP8, VP9) videos."
        ),
        name=name,
    )


def find_media(session: Session, *, sha256: str) -> MediaAsset:
    return find_asset(session, sha256=sha256)


def media_library(session: Session, *, kind: MediaKind | None = None) -> list[LibraryEntry]:
    """Every asset, newest first, each with the items that show it."""
    query = select(MediaAsset).order_by(
        col(MediaAsset.created_at).desc(), col(MediaAsset.original_name)
    )
    if kind == "video":
        query = query.where(col(MediaAsset.media_type).startswith("video/"))
    elif kind == "image":
        query = query.where(col(MediaAsset.media_type).startswith("image/"))
    assets = session.exec(query).all()
    users: dict[str, list[Item]] = {}
    items = session.exec(
        select(Item).where(col(Item.asset_sha256).is_not(None)).order_by(col(Item.id))
    ).all()
    for item in items:
        users.setdefault(item.asset_sha256 or "", []).append(item)
    return [LibraryEntry(asset, tuple(users.get(asset.sha256, ()))) for asset in assets]


def items_using(session: Session, *, sha256: str) -> list[Item]:
    """The items that show the asset, in id order."""
    query = select(Item).where(Item.asset_sha256 == sha256).order_by(col(Item.id))
    return list(session.exec(query))


def delete_media(session: Session, *, sha256: str, actor: Actor, now: datetime) -> tuple[str, ...]:
    """Forget the asset; returns the stored files it leaves unneeded (see `discard_files`).

    StillUsed, naming the items, while any item shows it.
    """
    asset = find_media(session, sha256=sha256)
    users = items_using(session, sha256=sha256)
    if users:
        raise StillUsed(
            _("'%(name)s' is shown by %(items)s; change or delete those items first"),
            name=asset.original_name,
            items=", ".join(item_reference(item) for item in users),
        )
    events = session.exec(
        select(Event).where(Event.asset_sha256 == sha256).order_by(col(Event.id))
    ).all()
    if events:
        raise StillUsed(
            _("'%(name)s' is the picture of the events %(events)s; change or delete them first"),
            name=asset.original_name,
            events=", ".join(f"{event_title(event)} (#{event.id})" for event in events),
        )
    before = snapshot(asset)
    files = tuple(sha for sha in (asset.sha256, asset.thumbnail_sha256) if sha is not None)
    session.delete(asset)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="delete",
        entity="media_asset",
        entity_id=sha256,
        summary=f"{media_kind(asset)} {asset.original_name!r}",
        before=before,
        now=now,
    )
    return files


def discard_files(session: Session, storage: MediaStorage, *, sha256s: tuple[str, ...]) -> None:
    """Delete stored files nothing refers to any more.

    Run after the deletion is committed: the same bytes may have been uploaded
    again meanwhile, or be another asset's thumbnail or a screen's screenshot.
    """
    for sha256 in sha256s:
        asset = session.exec(
            select(MediaAsset).where(
                or_(MediaAsset.sha256 == sha256, MediaAsset.thumbnail_sha256 == sha256)
            )
        ).first()
        screenshot = session.exec(select(Screen).where(Screen.screenshot_sha256 == sha256)).first()
        if asset is None and screenshot is None:
            storage.delete(sha256)


def ensure_thumbnail(session: Session, storage: MediaStorage, *, sha256: str) -> str:
    """The hash of the asset's thumbnail, made now for an asset stored without one.

    Pictures stored by the demo seed or the command line have none until first asked.
    NotFound when the asset or its file is gone, or no thumbnail can be made of it.
    """
    asset = find_media(session, sha256=sha256)
    if asset.thumbnail_sha256 is not None and storage.exists(asset.thumbnail_sha256):
        return asset.thumbnail_sha256
    if not storage.exists(asset.sha256):
        raise NotFound(f"media asset {asset.sha256} is recorded but its file is missing")
    path = storage.path(asset.sha256)
    try:
        examined = _examine(path, sniff(path), name=asset.original_name)
    except Refused as exc:
        raise NotFound(f"no thumbnail can be made of {asset.sha256}: {exc}") from exc
    asset.thumbnail_sha256 = storage.put(examined.thumbnail)
    session.add(asset)
    session.flush()
    return asset.thumbnail_sha256
