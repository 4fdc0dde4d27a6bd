"""Conditional requests: whether an If-None-Match header names the current ETag."""

from __future__ import annotations


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether `if_none_match` names `etag` (a list, `*`, or the weak form `W/"…"`).

    RFC 9110 asks for the weak comparison here: `W/"x"` and `"x"` are the same version.
    """
    if if_none_match is None:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = _opaque(etag)
    return any(_opaque(candidate) == wanted for candidate in if_none_match.split(","))


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag.removeprefix("W/")
