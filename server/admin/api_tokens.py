"""The API tokens page: tokens other municipal systems publish with, made and revoked here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session, col, select

from server.admin.pages import LanguageDep, render, user_context
from server.admin.security import AccountAdminForm, AccountAdminLogin
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.errors import InvalidContent, NotFound
from server.i18n import Translator
from server.models import LoginSession, User
from server.services.api_tokens import create_api_token, list_api_tokens, revoke_api_token
from server.services.permissions import login_actor
from server.settings import Settings

router = APIRouter(prefix="/admin/api-tokens", tags=["admin"], include_in_schema=False)


def _page(
    request: Request,
    session: Session,
    settings: Settings,
    language: str,
    login: LoginSession,
    *,
    new_token: str | None = None,
    error: str | None = None,
    name: str = "",
    user_id: int | None = None,
    revoked: bool = False,
    status_code: int = 200,
) -> Response:
    zone = settings.zone
    tokens = [
        {
            "token": token,
            "created": token.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "last_used": (
                token.last_used_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
                if token.last_used_at is not None
                else None
            ),
        }
        for token in list_api_tokens(session)
    ]
    users = session.exec(select(User).order_by(col(User.username))).all()
    return render(
        request,
        "api_tokens/list.html",
        language=language,
        context={
            **user_context(login),
            "section": "api-tokens",
            "tokens": tokens,
            "users": users,
            "new_token": new_token,
            "error": error,
            "name": name,
            "user_id": user_id if user_id is not None else login.user.id,
            "revoked": revoked,
        },
        status_code=status_code,
    )


@router.get("")
def api_tokens(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: AccountAdminLogin,
    revoked: bool = False,
) -> Response:
    return _page(request, session, settings, language, login, revoked=revoked)


@router.post("")
def create_token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    language: LanguageDep,
    login: AccountAdminForm,
    name: Annotated[str, Form()] = "",
    user_id: Annotated[int, Form()] = 0,
) -> Response:
    translate = Translator(language)
    user = session.get(User, user_id)
    error = None
    secret = None
    if user is None:
        error = translate("Choose the user the token acts as.")
    elif not name.strip():
        error = translate("Give the token a name that says which system uses it.")
    if error is None and user is not None:
        try:
            _token, secret = create_api_token(
                session, user=user, name=name, actor=login_actor(login), now=clock()
            )
        except InvalidContent:
            error = translate("The name is too long: at most 200 characters.")
    if error is not None:
        # The form again, as it was filled in.
        return _page(
            request,
            session,
            settings,
            language,
            login,
            error=error,
            name=name,
            user_id=user_id,
            status_code=400,
        )
    # Shown on this answer only: the server keeps nothing it could show again.
    return _page(request, session, settings, language, login, new_token=secret)


@router.post("/{token_id}/revoke")
def revoke_token(
    token_id: int,
    session: SessionDep,
    clock: ClockDep,
    login: AccountAdminForm,
) -> Response:
    try:
        revoke_api_token(session, token_id=token_id, actor=login_actor(login), now=clock())
    except NotFound:
        return RedirectResponse("/admin/api-tokens", status_code=303)
    return RedirectResponse("/admin/api-tokens?revoked=true", status_code=303)
