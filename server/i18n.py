"""The server's own words (admin pages), translated by gettext catalogs read at run time.

Catalogs live in `server/locale/<lang>/LC_MESSAGES/`, one `.po` file per admin
area (`messages.po` for what every page shares, `media.po`, `screens.po`, …),
and are parsed with Babel's `read_po`, as the player does with its own: a
translator edits a text file and no compile step stands between the edit and
the page. An area's file holds the texts that area introduces; the files of a
language are read together as one catalog.
Message ids are English; Swedish is the default language, and a message a
catalog lacks is shown by its English id.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from pathlib import Path

from babel.messages.pofile import read_po

DEFAULT_LANGUAGE = "sv"
LANGUAGES = ("sv", "en")
# Next to this file rather than importlib.resources("server"): under pytest the test
# folder tests/server can shadow the package name.
LOCALE_DIR = Path(__file__).parent / "locale"

logger = logging.getLogger(__name__)


class Translator:
    """Translates message ids into one of `LANGUAGES`; `%(name)s` placeholders are filled in."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"no admin catalog for {language!r}; there are {LANGUAGES}")
        self.language = language
        self._catalog = _catalog(language)

    def __call__(self, message_id: str, /, **values: object) -> str:
        text = self._catalog.get(message_id) or message_id
        return text % values if values else text

    def own(self, message_id: str) -> str | None:
        """The catalog's translation, or None where the page would show the id itself."""
        return self._catalog.get(message_id) or None


def marked(message_id: str) -> str:
    """`message_id` itself: marks a text written outside the admin for its catalogs.

    Services import it as `_` (`from server.i18n import marked as _`), so the
    extraction that checks the catalogs finds their texts; the admin translates
    them when it shows them.
    """
    return message_id


def supported_language(code: str | None) -> str | None:
    """`code` when the admin speaks it ("en", "sv"), else None."""
    return code if code in LANGUAGES else None


def catalog_files(language: str) -> list[Path]:
    """The `.po` files of `language`, in a fixed order."""
    return sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))


def read_catalog_file(po_file: Path, language: str) -> dict[str, str]:
    """The translated messages of one file; fuzzy entries are a translator's unchecked guess."""
    with po_file.open("rb") as stream:
        catalog = read_po(stream, locale=language, domain=po_file.stem)
    translations: dict[str, str] = {}
    for message in catalog:
        if not message.id or message.fuzzy or not isinstance(message.id, str):
            continue
        if isinstance(message.string, str) and message.string:
            translations[message.id] = message.string
    return translations


@functools.cache
def _catalog(language: str) -> Mapping[str, str]:
    # Parsed once per language and process; the files are small and never change at run time.
    translations: dict[str, str] = {}
    for po_file in catalog_files(language):
        translations.update(read_catalog_file(po_file, language))
    logger.debug("loaded %d server messages for %r", len(translations), language)
    return translations
