"""The media library's JSON API: upload pictures and videos, list them, fetch thumbnails, delete."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, BackgroundTasks, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from server.api.auth import ApiEditor, ApiViewer
from server.api.deps import ClockDep, ContextDep, SessionDep, SettingsDep, StorageDep
from server.api.uploads import FILE_FIELD, received_upload
from server.db import session_scope
from server.models import Item, MediaAsset
from server.services.media import (
    MediaKind,
    add_media,
    delete_media,
    discard_files,
    ensure_thumbnail,
    find_media,
    items_using,
    media_kind,
    media_library,
)
from server.storage import MediaStorage

router = APIRouter(prefix="/api/v1/media", tags=["media"])

# A thumbnail belongs to its asset's bytes, which never change.
THUMBNAIL_CACHE = "private, max-age=86400"
_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FILE_FIELD],
                    "properties": {
                        FILE_FIELD: {
                            "type": "string",
                            "format": "binary",
                            "description": "The picture (PNG, JPEG, WebP) or video "
                            "(MP4 with H.264, WebM with VP8 or VP9, at most 1080p).",
                        }
                    },
                }
            }
        },
    }
}


class MediaPublic(BaseModel):
    """A file in the media library."""

    sha256: str = Field(description="The sha256 of the file's bytes: its name everywhere.")
    kind: MediaKind = Field(description="`image` or `video`, from the file's content.")
    media_type: str = Field(
        description="What the bytes are, as sniffed: `image/jpeg`, `video/mp4` …"
    )
    original_name: str = Field(description="The file name it was first uploaded under.")
    size: int = Field(description="Bytes.")
    width: int = Field(description="Pixels, as shown (EXIF orientation or rotation applied).")
    height: int = Field(description="Pixels, as shown.")
    duration_s: float | None = Field(description="A video's length in seconds; null for a picture.")
    created_at: datetime
    thumbnail_url: str = Field(description="A small JPEG of the picture or a frame of the video.")
    used_by_items: list[int] = Field(description="The ids of the items that show it.")


def media_public(asset: MediaAsset, items: tuple[Item, ...] | list[Item]) -> MediaPublic:
    return MediaPublic(
        sha256=asset.sha256,
        kind=media_kind(asset),
        media_type=asset.media_type,
        original_name=asset.original_name,
        size=asset.size,
        width=asset.width,
        height=asset.height,
        duration_s=asset.duration_s,
        created_at=asset.created_at,
        thumbnail_url=f"{router.prefix}/{asset.sha256}/thumbnail",
        used_by_items=[item.id for item in items if item.id is not None],
    )


@router.get("")
def list_media(
    _actor: ApiViewer, session: SessionDep, kind: Literal["image", "video"] | None = None
) -> list[MediaPublic]:
    """Every file in the library, newest first, optionally only pictures or only videos."""
    return [media_public(entry.asset, entry.items) for entry in media_library(session, kind=kind)]


@router.post(
    "",
    status_code=201,
    openapi_extra=_UPLOAD_BODY,
    responses={
        200: {"description": "The same bytes were uploaded before: the asset stored then."},
        413: {"description": "The file is over the server's limit (`ANSLAG_MAX_UPLOAD_MB`)."},
        422: {"description": "Not a picture or video screens can show; nothing was stored."},
    },
)
async def upload_media(
    request: Request,
    response: Response,
    actor: ApiEditor,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    storage: StorageDep,
) -> MediaPublic:
    """Upload one picture or video as `multipart/form-data` in the field `file`.

    Its kind is read from its content, never from its name. Pictures: PNG, JPEG
    or WebP, at most 40 megapixels. Videos: H.264 in MP4 or VP8/VP9 in WebM,
    8-bit 4:2:0, at most 1080p; `duration_s` is measured.
    """
    async with received_upload(
        request, directory=settings.upload_dir, limit_bytes=settings.max_upload_bytes
    ) as upload:
        asset, created = await run_in_threadpool(
            lambda: add_media(session, storage, upload=upload, actor=actor, now=clock())
        )
    if not created:
        response.status_code = 200
    return media_public(asset, items_using(session, sha256=asset.sha256))


@router.get("/{sha256}")
def get_media(sha256: str, _actor: ApiViewer, session: SessionDep) -> MediaPublic:
    """One file of the library."""
    asset = find_media(session, sha256=sha256)
    return media_public(asset, items_using(session, sha256=sha256))


@router.get(
    "/{sha256}/thumbnail",
    response_class=FileResponse,
    responses={200: {"content": {"image/jpeg": {}}, "description": "A JPEG, 400 px at most."}},
)
def get_thumbnail(
    sha256: str, _actor: ApiViewer, session: SessionDep, storage: StorageDep
) -> Response:
    """A small JPEG of the picture, or a frame of the video."""
    thumbnail = ensure_thumbnail(session, storage, sha256=sha256)
    return FileResponse(
        storage.path(thumbnail),
        media_type="image/jpeg",
        headers={"Cache-Control": THUMBNAIL_CACHE},
    )


@router.delete("/{sha256}", status_code=204, responses={409: {"description": "Items show it."}})
def remove_media(
    sha256: str,
    actor: ApiEditor,
    session: SessionDep,
    clock: ClockDep,
    context: ContextDep,
    background: BackgroundTasks,
) -> Response:
    """Delete a file no item shows; 409, naming the items, while any does."""
    files = delete_media(session, sha256=sha256, actor=actor, now=clock())
    background.add_task(forget_files, context.engine, context.storage, files)
    return Response(status_code=204)


def forget_files(engine: Engine, storage: MediaStorage, files: tuple[str, ...]) -> None:
    """After the deletion is committed: remove the bytes nothing refers to any more."""
    with session_scope(engine) as session:
        discard_files(session, storage, sha256s=files)
