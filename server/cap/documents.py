"""Fetched XML turned into elements safely: a size limit first, then no DTDs, entities or network.

Everything a feed hands us passes here before anything reads it. defusedxml
refuses a document type declaration outright (where billion-laughs and external
entity attacks live), and an HTML page served where XML should be (a proxy's
error page, a login wall) is named as such rather than reported as broken XML.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as safe_tree

from server.errors import HostileDocument, OversizedDocument, WrongDocument

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.I | re.S)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
_BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def check_size(data: bytes, *, limit: int, what: str) -> None:
    if len(data) > limit:
        raise OversizedDocument(f"{what} is larger than {limit // 1024} kB; it was not read")


def html_title(data: bytes) -> str | None:
    """The title of `data` when it is an HTML page (an empty string if it has none), else None."""
    if not _HTML_START.match(data.removeprefix(_BYTE_ORDER_MARK)[:4096]):
        return None
    title = _TITLE.search(data[:65536])
    if title is None:
        return ""
    return " ".join(title.group(1).decode("utf-8", "replace").split())[:100]


def parse_xml(data: bytes, *, limit: int, what: str) -> Element:
    """The root element of `data`; refuses what is too large, hostile, HTML or not XML."""
    check_size(data, limit=limit, what=what)
    title = html_title(data)
    if title is not None:
        named = f" ({title!r})" if title else ""
        raise WrongDocument(f"{what} is an HTML page{named}, not XML")
    try:
        root: Element = safe_tree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DTDForbidden as exc:
        raise HostileDocument(
            f"{what} declares a document type ({exc.name}); DTDs can expand entities or reach "
            "the network, so it was refused unread"
        ) from None
    except defusedxml.EntitiesForbidden as exc:
        raise HostileDocument(f"{what} declares the entity {exc.name!r}; refused unread") from None
    except defusedxml.ExternalReferenceForbidden:
        raise HostileDocument(f"{what} refers to an external resource; refused unread") from None
    except ParseError as exc:
        raise WrongDocument(f"{what} is not well-formed XML: {exc}") from None
    return root


def local_name(element: Element) -> str:
    return element.tag.rpartition("}")[2]


def namespace(element: Element) -> str:
    return element.tag[1:].partition("}")[0] if element.tag.startswith("{") else ""
