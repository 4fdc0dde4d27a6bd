"""Every background job the server runs, in one list: `installation_jobs(settings)`."""

from __future__ import annotations

from datetime import datetime, timedelta

from server.cap.polling import cap_polling_job
from server.context import AppContext
from server.scheduler import Job
from server.services.news_polling import poll_due_sources
from server.settings import Settings

# Each news source has its own interval; the job looks for sources that are due this often.
NEWS_POLLING_EVERY = timedelta(minutes=1)


def installation_jobs(settings: Settings) -> list[Job]:
    """The jobs of an installation configured by `settings` (each runs once across replicas).

    Feed polling (CAP alert sources, news and calendar feeds) adds its jobs here.
    """
    del settings  # Each job reads the settings it needs from its context when it runs.
    return [
        cap_polling_job(),
        Job(name="poll-news-sources", every=NEWS_POLLING_EVERY, run=poll_news_sources),
    ]


def poll_news_sources(context: AppContext, now: datetime) -> None:
    """Poll the news sources that are due; each one's outcome is recorded on it."""
    poll_due_sources(
        context.engine,
        context.storage,
        transport=context.feed_transport,
        zone=context.settings.zone,
        upload_dir=context.settings.upload_dir,
        now=now,
    )
