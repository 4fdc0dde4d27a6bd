"""The admin's pages: login and logout, the dashboard of screens, the password change."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from server.admin.monitoring import screen_card
from server.admin.pages import LanguageDep, render, user_context
from server.admin.security import (
    LOGIN_PATH,
    SESSION_COOKIE,
    CheckedLogin,
    CurrentLogin,
    check_login_form_csrf,
    clear_session_cookie,
    client_address,
    login_csrf_token,
    safe_next,
    set_login_csrf_cookie,
    set_session_cookie,
)
from server.api.deps import ClockDep, SessionDep, SettingsDep
from server.errors import InvalidCredentials, TooManyAttempts, WeakPassword
from server.i18n import Translator
from server.models import LoginSession
from server.services.accounts import (
    MIN_PASSWORD_LENGTH,
    authenticate,
    change_password,
    end_session,
    load_session,
    start_session,
)
from server.services.dashboard import screen_statuses

router = APIRouter(prefix="/admin", tags=["admin"], include_in_schema=False)

FormText = Annotated[str, Form()]


def _see_other(path: str) -> RedirectResponse:
    # 303: after a form post the browser follows with a GET.
    return RedirectResponse(path, status_code=303)


def _wait_message(translate: Translator, error: TooManyAttempts) -> str:
    minutes = math.ceil(error.retry_after_s / 60)
    return translate("Too many failed attempts. Try again in %(minutes)d min.", minutes=minutes)


def _login_page(
    request: Request,
    language: str,
    *,
    next_path: str,
    username: str = "",
    error: str | None = None,
    status_code: int = 200,
    retry_after_s: int | None = None,
) -> Response:
    token = login_csrf_token(request)
    response = render(
        request,
        "login.html",
        language=language,
        context={"csrf_token": token, "next": next_path, "username": username, "error": error},
        status_code=status_code,
    )
    set_login_csrf_cookie(response, request, token)
    if retry_after_s is not None:
        response.headers["Retry-After"] = str(retry_after_s)
    return response


@router.get("/login")
def login_form(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    language: LanguageDep,
    next: str | None = None,
) -> Response:
    next_path = safe_next(next)
    try:
        load_session(session, token=request.cookies.get(SESSION_COOKIE), now=clock())
    except InvalidCredentials:
        return _login_page(request, language, next_path=next_path)
    return _see_other(next_path)


@router.post("/login", dependencies=[Depends(check_login_form_csrf)])
def login(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    language: LanguageDep,
    username: FormText = "",
    password: FormText = "",
    next: FormText = "",
) -> Response:
    next_path = safe_next(next)
    translate = Translator(language)
    try:
        user = authenticate(
            session,
            username=username,
            password=password,
            address=client_address(request),
            now=clock(),
        )
    except InvalidCredentials:
        # One message for an unknown user and a wrong password: nobody learns which names exist.
        message = translate("Wrong username or password.")
        return _login_page(
            request,
            language,
            next_path=next_path,
            username=username,
            error=message,
            status_code=400,
        )
    except TooManyAttempts as exc:
        return _login_page(
            request,
            language,
            next_path=next_path,
            username=username,
            error=_wait_message(translate, exc),
            status_code=429,
            retry_after_s=exc.retry_after_s,
        )
    _login, token = start_session(session, user=user, now=clock())
    response = _see_other(next_path)
    set_session_cookie(response, request, token)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, login: CheckedLogin) -> Response:
    end_session(session, login=login)
    response = _see_other(LOGIN_PATH)
    clear_session_cookie(response, request)
    return response


@router.get("/")
def dashboard(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    language: LanguageDep,
    login: CurrentLogin,
) -> Response:
    now = clock()
    translate = Translator(language)
    statuses = screen_statuses(
        session, now=now, horizon=timedelta(days=settings.manifest_horizon_days)
    )
    screens = [screen_card(status, now=now, translate=translate) for status in statuses]
    online = sum(status.online for status in statuses)
    return render(
        request,
        "dashboard.html",
        language=language,
        context={
            **user_context(login),
            "section": "screens",
            "screens": screens,
            "online": online,
        },
    )


def _password_page(
    request: Request,
    language: str,
    login: LoginSession,
    *,
    error: str | None = None,
    changed: bool = False,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "password.html",
        language=language,
        context={
            **user_context(login),
            "error": error,
            "changed": changed,
            "min_length": MIN_PASSWORD_LENGTH,
        },
        status_code=status_code,
    )


@router.get("/password")
def password_form(
    request: Request, language: LanguageDep, login: CurrentLogin, changed: bool = False
) -> Response:
    return _password_page(request, language, login, changed=changed)


@router.post("/password")
def password(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    language: LanguageDep,
    login: CheckedLogin,
    old_password: FormText = "",
    new_password: FormText = "",
    repeated_password: FormText = "",
) -> Response:
    translate = Translator(language)
    if new_password != repeated_password:
        error = translate("The new password and its repetition differ.")
        return _password_page(request, language, login, error=error, status_code=400)
    try:
        change_password(
            session,
            user=login.user,
            old_password=old_password,
            new_password=new_password,
            address=client_address(request),
            now=clock(),
            keep=login,
        )
    except InvalidCredentials:
        error = translate("The current password is wrong.")
        return _password_page(request, language, login, error=error, status_code=400)
    except WeakPassword as exc:
        error = translate(
            "The new password must have at least %(count)d characters.", count=exc.min_length
        )
        return _password_page(request, language, login, error=error, status_code=400)
    except TooManyAttempts as exc:
        error = _wait_message(translate, exc)
        return _password_page(request, language, login, error=error, status_code=429)
    return _see_other("/admin/password?changed=true")
