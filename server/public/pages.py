"""Rendering public pages: their own templates, with the admin's languages, picker and catalogs.

The layout (`public/base.html`) is generic: the municipality's name, the language
picker, the page, a footer. Every public page extends it. The language is Swedish
unless the visitor chose English; the choice is remembered in the admin's cookie.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import Response

from server.admin.pages import language_links, respond
from server.i18n import Translator
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
    """`template` (under `public/`) in `language`, with what the layout shows on every page."""
    values: dict[str, Any] = {
        "_": Translator(language),
        "lang": language,
        "languages": language_links(request, language),
        "municipality": settings.municipality_name,
        **(context or {}),
    }
    return respond(
        _templates(),
        request,
        f"public/{template}",
        values,
        language=language,
        status_code=status_code,
    )


def local_moment(moment: datetime, *, zone: ZoneInfo, language: str) -> str:
    """`moment` on the municipality's clock, as a resident reads it: "12 januari 09:00"."""
    return format_datetime(moment.astimezone(zone), "d MMMM HH:mm", locale=language)
