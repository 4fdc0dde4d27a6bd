"""What the admin's form pages share: posted fields, a refused form, the redirect after a save,
and the page for something that is gone.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from server.admin.pages import render, user_context
from server.models import LoginSession


class FormRefused(Exception):
    """A form that cannot be saved as sent; the message is translated and shown above it."""


def see_other(path: str) -> RedirectResponse:
    # 303: after a form post the browser follows with a GET (post/redirect/get).
    return RedirectResponse(path, status_code=303)


def field(form: Any, name: str) -> str:
    """A posted text field, "" when it is missing or a file."""
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def fields(form: Any, name: str) -> list[str]:
    """Every value posted under `name`, in the form's order."""
    return [value if isinstance(value, str) else "" for value in form.getlist(name)]


def gone_page(
    request: Request, language: str, login: LoginSession, *, template: str, section: str
) -> Response:
    """404: what was asked for no longer exists (someone else may have deleted it)."""
    return render(
        request,
        template,
        language=language,
        context={**user_context(login), "section": section},
        status_code=404,
    )
