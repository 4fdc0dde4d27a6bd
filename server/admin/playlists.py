"""The playlists pages: every playlist with where it plays, and the editor that saves one whole.

The editor is one form. Every button in it (save, move up or down, remove, add
an item) sends the whole playlist with the version it was opened at, and the
server applies the button's change before saving: it works without
JavaScript, and a small script only adds drag and drop, which sends the new
order through the same form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from sqlmodel import Session

from server.admin.forms import FormRefused, explain, field, fields, gone_page, see_other
from server.admin.local_time import (
    datetime_input,
    local_datetime,
    parse_local_datetime,
    parse_seconds,
    seconds,
)
from server.admin.pages import LanguageDep, render, user_context
from server.admin.security import EditorForm, EditorLogin
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.errors import InvalidContent, NotFound, StaleEdit
from server.i18n import Translator
from server.models import LoginSession, Playlist
from server.services.content import NAME_MAX_LENGTH
from server.services.dynamic_entries import DynamicEntryRefused
from server.services.dynamic_kinds import DYNAMIC_KINDS
from server.services.permissions import login_actor
from server.services.playlists import (
    EntryDraft,
    ItemChoice,
    PlaylistDraft,
    PlaylistInUse,
    PlaylistProblem,
    Usage,
    create_playlist,
    delete_playlist,
    find_playlist,
    item_choices,
    last_saved,
    list_playlists,
    playlist_usage,
    save_playlist,
)
from server.settings import Settings

router = APIRouter(prefix="/admin/playlists", include_in_schema=False)
THUMBNAIL_URL = "/admin/media/{sha256}/thumbnail"


@dataclass(frozen=True)
class EntryForm:
    """One entry's fields as the browser sent them, kept as typed so a refusal loses nothing.

    A dynamic entry has no item but a `dynamic` kind, and its `options` as typed.
    """

    item_id: str
    duration: str = ""
    valid_from: str = ""
    valid_until: str = ""
    dynamic: str = ""
    options: Mapping[str, str] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class PlaylistForm:
    name: str
    valid_from: str
    valid_until: str
    version: str
    entries: tuple[EntryForm, ...]


async def _posted(request: Request) -> tuple[PlaylistForm, str]:
    """The posted playlist and the button that sent it."""
    form = await request.form()
    items, durations = fields(form, "entry_item"), fields(form, "entry_duration")
    starts, ends = fields(form, "entry_from"), fields(form, "entry_until")
    kinds, keys = fields(form, "entry_dynamic"), fields(form, "entry_key")
    entries = tuple(
        EntryForm(item, duration, start, end, kind, _options(form, key))
        for item, duration, start, end, kind, key in zip(
            items, durations, starts, ends, kinds, keys, strict=False
        )
    )
    posted = PlaylistForm(
        name=field(form, "name"),
        valid_from=field(form, "valid_from"),
        valid_until=field(form, "valid_until"),
        version=field(form, "version"),
        entries=entries,
    )
    return posted, field(form, "action") or "save"


def _options(form: Mapping[str, object], key: str) -> dict[str, str]:
    """A dynamic entry's options, posted as `option_<entry key>_<name>`."""
    prefix = f"option_{key}_"
    return {
        name.removeprefix(prefix): value
        for name, value in form.items()
        if key and name.startswith(prefix) and isinstance(value, str)
    }


def _with_action(form: PlaylistForm, action: str) -> tuple[PlaylistForm, int | None]:
    """`form` with the button's change made, and the entry to scroll to afterwards."""
    verb, _, argument = action.partition(":")
    entries = list(form.entries)
    if verb == "add" and argument.isdigit():
        entries.append(EntryForm(argument))
        return replace(form, entries=tuple(entries)), len(entries) - 1
    if verb == "add-dynamic" and argument in DYNAMIC_KINDS:
        defaults = DYNAMIC_KINDS[argument].checked_options({})
        options = {name: str(value) for name, value in defaults.items()}
        entries.append(EntryForm("", dynamic=argument, options=options))
        return replace(form, entries=tuple(entries)), len(entries) - 1
    if not argument.isdigit() or int(argument) >= len(entries):
        return form, None
    index = int(argument)
    if verb == "remove":
        del entries[index]
        return replace(form, entries=tuple(entries)), min(
            index, len(entries) - 1
        ) if entries else None
    target = {"up": index - 1, "down": index + 1}.get(verb)
    if target is None or not 0 <= target < len(entries):
        return form, index
    entries[index], entries[target] = entries[target], entries[index]
    return replace(form, entries=tuple(entries)), target


