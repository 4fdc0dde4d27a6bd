"""Every background job the server runs, in one list: `installation_jobs(settings)`."""

from __future__ import annotations

from datetime import timedelta

from server.cap.polling import cap_polling_job
from server.scheduler import Job
from server.services.calendar_fetch import refresh_calendar_sources
from server.settings import Settings

# A calendar feed changes a few times a day; a conditional GET costs a few hundred bytes.
CALENDAR_EVERY = timedelta(minutes=15)


def installation_jobs(settings: Settings) -> list[Job]:
    """The jobs of an installation configured by `settings` (each runs once across replicas).

    Feed polling (CAP alert sources, news and calendar feeds) adds its jobs here.
    """
    del settings  # Each job reads the settings it needs from its context when it runs.
    return [
        cap_polling_job(),
        Job("calendar-sources", CALENDAR_EVERY, refresh_calendar_sources),
    ]
