"""What residents read on an alert: its languages, who sent it and when, the exercise label."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from anslag_testing.manifests import alert, utc

from player.alert_views import alert_views, exercise_label, ticker_texts
from playlists.manifest import AlertText, LocationInfo, TickerLine

# 10:05 in Övertorneå.
NOW = utc("2026-03-02 09:05")
HOUR = timedelta(hours=1)
LEAK = {
    "sv": AlertText(
        headline="Vattenläcka i Svanstein",
        description="Vattnet är avstängt i hela byn.",
        instruction="Koka vattnet innan du dricker det.",
    ),
    "fi": AlertText(headline="Vesivuoto Svansteinissa", instruction="Keitä vesi ennen juomista."),
}


def place(*languages: str, mode: Literal["both", "alternate"] = "both") -> LocationInfo:
    return LocationInfo(
        id="byabutiken",
        name="Byabutiken",
        timezone="Europe/Stockholm",
        languages=languages,
        language_mode=mode,
    )


def test_an_alert_shows_both_of_the_screens_languages_on_one_page_with_all_its_words() -> None:
    leak = alert("leak", effective=NOW - HOUR, expires=NOW + HOUR, texts=LEAK)

    [page] = alert_views(leak, location=place("sv", "fi"), now=NOW)

    assert [block["lang"] for block in page["texts"]] == ["sv", "fi"]
    assert page["texts"][0] == {
        "lang": "sv",
        "headline": "Vattenläcka i Svanstein",
        "description": "Vattnet är avstängt i hela byn.",
        "instruction": "Koka vattnet innan du dricker det.",
    }
    assert (page["layout"], page["severity"], page["kind"]) == ("fullscreen", "severe", "alert")
    assert page["sender"] == "Övertorneå kommun"
    assert page["exerciseLabel"] == ""


def test_an_alternating_screen_gets_a_page_per_language_the_alert_has() -> None:
    leak = alert("leak", effective=NOW - HOUR, expires=NOW + HOUR, texts=LEAK)

    pages = alert_views(leak, location=place("sv", "fi", "se", mode="alternate"), now=NOW)

    assert [[block["lang"] for block in page["texts"]] for page in pages] == [["sv"], ["fi"]]
    assert pages[1]["sentLine"] == "Lähetetty klo\N{NO-BREAK SPACE}9.05"


def test_an_alert_in_none_of_the_screens_languages_shows_in_its_own() -> None:
    notice = alert(
        "road", effective=NOW, expires=NOW + HOUR, texts={"fi": AlertText(headline="Tie suljettu")}
    )

    [page] = alert_views(notice, location=place("sv", "se"), now=NOW)

    assert [block["headline"] for block in page["texts"]] == ["Tie suljettu"]


def test_the_sent_line_says_sent_or_updated_on_the_screens_clock_with_the_day_if_not_today() -> (
    None
):
    sent = alert("leak", effective=NOW - HOUR, expires=NOW + HOUR, sent_at=NOW - HOUR)
    updated = sent.model_copy(update={"version": 3})
    yesterday = sent.model_copy(update={"sent_at": NOW - 24 * HOUR})
    over = alert("leak", effective=NOW, expires=NOW + HOUR, kind="all_clear", version=4)
    over = over.model_copy(update={"sent_at": NOW - 5 * HOUR})
    location = place("sv")

    def line(which: object) -> str:
        [page] = alert_views(which, location=location, now=NOW)  # type: ignore[arg-type]
        return page["sentLine"].replace("\N{NO-BREAK SPACE}", " ")

    assert line(sent) == "Skickat kl. 09.05"
    assert line(updated) == "Uppdaterat kl. 09.05"
    assert line(yesterday) == "Skickat söndag 1 mars kl. 10.05"
    # The all-clear was given when its card took effect, not when the warning was last edited.
    assert line(over) == "Uppdaterat kl. 10.05"


def test_an_exercise_is_labelled_in_the_languages_shown_and_in_english() -> None:
    drill = alert("drill", effective=NOW, expires=NOW + HOUR, status="exercise", texts=LEAK)

    [page] = alert_views(drill, location=place("sv", "fi"), now=NOW)

    assert page["exerciseLabel"] == "ÖVNING / HARJOITUS / EXERCISE"
    assert exercise_label(["sv"]) == "ÖVNING / EXERCISE"
    assert exercise_label(["en"]) == "EXERCISE"


def test_the_ticker_runs_each_line_in_the_screens_languages_never_the_same_words_twice() -> None:
    lines = [
        TickerLine(id="ice", texts={"sv": "Svag is på älven", "fi": "Heikko jää joella"}),
        TickerLine(id="road", texts={"fi": "Tie suljettu"}),
        TickerLine(id="again", texts={"sv": "Svag is på älven"}),
    ]

    assert ticker_texts(lines, location=place("sv", "fi")) == [
        "Svag is på älven",
        "Heikko jää joella",
        "Tie suljettu",
    ]
