"""The news sources' pages: the feeds and how their last polls went, adding and editing one,
switching it off, and fetching it now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Response
from starlette.datastructures import FormData

from server.admin.editing import EditorFormDep, EditorPage, EditorPageDep
from server.admin.forms import FormProblem, explain, field, see_other
from server.admin.pages import describe_moment
from server.api.deps import ClockDep, ContextDep
from server.api.errors import status_code_for
from server.errors import AnslagError, NotFound
from server.i18n import Translator
from server.models import Item, NewsSource
from server.services.feed_fetching import feed_client
from server.services.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES
from server.services.naming import item_title
from server.services.news_polling import latest_news, poll_source
from server.services.news_sources import (
    DEFAULT_POLL_MINUTES,
    DEFAULT_VALIDITY_DAYS,
    SourceDraft,
    create_source,
    find_source,
    list_sources,
    update_source,
)
from server.services.permissions import login_actor

router = APIRouter(prefix="/admin/news-sources", include_in_schema=False)
# The newest slides a source's page shows, to see at a glance what its feed gives.
RECENT_SLIDES = 5


@dataclass(frozen=True)
class SourceForm:
    """The fields of the source form, as typed, so a refused form shows them again."""

    name: str = ""
    url: str = ""
    language: str = "sv"
    poll_minutes: str = str(DEFAULT_POLL_MINUTES)
    validity_days: str = str(DEFAULT_VALIDITY_DAYS)
    enabled: bool = True

    @classmethod
    def posted(cls, form: FormData) -> SourceForm:
        return cls(
            name=field(form, "name"),
            url=field(form, "url"),
            language=field(form, "language"),
            poll_minutes=field(form, "poll_minutes"),
            validity_days=field(form, "validity_days"),
            enabled=bool(field(form, "enabled")),
        )

    @classmethod
    def of_source(cls, source: NewsSource) -> SourceForm:
        return cls(
            name=source.name,
            url=source.url,
            language=source.language,
            poll_minutes=str(source.poll_minutes),
            validity_days=str(source.validity_days),
            enabled=source.enabled,
        )

    def draft(self, translate: Translator) -> SourceDraft:
        """The draft the form describes; FormProblem, in the reader's language, if unreadable."""
        return SourceDraft(
            name=self.name,
            url=self.url,
            language=self.language,
            poll_minutes=_whole(self.poll_minutes, translate),
            validity_days=_whole(self.validity_days, translate),
            enabled=self.enabled,
        )


@dataclass(frozen=True)
class SourceStatus:
    """A source as its list and page show it: how its last poll went, in words."""

    source: NewsSource
    slides: int
    polled: str
    succeeded: str
    error: str | None


def _whole(typed: str, translate: Translator) -> int:
    try:
        return int(typed.strip())
    except ValueError:
        raise FormProblem(
            translate("'%(value)s' is not a whole number.", value=typed.strip())
        ) from None


def _status(source: NewsSource, slides: int, *, page: EditorPage, now: datetime) -> SourceStatus:
    translate, zone = page.translate, page.settings.zone
    error = None
    detail = source.last_error_detail
    if detail is not None and isinstance(detail.get("message"), str):
        values = detail.get("values")
        error = translate(str(detail["message"]), **(values if isinstance(values, dict) else {}))
    elif source.last_error:
        error = source.last_error
    return SourceStatus(
        source=source,
        slides=slides,
        polled=describe_moment(source.last_polled_at, zone=zone, now=now, translate=translate),
        succeeded=describe_moment(
            source.last_succeeded_at, zone=zone, now=now, translate=translate
        ),
        error=error,
    )


@router.get("")
def sources_page(page: EditorPageDep, clock: ClockDep) -> Response:
    now = clock()
    rows = [
        _status(entry.source, entry.slides, page=page, now=now)
        for entry in list_sources(page.session)
    ]
    return page.render("news_sources/list.html", {"rows": rows, **_names(page)})


@router.get("/new")
def new_source(page: EditorPageDep) -> Response:
    return _form(page, SourceForm())


