"""Rendering public pages: their Jinja2 templates, the page language, the municipality's name.

The language is Swedish unless the visitor chose English with the language
switch; the choice is remembered in the same cookie the admin uses.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import Response

from server.admin.pages import (
    LANGUAGE_COOKIE,
    LANGUAGE_COOKIE_MAX_AGE,
    LANGUAGE_QUERY,
    language_links,
)
from server.i18n import Translator, supported_language
from server.settings import Settings

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


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


def render(
    request: Request,
    template: str,
    *,
    language: str,
    settings: Settings,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """`template` (under `public/`) in `language`, in the municipality's name."""
    values: dict[str, Any] = {
        "_": Translator(language),
        "lang": language,
        "languages": language_links(request, language),
        "municipality": settings.municipality_name,
        **(context or {}),
    }
    response = _templates().TemplateResponse(
        request,
        f"public/{template}",
        values,
        status_code=status_code,
        # What is public changes with every approval; a visitor should see it at once.
        headers={"Cache-Control": "no-cache"},
    )
    if supported_language(request.query_params.get(LANGUAGE_QUERY)) == language:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=LANGUAGE_COOKIE_MAX_AGE, samesite="lax", path="/"
        )
    return response
