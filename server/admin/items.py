"""The items' pages: the list, a new item of each kind, editing with its version, deleting."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import cast
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Response
from sqlmodel import Session, col, select

from server.admin.editing import EditorFormDep, EditorPage, EditorPageDep
from server.admin.forms import (
    FormProblem,
    describe_day_and_time,
    describe_seconds,
    explain,
    see_other,
)
from server.admin.item_form import ItemForm
from server.admin.text_fields import language_change
from server.api.deps import ClockDep
from server.api.errors import status_code_for
from server.errors import AnslagError, EditedMeanwhile, NotFound
from server.i18n import Translator
from server.models import AuditEntry, Item, MediaAsset
from server.services.items import (
    ITEM_KINDS,
    ItemKind,
    create_item,
    delete_item,
    find_item,
    list_items,
    playlists_using,
    update_item,
)
from server.services.languages import LANGUAGE_NAMES
from server.services.media import media_library
from server.services.naming import item_title
from server.services.permissions import login_actor

router = APIRouter(prefix="/admin/items", include_in_schema=False)


@dataclass(frozen=True)
class Row:
    """An item as the list shows it."""

    item: Item
    title: str
    duration: str
    shown: str
    state: str  # "", "ended" or "coming"
    playlists: tuple[str, ...]


@dataclass(frozen=True)
class Stale:
    """Who saved the item while the editor was at it, and what is stored now."""

    by: str
    at: str
    saved: ItemForm


def _kind(value: str | None) -> ItemKind | None:
    return value if value in ITEM_KINDS else None


def describe_window(
    valid_from: datetime | None,
    valid_until: datetime | None,
    *,
    zone: ZoneInfo,
    translate: Translator,
) -> str:
    """ "Always", "from 1 feb. 2026", "until 14 feb. 2026" or both, on the local clock."""
    start = describe_day_and_time(valid_from, zone=zone, translate=translate) if valid_from else ""
    end = (
        describe_day_and_time(valid_until, zone=zone, translate=translate, until=True)
        if valid_until
        else ""
    )
    if start and end:
        return translate("%(start)s \u2013 %(end)s", start=start, end=end)
    if start:
        return translate("from %(start)s", start=start)
    if end:
        return translate("until %(end)s", end=end)
    return translate("always")


@router.get("")
def items_page(
    page: EditorPageDep, clock: ClockDep, kind: str | None = None, deleted: str | None = None
) -> Response:
    translate, zone, now = page.translate, page.settings.zone, clock()
    rows = []
    for entry in list_items(page.session, kind=_kind(kind)):
        item = entry.item
        state = ""
        if item.valid_until is not None and item.valid_until <= now:
            state = "ended"
        elif item.valid_from is not None and item.valid_from > now:
            state = "coming"
        rows.append(
            Row(
                item=item,
                title=item_title(item),
                duration=describe_seconds(item.duration_s, translate=translate),
                shown=describe_window(
                    item.valid_from, item.valid_until, zone=zone, translate=translate
                ),
                state=state,
                playlists=tuple(playlist.name for playlist in entry.playlists),
            )
        )
    notice = translate("'%(name)s' was deleted.", name=deleted) if deleted else None
    return page.render("items/list.html", {"rows": rows, "kind": _kind(kind), "notice": notice})


@router.get("/new")
def new_item(page: EditorPageDep, kind: str | None = None, asset: str = "") -> Response:
    chosen = _kind(kind)
    if chosen is None:
        return page.render("items/choose.html", {})
    return _form(page, ItemForm.blank(chosen, asset=asset))


@router.post("/new")
async def create(page: EditorFormDep, clock: ClockDep) -> Response:
    posted = await page.request.form()
    kind = _kind(str(posted.get("kind", "")))
    if kind is None:
        return see_other("/admin/items/new")
    form = ItemForm.posted(posted, kind=kind)
    changed = language_change(form, posted)
    if changed is not None:
        return _form(page, changed)
    zone, translate = page.settings.zone, page.translate
    try:
        draft = form.draft(zone=zone, translate=translate)
        actor = login_actor(page.login)
        item = create_item(page.session, draft=draft, zone=zone, actor=actor, now=clock())
    except FormProblem as problem:
        return _form(page, form, error=str(problem), status_code=422)
    except AnslagError as exc:
        return _form(page, form, error=explain(translate, exc), status_code=status_code_for(exc))
    return see_other(f"/admin/items/{item.id}?saved=1")


@router.get("/{item_id}")
def edit_item(item_id: int, page: EditorPageDep, saved: bool = False) -> Response:
    try:
        item = find_item(page.session, item_id=item_id)
    except NotFound:
        return page.missing(back="/admin/items")
    notice = page.translate("Saved.") if saved else None
    return _form(page, ItemForm.of_item(item, zone=page.settings.zone), item=item, notice=notice)


@router.post("/{item_id}")
async def save_item(item_id: int, page: EditorFormDep, clock: ClockDep) -> Response:
    try:
        item = find_item(page.session, item_id=item_id)
    except NotFound:
        return page.missing(back="/admin/items")
    posted = await page.request.form()
    form = ItemForm.posted(posted, kind=cast(ItemKind, item.kind))
    changed = language_change(form, posted)
    if changed is not None:
        return _form(page, changed, item=item)
    zone, translate = page.settings.zone, page.translate
    try:
        update_item(
            page.session,
            item_id=item_id,
            draft=form.draft(zone=zone, translate=translate),
            expected_version=form.version or 0,
            zone=zone,
            actor=login_actor(page.login),
            now=clock(),
        )
    except FormProblem as problem:
        return _form(page, form, item=item, error=str(problem), status_code=422)
    except EditedMeanwhile as exc:
        # Their input stays, now based on the stored version: saving again is a choice.
        current = find_item(page.session, item_id=item_id)
        return _form(
            page,
            replace(form, version=current.version),
            item=current,
            error=explain(translate, exc),
            stale=_stale(page.session, current, zone=zone, translate=translate),
            status_code=409,
        )
    except AnslagError as exc:
        error = explain(translate, exc)
        return _form(page, form, item=item, error=error, status_code=status_code_for(exc))
    return see_other(f"/admin/items/{item_id}?saved=1")


@router.post("/{item_id}/delete")
def remove_item(item_id: int, page: EditorFormDep, clock: ClockDep) -> Response:
    try:
        item = find_item(page.session, item_id=item_id)
        title = item_title(item)
        delete_item(page.session, item_id=item_id, actor=login_actor(page.login), now=clock())
    except NotFound:
        return page.missing(back="/admin/items")
    except AnslagError as exc:
        return _form(
            page,
            ItemForm.of_item(item, zone=page.settings.zone),
            item=item,
            error=explain(page.translate, exc),
            status_code=status_code_for(exc),
        )
    return see_other(f"/admin/items?{urlencode({'deleted': title})}")


def _stale(session: Session, item: Item, *, zone: ZoneInfo, translate: Translator) -> Stale:
    entry = session.exec(
        select(AuditEntry)
        .where(AuditEntry.entity == "item", AuditEntry.entity_id == str(item.id))
        .order_by(col(AuditEntry.id).desc())
    ).first()
    return Stale(
        by=entry.actor if entry is not None else "",
        at=describe_day_and_time(item.updated_at, zone=zone, translate=translate),
        saved=ItemForm.of_item(item, zone=zone),
    )


def _form(
    page: EditorPage,
    form: ItemForm,
    *,
    item: Item | None = None,
    notice: str | None = None,
    error: str | None = None,
    stale: Stale | None = None,
    status_code: int = 200,
) -> Response:
    """The item form (new or edit) with what it needs around the fields."""
    translate = page.translate
    library = media_library(page.session, kind="video" if form.kind == "video" else "image")
    context = {
        "form": form,
        "item": item,
        "title": item_title(item) if item is not None else None,
        "playlists": playlists_using(page.session, item_id=item.id or 0) if item else [],
        "library": [(entry.asset, _length(entry.asset, translate)) for entry in library],
        "language_names": {code: translate(name) for code, name in LANGUAGE_NAMES.items()},
        "timezone": page.settings.timezone,
        "notice": notice,
        "error": error,
        "stale": stale,
    }
    return page.render("items/form.html", context, status_code=status_code)


def _length(asset: MediaAsset, translate: Translator) -> str:
    seconds = asset.duration_s
    return describe_seconds(seconds, translate=translate) if seconds else ""
