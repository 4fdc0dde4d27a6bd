"""Rendering admin pages: the Jinja2 templates, the page language and how moments read.

The language is Swedish unless the picker chose another: a `?lang=` link sets
the `anslag_language` cookie, which every later page reads.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date
from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import Response

from server.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, supported_language
from server.models import LoginSession
from server.services.permissions import Permission, role_can
from server.settings import Settings

LANGUAGE_COOKIE = "anslag_language"
LANGUAGE_QUERY = "lang"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
# Each language named in itself, so a visitor finds theirs whatever the page speaks.
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


@functools.cache
def _templates() -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=environment)


def page_language(request: Request) -> str:
    """The language asked for by the picker's link, else the remembered one, else Swedish."""
    return (
        supported_language(request.query_params.get(LANGUAGE_QUERY))
        or supported_language(request.cookies.get(LANGUAGE_COOKIE))
        or DEFAULT_LANGUAGE
    )


LanguageDep = Annotated[str, Depends(page_language)]


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    href: str
    current: bool


def language_links(request: Request, language: str) -> list[LanguageLink]:
    """The picker: this page again in each language, its other query parameters kept."""
    links = []
    for code in LANGUAGES:
        query = {**request.query_params, LANGUAGE_QUERY: code}
        href = f"{request.url.path}?{urlencode(query)}"
        links.append(LanguageLink(code, LANGUAGE_NAMES[code], href, code == language))
    return links


def user_context(login: LoginSession) -> dict[str, object]:
    """What every logged-in page needs: who is logged in and the token for its forms."""
    return {"user": login.user, "csrf_token": login.csrf_token}


def render(
    request: Request,
    template: str,
    *,
    language: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """`template` in `language`; a language picked by link is remembered in a cookie."""
    translate = Translator(language)
    values: dict[str, Any] = {
        "_": translate,
        "lang": language,
        "languages": language_links(request, language),
        "user": None,
        "csrf_token": "",
        "section": "",
        **(context or {}),
    }
    user = values["user"]
    # The menu offers only what the user's role allows.
    values["can"] = lambda name: user is not None and role_can(user.role, Permission(name))
    return respond(
        _templates(), request, template, values, language=language, status_code=status_code
    )


def respond(
    templates: Jinja2Templates,
    request: Request,
    template: str,
    values: dict[str, Any],
    *,
    language: str,
    status_code: int = 200,
) -> Response:
    """`template` of `templates` filled with `values`; a language picked by link is remembered.

    Shared with the public pages, which speak the same languages with the same picker.
    """
    response = templates.TemplateResponse(
        request,
        template,
        values,
        status_code=status_code,
        # Pages show who is logged in, what screens and alerts show now: never from a cache.
        headers={"Cache-Control": "no-store"},
    )
    if supported_language(request.query_params.get(LANGUAGE_QUERY)) == language:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=LANGUAGE_COOKIE_MAX_AGE, samesite="lax", path="/"
        )
    return response


def describe_moment(
    moment: datetime | None, *, zone: ZoneInfo, now: datetime, translate: Translator
) -> str:
    """`moment` on the location's wall clock: "i dag 10:41", "i går 22:05" or a date."""
    if moment is None:
        return translate("never")
    local = moment.astimezone(zone)
    today = now.astimezone(zone).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return translate("today %(time)s", time=clock)
    if local.date() == today - timedelta(days=1):
        return translate("yesterday %(time)s", time=clock)
    day = format_date(local.date(), format="medium", locale=translate.language)
    return f"{day} {clock}"


def site_url(request: Request, settings: Settings) -> str:
    """Where the public reaches this server, for links in mail: the configured address,
    else the one this request came to."""
    return (settings.public_url or str(request.base_url)).rstrip("/")
