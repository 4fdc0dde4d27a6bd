"""Reading calendar feeds as real programs write them: zones, recurrences and their exceptions,
all-day days, floating times, HTML, odd line ends, and downloads that were cut short."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from anslag_testing.manifests import wall

from server.services.ical_import import CalendarUnreadable, Occurrence, read_calendar

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ical"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MARCH = datetime(2026, 3, 1, tzinfo=UTC)
MAY = datetime(2026, 5, 1, tzinfo=UTC)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read(data: bytes, *, zone: ZoneInfo = STOCKHOLM) -> list[Occurrence]:
    return read_calendar(data, zone=zone, start=MARCH, end=MAY)


def test_a_weekly_rehearsal_in_a_windows_zone_keeps_its_hour_across_the_clock_change() -> None:
    occurrences = read(fixture("choir-windows-zone.ics"))

    assert [(o.title, o.starts_at) for o in occurrences] == [
        ("Körövning", wall("Europe/Stockholm", "2026-03-17 19:00")),
        # 24 March is taken out by an EXDATE written in UTC (18:00Z is 19:00 in winter).
        ("Körövning (flyttad till onsdag)", wall("Europe/Stockholm", "2026-04-01 18:00")),
        ("Körövning", wall("Europe/Stockholm", "2026-04-07 19:00")),
        ("Körövning", wall("Europe/Stockholm", "2026-04-14 19:00")),
    ]
    # Summer time from 29 March: the same 19:00 is an hour earlier in UTC.
    assert occurrences[0].starts_at == datetime(2026, 3, 17, 18, 0, tzinfo=UTC)
    assert occurrences[2].starts_at == datetime(2026, 4, 7, 17, 0, tzinfo=UTC)


def test_the_moved_occurrence_keeps_the_key_of_the_one_it_replaces() -> None:
    keys = [o.key for o in read(fixture("choir-windows-zone.ics"))]

    assert keys[1] == "korovning-2026@kyrkokoren.example/20260331T170000Z"
    assert len(set(keys)) == len(keys)


def test_html_in_a_description_becomes_plain_text_and_the_organiser_their_name() -> None:
    first = read(fixture("choir-windows-zone.ics"))[0]

    assert first.body == "Vi övar inför vårkonserten.\nTa med noter och fika!"
    assert first.place == "Församlingshemmet, Övertorneå"
    assert first.organiser == "Kyrkokören"


def test_floating_times_are_read_in_the_calendars_x_wr_timezone() -> None:
    # A zone far from the municipality's, to tell whose clock was used.
    occurrences = read(fixture("x-wr-timezone.ics"), zone=ZoneInfo("America/New_York"))

    pimpling = next(o for o in occurrences if o.title == "Pimpeltävling")
    assert (pimpling.starts_at, pimpling.ends_at) == (
        wall("Europe/Stockholm", "2026-03-28 10:00"),
        wall("Europe/Stockholm", "2026-03-28 14:00"),
    )


def test_an_all_day_event_keeps_its_days_and_its_exclusive_end() -> None:
    occurrences = read(fixture("x-wr-timezone.ics"))

    market = next(o for o in occurrences if o.title == "Påskmarknad")
    assert (market.all_day, market.first_day, market.end_day) == (
        True,
        date(2026, 4, 4),
        date(2026, 4, 6),
    )
    assert market.starts_at is None


def test_an_event_without_an_end_has_none_and_a_cancelled_one_is_left_out() -> None:
    occurrences = read(fixture("x-wr-timezone.ics"))

    gathering = next(o for o in occurrences if o.title == "Samling vid skoterleden")
    assert (gathering.starts_at, gathering.ends_at) == (
        datetime(2026, 3, 29, 12, 0, tzinfo=UTC),
        None,
    )
    assert not any("Inställt" in o.title for o in occurrences)


def test_extra_dates_of_an_rdate_are_occurrences_of_their_own() -> None:
    soups = [o for o in read(fixture("x-wr-timezone.ics")) if o.title == "Soppluncher"]

    assert [o.starts_at for o in soups] == [
        wall("Europe/Stockholm", f"2026-03-{day} 12:00") for day in ("10", "12", "15")
    ]
    assert len({o.key for o in soups}) == 3


def test_floating_times_without_a_calendar_zone_are_the_municipalitys() -> None:
    (story,) = read(fixture("library-floating.ics"))

    assert story.starts_at == wall("Europe/Stockholm", "2026-03-18 10:00")
    assert story.title == (
        "Sagostund för de minsta på biblioteket i Övertorneå med högläsning på svenska och "
        "meänkieli"
    )
    assert story.body == "Vi läser böcker på svenska och meänkieli.\nFri entré, ingen anmälan."


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda data: b"\xef\xbb\xbf" + data, id="byte-order mark"),
        pytest.param(lambda data: data.replace(b"\r\n", b"\n"), id="LF only"),
        pytest.param(lambda data: data.replace(b"\r\n", b"\r"), id="lone CR"),
        pytest.param(
            lambda data: data.decode("utf-8").encode("latin-1"), id="Latin-1 without a word"
        ),
    ],
)
def test_the_same_calendar_reads_the_same_whatever_its_bytes(
    transform: Callable[[bytes], bytes],
) -> None:
    original = fixture("library-floating.ics")

    assert read(transform(original)) == read(original)


def test_a_download_cut_short_is_refused_saying_so() -> None:
    data = fixture("choir-windows-zone.ics")

    with pytest.raises(CalendarUnreadable, match="ends before END:VCALENDAR: the download was cut"):
        read(data[: len(data) // 2])


def test_an_html_page_where_the_calendar_should_be_is_refused_saying_what_came() -> None:
    page = b"<!DOCTYPE html><html><body><h1>404 Sidan finns inte</h1></body></html>"

    with pytest.raises(
        CalendarUnreadable, match="gave no calendar: what came starts with '<!DOCTYPE html>"
    ):
        read(page)


def test_a_calendar_that_breaks_its_own_rules_is_refused_saying_why() -> None:
    broken = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:not-a-date\r\n"
        b"SUMMARY:Trasig\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    with pytest.raises(CalendarUnreadable, match="cannot be read"):
        read(broken)
