"""A title and a text per language in a form: as typed, added and removed by buttons, checked.

The item and event forms (and the public submission form) post one `language`
field per language written in, with `title_<code>` and `body_<code>` beside it.
The "add a language" and "remove" buttons post the whole form too, so that
what was typed is never lost; `language_change` tells them from a save.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import Field, dataclass, replace
from typing import Any, ClassVar, Protocol, TypeVar

from starlette.datastructures import FormData

from server.admin.forms import FormProblem, field
from server.i18n import Translator
from server.services.languages import CONTENT_LANGUAGES, LANGUAGE_NAMES


@dataclass(frozen=True)
class TextFields:
    language: str
    title: str = ""
    body: str = ""


class WithTexts(Protocol):
    """A frozen dataclass form with `texts`."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    @property
    def texts(self) -> tuple[TextFields, ...]: ...


def posted_texts(form: FormData) -> tuple[TextFields, ...]:
    """The languages posted, each once, in the form's order, with their title and text."""
    languages = [code for code in form.getlist("language") if code in CONTENT_LANGUAGES]
    return tuple(
        TextFields(code, field(form, f"title_{code}"), field(form, f"body_{code}"))
        for code in dict.fromkeys(languages)
    )


def stored_texts(texts: Mapping[str, Mapping[str, str]]) -> tuple[TextFields, ...]:
    """Stored texts as fields, in the order the admin offers the languages."""
    ordered = sorted(texts, key=_language_order)
    return tuple(
        TextFields(code, texts[code].get("title", ""), texts[code].get("body", ""))
        for code in ordered
    )


def languages_left(texts: tuple[TextFields, ...]) -> tuple[str, ...]:
    """The languages that may still be added, in the order the admin offers them."""
    used = {text.language for text in texts}
    return tuple(code for code in CONTENT_LANGUAGES if code not in used)


FormT = TypeVar("FormT", bound=WithTexts)


def language_change(form: FormT, posted: FormData) -> FormT | None:
    """`form` with a language added or removed, when that is the button pressed."""
    remove = posted.get("remove_language")
    if isinstance(remove, str) and remove:
        kept = tuple(text for text in form.texts if text.language != remove)
        return replace(form, texts=kept)
    if posted.get("action") == "add_language":
        new = posted.get("new_language")
        if isinstance(new, str) and new in languages_left(form.texts):
            return replace(form, texts=(*form.texts, TextFields(new)))
        return form
    return None


def checked_titles(
    texts: tuple[TextFields, ...], translate: Translator
) -> dict[str, tuple[str, str]]:
    """(title, text) per language; FormProblem naming the language whose title is empty."""
    for text in texts:
        if not text.title.strip():
            raise FormProblem(
                translate(
                    "%(language)s: write a title, or remove the language.",
                    language=translate(LANGUAGE_NAMES[text.language]),
                )
            )
    return {text.language: (text.title, text.body) for text in texts}


def _language_order(code: str) -> int:
    return CONTENT_LANGUAGES.index(code) if code in CONTENT_LANGUAGES else len(CONTENT_LANGUAGES)
