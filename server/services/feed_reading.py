"""Reading an RSS (0.9x, 1.0, 2.0) or Atom feed's bytes into entries a screen can show.

feedparser reads the formats, their encodings (a declaration, the HTTP
charset, or Windows-1252 when UTF-8 fails) and `xml:base`; it is always handed
the bytes themselves, never a string it might take for a file name or a URL.
Before it, a document that declares XML entities is refused: feeds have no use
for them, and entity expansion is the classic way to make a parser eat memory.
What comes out is plain text (`server.services.plain_text`), absolute http(s)
links and image addresses, and aware UTC dates.
"""

from __future__ import annotations

import calendar
import io
import re
import time
import xml.sax
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import defusedxml
import defusedxml.sax
import feedparser

from server.cap.documents import html_title
from server.errors import FeedProblem
from server.i18n import marked as _
from server.services.plain_text import plain_text, shortened, tidy

# The wire format's limit for a title; a summary is what a screen shows beside it.
TITLE_MAX_LENGTH = 300
SUMMARY_MAX_LENGTH = 600
# A feed's newest entries; a feed that carries its whole archive gives only these.
MAX_ENTRIES = 50
# Images tried per entry, in order: the enclosure, media tags, then pictures in the text.
MAX_IMAGE_CANDIDATES = 4
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
_WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class FeedEntry:
    """One entry as a screen needs it.

    `key` names the entry across polls: its id (RSS guid, Atom id), else its
    link, else its title and date as written. `published` is None when the
    feed gives no date it can be read by.
    """

    key: str
    link: str
    title: str
    summary: str
    published: datetime | None
    image_urls: tuple[str, ...]


@dataclass(frozen=True)
class Feed:
    """A feed's title and its newest entries, newest first (undated ones in feed order after)."""

    title: str
    entries: tuple[FeedEntry, ...]


def read_feed(data: bytes, *, url: str, content_type: str = "", zone: ZoneInfo) -> Feed:
    """The feed in `data`, fetched from `url` (the base of relative links).

    `zone` is the municipality's: a date written without a zone is read on its
    clock. FeedProblem when the bytes are no feed: an HTML page, an empty answer,
    entity declarations.
    """
    if not data.strip():
        raise FeedProblem(_("The feed's address answered with nothing at all"))
    _refuse_entity_declarations(data)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers=headers, sanitize_html=True, resolve_relative_uris=True
    )
    if not parsed.get("version"):
        raise _not_a_feed(data, content_type)
    # Plain dicts: a FeedParserDict answers for missing keys with others, and warns.
    entries = [_entry(dict(raw), url=url, zone=zone) for raw in parsed.get("entries", [])]
    dated = sorted(
        (entry for entry in entries if entry.published is not None),
        key=lambda entry: entry.published or datetime.min.replace(tzinfo=UTC),
        reverse=True,
    )
    undated = [entry for entry in entries if entry.published is None]
    feed_title = tidy(_text(dict(parsed.get("feed", {})), "title"))
    return Feed(title=feed_title, entries=tuple(_unique([*dated, *undated]))[:MAX_ENTRIES])


def _refuse_entity_declarations(data: bytes) -> None:
    try:
        defusedxml.sax.parseString(
            data,
            xml.sax.ContentHandler(),
            forbid_dtd=False,
            forbid_entities=True,
            forbid_external=True,
        )
    except defusedxml.DefusedXmlException as exc:
        raise FeedProblem(
            _(
                "The feed declares XML entities, which feeds do not need and which can make "
                "a reader run out of memory; it was not read"
            )
        ) from exc
    except xml.sax.SAXException:
        pass  # Not well-formed XML: feedparser's lenient reading may still make sense of it.


def _not_a_feed(data: bytes, content_type: str) -> FeedProblem:
    title = html_title(data)
    if title is None and not content_type.startswith("text/html"):
        return FeedProblem(_("What the address answers is neither RSS nor Atom"))
    if title:
        return FeedProblem(
            _("The address answers with a web page ('%(title)s'), not an RSS or Atom feed"),
            title=plain_text(title),
        )
    return FeedProblem(_("The address answers with a web page, not an RSS or Atom feed"))


def _entry(raw: Mapping[str, Any], *, url: str, zone: ZoneInfo) -> FeedEntry:
    base = _base(raw, url)
    link = _web_link(raw.get("link"), base)
    title = shortened(_text(raw, "title"), TITLE_MAX_LENGTH)
    summary = _text(raw, "summary")
    if not summary:
        summary = next((plain_text(part.get("value", "")) for part in raw.get("content", [])), "")
    published = _published(raw, zone)
    key = str(raw.get("id") or "") or link or f"{title}\n{raw.get('published', '')}"
    return FeedEntry(
        key=key.strip(),
        link=link,
        title=title,
        summary=shortened(summary, SUMMARY_MAX_LENGTH),
        published=published,
        image_urls=tuple(_image_urls(raw, base)),
    )


def _text(raw: Mapping[str, Any], name: str) -> str:
    """A text field as plain text: HTML (or what feedparser takes for it) loses its markup."""
    value = raw.get(name)
    if not isinstance(value, str):
        return ""
    detail = raw.get(f"{name}_detail") or {}
    if detail.get("type", "text/html") == "text/plain":
        return tidy(value)
    return plain_text(value)


