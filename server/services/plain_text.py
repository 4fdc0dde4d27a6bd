"""Text that came as HTML (a calendar's DESCRIPTION, a feed's summary) reduced to plain text.

Tags go (nh3 drops them, and the content of script and style with them),
block ends and <br> become line breaks, entities are decoded, and blank
lines are tidied. The result is shown as text, escaped like anything typed.
"""

from __future__ import annotations

import html
import re

import nh3

_BREAKS = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|tr|blockquote)\s*>", flags=re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0]+")


def plain_text(text: str) -> str:
    """`text` without markup, its paragraphs kept as lines."""
    if "<" in text or "&" in text:
        text = html.unescape(nh3.clean(_BREAKS.sub("\n", text), tags=set()))
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
