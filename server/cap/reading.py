"""CAP 1.2 and 1.1 `<alert>` documents read into `server.cap.model.Message`.

Strict where a wrong guess would put a warning on the wrong screens or keep an
ended one up (identity, times, status, message type, scope, references),
forgiving elsewhere: a degenerate polygon or an unknown severity is noted in
`Message.problems` and read past, so one bad shape never loses a warning.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from server.cap.documents import local_name, namespace, parse_xml
from server.cap.geometry import BadArea, read_circle, read_polygon
from server.cap.model import (
    CERTAINTIES,
    MESSAGE_TYPES,
    SCOPES,
    SEVERITIES,
    STATUSES,
    URGENCIES,
    Area,
    Circle,
    Info,
    Message,
    Point,
    Reference,
)
from server.errors import InvalidCap, WrongDocument

CAP_NAMESPACES = {
    "urn:oasis:names:tc:emergency:cap:1.2": "1.2",
    "urn:oasis:names:tc:emergency:cap:1.1": "1.1",
}
# The largest single message read; real ones reach a few hundred kB with detailed polygons.
DEFAULT_MESSAGE_LIMIT = 1024 * 1024
# CAP's own default when an info block names no language.
DEFAULT_LANGUAGE = "en-US"
NAME_MAX_LENGTH = 255
# CAP 1.0's spelling, still met in 1.1 feeds.
_CERTAINTY_ALIASES = {"very likely": "likely"}
_RESTRICTED = re.compile(r"[\s,<&]")


def is_cap(element: Element) -> bool:
    return local_name(element) == "alert" and namespace(element) in CAP_NAMESPACES


def read_message(data: bytes, *, limit: int = DEFAULT_MESSAGE_LIMIT) -> Message:
    """The CAP message in `data`; UnreadableDocument (a subclass) says what is wrong."""
    return message_from(parse_xml(data, limit=limit, what="the CAP message"))


def message_from(root: Element) -> Message:
    """The CAP message `root` (an already safely parsed `<alert>`) holds."""
    if not is_cap(root):
        where = namespace(root) or "no namespace"
        raise WrongDocument(
            f"the document is <{local_name(root)}> in {where}, not a CAP 1.2 or 1.1 <alert>"
        )
    return _Reader(namespace(root)).message(root)


def parse_instant(text: str) -> datetime:
    """A CAP dateTime as an aware UTC datetime; ValueError when it is not one or lacks a zone."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{text.strip()!r} has no time zone")
    return moment.astimezone(UTC)