@router.post("/new")
async def create(page: EditorFormDep, clock: ClockDep) -> Response:
    form = SourceForm.posted(await page.request.form())
    try:
        source = create_source(
            page.session,
            draft=form.draft(page.translate),
            actor=login_actor(page.login),
            now=clock(),
        )
    except FormProblem as problem:
        return _form(page, form, error=str(problem), status_code=422)
    except AnslagError as exc:
        error = explain(page.translate, exc)
        return _form(page, form, error=error, status_code=status_code_for(exc))
    return see_other(f"/admin/news-sources/{source.id}?saved=1")


@router.get("/{source_id}")
def edit_source(
    source_id: int,
    page: EditorPageDep,
    clock: ClockDep,
    saved: bool = False,
    fetched: str | None = None,
    created: int = 0,
    updated: int = 0,
) -> Response:
    try:
        source = find_source(page.session, source_id=source_id)
    except NotFound:
        return page.missing(back="/admin/news-sources")
    translate = page.translate
    notice = None
    if saved:
        notice = translate("Saved.")
    elif fetched == "unchanged":
        notice = translate("Fetched: the feed has not changed since the last time.")
    elif fetched == "ok":
        notice = translate(
            "Fetched: %(created)d new and %(updated)d changed news slides.",
            created=created,
            updated=updated,
        )
    return _form(page, SourceForm.of_source(source), source=source, notice=notice, now=clock())


@router.post("/{source_id}")
async def save_source(source_id: int, page: EditorFormDep, clock: ClockDep) -> Response:
    try:
        source = find_source(page.session, source_id=source_id)
    except NotFound:
        return page.missing(back="/admin/news-sources")
    form = SourceForm.posted(await page.request.form())
    try:
        update_source(
            page.session,
            source_id=source_id,
            draft=form.draft(page.translate),
            actor=login_actor(page.login),
            now=clock(),
        )
    except FormProblem as problem:
        return _form(page, form, source=source, error=str(problem), status_code=422, now=clock())
    except AnslagError as exc:
        error = explain(page.translate, exc)
        return _form(
            page, form, source=source, error=error, status_code=status_code_for(exc), now=clock()
        )
    return see_other(f"/admin/news-sources/{source_id}?saved=1")


@router.post("/{source_id}/fetch")
def fetch_now(
    source_id: int, page: EditorFormDep, clock: ClockDep, context: ContextDep
) -> Response:
    """Poll the source at once, whether or not it is enabled or due; the page shows how it went."""
    try:
        find_source(page.session, source_id=source_id)
    except NotFound:
        return page.missing(back="/admin/news-sources")
    settings = page.settings
    with feed_client(context.feed_transport) as client:
        outcome = poll_source(
            page.session,
            context.storage,
            source_id=source_id,
            client=client,
            zone=settings.zone,
            upload_dir=settings.upload_dir,
            now=clock(),
        )
    if outcome.error is not None:
        # The page shows the error recorded on the source.
        return see_other(f"/admin/news-sources/{source_id}")
    if outcome.unchanged:
        return see_other(f"/admin/news-sources/{source_id}?fetched=unchanged")
    query = urlencode({"fetched": "ok", "created": outcome.created, "updated": outcome.updated})
    return see_other(f"/admin/news-sources/{source_id}?{query}")


def _names(page: EditorPage) -> dict[str, object]:
    translate = page.translate
    return {
        "language_names": {code: translate(name) for code, name in LANGUAGE_NAMES.items()},
        "content_languages": CONTENT_LANGUAGES,
    }


def _form(
    page: EditorPage,
    form: SourceForm,
    *,
    source: NewsSource | None = None,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
    now: datetime | None = None,
) -> Response:
    """The source form (new or edit), with the source's status and newest slides when it exists."""
    status = None
    recent: list[tuple[Item, str]] = []
    if source is not None and source.id is not None and now is not None:
        status = _status(source, 0, page=page, now=now)
        items = latest_news(page.session, source_id=source.id, count=RECENT_SLIDES, now=now)
        recent = [(item, item_title(item)) for item in items]
    context = {
        "form": form,
        "source": source,
        "status": status,
        "recent": recent,
        "notice": notice,
        "error": error,
        **_names(page),
    }
    return page.render("news_sources/form.html", context, status_code=status_code)
