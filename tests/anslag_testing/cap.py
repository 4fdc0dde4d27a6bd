"""CAP documents for tests: fixtures written from the standard and the Nordic services' shapes,
and a builder for the many small messages a lifecycle test sends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

DOCUMENTS = Path(__file__).with_name("cap_documents")
CAP_12 = "urn:oasis:names:tc:emergency:cap:1.2"


def cap_document(name: str) -> bytes:
    """The bytes of the fixture `name` (in `cap_documents/`)."""
    return (DOCUMENTS / name).read_bytes()


@dataclass(frozen=True)
class CapInfo:
    headline: str
    language: str = "sv-SE"
    severity: str = "Severe"
    urgency: str = "Immediate"
    certainty: str = "Observed"
    description: str = ""
    instruction: str = ""
    response_type: str = "Shelter"
    expires: datetime | None = None
    area_xml: str = "<geocode><valueName>Kommun</valueName><value>2518</value></geocode>"

    def xml(self) -> str:
        expires = f"<expires>{self.expires.isoformat()}</expires>" if self.expires else ""
        return f"""
  <info>
    <language>{self.language}</language>
    <category>Safety</category>
    <event>{escape(self.headline)}</event>
    <responseType>{self.response_type}</responseType>
    <urgency>{self.urgency}</urgency>
    <severity>{self.severity}</severity>
    <certainty>{self.certainty}</certainty>
    {expires}
    <senderName>Länsstyrelsen i Norrbotten</senderName>
    <headline>{escape(self.headline)}</headline>
    <description>{escape(self.description)}</description>
    <instruction>{escape(self.instruction)}</instruction>
    <area><areaDesc>Övertorneå</areaDesc>{self.area_xml}</area>
  </info>"""


@dataclass(frozen=True)
class CapMessage:
    """A CAP 1.2 message to send through a feed; `references` are (sender, identifier, sent)."""

    identifier: str
    sent: datetime
    msg_type: str = "Alert"
    sender: str = "lansstyrelsen.se"
    status: str = "Actual"
    scope: str = "Public"
    references: tuple[tuple[str, str, datetime], ...] = ()
    infos: tuple[CapInfo, ...] = field(default_factory=tuple)

    def xml(self) -> bytes:
        references = " ".join(
            f"{sender},{identifier},{sent.isoformat()}"
            for sender, identifier, sent in self.references
        )
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="{CAP_12}">
  <identifier>{self.identifier}</identifier>
  <sender>{self.sender}</sender>
  <sent>{self.sent.isoformat()}</sent>
  <status>{self.status}</status>
  <msgType>{self.msg_type}</msgType>
  <scope>{self.scope}</scope>
  {f"<references>{references}</references>" if references else ""}
  {"".join(info.xml() for info in self.infos)}
</alert>
""".encode()

    def reference(self) -> tuple[str, str, datetime]:
        return (self.sender, self.identifier, self.sent)