def _draft(form: PlaylistForm, settings: Settings, translate: Translator) -> PlaylistDraft:
    zone = settings.zone
    try:
        valid_from = parse_local_datetime(form.valid_from, zone)
        valid_until = parse_local_datetime(form.valid_until, zone)
    except ValueError:
        raise FormRefused(
            translate("A date of the playlist cannot be read as a date and time.")
        ) from None
    entries = []
    for position, entry in enumerate(form.entries, start=1):
        if not entry.item_id.isdigit() and entry.dynamic not in DYNAMIC_KINDS:
            raise FormRefused(translate("The form was incomplete. Reload the page and try again."))
        try:
            duration_s = parse_seconds(entry.duration)
        except ValueError:
            raise FormRefused(
                translate(
                    "Slide %(position)d: the duration must be a number of seconds, like 8 or 7,5.",
                    position=position,
                )
            ) from None
        try:
            entry_from = parse_local_datetime(entry.valid_from, zone)
            entry_until = parse_local_datetime(entry.valid_until, zone)
        except ValueError:
            raise FormRefused(
                translate(
                    "Slide %(position)d: a date cannot be read as a date and time.",
                    position=position,
                )
            ) from None
        if entry.item_id.isdigit():
            entries.append(EntryDraft(int(entry.item_id), duration_s, entry_from, entry_until))
        else:
            entries.append(
                EntryDraft(
                    None, duration_s, entry_from, entry_until, entry.dynamic, dict(entry.options)
                )
            )
    return PlaylistDraft(form.name, tuple(entries), valid_from, valid_until)


def _problem_message(problem: PlaylistProblem, translate: Translator) -> str:
    position = problem.position or 0
    if problem.reason == "name_missing":
        return translate("The playlist needs a name.")
    if problem.reason == "name_too_long":
        return translate(
            "The name is too long: at most %(count)d characters.", count=NAME_MAX_LENGTH
        )
    if problem.reason == "unknown_item":
        return translate(
            "Slide %(position)d no longer exists. Remove it from the playlist.",
            position=position,
        )
    if problem.reason == "dynamic" and problem.explained is not None:
        return translate(
            "Slide %(position)d: %(problem)s",
            position=position,
            problem=explain(translate, problem.explained),
        )
    if problem.reason == "duration":
        return translate(
            "Slide %(position)d: the duration must be more than 0 seconds and at most 24 hours.",
            position=position,
        )
    if problem.position is None:
        return translate("“Plays until” must be later than “Plays from”.")
    return translate(
        "Slide %(position)d: “Shown until” must be later than “Shown from”.", position=position
    )


def _stored_form(playlist: Playlist, settings: Settings) -> PlaylistForm:
    zone = settings.zone
    return PlaylistForm(
        name=playlist.name,
        valid_from=datetime_input(playlist.valid_from, zone),
        valid_until=datetime_input(playlist.valid_until, zone),
        version=str(playlist.version),
        entries=tuple(
            EntryForm(
                item_id=str(entry.item_id) if entry.item_id is not None else "",
                duration=f"{entry.duration_s:g}" if entry.duration_s is not None else "",
                valid_from=datetime_input(entry.valid_from, zone),
                valid_until=datetime_input(entry.valid_until, zone),
                dynamic=entry.dynamic_kind or "",
                options={name: str(value) for name, value in (entry.dynamic_options or {}).items()},
            )
            for entry in playlist.entries
        ),
    )


def _window_text(
    form_from: str, form_until: str, settings: Settings, language: str, translate: Translator
) -> str:
    """ "From 1 feb 2026 10:00 until …" for a window as typed; empty when it has no bounds."""
    try:
        start = parse_local_datetime(form_from, settings.zone)
        end = parse_local_datetime(form_until, settings.zone)
    except ValueError:
        return ""
    zone = settings.zone
    if start and end:
        return translate(
            "From %(start)s until %(end)s",
            start=local_datetime(start, zone, language),
            end=local_datetime(end, zone, language),
        )
    if start:
        return translate("From %(start)s", start=local_datetime(start, zone, language))
    if end:
        return translate("Until %(end)s", end=local_datetime(end, zone, language))
    return ""


