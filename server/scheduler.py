"""Background jobs on a schedule (APScheduler), each run once per installation.

A `Job` is a name, an interval and a function of the server's context and the
time. `JobRunner` gives every job an interval trigger on APScheduler's
background scheduler. Before a run it claims the job's row in `job_run`: the
replica whose UPDATE moves `claimed_until` into the future runs the job, every
other replica skips that turn. So several replicas on one PostgreSQL database
poll a feed once per interval between them, and a replica that dies in the
middle of a run leaves the job to the next claim after its interval.

A job's own errors end at the runner: they are logged with the job's name and
stored on its row (`last_error`), and the job runs again at its next turn.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine, insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from server.context import AppContext
from server.models import JobRun

logger = logging.getLogger(__name__)

# A claim lasts a little less than the interval, so that the same replica's next trigger,
# firing a few milliseconds early, still finds the job free.
_CLAIM_SHARE = 0.8
_ERROR_LENGTH = 500


@dataclass(frozen=True)
class Job:
    """A unit of background work: `run(context, now)` every `every`."""

    # Stable across releases: it names the job's row in `job_run`.
    name: str
    every: timedelta
    run: Callable[[AppContext, datetime], None]

    def __post_init__(self) -> None:
        if self.every <= timedelta(0):
            raise ValueError(f"job {self.name!r} needs a positive interval, got {self.every}")


def claim_run(engine: Engine, *, job: Job, now: datetime) -> bool:
    """Whether this replica may run `job` at `now`; claims the turn when it may."""
    try:
        with engine.begin() as connection:
            connection.execute(insert(JobRun).values(name=job.name))
    except IntegrityError:
        pass  # The row is there already, written by an earlier run or another replica.
    with engine.begin() as connection:
        claimed = connection.execute(
            update(JobRun)
            .where(col(JobRun.name) == job.name)
            .where(or_(col(JobRun.claimed_until).is_(None), col(JobRun.claimed_until) <= now))
            .values(claimed_until=now + job.every * _CLAIM_SHARE, last_started_at=now)
        )
    return claimed.rowcount == 1


def record_outcome(engine: Engine, *, job: Job, now: datetime, error: str | None) -> None:
    """Store how the run of `job` that ended at `now` went (`error` None when it succeeded)."""
    with engine.begin() as connection:
        connection.execute(
            update(JobRun)
            .where(col(JobRun.name) == job.name)
            .values(last_finished_at=now, last_error=error[:_ERROR_LENGTH] if error else None)
        )


class JobRunner:
    """Runs `jobs` in the background for the server holding `context`."""

    def __init__(self, jobs: Sequence[Job], *, context: AppContext) -> None:
        names = [job.name for job in jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"job names must be unique, got {names}")
        self._jobs = tuple(jobs)
        self._context = context
        self._scheduler = BackgroundScheduler(
            timezone=UTC,
            # A turn missed while the process was busy is not made up twice over.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self) -> None:
        """Schedule every job, the first run of each at once."""
        for job in self._jobs:
            self._scheduler.add_job(
                self.run_turn,
                "interval",
                args=[job],
                id=job.name,
                name=job.name,
                seconds=job.every.total_seconds(),
                next_run_time=datetime.now(UTC),
            )
        self._scheduler.start()
        logger.info("background jobs started: %s", ", ".join(j.name for j in self._jobs) or "-")

    def shutdown(self) -> None:
        """Stop scheduling and wait for the runs in progress to end."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)

    def run_turn(self, job: Job) -> bool:
        """Run `job` now if this replica wins its turn; whether it ran."""
        engine, clock = self._context.engine, self._context.clock
        try:
            if not claim_run(engine, job=job, now=clock()):
                return False
        except Exception:
            # The scheduler thread's boundary: a database that is away skips this turn only.
            logger.exception("background job %s: could not claim its turn", job.name)
            return False
        error: str | None = None
        try:
            job.run(self._context, clock())
        except Exception as exc:
            # The job's boundary: log with context, remember why, run again next turn.
            logger.exception("background job %s failed", job.name)
            error = f"{type(exc).__name__}: {exc}"
        try:
            record_outcome(engine, job=job, now=clock(), error=error)
        except Exception:
            logger.exception("background job %s: could not record its outcome", job.name)
        return True