def _base(raw: Mapping[str, Any], url: str) -> str:
    for name in ("summary_detail", "title_detail"):
        detail = raw.get(name) or {}
        if detail.get("base"):
            return urljoin(url, str(detail["base"]))
    return url


def _web_link(value: object, base: str) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    link = urljoin(base, value.strip())
    return link if urlsplit(link).scheme in _WEB_SCHEMES else ""


def _image_urls(raw: Mapping[str, Any], base: str) -> Iterable[str]:
    found: list[str] = []

    def add(value: object) -> None:
        link = _web_link(value, base)
        if link and link not in found and len(found) < MAX_IMAGE_CANDIDATES:
            found.append(link)

    enclosures = (link for link in raw.get("links", []) if link.get("rel") == "enclosure")
    for enclosure in enclosures:
        if _is_picture(enclosure.get("type"), enclosure.get("href")):
            add(enclosure.get("href"))
    for media in raw.get("media_content", []):
        kind = media.get("type") or ("image/" if media.get("medium") == "image" else None)
        if _is_picture(kind, media.get("url")):
            add(media.get("url"))
    for thumbnail in raw.get("media_thumbnail", []):
        add(thumbnail.get("url"))
    for part in [*raw.get("content", []), raw.get("summary_detail") or {}]:
        picture = first_picture(str(part.get("value", "")))
        if picture:
            add(picture)
    return found


def _is_picture(media_type: object, link: object) -> bool:
    if isinstance(media_type, str) and media_type:
        return media_type.startswith("image/")
    return isinstance(link, str) and urlsplit(link).path.lower().endswith(_IMAGE_EXTENSIONS)


class _FirstPicture(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.source: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "img" or self.source is not None:
            return
        values = dict(attrs)
        # A one-pixel picture is a counter of readers, not an illustration.
        if values.get("width") == "1" or values.get("height") == "1":
            return
        self.source = values.get("src") or None


def first_picture(markup: str) -> str | None:
    """The address of the first real picture (<img>) in an HTML fragment, as written."""
    if "<img" not in markup.lower():
        return None
    parser = _FirstPicture()
    parser.feed(markup)
    parser.close()
    return parser.source


def _published(raw: Mapping[str, Any], zone: ZoneInfo) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = raw.get(name)
        if isinstance(parsed, time.struct_time):
            # feedparser's tuples are UTC.
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    for name in ("published", "updated", "created"):
        written = raw.get(name)
        if isinstance(written, str) and written.strip():
            return read_nordic_date(written, zone=zone)
    return None


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "january", "jan", "tammikuuta", "tammikuu"),
            ("februari", "february", "februar", "feb", "helmikuuta", "helmikuu"),
            ("mars", "march", "mar", "maaliskuuta", "maaliskuu"),
            ("april", "apr", "huhtikuuta", "huhtikuu"),
            ("maj", "may", "mai", "toukokuuta", "toukokuu"),
            ("juni", "june", "jun", "kesäkuuta", "kesäkuu"),
            ("juli", "july", "jul", "heinäkuuta", "heinäkuu"),
            ("augusti", "august", "aug", "elokuuta", "elokuu"),
            ("september", "sep", "sept", "syyskuuta", "syyskuu"),
            ("oktober", "october", "okt", "oct", "lokakuuta", "lokakuu"),
            ("november", "nov", "marraskuuta", "marraskuu"),
            ("december", "desember", "dec", "des", "joulukuuta", "joulukuu"),
        ),
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_NAMED_DATE = re.compile(r"\b(\d{1,2})\.?\s+([^\W\d_]+)\.?\s+(\d{4})\b")
_CLOCK = re.compile(r"\b(\d{1,2})[:.](\d{2})\b")


def read_nordic_date(written: str, *, zone: ZoneInfo) -> datetime | None:
    """A date as Nordic websites write it when they ignore the standards, on `zone`'s clock.

    "12.01.2026 08:00", "12/1/2026", "måndag 12 januari 2026 kl. 8.00",
    "12. tammikuuta 2026"; an ISO date without a zone. None when it is none of these.
    """
    text = written.strip().lower()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is not None:
        local = moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
        return local.astimezone(UTC)
    numeric, named = _NUMERIC_DATE.search(text), _NAMED_DATE.search(text)
    if numeric is not None:
        day, month, year = (int(part) for part in numeric.groups())
        rest = text[numeric.end() :]
    elif named is not None and named.group(2) in _MONTHS:
        day, month, year = int(named.group(1)), _MONTHS[named.group(2)], int(named.group(3))
        rest = text[named.end() :]
    else:
        return None
    clock = _CLOCK.search(rest)
    hour, minute = (int(clock.group(1)), int(clock.group(2))) if clock else (0, 0)
    try:
        return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)
    except ValueError:
        return None


def _unique(entries: Iterable[FeedEntry]) -> Iterable[FeedEntry]:
    seen: set[str] = set()
    for entry in entries:
        if entry.key and entry.key not in seen:
            seen.add(entry.key)
            yield entry
