"""Several alerts take turns; a new one shows at once; a full-screen one keeps banners waiting."""

from __future__ import annotations

from datetime import timedelta

from anslag_testing.manifests import alert, location, utc

from player.alert_rotation import AlertRotation
from playlists.manifest import Alert, AlertText

NOON = utc("2026-03-02 12:00")
HOUR = timedelta(hours=1)
PAJALA = location()


def shown(rotation: AlertRotation, alerts: list[Alert], now: object = NOON) -> str | None:
    page = rotation.update(alerts, location=PAJALA, now=now)  # type: ignore[arg-type]
    return page["alertId"] if page is not None else None


def turns(rotation: AlertRotation, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        page = rotation.next_turn()
        assert page is not None
        ids.append(page["alertId"])
    return ids


def test_alerts_take_turns_gravest_first() -> None:
    storm = alert("storm", effective=NOON, expires=NOON + HOUR, severity="moderate")
    ice = alert("ice", effective=NOON, expires=NOON + HOUR, severity="minor")
    rotation = AlertRotation()

    assert shown(rotation, [ice, storm]) == "storm"
    assert turns(rotation, 3) == ["ice", "storm", "ice"]
    # A tick with the same alerts keeps the page on screen.
    assert shown(rotation, [ice, storm]) == "ice"


def test_a_full_screen_alert_wins_over_banners_which_come_back_when_it_ends() -> None:
    storm = alert("storm", effective=NOON, expires=NOON + 2 * HOUR, severity="moderate")
    fire = alert("fire", effective=NOON, expires=NOON + HOUR, severity="extreme")
    rotation = AlertRotation()

    assert shown(rotation, [storm, fire]) == "fire"
    assert turns(rotation, 2) == ["fire", "fire"]
    assert shown(rotation, [storm, fire], NOON + HOUR) == "storm"
    assert shown(rotation, [storm, fire], NOON + 2 * HOUR) is None
    assert rotation.current is None


def test_a_new_alert_or_a_new_version_takes_the_screen_at_once_then_the_turns_go_on() -> None:
    storm = alert("storm", effective=NOON, expires=NOON + HOUR, severity="moderate")
    ice = alert("ice", effective=NOON, expires=NOON + HOUR, severity="minor")
    road = alert("road", effective=NOON, expires=NOON + HOUR, severity="minor", sent_at=NOON + HOUR)
    rotation = AlertRotation()
    assert shown(rotation, [storm, ice]) == "storm"

    assert shown(rotation, [storm, ice, road]) == "road"
    assert shown(rotation, [storm, ice.model_copy(update={"version": 2}), road]) == "ice"
    assert turns(rotation, 3) == ["storm", "road", "ice"]


def test_two_new_alerts_at_once_take_their_turns_in_order() -> None:
    storm = alert("storm", effective=NOON, expires=NOON + HOUR, severity="moderate")
    ice = alert("ice", effective=NOON, expires=NOON + HOUR, severity="minor")
    rotation = AlertRotation()

    assert shown(rotation, [storm, ice]) == "storm"
    assert shown(rotation, [storm, ice], NOON + timedelta(seconds=1)) == "storm"


def test_a_removed_alert_gives_way_to_the_one_after_it() -> None:
    alerts = [
        alert(name, effective=NOON, expires=NOON + HOUR, severity="minor", sent_at=NOON - n * HOUR)
        for n, name in enumerate(["a", "b", "c"])
    ]
    rotation = AlertRotation()
    assert shown(rotation, alerts) == "a"
    assert turns(rotation, 1) == ["b"]

    assert shown(rotation, [alerts[0], alerts[2]]) == "c"
    assert shown(rotation, []) is None


def test_an_alternating_screen_turns_the_pages_of_each_alert_in_its_languages() -> None:
    texts = {"sv": AlertText(headline="Storm"), "fi": AlertText(headline="Myrsky")}
    storm = alert("storm", effective=NOON, expires=NOON + HOUR, severity="moderate", texts=texts)
    ice = alert("ice", effective=NOON, expires=NOON + HOUR, severity="minor")
    alternating = PAJALA.model_copy(
        update={"languages": ("sv", "fi"), "language_mode": "alternate"}
    )
    rotation = AlertRotation()

    first = rotation.update([storm, ice], location=alternating, now=NOON)
    pages = [first, rotation.next_turn(), rotation.next_turn(), rotation.next_turn()]

    assert [(p["alertId"], p["texts"][0]["headline"]) for p in pages if p is not None] == [
        ("storm", "Storm"),
        ("storm", "Myrsky"),
        ("ice", "Vattenläcka i Svanstein"),
        ("storm", "Storm"),
    ]
