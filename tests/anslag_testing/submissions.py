"""Sending the public event form as a browser does: open it (its cookie and token), then post
the fields and the file input, the file last."""

from __future__ import annotations

import re

import httpx

SUBMIT = "/calendar/submit"
_TOKEN = re.compile(r'name="form_token" value="([^"]*)"')

MARKET: dict[str, str] = {
    "contact_name": "Aino Niemi",
    "contact_email": "aino@example.se",
    "association": "Svansteins byaförening",
    "title": "Vårmarknad i bygdegården",
    "body": "Hantverk, kaffe och lotterier.",
    "language": "sv",
    "starts_day": "2026-01-24",
    "starts_time": "10:00",
    "ends_time": "14:00",
    "place": "Bygdegården",
    "organiser": "Svansteins byaförening",
    "village": "svanstein",
}


def form_token_of(page: str) -> str:
    match = _TOKEN.search(page)
    assert match is not None, "the page has no form_token"
    return match.group(1)


async def send_form(
    client: httpx.AsyncClient,
    fields: dict[str, str],
    *,
    path: str = SUBMIT,
    picture: tuple[str, bytes, str] = ("", b"", "application/octet-stream"),
    token: str | None = None,
) -> httpx.Response:
    """Open the form at `path` and send it with `fields` (and `picture` in its file input)."""
    page = await client.get(path)
    sent = {"form_token": form_token_of(page.text) if token is None else token, **fields}
    return await client.post(path, data=sent, files={"file": picture})
