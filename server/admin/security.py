"""Who is asking: the session cookie, the logged-in user, CSRF checks and safe redirects.

Logged-in forms carry the session's CSRF token, stored with the session. The
login form, sent before there is a session, carries a random token that must
match the `anslag_csrf` cookie (double submit): another site can make a
browser post the form, but can neither read nor set that cookie.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request, Response

from server.api.deps import ClockDep, SessionDep
from server.errors import InvalidCredentials
from server.models import LoginSession
from server.services.accounts import SESSION_MAX_AGE, load_session
from server.services.permissions import Permission, role_can

SESSION_COOKIE = "anslag_session"
LOGIN_CSRF_COOKIE = "anslag_csrf"
CSRF_FIELD = "csrf_token"
LOGIN_PATH = "/admin/login"
HOME_PATH = "/admin/"


class LoginRequired(Exception):
    """An anonymous request for an admin page; answered with a redirect to the login."""

    def __init__(self, next_path: str | None) -> None:
        super().__init__(f"log in first (then go on to {next_path or HOME_PATH})")
        self.next_path = next_path


class CsrfRejected(Exception):
    """A form post without the token of the page it came from; answered with 403."""


class PermissionDenied(Exception):
    """A logged-in user whose role does not allow the page; answered with 403."""


def login_url(next_path: str | None) -> str:
    if next_path is None or next_path == HOME_PATH:
        return LOGIN_PATH
    return f"{LOGIN_PATH}?next={quote(next_path, safe='/')}"


def safe_next(value: str | None) -> str:
    """`value` when it is a path on this site, else the dashboard: no open redirects."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return HOME_PATH
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(ord(char) < 0x20 for char in value):
        return HOME_PATH
    return value


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def current_login(request: Request, session: SessionDep, clock: ClockDep) -> LoginSession:
    try:
        return load_session(session, token=request.cookies.get(SESSION_COOKIE), now=clock())
    except InvalidCredentials:
        # Only a page can be gone back to after the login; a form post cannot be replayed.
        next_path = None
        if request.method == "GET":
            query = f"?{request.url.query}" if request.url.query else ""
            next_path = request.url.path + query
        raise LoginRequired(next_path) from None


CurrentLogin = Annotated[LoginSession, Depends(current_login)]


async def _posted_csrf_token(request: Request) -> str:
    form = await request.form()
    token = form.get(CSRF_FIELD)
    return token if isinstance(token, str) else ""


def _same(sent: str, expected: str) -> bool:
    return bool(sent) and hmac.compare_digest(sent.encode(), expected.encode())


def check_form_token(sent: str, login: LoginSession, path: str) -> None:
    """Refuse (CsrfRejected) a form that does not carry `login`'s token."""
    if not _same(sent, login.csrf_token):
        raise CsrfRejected(f"the form posted to {path} lacks this session's token")


async def checked_login(request: Request, login: CurrentLogin) -> LoginSession:
    """The logged-in session, once the posted form has proven it came from our page."""
    check_form_token(await _posted_csrf_token(request), login, request.url.path)
    return login


CheckedLogin = Annotated[LoginSession, Depends(checked_login)]


def _require(login: LoginSession, permission: Permission, path: str) -> LoginSession:
    if not role_can(login.user.role, permission):
        raise PermissionDenied(f"{login.user.username} ({login.user.role}) may not use {path}")
    return login


def permitted(permission: Permission) -> Callable[..., LoginSession]:
    """A dependency: the logged-in session, when its role allows `permission`."""

    def dependency(request: Request, login: CurrentLogin) -> LoginSession:
        return _require(login, permission, request.url.path)

    return dependency


def permitted_form(permission: Permission) -> Callable[..., LoginSession]:
    """A dependency for form posts: the CSRF-checked session, when its role allows `permission`."""

    def dependency(request: Request, login: CheckedLogin) -> LoginSession:
        return _require(login, permission, request.url.path)

    return dependency


# One pair per kind of work: the page (GET) and its forms (POST).
EditorLogin = Annotated[LoginSession, Depends(permitted(Permission.EDIT_CONTENT))]
EditorForm = Annotated[LoginSession, Depends(permitted_form(Permission.EDIT_CONTENT))]
ScreenAdminLogin = Annotated[LoginSession, Depends(permitted(Permission.MANAGE_SCREENS))]
ScreenAdminForm = Annotated[LoginSession, Depends(permitted_form(Permission.MANAGE_SCREENS))]
AccountAdminLogin = Annotated[LoginSession, Depends(permitted(Permission.MANAGE_ACCOUNTS))]
AccountAdminForm = Annotated[LoginSession, Depends(permitted_form(Permission.MANAGE_ACCOUNTS))]
AuditLogin = Annotated[LoginSession, Depends(permitted(Permission.VIEW_AUDIT))]
ModeratorLogin = Annotated[LoginSession, Depends(permitted(Permission.MODERATE))]
ModeratorForm = Annotated[LoginSession, Depends(permitted_form(Permission.MODERATE))]
AlertOperatorLogin = Annotated[LoginSession, Depends(permitted(Permission.OPERATE_ALERTS))]
AlertOperatorForm = Annotated[LoginSession, Depends(permitted_form(Permission.OPERATE_ALERTS))]
AlertSourceAdminLogin = Annotated[LoginSession, Depends(permitted(Permission.MANAGE_ALERT_SOURCES))]
AlertSourceAdminForm = Annotated[
    LoginSession, Depends(permitted_form(Permission.MANAGE_ALERT_SOURCES))
]


async def check_login_form_csrf(request: Request) -> None:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not _same(await _posted_csrf_token(request), expected):
        raise CsrfRejected("the login form lacks the token of the page it was sent from")


def login_csrf_token(request: Request) -> str:
    """The token for the login form: the browser's cookie, or a new one to set."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def _secure(request: Request) -> bool:
    # Behind a TLS-terminating proxy uvicorn takes the scheme from X-Forwarded-Proto.
    return request.url.scheme == "https"


def set_login_csrf_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path=LOGIN_PATH,
    )


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    # The server decides when a session ends; the cookie only has to outlive it.
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_MAX_AGE.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=_secure(request), path="/"
    )
