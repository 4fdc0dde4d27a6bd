"""Fetching other systems' feeds and their pictures over HTTP: politely, briefly, and no more
than a limit.

One `httpx.Client` per run (`feed_client`), with timeouts, a bounded number of
redirects and a User-Agent that says who asks; its transport is a parameter, so
a test serves feeds from a `httpx.MockTransport`. A feed is fetched
conditionally (ETag, Last-Modified): a 304 costs nothing. Bodies are read in
chunks and reading stops at the limit, so a huge or endless answer costs at
most that much. Every failure is a FeedProblem saying what went wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from server.errors import FeedProblem
from server.i18n import marked as _

USER_AGENT = "Anslag/1.0 (digital signage; feed reader)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
PICTURE_ACCEPT = "image/jpeg, image/png, image/webp;q=0.9, image/*;q=0.5"
# A news feed is tens of kilobytes; a few megabytes is a feed of its whole archive.
MAX_FEED_BYTES = 5 * 1024 * 1024
MAX_PICTURE_BYTES = 10 * 1024 * 1024
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 20.0
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Fetched:
    """A feed's answer: its body, or None when it is unchanged since the validators were given.

    `url` is where the body came from after redirects (the base of its relative links).
    """

    url: str
    body: bytes | None
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None


def feed_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """A client for feeds and their pictures; `transport` None means the network."""
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT},
    )


def fetch_feed(
    client: httpx.Client,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limit: int = MAX_FEED_BYTES,
) -> Fetched:
    """The feed at `url`, or `body` None when the server says it has not changed."""
    headers = {"Accept": FEED_ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with _answer(client, url, headers) as response:
        if response.status_code == httpx.codes.NOT_MODIFIED:
            return Fetched(url=str(response.url), body=None, etag=etag, last_modified=last_modified)
        _check_status(response)
        body = _body(response, limit)
        return Fetched(
            url=str(response.url),
            body=body,
            content_type=response.headers.get("content-type", ""),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )


def fetch_picture(client: httpx.Client, url: str, *, limit: int = MAX_PICTURE_BYTES) -> bytes:
    """The bytes at `url`, at most `limit` of them."""
    with _answer(client, url, {"Accept": PICTURE_ACCEPT}) as response:
        _check_status(response)
        return _body(response, limit)


@contextmanager
def _answer(client: httpx.Client, url: str, headers: dict[str, str]) -> Iterator[httpx.Response]:
    try:
        with client.stream("GET", url, headers=headers) as response:
            yield response
    except httpx.TimeoutException as exc:
        raise FeedProblem(
            _("%(url)s did not answer within %(seconds)d seconds"),
            url=url,
            seconds=int(READ_TIMEOUT_S),
        ) from exc
    except httpx.TooManyRedirects as exc:
        raise FeedProblem(
            _("%(url)s redirects more than %(count)d times"),
            url=url,
            count=MAX_REDIRECTS,
        ) from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FeedProblem(
            _("'%(url)s' is not a web address (it should start with https://)"), url=url
        ) from exc
    except httpx.HTTPError as exc:
        raise FeedProblem(
            _("%(url)s could not be reached: %(reason)s"),
            url=url,
            reason=str(exc) or type(exc).__name__,
        ) from exc


def _check_status(response: httpx.Response) -> None:
    if response.status_code >= 400 or response.status_code < 200:
        raise FeedProblem(
            _("%(url)s answered HTTP %(status)d %(reason)s"),
            url=str(response.url),
            status=response.status_code,
            reason=response.reason_phrase,
        )


def _body(response: httpx.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    # Decoded bytes: a small gzip that unpacks to gigabytes stops at the limit too.
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FeedProblem(
                _("%(url)s answers with more than %(size)d MB; reading stopped there"),
                url=str(response.url),
                size=limit // (1024 * 1024),
            )
        chunks.append(chunk)
    return b"".join(chunks)
