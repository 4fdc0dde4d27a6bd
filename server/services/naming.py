"""How an item is named in lists and messages: its title, or the name of its file."""

from __future__ import annotations

from server.models import Item
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
