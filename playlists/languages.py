"""The slide versions a location's screens show, and what stands in for a missing one.

A location lists its display languages, primary first. A slide written in a
display language shows that version; a display language the slide lacks falls
back to one version for all of them: the primary language's, or failing that
the first display language the slide has, or failing that the language it was
written in first. The manifest carries only the versions so chosen, so what a
screen shows is decided here, once, for the server and the player alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

T = TypeVar("T")


def fallback_language(languages: Sequence[str], written: Sequence[str]) -> str:
    """The version shown in place of a display language the slide was not written in.

    `languages` are the location's, primary first; `written` the slide's, in the
    order they were written. ValueError when the slide has no version at all.
    """
    if not written:
        raise ValueError("a slide without any language version has nothing to fall back to")
    return next((language for language in languages if language in written), written[0])


def texts_for_display(texts: Mapping[str, T], languages: Sequence[str]) -> dict[str, T]:
    """The versions a screen showing `languages` needs, in display order.

    Each display language the slide has, and, when one is missing, the fallback
    version (last, when it is none of the display languages): nothing else, so
    a translation the location does not show never reaches its screens.
    """
    shown = {language: texts[language] for language in languages if language in texts}
    if len(shown) < len(set(languages)):
        fallback = fallback_language(languages, list(texts))
        shown.setdefault(fallback, texts[fallback])
    return shown
