"""The users page: the people who log in, their roles, and new passwords when one is forgotten."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from server.admin.pages import LanguageDep, render, user_context
from server.admin.security import AccountAdminForm, AccountAdminLogin
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.errors import AlreadyExists, Conflict, InvalidContent, NotFound, WeakPassword
from server.i18n import Translator
from server.models import LoginSession, Role
from server.services.accounts import MIN_PASSWORD_LENGTH
from server.services.permissions import login_actor
from server.services.users import add_user, list_users, set_password, set_role
from server.settings import Settings

router = APIRouter(prefix="/admin/users", tags=["admin"], include_in_schema=False)

FormText = Annotated[str, Form()]


def _page(
    request: Request,
    session: Session,
    settings: Settings,
    language: str,
    login: LoginSession,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    done: str | None = None,
    status_code: int = 200,
) -> Response:
    zone = settings.zone
    users = [
        {
            "user": user,
            "last_login": (
                user.last_login_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
                if user.last_login_at is not None
                else None
            ),
        }
        for user in list_users(session)
    ]
    return render(
        request,
        "users/list.html",
        language=language,
        context={
            **user_context(login),
            "section": "users",
            "users": users,
            "roles": [role.value for role in Role],
            "error": error,
            "form": form or {"username": "", "display_name": "", "role": Role.EDITOR.value},
            "done": done,
            "min_length": MIN_PASSWORD_LENGTH,
        },
        status_code=status_code,
    )


def _refusal(translate: Translator, error: Exception) -> str:
    if isinstance(error, WeakPassword):
        return translate(
            "The password must have at least %(count)d characters.", count=error.min_length
        )
    if isinstance(error, AlreadyExists):
        return translate("That username is taken.")
    if isinstance(error, Conflict):
        return translate("That is the only administrator. Make someone else one first.")
    if isinstance(error, NotFound):
        return translate("That user no longer exists.")
    return translate(
        "The username may hold only a-z, digits, '.', '_' and '-', and the name at most 200 "
        "characters."
    )


@router.get("")
def users(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: AccountAdminLogin,
    done: str | None = None,
) -> Response:
    return _page(request, session, settings, language, login, done=done)


@router.post("")
def create(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AccountAdminForm,
    username: FormText = "",
    display_name: FormText = "",
    role: FormText = "",
    password: FormText = "",
) -> Response:
    form = {"username": username, "display_name": display_name, "role": role}
    try:
        add_user(
            session,
            username=username,
            display_name=display_name,
            role=Role(role) if role in set(Role) else Role.EDITOR,
            password=password,
            actor=login_actor(login),
            now=clock(),
        )
    except (InvalidContent, AlreadyExists, WeakPassword) as exc:
        error = _refusal(Translator(language), exc)
        return _page(
            request, session, settings, language, login, error=error, form=form, status_code=400
        )
    return RedirectResponse("/admin/users?done=created", status_code=303)


@router.post("/{user_id}/role")
def change_role(
    user_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AccountAdminForm,
    role: FormText = "",
) -> Response:
    try:
        if role not in set(Role):
            raise InvalidContent(f"unknown role {role!r}")
        set_role(session, user_id=user_id, role=Role(role), actor=login_actor(login), now=clock())
    except (Conflict, NotFound, InvalidContent) as exc:
        error = _refusal(Translator(language), exc)
        return _page(request, session, settings, language, login, error=error, status_code=409)
    return RedirectResponse("/admin/users?done=role", status_code=303)


@router.post("/{user_id}/password")
def new_password(
    user_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AccountAdminForm,
    password: FormText = "",
) -> Response:
    try:
        set_password(
            session, user_id=user_id, password=password, actor=login_actor(login), now=clock()
        )
    except (WeakPassword, NotFound) as exc:
        error = _refusal(Translator(language), exc)
        return _page(request, session, settings, language, login, error=error, status_code=400)
    return RedirectResponse("/admin/users?done=password", status_code=303)
