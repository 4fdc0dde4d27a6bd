"""What an editor's or a moderator's page is rendered with: the request, its language, who is
logged in, the database session and the settings, gathered once by a dependency instead of in
every route."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from sqlmodel import Session

from server.admin.pages import LanguageDep, render, user_context
from server.admin.security import EditorForm, EditorLogin, ModeratorForm, ModeratorLogin
from server.api.deps import SessionDep, SettingsDep
from server.i18n import Translator
from server.models import LoginSession
from server.settings import Settings


@dataclass(frozen=True)
class EditorPage:
    """A logged-in editor's (or moderator's) request and what answering it with a page takes."""

    request: Request
    language: str
    login: LoginSession
    session: Session
    settings: Settings
    section: str

    @property
    def translate(self) -> Translator:
        return Translator(self.language)

    def render(
        self, template: str, context: Mapping[str, Any], *, status_code: int = 200
    ) -> Response:
        return render(
            self.request,
            template,
            language=self.language,
            context={**user_context(self.login), "section": self.section, **context},
            status_code=status_code,
        )

    def missing(self, *, back: str) -> Response:
        """The answer for a thing that does not exist (any more)."""
        return self.render("media/missing.html", {"back": back}, status_code=404)


def _section(request: Request) -> str:
    # /admin/media/… is the media section, /admin/items/… the items.
    return request.url.path.removeprefix("/admin/").split("/", 1)[0]


def _page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorLogin,
) -> EditorPage:
    return EditorPage(request, language, login, session, settings, _section(request))


def _form_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: EditorForm,
) -> EditorPage:
    return EditorPage(request, language, login, session, settings, _section(request))


# A page (GET), and a form post whose CSRF token has been checked.
EditorPageDep = Annotated[EditorPage, Depends(_page)]
EditorFormDep = Annotated[EditorPage, Depends(_form_page)]


def _moderator_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: ModeratorLogin,
) -> EditorPage:
    return EditorPage(request, language, login, session, settings, _section(request))


def _moderator_form_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: ModeratorForm,
) -> EditorPage:
    return EditorPage(request, language, login, session, settings, _section(request))


# The same for the moderation pages.
ModeratorPageDep = Annotated[EditorPage, Depends(_moderator_page)]
ModeratorFormDep = Annotated[EditorPage, Depends(_moderator_form_page)]
