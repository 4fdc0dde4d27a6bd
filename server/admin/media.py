"""The media library's pages: upload (with a progress bar), browse, look at one file, delete."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from server.admin.editing import EditorFormDep, EditorPage, EditorPageDep
from server.admin.forms import (
    describe_day_and_time,
    describe_seconds,
    describe_size,
    explain,
    see_other,
)
from server.admin.security import CSRF_FIELD, CurrentLogin, EditorLogin, check_form_token
from server.api.deps import ClockDep, ContextDep, SessionDep, StorageDep
from server.api.errors import status_code_for
from server.api.media import THUMBNAIL_CACHE, forget_files
from server.api.uploads import received_upload
from server.errors import AnslagError, NotFound
from server.i18n import Translator
from server.models import MediaAsset
from server.services.media import (
    LibraryEntry,
    MediaKind,
    add_media,
    delete_media,
    ensure_thumbnail,
    find_media,
    items_using,
    media_kind,
    media_library,
)
from server.services.naming import item_title
from server.services.permissions import login_actor

router = APIRouter(prefix="/admin/media", include_in_schema=False)

ACCEPTED_TYPES = "image/png,image/jpeg,image/webp,video/mp4,video/quicktime,video/webm"
KINDS: dict[str, MediaKind] = {"image": "image", "video": "video"}


@dataclass(frozen=True)
class Card:
    """One file as the library shows it."""

    entry: LibraryEntry
    format: str
    size: str
    duration: str | None
    # The items that show it, as (id, title).
    users: tuple[tuple[int, str], ...]

    @property
    def asset(self) -> MediaAsset:
        return self.entry.asset


def _card(entry: LibraryEntry, translate: Translator) -> Card:
    asset = entry.asset
    duration = asset.duration_s
    return Card(
        entry=entry,
        format=asset.media_type.split("/", 1)[1].upper().replace("QUICKTIME", "MOV"),
        size=describe_size(asset.size, translate=translate),
        duration=describe_seconds(duration, translate=translate) if duration else None,
        users=tuple((item.id or 0, item_title(item)) for item in entry.items),
    )


def _library(
    page: EditorPage,
    *,
    kind: str | None = None,
    notice: str | None = None,
    error: str | None = None,
    highlight: str | None = None,
    status_code: int = 200,
) -> Response:
    shown = KINDS.get(kind or "")
    entries = media_library(page.session, kind=shown)
    context = {
        "cards": [_card(entry, page.translate) for entry in entries],
        "kind": shown,
        "notice": notice,
        "error": error,
        "highlight": highlight,
        "accept": ACCEPTED_TYPES,
        "max_upload_mb": page.settings.max_upload_mb,
        "max_upload_bytes": page.settings.max_upload_bytes,
    }
    return page.render("media/library.html", context, status_code=status_code)


@router.get("")
def library(
    page: EditorPageDep,
    kind: str | None = None,
    added: str | None = None,
    existing: str | None = None,
    deleted: str | None = None,
) -> Response:
    translate = page.translate
    notice = None
    highlight = added or existing
    if highlight:
        try:
            name = find_media(page.session, sha256=highlight).original_name
        except AnslagError:
            highlight = None
        else:
            notice = (
                translate("'%(name)s' was added.", name=name)
                if added
                else translate("'%(name)s' was already here.", name=name)
            )
    elif deleted:
        notice = translate("'%(name)s' was deleted.", name=deleted)
    return _library(page, kind=kind, notice=notice, highlight=highlight)


@router.post("")
async def upload(page: EditorPageDep, clock: ClockDep, storage: StorageDep) -> Response:
    # Not the checked form of other posts: that reads the whole form first. The token
    # is checked as the form streams in, before any byte of the file is kept.
    request, login = page.request, page.login

    def check_token(fields: Mapping[str, str]) -> None:
        check_form_token(fields.get(CSRF_FIELD, ""), login, request.url.path)

    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        # The page sends its form as multipart only: anything else carries no token we read.
        check_token({})
    actor = login_actor(login)
    try:
        async with received_upload(
            request,
            directory=page.settings.upload_dir,
            limit_bytes=page.settings.max_upload_bytes,
            before_file=check_token,
        ) as received:
            asset, created = await run_in_threadpool(
                lambda: add_media(page.session, storage, upload=received, actor=actor, now=clock())
            )
    except AnslagError as exc:
        error = explain(page.translate, exc)
        return _library(page, error=error, status_code=status_code_for(exc))
    outcome = "added" if created else "existing"
    return see_other(f"/admin/media?{outcome}={asset.sha256}")


@router.get("/{sha256}")
def detail(sha256: str, page: EditorPageDep) -> Response:
    return _detail(page, sha256)


def _detail(
    page: EditorPage, sha256: str, *, error: str | None = None, status_code: int = 200
) -> Response:
    try:
        asset = find_media(page.session, sha256=sha256)
    except AnslagError:
        return page.missing(back="/admin/media")
    entry = LibraryEntry(asset, tuple(items_using(page.session, sha256=sha256)))
    zone, translate = page.settings.zone, page.translate
    context = {
        "card": _card(entry, translate),
        "kind": media_kind(asset),
        "uploaded": describe_day_and_time(asset.created_at, zone=zone, translate=translate),
        "error": error,
    }
    return page.render("media/detail.html", context, status_code=status_code)


@router.post("/{sha256}/delete")
def delete(
    sha256: str,
    page: EditorFormDep,
    clock: ClockDep,
    context: ContextDep,
    background: BackgroundTasks,
) -> Response:
    try:
        name = find_media(page.session, sha256=sha256).original_name
        files = delete_media(
            page.session, sha256=sha256, actor=login_actor(page.login), now=clock()
        )
    except NotFound:
        return page.missing(back="/admin/media")
    except AnslagError as exc:
        error = explain(page.translate, exc)
        return _detail(page, sha256, error=error, status_code=status_code_for(exc))
    background.add_task(forget_files, context.engine, context.storage, files)
    return see_other(f"/admin/media?{urlencode({'deleted': name})}")


@router.get("/{sha256}/thumbnail")
def thumbnail(
    sha256: str, session: SessionDep, storage: StorageDep, _login: CurrentLogin
) -> Response:
    """The small JPEG, for every logged-in page that shows media (playlists, preview …)."""
    made = ensure_thumbnail(session, storage, sha256=sha256)
    return FileResponse(
        storage.path(made), media_type="image/jpeg", headers={"Cache-Control": THUMBNAIL_CACHE}
    )


@router.get("/{sha256}/file")
def original(
    sha256: str, session: SessionDep, storage: StorageDep, _login: EditorLogin
) -> Response:
    """The file itself, to look at or play on its page."""
    asset = find_media(session, sha256=sha256)
    if not storage.exists(asset.sha256):
        raise NotFound(f"media asset {asset.sha256} is recorded but its file is missing")
    return FileResponse(
        storage.path(asset.sha256),
        media_type=asset.media_type,
        headers={"Cache-Control": THUMBNAIL_CACHE},
    )
