"""The push channel to the players: Server-Sent Events telling a screen to fetch now.

    GET /api/device/v1/events   (the screen's bearer token; optionally Last-Event-ID)

    retry: 3000
    : connected

    event: manifest-changed
    data: {"etag":"…"}
    id: 3f2a9c1e-41

    event: alert
    data: {"id":"alert-12","version":2}
    id: 3f2a9c1e-42

    : keep-alive

A screen connecting without an id, or with one the server cannot replay from,
first gets a `manifest-changed` with the current ETag; one reconnecting with a
recent id gets the alert events it missed and, if its manifest may have changed
meanwhile, one `manifest-changed` with the current ETag. A comment every
`push_keepalive_s` keeps proxies from cutting a quiet stream and lets the player
tell a dead one. `"etag": null` says the server did not work the ETag out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse

from server.api.deps import ContextDep, CurrentScreen
from server.push.channel import PushChannel
from server.push.dispatch import MANIFEST_CHANGED, event_data
from server.push.hub import StreamEnded

router = APIRouter(prefix="/api/device/v1", tags=["device"])

# How long a player waits before it reconnects after the stream ended.
RETRY_MS = 3000
KEEPALIVE = b": keep-alive\n\n"


def sse(name: str, data: str, event_id: str) -> bytes:
    """One event in the text/event-stream format; `data` is one line of JSON."""
    return f"event: {name}\ndata: {data}\nid: {event_id}\n\n".encode()


async def event_stream(
    push: PushChannel, *, screen_id: int, location_id: int, last_event_id: str | None
) -> AsyncIterator[bytes]:
    try:
        joined = push.hub.subscribe(
            screen_id=screen_id, location_id=location_id, last_event_id=last_event_id
        )
    except StreamEnded:
        return
    subscription = joined.subscription
    try:
        yield f"retry: {RETRY_MS}\n: connected\n\n".encode()
        missed = joined.missed or []
        for replayed in missed:
            if replayed.name != MANIFEST_CHANGED:
                yield sse(replayed.name, replayed.data, push.hub.event_id(replayed.number))
        if joined.missed is None or any(replayed.name == MANIFEST_CHANGED for replayed in missed):
            # One event with the ETag of now stands for every change missed.
            etag = await push.dispatcher.etag(location_id)
            yield sse(MANIFEST_CHANGED, event_data(etag=etag), joined.up_to)
        while True:
            try:
                event = await subscription.next(timeout_s=push.keepalive_s)
            except StreamEnded:
                return
            if event is None:
                yield KEEPALIVE
            else:
                yield sse(event.name, event.data, push.hub.event_id(event.number))
    finally:
        push.hub.unsubscribe(subscription)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "The event stream."}},
)
def get_events(
    screen: CurrentScreen,
    context: ContextDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    """Events telling the calling screen to fetch its manifest now (see the module's docs)."""
    assert screen.id is not None
    assert screen.location_id is not None
    stream = event_stream(
        context.push,
        screen_id=screen.id,
        location_id=screen.location_id,
        last_event_id=last_event_id,
    )
    # no-transform and X-Accel-Buffering: a proxy must pass each event on as it comes.
    headers = {"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream, media_type="text/event-stream", headers=headers)
