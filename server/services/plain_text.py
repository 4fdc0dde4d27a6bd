"""Text from other systems made fit to show: plain words, never markup, never too long.

A feed's titles and summaries, a calendar's DESCRIPTION, come as HTML, escaped
HTML, or text. Screens and pages show plain text only, so every tag goes (nh3,
which also drops the content of scripts and styles), entities are decoded, and
whitespace is tidied; block ends and <br> become line breaks, and a blank line
between paragraphs stays. HTML escaped twice over, a common fault of publishing
systems, is unwrapped until no tag or entity is left to show. The result is
shown as text, escaped like anything typed.
"""

from __future__ import annotations

import html
import re

import nh3

ELLIPSIS = "\N{HORIZONTAL ELLIPSIS}"
# Where HTML ends a block, the text breaks a line, so paragraphs do not run together.
_BLOCK_BREAK = re.compile(
    r"<br\s*/?>|</(?:p|div|li|h[1-6]|tr|blockquote|pre|section|article|header|footer|figcaption)\s*>",
    re.IGNORECASE,
)
# Spaces, tabs and no-break spaces collapse to one space (a stray &nbsp; from a word
# processor must not keep a line from wrapping); a line break is kept.
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
# An entity left after decoding was escaped twice ("&amp;amp;"): one more round decodes it.
_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
# Escaped HTML inside HTML is unwrapped at most this many times: enough for real feeds.
_UNWRAPPINGS = 3


def plain_text(markup: str) -> str:
    """The words of an HTML fragment (or of text) as plain text: tags and scripts gone,
    entities decoded, paragraphs kept as lines."""
    text = markup
    for _ in range(_UNWRAPPINGS):
        text = html.unescape(nh3.clean(_BLOCK_BREAK.sub("\n", text), tags=set()))
        if not (nh3.is_html(text) or _ENTITY.search(text)):
            break
    else:
        # Still tags after unwrapping: what is left is not worth showing as it stands.
        text = html.unescape(nh3.clean(text, tags=set()))
    return tidy(text)


def tidy(text: str) -> str:
    """`text` without control characters, runs of spaces or more than one blank line, trimmed."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def shortened(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word's end, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    at_space = max(cut.rfind(" "), cut.rfind("\n"))
    if at_space > limit // 2:
        cut = cut[:at_space]
    return cut.rstrip(" \n,.;:-\N{EN DASH}") + ELLIPSIS
