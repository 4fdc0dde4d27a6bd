"""Atom and RSS index feeds: the entries that point to CAP messages, or carry them inline.

Many services publish a feed whose entries link to the individual messages
(MET Norway's RSS, MeteoAlarm's and Krisinformation's Atom); some put the CAP
`<alert>` inside an Atom entry's content. The feed is read here from the
element tree that `documents.parse_xml` built safely, so a hostile feed is
refused like a hostile message; feedparser is not used because it flattens
inline XML content and fetches nothing anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin
from xml.etree.ElementTree import Element

from server.cap.documents import local_name, namespace
from server.cap.reading import is_cap

ATOM = "http://www.w3.org/2005/Atom"
# Media types a link to a CAP message is labelled with.
_CAP_TYPES = ("application/cap+xml", "application/common-alerting-protocol+xml")


@dataclass(frozen=True)
class IndexEntry:
    """One entry: the message's address, or the message itself when the feed carries it.

    `key` changes when the entry is republished (its address or its update time),
    so an entry seen before is not fetched again.
    """

    key: str
    url: str
    embedded: Element | None = None


def is_index(root: Element) -> bool:
    return (local_name(root), namespace(root)) == ("feed", ATOM) or local_name(root) in (
        "rss",
        "RDF",
    )


def _child(parent: Element, name: str) -> Element | None:
    return next((child for child in parent if local_name(child) == name), None)


def _child_text(parent: Element, name: str) -> str:
    child = _child(parent, name)
    return (child.text or "").strip() if child is not None else ""


def _atom_link(entry: Element) -> str:
    links = [child for child in entry if local_name(child) == "link" and child.get("href")]
    for link in links:
        if any(kind in (link.get("type") or "") for kind in _CAP_TYPES):
            return link.get("href", "")
    for link in links:
        if link.get("rel", "alternate") == "alternate":
            return link.get("href", "")
    return links[0].get("href", "") if links else ""


def _atom_entries(feed: Element, base: str) -> list[IndexEntry]:
    entries = []
    for entry in feed.findall(f"{{{ATOM}}}entry"):
        content = _child(entry, "content")
        embedded = None
        if content is not None:
            embedded = next((child for child in content if is_cap(child)), None)
        href = _atom_link(entry)
        url = urljoin(base, href) if href else ""
        stamp = _child_text(entry, "updated") or _child_text(entry, "id")
        if embedded is not None or url:
            entries.append(IndexEntry(key=f"{url}|{stamp}", url=url, embedded=embedded))
    return entries


def _rss_link(item: Element) -> str:
    enclosure = _child(item, "enclosure")
    if enclosure is not None and any(kind in (enclosure.get("type") or "") for kind in _CAP_TYPES):
        return enclosure.get("url", "")
    link = _child_text(item, "link")
    if link:
        return link
    guid = _child(item, "guid")
    if guid is not None and guid.get("isPermaLink", "true") != "false":
        return (guid.text or "").strip()
    return ""


def _rss_entries(root: Element, base: str) -> list[IndexEntry]:
    entries = []
    for item in root.iter():
        if local_name(item) != "item":
            continue
        href = _rss_link(item)
        if href:
            url = urljoin(base, href)
            stamp = _child_text(item, "pubDate") or _child_text(item, "date")
            entries.append(IndexEntry(key=f"{url}|{stamp}", url=url))
    return entries


def index_entries(root: Element, *, base: str) -> list[IndexEntry]:
    """The entries of the Atom or RSS feed `root`, addresses resolved against `base`."""
    if local_name(root) == "feed":
        return _atom_entries(root, base)
    return _rss_entries(root, base)
