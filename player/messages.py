"""The player's own words on screen, translated by gettext catalogs read at run time.

Catalogs live in `player/locale/<lang>/LC_MESSAGES/player.po` and are parsed
with Babel's `read_po`, so a translator edits one text file and no compile
step stands between the edit and the screen. Message ids are English; a
language without a catalog, or a message its catalog lacks, falls back to
Swedish, the language every screen in the municipality can show.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping
from pathlib import Path

from babel.messages.pofile import read_po

DEFAULT_LANGUAGE = "sv"
DOMAIN = "player"
LOCALE_DIR = Path(__file__).parent / "locale"
_LANGUAGE_SUBTAG = re.compile(r"[a-z]{2,3}")

logger = logging.getLogger(__name__)


class Messages:
    """Translates the player's message ids into one language, Swedish where it has no word."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalogs = (_catalog(language), _catalog(DEFAULT_LANGUAGE))

    def __call__(self, message_id: str) -> str:
        for catalog in self._catalogs:
            translated = catalog.get(message_id)
            if translated:
                return translated
        return message_id

    def own(self, message_id: str) -> str | None:
        """The translation in this very language, or None where it would fall back to Swedish."""
        return self._catalogs[0].get(message_id) or None


def messages(language: str) -> Messages:
    """The player's words in `language` (a BCP 47 code such as "sv", "se" or "nb")."""
    return Messages(primary_subtag(language))


def primary_subtag(language: str) -> str:
    """The language without region or script: "sv-FI" -> "sv"."""
    return language.replace("_", "-").split("-", 1)[0].lower()


@functools.cache
def _catalog(language: str) -> Mapping[str, str]:
    # Parsed once per language and process; the files are small and never change at run time.
    # Found next to this file rather than through importlib.resources("player"): under pytest
    # the test folder tests/player can shadow the package name.
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    # The code becomes a path: only plain language subtags ("sv", "fit") may.
    if not _LANGUAGE_SUBTAG.fullmatch(language) or not po_file.is_file():
        return {}
    with po_file.open("rb") as stream:
        catalog = read_po(stream, locale=None, domain=DOMAIN)
    translations: dict[str, str] = {}
    for message in catalog:
        # Fuzzy entries are a translator's unchecked guess; they must not reach a public screen.
        if not message.id or message.fuzzy or not isinstance(message.id, str):
            continue
        if isinstance(message.string, str) and message.string:
            translations[message.id] = message.string
    logger.debug("loaded %d player messages for %r", len(translations), language)
    return translations
