"""The Atom index of the municipality's own CAP messages, as other services' feeds are built.

Each entry is one published message, newest first, linking to the message itself
(`application/cap+xml`), so a reader follows the feed exactly as Anslag follows
the feeds it polls. Titles come from the messages themselves, read back with
Anslag's own CAP reader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, SubElement, tostring

from server.cap.index import ATOM
from server.cap.reading import read_message
from server.models import CapMessage

ATOM_MEDIA_TYPE = "application/atom+xml"
CAP_MEDIA_TYPE = "application/cap+xml"
# Words for a message type when its own text cannot say it (a Cancel carries no info).
ENTRY_PREFIXES = {"cancel": "Återkallat", "update": "Uppdaterat"}


@dataclass(frozen=True)
class FeedLinks:
    feed: str
    page: str
    message: Callable[[str], str]


def _atom_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent: Element, name: str, text: str | None = None, **attributes: str) -> Element:
    # Unqualified names under a root that declares Atom as the default namespace: ElementTree
    # cannot write a default namespace together with (unqualified) attributes such as rel.
    element = SubElement(parent, name, attributes)
    element.text = text
    return element


def entry_title(message: CapMessage, *, fallback: str) -> tuple[str, str]:
    """(title, summary) of a published message: its own Swedish (or first) headline and text."""
    parsed = read_message((message.document or "").encode("utf-8"))
    info = next((info for info in parsed.infos if info.language.startswith("sv")), None)
    info = info or next(iter(parsed.infos), None)
    if info is None:
        return f"{ENTRY_PREFIXES['cancel']}: {fallback}", ""
    prefix = "Faran över" if parsed.all_clear else ENTRY_PREFIXES.get(message.msg_type)
    title = f"{prefix}: {info.headline}" if prefix else info.headline
    return title, info.description


def atom_feed(
    messages: Sequence[tuple[CapMessage, str]],
    *,
    title: str,
    author: str,
    links: FeedLinks,
    now: datetime,
) -> bytes:
    """The feed of `messages`, each with the current headline of its alert as a fallback."""
    feed = Element("feed", {"xmlns": ATOM})
    _add(feed, "id", links.feed)
    _add(feed, "title", title)
    newest = max((message.sent_at for message, _headline in messages), default=now)
    _add(feed, "updated", _atom_time(newest))
    _add(feed, "link", rel="self", type=ATOM_MEDIA_TYPE, href=links.feed)
    _add(feed, "link", rel="alternate", type="text/html", href=links.page)
    _add(_add(feed, "author"), "name", author)
    for message, headline in messages:
        entry_name, summary = entry_title(message, fallback=headline)
        url = links.message(message.identifier)
        entry = _add(feed, "entry")
        _add(entry, "id", url)
        _add(entry, "title", entry_name)
        _add(entry, "updated", _atom_time(message.sent_at))
        _add(entry, "link", rel="alternate", type=CAP_MEDIA_TYPE, href=url)
        if summary:
            _add(entry, "summary", summary)
    document: bytes = tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