def _editor_page(
    request: Request,
    session: Session,
    settings: Settings,
    language: str,
    login: LoginSession,
    *,
    playlist: Playlist,
    form: PlaylistForm,
    error: str | None = None,
    saved: bool = False,
    stale: bool = False,
    status_code: int = 200,
) -> Response:
    translate = Translator(language)
    choices = item_choices(session)
    by_id = {str(choice.item_id): choice for choice in choices}
    entries = [
        {
            "form": entry,
            "choice": by_id.get(entry.item_id),
            "dynamic": _dynamic_label(entry, translate),
            "length": _entry_length(entry, by_id.get(entry.item_id), language),
            "window": _window_text(
                entry.valid_from, entry.valid_until, settings, language, translate
            ),
        }
        for entry in form.entries
    ]
    context = {
        **user_context(login),
        "section": "playlists",
        "playlist": playlist,
        "form": form,
        "entries": entries,
        "choices": choices,
        "dynamic_choices": [(name, translate(kind.title)) for name, kind in DYNAMIC_KINDS.items()],
        "thumbnail_url": THUMBNAIL_URL,
        "usage": playlist_usage(session, playlist_id=_id(playlist)),
        "zone": settings.timezone,
        "error": error,
        "saved": saved,
        "stale": _stale_view(session, playlist, settings, language) if stale else None,
        "max_name": NAME_MAX_LENGTH,
        "seconds": lambda value: seconds(value, language),
    }
    return render(
        request,
        "playlists/edit.html",
        language=language,
        context=context,
        status_code=status_code,
    )


def _dynamic_label(entry: EntryForm, translate: Translator) -> str:
    """A dynamic entry as the editor names it: with its options, or its kind's title while
    the options typed cannot be read."""
    kind = DYNAMIC_KINDS.get(entry.dynamic)
    if kind is None:
        return entry.dynamic
    try:
        description = kind.describe(kind.checked_options(entry.options))
    except DynamicEntryRefused:
        return translate(kind.title)
    return translate(description.message_id, **description.values)


def _entry_length(entry: EntryForm, choice: ItemChoice | None, language: str) -> str:
    try:
        override = parse_seconds(entry.duration)
    except ValueError:
        override = None
    if override is not None and override > 0:
        return seconds(override, language)
    return seconds(choice.duration_s, language) if choice is not None else ""


def _stale_view(
    session: Session, playlist: Playlist, settings: Settings, language: str
) -> dict[str, object]:
    """The stored playlist, shown beside an edit that was based on an older version."""
    session.refresh(playlist)
    translate = Translator(language)
    change = last_saved(session, playlist_id=_id(playlist))
    stored = _stored_form(playlist, settings)
    choices = {str(choice.item_id): choice for choice in item_choices(session)}
    return {
        "name": playlist.name,
        "version": playlist.version,
        "by": change.actor if change is not None else "",
        "at": local_datetime(change.at, settings.zone, language) if change is not None else "",
        "window": _window_text(
            stored.valid_from, stored.valid_until, settings, language, translate
        ),
        "entries": [
            {
                "choice": choices.get(entry.item_id),
                "dynamic": _dynamic_label(entry, translate),
                "length": _entry_length(entry, choices.get(entry.item_id), language),
            }
            for entry in stored.entries
        ],
    }


def _id(playlist: Playlist) -> int:
    assert playlist.id is not None  # a stored playlist has its key
    return playlist.id


def _gone(request: Request, language: str, login: LoginSession) -> Response:
    return gone_page(request, language, login, template="playlists/gone.html", section="playlists")


def _list_page(
    request: Request,
    session: Session,
    settings: Settings,
    language: str,
    login: LoginSession,
    *,
    name: str = "",
    error: str | None = None,
    deleted: str | None = None,
    status_code: int = 200,
) -> Response:
    rows = []
    for playlist, usage in list_playlists(session):
        stored = _stored_form(playlist, settings)
        # A dynamic entry's length depends on the location and the day; the sum leaves it out.
        length = sum(
            entry.duration_s if entry.duration_s is not None else entry.item.duration_s
            for entry in playlist.entries
            if entry.item is not None
        )
        rows.append(
            {
                "playlist": playlist,
                "usage": usage,
                "count": len(playlist.entries),
                "length": seconds(length, language),
                "window": _window_text(
                    stored.valid_from, stored.valid_until, settings, language, Translator(language)
                ),
            }
        )
    return render(
        request,
        "playlists/list.html",
        language=language,
        context={
            **user_context(login),
            "section": "playlists",
            "rows": rows,
            "name": name,
            "error": error,
            "deleted": deleted,
            "max_name": NAME_MAX_LENGTH,
        },
        status_code=status_code,
    )


