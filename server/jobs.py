"""Every background job the server runs, in one list: `installation_jobs()`."""

from __future__ import annotations

from datetime import timedelta

from server.cap.polling import poll_due_sources as poll_cap_sources
from server.scheduler import Job
from server.services.calendar_fetch import refresh_calendar_sources
from server.services.news_polling import poll_news_sources

# CAP and news sources set their own intervals; the jobs look for due ones this often.
SOURCES_EVERY = timedelta(minutes=1)
# A calendar feed changes a few times a day; a conditional GET costs a few hundred bytes.
CALENDAR_EVERY = timedelta(minutes=15)


def installation_jobs() -> list[Job]:
    """The server's jobs, each run once across replicas; each reads its settings, database
    and feed transport from the context it is given when it runs."""
    return [
        Job("cap-sources", SOURCES_EVERY, poll_cap_sources),
        Job("calendar-sources", CALENDAR_EVERY, refresh_calendar_sources),
        Job("news-sources", SOURCES_EVERY, poll_news_sources),
    ]
