"""How items and events are named in lists and messages: a title, or the name of a file."""

from __future__ import annotations

from collections.abc import Sequence

from server.models import Event, Item
from server.services.languages import CONTENT_LANGUAGES


def item_title(item: Item) -> str:
    """The Swedish title (else the first language's), or the picture's or clip's file name."""
    for language in (*CONTENT_LANGUAGES, *item.texts):
        title = item.texts.get(language, {}).get("title", "").strip()
        if title:
            return title
    if item.asset is not None:
        return item.asset.original_name
    return f"#{item.id}"


def item_reference(item: Item) -> str:
    """The item as a message names it: "Julmarknad (#12)"."""
    return f"{item_title(item)} (#{item.id})"


def event_title(event: Event, languages: Sequence[str] = ("sv",)) -> str:
    """The title in the first of `languages` the event has, else in any language."""
    for language in (*languages, *event.texts):
        title = event.texts.get(language, {}).get("title", "")
        if title:
            return title
    return f"#{event.id}"