@router.get("")
def playlists_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorLogin,
    deleted: str | None = None,
) -> Response:
    return _list_page(request, session, settings, language, login, deleted=deleted)


@router.post("")
async def new_playlist(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: EditorForm,
) -> Response:
    name = field(await request.form(), "name")
    try:
        playlist = create_playlist(
            session, actor=login_actor(login), draft=PlaylistDraft(name=name), now=clock()
        )
    except PlaylistProblem as problem:
        message = _problem_message(problem, Translator(language))
        return _list_page(
            request, session, settings, language, login, name=name, error=message, status_code=422
        )
    return see_other(f"/admin/playlists/{_id(playlist)}?created=1")


@router.get("/{playlist_id}")
def playlist_page(
    playlist_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorLogin,
    saved: bool = False,
    created: bool = False,
) -> Response:
    try:
        playlist = find_playlist(session, playlist_id=playlist_id)
    except NotFound:
        return _gone(request, language, login)
    return _editor_page(
        request,
        session,
        settings,
        language,
        login,
        playlist=playlist,
        form=_stored_form(playlist, settings),
        saved=saved or created,
    )


@router.post("/{playlist_id}")
async def save_playlist_form(
    playlist_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: EditorForm,
) -> Response:
    try:
        playlist = find_playlist(session, playlist_id=playlist_id)
    except NotFound:
        return _gone(request, language, login)
    translate = Translator(language)
    posted, action = await _posted(request)
    form, focus = _with_action(posted, action)
    try:
        if not form.version.isdigit():
            raise FormRefused(translate("The form was incomplete. Reload the page and try again."))
        save_playlist(
            session,
            actor=login_actor(login),
            playlist_id=playlist_id,
            expected_version=int(form.version),
            draft=_draft(form, settings, translate),
            now=clock(),
        )
    except FormRefused as refused:
        error, status_code, stale = str(refused), 422, False
    except PlaylistProblem as problem:
        error, status_code, stale = _problem_message(problem, translate), 422, False
    except StaleEdit:
        error, status_code, stale = None, 409, True
    except InvalidContent as refused:
        error = translate(
            "The playlist cannot be shown on a screen: %(reason)s", reason=str(refused)
        )
        status_code, stale = 422, False
    else:
        anchor = f"#entry-{focus + 1}" if focus is not None else ""
        return see_other(f"/admin/playlists/{playlist_id}?saved=1{anchor}")
    if stale:
        # Saving again is a deliberate choice to replace what the other editor saved.
        form = replace(form, version=str(playlist.version))
    return _editor_page(
        request,
        session,
        settings,
        language,
        login,
        playlist=playlist,
        form=form,
        error=error,
        stale=stale,
        status_code=status_code,
    )


@router.post("/{playlist_id}/delete")
async def delete_playlist_form(
    playlist_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: EditorForm,
) -> Response:
    try:
        playlist = find_playlist(session, playlist_id=playlist_id)
    except NotFound:
        return _gone(request, language, login)
    name = playlist.name
    version = field(await request.form(), "version")
    translate = Translator(language)
    try:
        delete_playlist(
            session,
            actor=login_actor(login),
            playlist_id=playlist_id,
            now=clock(),
            expected_version=int(version) if version.isdigit() else None,
        )
    except PlaylistInUse as refused:
        error = translate(
            "The playlist is still in the schedule, so it was not deleted. %(where)s",
            where=_where_used(refused.usage, translate),
        )
    except StaleEdit:
        error = translate(
            "Someone else saved the playlist after you opened it, so it was not deleted. "
            "Look it over and delete it again if you still want to."
        )
    else:
        return see_other(f"/admin/playlists?{urlencode({'deleted': name})}")
    session.refresh(playlist)
    return _editor_page(
        request,
        session,
        settings,
        language,
        login,
        playlist=playlist,
        form=_stored_form(playlist, settings),
        error=error,
        status_code=409,
    )


def _where_used(usage: Usage, translate: Translator) -> str:
    parts = (
        [translate("Locations where it plays: %(names)s.", names=", ".join(usage.locations))]
        if (usage.locations)
        else []
    )
    for tag, names in usage.tags.items():
        if names:
            parts.append(
                translate(
                    "It plays at every location tagged %(tag)s: %(names)s.",
                    tag=tag,
                    names=", ".join(names),
                )
            )
        else:
            parts.append(
                translate("It is assigned to the tag %(tag)s (no location has it yet).", tag=tag)
            )
    return " ".join(parts)
