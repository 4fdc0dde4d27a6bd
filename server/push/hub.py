"""The open push streams of this server process: one queue each, and a buffer to replay from.

Events are numbered in order; an event's id is `<epoch>-<number>`, where the epoch
names this hub, so an id from before a restart (or from another replica) is known
for a stranger. A reconnecting screen whose id is still covered by the replay
buffer gets exactly the events it missed; any other gets told to refetch.

An event is for one location, or for every location but some (`location_id` None):
a change the dispatcher did not work out for locations nobody listened to is
recorded that way, so that their screens, reconnecting, still hear of it.

Publishing never waits for a screen: each connection has its own queue, and one
that falls `queue_limit` events behind (a dead or very slow link) is dropped —
its stream ends, and the screen reconnects and catches up from the buffer.
Everything here runs on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import defaultdict, deque
from dataclasses import dataclass

logger = logging.getLogger(__name__)

REPLAY_EVENTS = 4096
QUEUE_LIMIT = 256


@dataclass(frozen=True)
class PushEvent:
    """One event for the screens at a location (None: at every location not in `skip`)."""

    number: int
    name: str
    data: str
    location_id: int | None
    skip: frozenset[int] = frozenset()

    def concerns(self, location_id: int) -> bool:
        if self.location_id is None:
            return location_id not in self.skip
        return self.location_id == location_id


class StreamEnded(Exception):
    """The subscription is over: the screen was dropped, moved, or the server is stopping."""


class Subscription:
    """One open stream: a screen at a location and the events waiting to be written to it."""

    def __init__(self, *, screen_id: int, location_id: int) -> None:
        self.screen_id = screen_id
        self.location_id = location_id
        self._queue: asyncio.Queue[PushEvent | None] = asyncio.Queue()
        self.ended: str | None = None

    @property
    def waiting(self) -> int:
        return self._queue.qsize()

    def offer(self, event: PushEvent) -> None:
        self._queue.put_nowait(event)

    def end(self, why: str) -> None:
        if self.ended is None:
            self.ended = why
            # Wakes a stream waiting for its next event.
            self._queue.put_nowait(None)

    async def next(self, *, timeout_s: float) -> PushEvent | None:
        """The next event, or None when `timeout_s` passed without one (time for a keep-alive).

        Raises StreamEnded once the subscription has ended, even with events still queued:
        a dropped screen catches up from the replay buffer when it reconnects.
        """
        if self.ended is not None:
            raise StreamEnded(self.ended)
        try:
            event = await asyncio.wait_for(self._queue.get(), timeout_s)
        except TimeoutError:
            return None
        if event is None or self.ended is not None:
            raise StreamEnded(self.ended or "ended")
        return event


@dataclass(frozen=True)
class Joined:
    """A new subscription, what it missed, and the id it is up to date with.

    `missed` is None when the hub cannot tell what the screen missed (no id, an id
    from another epoch, or one older than the replay buffer): it must refetch.
    """

    subscription: Subscription
    missed: list[PushEvent] | None
    up_to: str


class PushHub:
    """Fans events out to the subscriptions of each location."""

    def __init__(
        self, *, replay_events: int = REPLAY_EVENTS, queue_limit: int = QUEUE_LIMIT
    ) -> None:
        self.epoch = secrets.token_hex(4)
        self._number = 0
        # The highest number that fell out of the replay buffer.
        self._forgotten = 0
        self._replay: deque[PushEvent] = deque(maxlen=replay_events)
        self._queue_limit = queue_limit
        self._by_location: defaultdict[int, set[Subscription]] = defaultdict(set)
        self._closed = False

    def event_id(self, number: int) -> str:
        return f"{self.epoch}-{number}"

    def _number_of(self, event_id: str | None) -> int | None:
        """The number within this epoch that `event_id` names; None when it is not ours."""
        if event_id is None:
            return None
        epoch, _, number = event_id.strip().partition("-")
        if epoch != self.epoch or not number.isdigit():
            return None
        return int(number)

    def subscribe(self, *, screen_id: int, location_id: int, last_event_id: str | None) -> Joined:
        """Open a subscription; raises StreamEnded when the hub has been closed."""
        if self._closed:
            raise StreamEnded("the server is stopping")
        subscription = Subscription(screen_id=screen_id, location_id=location_id)
        self._by_location[location_id].add(subscription)
        seen = self._number_of(last_event_id)
        missed = None
        if seen is not None and self._forgotten <= seen <= self._number:
            missed = [
                event
                for event in self._replay
                if event.number > seen and event.concerns(location_id)
            ]
        return Joined(subscription, missed, self.event_id(self._number))

    def unsubscribe(self, subscription: Subscription) -> None:
        subscriptions = self._by_location.get(subscription.location_id)
        if subscriptions is None:
            return
        subscriptions.discard(subscription)
        if not subscriptions:
            del self._by_location[subscription.location_id]

    def connected_locations(self) -> set[int]:
        return set(self._by_location)

    def connected_screens(self) -> set[int]:
        return {
            subscription.screen_id
            for subscriptions in self._by_location.values()
            for subscription in subscriptions
        }

    def publish(
        self, *, location_id: int | None, name: str, data: str, skip: frozenset[int] = frozenset()
    ) -> list[int]:
        """Queue an event for every stream at `location_id` (None: at every location not in
        `skip`); the screens it was handed to."""
        self._number += 1
        event = PushEvent(self._number, name, data, location_id, skip)
        if len(self._replay) == self._replay.maxlen:
            self._forgotten = self._replay[0].number
        self._replay.append(event)
        handed = []
        for subscription in self._subscriptions_for(event):
            if subscription.waiting >= self._queue_limit:
                logger.warning(
                    "dropped the push stream of screen %d: %d events behind",
                    subscription.screen_id,
                    subscription.waiting,
                )
                self._end(subscription, "too far behind")
                continue
            subscription.offer(event)
            handed.append(subscription.screen_id)
        return handed

    def _subscriptions_for(self, event: PushEvent) -> list[Subscription]:
        if event.location_id is not None:
            return list(self._by_location.get(event.location_id, ()))
        return [
            subscription
            for location_id, subscriptions in self._by_location.items()
            if location_id not in event.skip
            for subscription in subscriptions
        ]

    def disconnect(self, screen_id: int, *, why: str) -> None:
        """End the streams of `screen_id` (moved or revoked: it must connect again)."""
        for subscriptions in list(self._by_location.values()):
            for subscription in list(subscriptions):
                if subscription.screen_id == screen_id:
                    self._end(subscription, why)

    def close(self) -> None:
        """End every stream and take no new ones: the server is stopping."""
        self._closed = True
        for subscriptions in list(self._by_location.values()):
            for subscription in list(subscriptions):
                self._end(subscription, "the server is stopping")

    def _end(self, subscription: Subscription, why: str) -> None:
        subscription.end(why)
        self.unsubscribe(subscription)
