"""What an alert shows, as plain data for QML: its words in the screen's languages, who sent it
and when, whether it is an exercise; and the ticker's texts.

Like `player.slides`, everything a resident reads is decided here, without Qt:
which of the alert's languages appear (together, or one per page where the
location alternates them), the "sent at" line on the screen's clock, and the
exercise label, in the languages shown plus English for a visitor.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal, TypedDict

from player.messages import messages
from player.slides import display_languages, time_words
from playlists.manifest import Alert, LocationInfo, Severity, TickerLine

# Everyone can read the exercise label: the screen's languages and this one.
_VISITORS_LANGUAGE = "en"


class AlertBlock(TypedDict):
    lang: str
    headline: str
    description: str
    instruction: str


class AlertView(TypedDict):
    """One page of an alert as QML reads it; every key is present for every alert."""

    alertId: str
    version: int
    layout: Literal["fullscreen", "banner"]
    kind: Literal["alert", "all_clear"]
    severity: Severity
    # "ÖVNING / EXERCISE" across an exercise, "" for a real alert.
    exerciseLabel: str
    texts: list[AlertBlock]
    sender: str
    # "Uppdaterat kl. 09.05", in the page's first language and the screen's time zone.
    sentLine: str


def alert_views(alert: Alert, *, location: LocationInfo, now: datetime) -> list[AlertView]:
    """The pages of `alert` at `now`: one per language where the location alternates them, else
    one with (at most two of) its languages together; the alert's own language where it has
    none of the screen's."""
    languages = display_languages(
        alert.texts,
        location.languages,
        limit=None if location.language_mode == "alternate" else 2,
    )
    if location.language_mode == "alternate":
        return [_view(alert, [language], location, now) for language in languages]
    return [_view(alert, languages, location, now)]


def _view(alert: Alert, languages: list[str], location: LocationInfo, now: datetime) -> AlertView:
    words = messages(languages[0])
    # An all-clear goes out when the warning ends, which is when its card takes effect.
    sent = alert.effective if alert.kind == "all_clear" else alert.sent_at
    when = time_words(sent, language=languages[0], zone=location.zone, now=now)
    sent_line = (words("Sent {time}") if alert.version == 1 else words("Updated {time}")).format(
        time=when
    )
    return {
        "alertId": alert.id,
        "version": alert.version,
        "layout": alert.layout,
        "kind": alert.kind,
        "severity": alert.severity,
        "exerciseLabel": exercise_label(languages) if alert.status == "exercise" else "",
        "texts": [
            {
                "lang": language,
                "headline": alert.texts[language].headline.strip(),
                "description": alert.texts[language].description.strip(),
                "instruction": alert.texts[language].instruction.strip(),
            }
            for language in languages
        ],
        "sender": alert.sender_name,
        "sentLine": sent_line,
    }


def exercise_label(languages: Iterable[str]) -> str:
    """ "ÖVNING / EXERCISE": the word in each language shown, then English, each once."""
    labels: list[str] = []
    for language in [*languages, _VISITORS_LANGUAGE]:
        label = messages(language)("EXERCISE")
        if label not in labels:
            labels.append(label)
    return " / ".join(labels)


def ticker_texts(lines: Iterable[TickerLine], *, location: LocationInfo) -> list[str]:
    """The ticker's texts in running order: each line in (at most two of) the screen's
    languages, the next language right after the first; the same words never twice."""
    texts: list[str] = []
    for line in lines:
        for language in display_languages(line.texts, location.languages):
            if line.texts[language] not in texts:
                texts.append(line.texts[language])
    return texts
