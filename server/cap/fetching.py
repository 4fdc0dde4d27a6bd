"""Fetching a source's documents over HTTP: conditional, bounded in time and in size.

The client comes from the caller, built on an injectable httpx transport, so tests
serve feeds from `httpx.MockTransport` or a real local server alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from server.errors import OversizedDocument


class FetchFailed(Exception):
    """A source that could not be reached, or that answered with an error status."""


@dataclass(frozen=True)
class Fetched:
    """A response read whole: `body` is empty for 304 Not Modified."""

    status_code: int
    body: bytes
    etag: str | None
    last_modified: str | None


def fetch(
    client: httpx.Client,
    url: str,
    *,
    limit: int,
    what: str,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET `url`, reading at most `limit` bytes; conditional when `etag`/`last_modified` are set."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == httpx.codes.NOT_MODIFIED:
                return Fetched(304, b"", etag, last_modified)
            if response.status_code != httpx.codes.OK:
                raise FetchFailed(f"{what} answered HTTP {response.status_code}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise OversizedDocument(
                    f"{what} is larger than {limit // 1024} kB; it was not read"
                )
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit:
                    raise OversizedDocument(
                        f"{what} is larger than {limit // 1024} kB; reading stopped there"
                    )
            return Fetched(
                200,
                bytes(body),
                response.headers.get("etag"),
                response.headers.get("last-modified"),
            )
    except httpx.TimeoutException:
        raise FetchFailed(f"{what} did not answer in time") from None
    except httpx.HTTPError as exc:
        raise FetchFailed(f"{what} could not be fetched: {exc}") from None
