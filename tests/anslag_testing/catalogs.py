"""The texts the server's code and templates ask to translate, found as Babel extracts them."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

import server

SERVER_DIR = Path(server.__file__).parent
# The admin and the public pages translate with `_(…)` in templates and `translate(…)` in Python.
_METHODS = [
    ("admin/templates/**.html", "jinja2"),
    ("public/templates/**.html", "jinja2"),
    ("**.py", "python"),
]
_KEYWORDS: dict[str, None] = {"_": None, "translate": None}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def admin_message_ids() -> set[str]:
    return {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            SERVER_DIR, method_map=_METHODS, keywords=_KEYWORDS
        )
        if isinstance(message, str)
    }


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))
