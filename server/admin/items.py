"""The items' pages: the list, a new item of each kind, editing with its version, deleting."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import cast
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from server.admin.forms import (
    FormProblem,
    describe_day_and_time,
    describe_seconds,
    explain,
    see_other,
)
from server.admin.item_form import ItemForm
from server.admin.pages import LanguageDep, render, user_context
from server.admin.security import EditorForm, EditorLogin
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.api.errors import status_code_for
from server.errors import AnslagError, EditedMeanwhile, NotFound
from server.i18n import Translator
from server.models import AuditEntry, Item, LoginSession, MediaAsset
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
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorLogin,
    kind: str | None = None,
    deleted: str | None = None,
) -> Response:
    translate = Translator(language)
    now = clock()
    rows = []
    for entry in list_items(session, kind=_kind(kind)):
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
                    item.valid_from, item.valid_until, zone=settings.zone, translate=translate
                ),
                state=state,
                playlists=tuple(playlist.name for playlist in entry.playlists),
            )
        )
    notice = translate("'%(name)s' was deleted.", name=deleted) if deleted else None
    return render(
        request,
        "items/list.html",
        language=language,
        context={
            **user_context(login),
            "section": "items",
            "rows": rows,
            "kind": _kind(kind),
            "notice": notice,
        },
    )


@router.get("/new")
def new_item(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorLogin,
    kind: str | None = None,
    asset: str = "",
) -> Response:
    chosen = _kind(kind)
    if chosen is None:
        return render(
            request,
            "items/choose.html",
            language=language,
            context={**user_context(login), "section": "items"},
        )
    page = _FormPage(request, language=language, login=login, session=session, settings=settings)
    return page.show(ItemForm.blank(chosen, asset=asset))


@router.post("/new")
async def create(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorForm,
) -> Response:
    posted = await request.form()
    kind = _kind(str(posted.get("kind", "")))
    if kind is None:
        return see_other("/admin/items/new")
    form = ItemForm.posted(posted, kind=kind)
    page = _FormPage(request, language=language, login=login, session=session, settings=settings)
    changed = _language_change(form, posted)
    if changed is not None:
        return page.show(changed)
    translate = Translator(language)
    try:
        draft = form.draft(zone=settings.zone, translate=translate)
        item = create_item(
            session, draft=draft, zone=settings.zone, actor=login_actor(login), now=clock()
        )
    except FormProblem as problem:
        return page.show(form, error=str(problem), status_code=422)
    except AnslagError as exc:
        return page.show(form, error=explain(translate, exc), status_code=status_code_for(exc))
    return see_other(f"/admin/items/{item.id}?saved=1")


@router.get("/{item_id}")
def edit_item(
    item_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorLogin,
    saved: bool = False,
) -> Response:
    page = _FormPage(request, language=language, login=login, session=session, settings=settings)
    try:
        item = find_item(session, item_id=item_id)
    except NotFound:
        return page.missing()
    translate = Translator(language)
    notice = translate("Saved.") if saved else None
    return page.show(ItemForm.of_item(item, zone=settings.zone), item=item, notice=notice)


@router.post("/{item_id}")
async def save_item(
    item_id: int,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorForm,
) -> Response:
    page = _FormPage(request, language=language, login=login, session=session, settings=settings)
    try:
        item = find_item(session, item_id=item_id)
    except NotFound:
        return page.missing()
    posted = await request.form()
    form = ItemForm.posted(posted, kind=cast(ItemKind, item.kind))
    changed = _language_change(form, posted)
    if changed is not None:
        return page.show(changed, item=item)
    translate = Translator(language)
    try:
        draft = form.draft(zone=settings.zone, translate=translate)
        update_item(
            session,
            item_id=item_id,
            draft=draft,
            expected_version=form.version or 0,
            zone=settings.zone,
            actor=login_actor(login),
            now=clock(),
        )
    except FormProblem as problem:
        return page.show(form, item=item, error=str(problem), status_code=422)
    except EditedMeanwhile as exc:
        # Their input stays, now based on the stored version: saving again is a choice.
        current = find_item(session, item_id=item_id)
        return page.show(
            replace(form, version=current.version),
            item=current,
            error=explain(translate, exc),
            stale=_stale(session, current, zone=settings.zone, translate=translate),
            status_code=409,
        )
    except AnslagError as exc:
        return page.show(
            form, item=item, error=explain(translate, exc), status_code=status_code_for(exc)
        )
    return see_other(f"/admin/items/{item_id}?saved=1")


@router.post("/{item_id}/delete")
def remove_item(
    item_id: int,
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorForm,
) -> Response:
    page = _FormPage(request, language=language, login=login, session=session, settings=settings)
    try:
        item = find_item(session, item_id=item_id)
        title = item_title(item)
        delete_item(session, item_id=item_id, actor=login_actor(login), now=clock())
    except NotFound:
        return page.missing()
    except AnslagError as exc:
        return page.show(
            ItemForm.of_item(item, zone=settings.zone),
            item=item,
            error=explain(Translator(language), exc),
            status_code=status_code_for(exc),
        )
    return see_other(f"/admin/items?{urlencode({'deleted': title})}")


def _language_change(form: ItemForm, posted: FormData) -> ItemForm | None:
    """The form with a language added or removed, when that is the button pressed."""
    remove = posted.get("remove_language")
    if isinstance(remove, str) and remove:
        return form.without_language(remove)
    if posted.get("action") == "add_language":
        new = posted.get("new_language")
        return form.with_language(new) if isinstance(new, str) else form
    return None


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


class _FormPage:
    """Renders the item form (new or edit) with what it needs around the fields."""

    def __init__(
        self,
        request: Request,
        *,
        language: str,
        login: LoginSession,
        session: Session,
        settings: SettingsDep,
    ) -> None:
        self.request = request
        self.language = language
        self.login = login
        self.session = session
        self.settings = settings

    def show(
        self,
        form: ItemForm,
        *,
        item: Item | None = None,
        notice: str | None = None,
        error: str | None = None,
        stale: Stale | None = None,
        status_code: int = 200,
    ) -> Response:
        translate = Translator(self.language)
        pictures = form.kind != "video"
        library = media_library(self.session, kind="image" if pictures else "video")
        return render(
            self.request,
            "items/form.html",
            language=self.language,
            context={
                **user_context(self.login),
                "section": "items",
                "form": form,
                "item": item,
                "title": item_title(item) if item is not None else None,
                "playlists": playlists_using(self.session, item_id=item.id or 0) if item else [],
                "library": [(entry.asset, _length(entry.asset, translate)) for entry in library],
                "language_names": {code: translate(name) for code, name in LANGUAGE_NAMES.items()},
                "timezone": self.settings.timezone,
                "notice": notice,
                "error": error,
                "stale": stale,
            },
            status_code=status_code,
        )

    def missing(self) -> Response:
        """The answer for an item that does not exist (any more)."""
        return render(
            self.request,
            "media/missing.html",
            language=self.language,
            context={**user_context(self.login), "section": "items", "back": "/admin/items"},
            status_code=404,
        )


def _length(asset: MediaAsset, translate: Translator) -> str:
    seconds = asset.duration_s
    return describe_seconds(seconds, translate=translate) if seconds else ""
