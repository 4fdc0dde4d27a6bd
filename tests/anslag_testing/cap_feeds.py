"""Fake CAP feed hosts for polling tests: documents by URL, ETags honoured, every request logged."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import httpx

ATOM_TYPE = "application/atom+xml"
CAP_TYPE = "application/cap+xml"


@dataclass
class Served:
    body: bytes
    content_type: str = CAP_TYPE
    status_code: int = 200
    # Timed out instead of answering.
    hangs: bool = False


@dataclass
class FakeFeeds:
    """Serves `documents` by URL through `httpx.MockTransport`; unknown URLs get 404."""

    documents: dict[str, Served] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def serve(self, url: str, body: bytes, content_type: str = CAP_TYPE, **options: object) -> None:
        self.documents[url] = Served(body, content_type, **options)  # type: ignore[arg-type]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._answer)

    def fetched(self) -> list[str]:
        """The URLs asked for, in order, with the answer's conditional headers elided."""
        return [str(request.url) for request in self.requests]

    def clear(self) -> None:
        self.requests.clear()

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        served = self.documents.get(str(request.url))
        if served is None:
            return httpx.Response(404, text="not found")
        if served.hangs:
            raise httpx.ReadTimeout("the host did not answer", request=request)
        etag = f'"{hashlib.sha256(served.body).hexdigest()[:16]}"'
        if request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        return httpx.Response(
            served.status_code,
            content=served.body,
            headers={"Content-Type": served.content_type, "ETag": etag},
        )


def atom_index(entries: Iterable[tuple[str, datetime]], *, title: str = "Varningar") -> bytes:
    """An Atom feed whose entries link to CAP messages at (url, updated)."""
    items = "".join(
        f"""
  <entry>
    <id>{url}</id>
    <title>{title}</title>
    <updated>{updated.isoformat()}</updated>
    <link rel="alternate" type="application/cap+xml" href="{url}"/>
  </entry>"""
        for url, updated in entries
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <title>{title}</title>
  <updated>2026-01-12T08:00:00+00:00</updated>{items}
</feed>
""".encode()


def rss_index(links: Iterable[str]) -> bytes:
    """An RSS 2.0 feed as MET Norway publishes: items whose links are the CAP messages."""
    items = "".join(
        f"""
    <item>
      <title>Farevarsel</title>
      <link>{link.replace("&", "&amp;")}</link>
      <guid isPermaLink="false">{link.replace("&", "&amp;")}</guid>
      <pubDate>Mon, 12 Jan 2026 06:15:00 +0000</pubDate>
    </item>"""
        for link in links
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>MET farevarsler</title>
    <link>https://api.met.no/weatherapi/metalerts/2.0/</link>
    <description>Farevarsler</description>{items}
  </channel>
</rss>
""".encode()