class _Reader:
    """Reads one message, collecting what it had to read past."""

    def __init__(self, cap_namespace: str) -> None:
        self._ns = cap_namespace
        self.problems: list[str] = []

    def _children(self, parent: Element, name: str) -> list[Element]:
        return parent.findall(f"{{{self._ns}}}{name}")

    def _text(self, parent: Element, name: str) -> str:
        child = parent.find(f"{{{self._ns}}}{name}")
        return (child.text or "").strip() if child is not None else ""

    def _required(self, parent: Element, name: str) -> str:
        value = self._text(parent, name)
        if not value:
            raise InvalidCap(f"the CAP message has no <{name}>")
        return value

    def _choice(self, value: str, allowed: tuple[str, ...], name: str) -> str:
        word = value.lower()
        if word not in allowed:
            raise InvalidCap(f"<{name}> {value!r} is not one of CAP's values")
        return word

    def _name(self, root: Element, name: str) -> str:
        value = self._required(root, name)
        if len(value) > NAME_MAX_LENGTH or _RESTRICTED.search(value):
            raise InvalidCap(
                f"<{name}> {value[:80]!r} has spaces, commas or '<&', or is over "
                f"{NAME_MAX_LENGTH} characters"
            )
        return value

    def message(self, root: Element) -> Message:
        identifier = self._name(root, "identifier")
        sender = self._name(root, "sender")
        sent_text = self._required(root, "sent")
        try:
            sent = parse_instant(sent_text)
        except ValueError:
            raise InvalidCap(f"<sent> {sent_text!r} is not a time with a time zone") from None
        return Message(
            cap_version=CAP_NAMESPACES[self._ns],
            identifier=identifier,
            sender=sender,
            sent=sent,
            status=self._choice(self._required(root, "status"), STATUSES, "status"),
            msg_type=self._choice(self._required(root, "msgType"), MESSAGE_TYPES, "msgType"),
            scope=self._choice(self._required(root, "scope"), SCOPES, "scope"),
            references=self._references(self._text(root, "references")),
            infos=tuple(
                info
                for element in self._children(root, "info")
                if (info := self._info(element)) is not None
            ),
            problems=tuple(self.problems),
        )

    def _references(self, text: str) -> tuple[Reference, ...]:
        references = []
        for token in text.split():
            parts = token.split(",")
            if len(parts) not in (2, 3) or not all(parts[:2]):
                self.problems.append(f"reference {token[:100]!r} is not sender,identifier,sent")
                continue
            sent = None
            if len(parts) == 3:
                try:
                    sent = parse_instant(parts[2])
                except ValueError:
                    self.problems.append(f"reference {token[:100]!r} has an unreadable time")
            references.append(Reference(parts[0], parts[1], sent))
        return tuple(references)

    def _level(self, value: str, allowed: tuple[str, ...], name: str) -> str:
        word = _CERTAINTY_ALIASES.get(value.lower(), value.lower())
        if word in allowed:
            return word
        if value:
            self.problems.append(f"<{name}> {value!r} is not one of CAP's values; read as unknown")
        return "unknown"

    def _instant(self, parent: Element, name: str) -> datetime | None:
        text = self._text(parent, name)
        if not text:
            return None
        try:
            return parse_instant(text)
        except ValueError:
            self.problems.append(f"<{name}> {text!r} is not a time with a time zone; left out")
            return None

    def _info(self, element: Element) -> Info | None:
        language = self._text(element, "language") or DEFAULT_LANGUAGE
        event = " ".join(self._text(element, "event").split())
        headline = " ".join(self._text(element, "headline").split()) or event
        if not headline:
            self.problems.append(f"an info block in {language} has no headline nor event; left out")
            return None
        return Info(
            language=language,
            event=event,
            headline=headline,
            description=_paragraphs(self._text(element, "description")),
            instruction=_paragraphs(self._text(element, "instruction")),
            severity=self._level(self._text(element, "severity"), SEVERITIES, "severity"),
            urgency=self._level(self._text(element, "urgency"), URGENCIES, "urgency"),
            certainty=self._level(self._text(element, "certainty"), CERTAINTIES, "certainty"),
            response_types=tuple(
                (child.text or "").strip().lower()
                for child in self._children(element, "responseType")
            ),
            effective=self._instant(element, "effective"),
            onset=self._instant(element, "onset"),
            expires=self._instant(element, "expires"),
            sender_name=" ".join(self._text(element, "senderName").split()),
            parameters=self._pairs(element, "parameter"),
            areas=tuple(self._area(area) for area in self._children(element, "area")),
        )

    def _pairs(self, parent: Element, name: str) -> tuple[tuple[str, str], ...]:
        return tuple(
            (self._text(pair, "valueName"), self._text(pair, "value"))
            for pair in self._children(parent, name)
        )

    def _area(self, element: Element) -> Area:
        description = " ".join(self._text(element, "areaDesc").split())
        polygons: list[tuple[Point, ...]] = []
        for polygon in self._children(element, "polygon"):
            try:
                ring, swapped = read_polygon(polygon.text or "", fix_swapped=True)
            except BadArea as exc:
                self.problems.append(f"a polygon of {description!r} was left out: {exc}")
                continue
            if swapped:
                self.problems.append(f"a polygon of {description!r} had its pairs swapped")
            polygons.append(ring)
        circles: list[Circle] = []
        for circle in self._children(element, "circle"):
            try:
                shape, swapped = read_circle(circle.text or "", fix_swapped=True)
            except BadArea as exc:
                self.problems.append(f"a circle of {description!r} was left out: {exc}")
                continue
            if swapped:
                self.problems.append(f"a circle of {description!r} had its centre swapped")
            circles.append(shape)
        return Area(
            description=description,
            polygons=tuple(polygons),
            circles=tuple(circles),
            geocodes=self._pairs(element, "geocode"),
        )


def _paragraphs(text: str) -> str:
    """`text` with its lines' indentation and Windows line ends gone, paragraphs kept."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
