"""The public forms' token: a random value in a cookie that the form must carry back.

Another site can make a browser post our form, but can neither read nor set
the cookie (double submit, as the admin's login form does), so a forged post
is told apart, and so is a program posting without having opened the form.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response

FORM_COOKIE = "anslag_form"
FORM_FIELD = "form_token"
COOKIE_PATH = "/calendar"


def form_token(request: Request) -> str:
    """The token for the page's form: the browser's cookie, or a new one to set."""
    return request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(32)


def set_form_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        FORM_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=COOKIE_PATH,
    )


def form_token_matches(request: Request, sent: str) -> bool:
    expected = request.cookies.get(FORM_COOKIE, "")
    return bool(sent and expected) and hmac.compare_digest(sent.encode(), expected.encode())
