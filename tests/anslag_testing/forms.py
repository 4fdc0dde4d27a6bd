"""A page's form as a browser would send it: its named inputs, in document order."""

from __future__ import annotations

from html.parser import HTMLParser

Fields = dict[str, list[str]]


class _FormFields(HTMLParser):
    """The named inputs of one form, in document order, as a browser would send them."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: Fields = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.inside = values.get("id") == self.form_id
        elif tag == "input" and self.inside and values.get("name"):
            self.fields.setdefault(values["name"] or "", []).append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def form_fields(page: str, form_id: str = "playlist-form") -> Fields:
    parser = _FormFields(form_id)
    parser.feed(page)
    return parser.fields
