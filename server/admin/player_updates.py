"""The player updates page: the releases on the server, and which one each screen should run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from server.admin.pages import LanguageDep, describe_moment, render, user_context
from server.admin.security import ScreenAdminForm, ScreenAdminLogin
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.errors import Refused
from server.i18n import Translator
from server.models import LoginSession, Screen
from server.services.monitoring import latest_heartbeat
from server.services.permissions import login_actor
from server.services.player_releases import PlayerRelease, list_releases
from server.services.player_updates import set_wanted_version
from server.services.screens import list_screens
from server.settings import Settings

router = APIRouter(prefix="/admin/player-updates", tags=["admin"], include_in_schema=False)

# The form's value for "whatever it runs now"; versions start with a digit.
NO_UPDATE = "none"
Saved = Literal["all", "screen"]


@dataclass(frozen=True)
class ScreenRow:
    """A screen in use, the version it last reported and the one it should run."""

    screen: Screen
    running: str | None
    wanted: str | None

    @property
    def updating(self) -> bool:
        return self.wanted is not None and self.wanted != self.running


@dataclass(frozen=True)
class ReleaseRow:
    release: PlayerRelease
    published: str


def _page(
    request: Request,
    session: Session,
    settings: Settings,
    now: datetime,
    language: str,
    login: LoginSession,
    *,
    saved: Saved | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    translate = Translator(language)
    releases = [
        ReleaseRow(
            release,
            describe_moment(release.published_at, zone=settings.zone, now=now, translate=translate),
        )
        for release in list_releases(settings.player_releases_dir)
    ]
    rows = []
    for screen in list_screens(session):
        if screen.revoked_at is not None:
            continue
        heartbeat = latest_heartbeat(screen)
        running = heartbeat.player_version if heartbeat is not None else None
        rows.append(ScreenRow(screen, running, screen.wanted_player_version))
    return render(
        request,
        "player_updates/index.html",
        language=language,
        context={
            **user_context(login),
            "section": "player-updates",
            "releases": releases,
            "rows": rows,
            "releases_dir": str(settings.player_releases_dir),
            "no_update": NO_UPDATE,
            "saved": saved,
            "error": error,
        },
        status_code=status_code,
    )


@router.get("")
def player_updates(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: ScreenAdminLogin,
    saved: Saved | None = None,
) -> Response:
    return _page(request, session, settings, clock(), language, login, saved=saved)


@router.post("")
def set_version(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: ScreenAdminForm,
    version: Annotated[str, Form()] = NO_UPDATE,
    screen_id: Annotated[int | None, Form()] = None,
) -> Response:
    """Want `version` on one screen, or on all screens in use when no screen is given."""
    try:
        set_wanted_version(
            session,
            releases_dir=settings.player_releases_dir,
            version=None if version == NO_UPDATE else version,
            screen_id=screen_id,
            actor=login_actor(login),
            now=clock(),
        )
    except Refused as exc:
        session.rollback()
        error = Translator(language)(exc.message_id, **exc.values)
        return _page(
            request, session, settings, clock(), language, login, error=error, status_code=422
        )
    saved = "all" if screen_id is None else "screen"
    return RedirectResponse(f"/admin/player-updates?saved={saved}", status_code=303)
