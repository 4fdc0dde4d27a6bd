"""The municipality's own alerts written as CAP 1.2 messages, in the order the schema requires.

Times are written in UTC as CAP 1.2 spells it (`-00:00`, never `Z`). Where an
alert names places rather than shapes, each place becomes a 1 km circle around
it, so that any CAP reader can place the alert without knowing our locations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, SubElement, tostring

from server.cap.geometry import write_polygon

CAP_12 = "urn:oasis:names:tc:emergency:cap:1.2"
PLACE_RADIUS_KM = 1.0


def cap_time(moment: datetime) -> str:
    """`moment` as a CAP 1.2 dateTime in UTC: `2026-01-12T08:00:00-00:00`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + "-00:00"


@dataclass(frozen=True)
class OutgoingArea:
    """Where the message applies, in CAP's terms."""

    description: str
    polygons: Sequence[Sequence[tuple[float, float]]] = ()
    # (latitude, longitude, radius in km)
    circles: Sequence[tuple[float, float, float]] = ()
    # (valueName, value)
    geocodes: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class OutgoingInfo:
    language: str
    headline: str
    description: str
    instruction: str
    severity: str
    urgency: str
    certainty: str
    sender_name: str
    effective: datetime
    onset: datetime | None
    expires: datetime
    all_clear: bool = False


@dataclass(frozen=True)
class OutgoingMessage:
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    # (sender, identifier, sent) of the earlier messages this one updates or cancels.
    references: Sequence[tuple[str, str, datetime]] = ()
    infos: Sequence[OutgoingInfo] = ()
    area: OutgoingArea | None = None


def _add(parent: Element, name: str, text: str) -> Element:
    element = SubElement(parent, f"{{{CAP_12}}}{name}")
    element.text = text
    return element


def _cap_word(value: str) -> str:
    return value[:1].upper() + value[1:]


def _info(parent: Element, info: OutgoingInfo, area: OutgoingArea | None) -> None:
    element = SubElement(parent, f"{{{CAP_12}}}info")
    _add(element, "language", info.language)
    _add(element, "category", "Safety")
    _add(element, "event", info.headline)
    if info.all_clear:
        _add(element, "responseType", "AllClear")
    _add(element, "urgency", _cap_word(info.urgency))
    _add(element, "severity", _cap_word(info.severity))
    _add(element, "certainty", _cap_word(info.certainty))
    _add(element, "effective", cap_time(info.effective))
    if info.onset is not None:
        _add(element, "onset", cap_time(info.onset))
    _add(element, "expires", cap_time(info.expires))
    _add(element, "senderName", info.sender_name)
    _add(element, "headline", info.headline)
    if info.description:
        _add(element, "description", info.description)
    if info.instruction:
        _add(element, "instruction", info.instruction)
    if area is not None:
        _area(element, area)


def _area(parent: Element, area: OutgoingArea) -> None:
    element = SubElement(parent, f"{{{CAP_12}}}area")
    _add(element, "areaDesc", area.description)
    for ring in area.polygons:
        _add(element, "polygon", write_polygon(tuple(ring)))
    for latitude, longitude, radius_km in area.circles:
        _add(element, "circle", f"{latitude!r},{longitude!r} {radius_km!r}")
    for name, value in area.geocodes:
        geocode = SubElement(element, f"{{{CAP_12}}}geocode")
        _add(geocode, "valueName", name)
        _add(geocode, "value", value)


def write_message(message: OutgoingMessage) -> bytes:
    """`message` as a CAP 1.2 XML document (UTF-8, with its declaration)."""
    root = Element(f"{{{CAP_12}}}alert")
    _add(root, "identifier", message.identifier)
    _add(root, "sender", message.sender)
    _add(root, "sent", cap_time(message.sent))
    _add(root, "status", _cap_word(message.status))
    _add(root, "msgType", _cap_word(message.msg_type))
    _add(root, "scope", "Public")
    if message.references:
        _add(
            root,
            "references",
            " ".join(
                f"{sender},{identifier},{cap_time(sent)}"
                for sender, identifier, sent in message.references
            ),
        )
    for info in message.infos:
        _info(root, info, message.area)
    document: bytes = tostring(
        root, encoding="utf-8", xml_declaration=True, default_namespace=CAP_12
    )
    return document
