"""Reading the admin's dashboard in tests: one screen's card as the text a person sees."""

from __future__ import annotations

import html
import re


def card_text(page: str, screen_id: int) -> str:
    """The visible text of screen `screen_id`'s card on the dashboard, whitespace collapsed."""
    start = page.index(f'id="screen-{screen_id}"')
    following = (page.find('<li class="screen-card', start), page.find("</main>", start))
    end = min(index for index in following if index > 0)
    card = page[page.index(">", start) + 1 : end]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", card)).split())
