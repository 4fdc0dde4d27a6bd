"""The hub of open push streams: who hears what, what a reconnect replays, and who is dropped."""

from __future__ import annotations

import pytest

from server.push.hub import PushHub, StreamEnded

pytestmark = pytest.mark.anyio

SHOP, HALL = 1, 2


async def test_an_event_goes_to_every_stream_at_its_location_and_nowhere_else() -> None:
    hub = PushHub()
    kassan = hub.subscribe(screen_id=10, location_id=SHOP, last_event_id=None).subscription
    dorren = hub.subscribe(screen_id=11, location_id=SHOP, last_event_id=None).subscription
    hallen = hub.subscribe(screen_id=20, location_id=HALL, last_event_id=None).subscription

    handed = hub.publish(location_id=SHOP, name="alert", data='{"id":"alert-1","version":1}')

    assert sorted(handed) == [10, 11]
    for subscription in (kassan, dorren):
        event = await subscription.next(timeout_s=1)
        assert event is not None
        assert (event.name, event.data) == ("alert", '{"id":"alert-1","version":1}')
    assert await hallen.next(timeout_s=0.01) is None


async def test_an_event_for_every_other_location_skips_the_ones_named() -> None:
    hub = PushHub()
    kassan = hub.subscribe(screen_id=10, location_id=SHOP, last_event_id=None).subscription
    hallen = hub.subscribe(screen_id=20, location_id=HALL, last_event_id=None).subscription

    handed = hub.publish(
        location_id=None, name="manifest-changed", data="{}", skip=frozenset({SHOP})
    )

    assert handed == [20]
    assert await kassan.next(timeout_s=0.01) is None
    assert await hallen.next(timeout_s=1) is not None


async def test_a_reconnect_with_a_recent_id_replays_what_the_location_missed() -> None:
    hub = PushHub()
    joined = hub.subscribe(screen_id=10, location_id=SHOP, last_event_id=None)
    hub.unsubscribe(joined.subscription)
    hub.publish(location_id=SHOP, name="alert", data="1")
    hub.publish(location_id=HALL, name="alert", data="2")
    hub.publish(location_id=None, name="manifest-changed", data="3", skip=frozenset({HALL}))

    again = hub.subscribe(screen_id=10, location_id=SHOP, last_event_id=joined.up_to)

    assert again.missed is not None
    assert [event.data for event in again.missed] == ["1", "3"]
    assert again.up_to == f"{hub.epoch}-3"


@pytest.mark.parametrize("last_event_id", ["", "elsewhere-1", "garbage", None])
async def test_an_id_of_another_epoch_or_none_cannot_be_replayed_from(
    last_event_id: str | None,
) -> None:
    hub = PushHub()
    hub.publish(location_id=SHOP, name="alert", data="1")

    joined = hub.subscribe(screen_id=10, location_id=SHOP, last_event_id=last_event_id)

    assert joined.missed is None


async def test_an_id_older_than_the_replay_buffer_cannot_be_replayed_from() -> None:
    hub = PushHub(replay_events=3)
    old = hub.subscribe(screen_id=10, location_id=SHOP, last_event_id=None)
    hub.unsubscribe(old.subscription)
    for number in range(5):
        hub.publish(location_id=SHOP, name="alert", data=str(number))
    recent = f"{hub.epoch}-2"

    assert hub.subscribe(screen_id=10, location_id=SHOP, last_event_id=old.up_to).missed is None
    replayed = hub.subscribe(screen_id=10, location_id=SHOP, last_event_id=recent).missed
    assert replayed is not None
    assert [event.data for event in replayed] == ["2", "3", "4"]


async def test_a_stream_that_falls_behind_is_dropped_and_the_others_keep_getting_events() -> None:
    hub = PushHub(queue_limit=3)
    stuck = hub.subscribe(screen_id=10, location_id=SHOP, last_event_id=None).subscription
    reading = hub.subscribe(screen_id=11, location_id=SHOP, last_event_id=None).subscription
    received = []

    for number in range(5):
        handed = hub.publish(location_id=SHOP, name="alert", data=str(number))
        event = await reading.next(timeout_s=1)
        assert event is not None
        received.append(event.data)

    assert handed == [11]
    assert received == ["0", "1", "2", "3", "4"]
    assert stuck.ended == "too far behind"
    with pytest.raises(StreamEnded):
        await stuck.next(timeout_s=1)
    assert hub.connected_screens() == {11}


async def test_closing_the_hub_ends_every_stream_and_takes_no_new_one() -> None:
    hub = PushHub()
    waiting = hub.subscribe(screen_id=10, location_id=SHOP, last_event_id=None).subscription

    hub.close()

    with pytest.raises(StreamEnded):
        await waiting.next(timeout_s=5)
    with pytest.raises(StreamEnded):
        hub.subscribe(screen_id=11, location_id=HALL, last_event_id=None)
    assert hub.connected_locations() == set()


async def test_a_moved_screen_is_disconnected_and_its_neighbours_are_not() -> None:
    hub = PushHub()
    moved = hub.subscribe(screen_id=10, location_id=SHOP, last_event_id=None).subscription
    staying = hub.subscribe(screen_id=11, location_id=SHOP, last_event_id=None).subscription

    hub.disconnect(10, why="moved or revoked")

    assert moved.ended == "moved or revoked"
    assert staying.ended is None
    assert hub.connected_screens() == {11}
