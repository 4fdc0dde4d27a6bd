"""Background jobs run on their schedule, once per installation, and survive their own errors."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

import pytest
from anslag_testing.server_app import FakeClock, app_context
from sqlalchemy import Engine
from sqlmodel import Session

from server.clock import system_clock
from server.context import AppContext
from server.models import JobRun
from server.scheduler import Job, JobRunner
from server.settings import Settings
from server.storage import LocalMediaStorage

EVERY = timedelta(minutes=5)


def _context(
    engine: Engine, settings: Settings, storage: LocalMediaStorage, clock: FakeClock
) -> AppContext:
    return app_context(settings=settings, engine=engine, clock=clock, storage=storage)


def _stored(engine: Engine, name: str) -> JobRun:
    with Session(engine) as session:
        row = session.get(JobRun, name)
        assert row is not None
        return row


def test_a_job_runs_once_per_interval_however_many_replicas_want_it(
    engine: Engine, settings: Settings, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    runs: list[datetime] = []
    job = Job(name="poll-feeds", every=EVERY, run=lambda _context, now: runs.append(now))
    context = _context(engine, settings, storage, clock)
    replicas = [JobRunner([job], context=context) for _ in range(3)]

    assert [replica.run_turn(job) for replica in replicas] == [True, False, False]
    clock.advance(EVERY / 2)
    assert not any(replica.run_turn(job) for replica in replicas)
    clock.advance(EVERY / 2)
    assert [replica.run_turn(job) for replica in reversed(replicas)] == [True, False, False]

    assert runs == [clock.now - EVERY, clock.now]
    assert _stored(engine, "poll-feeds").last_finished_at == clock.now


def test_a_failing_job_is_logged_and_remembered_and_runs_again_next_turn(
    engine: Engine,
    settings: Settings,
    storage: LocalMediaStorage,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    outcomes = iter([ConnectionError("feed host unreachable"), None])

    def flaky(_context: AppContext, _now: datetime) -> None:
        failure = next(outcomes)
        if failure is not None:
            raise failure

    job = Job(name="flaky", every=EVERY, run=flaky)
    runner = JobRunner([job], context=_context(engine, settings, storage, clock))

    with caplog.at_level(logging.ERROR, logger="server.scheduler"):
        assert runner.run_turn(job)
    assert "background job flaky failed" in caplog.text
    assert _stored(engine, "flaky").last_error == "ConnectionError: feed host unreachable"

    clock.advance(EVERY)
    assert runner.run_turn(job)
    assert _stored(engine, "flaky").last_error is None


def test_the_started_runner_runs_each_job_at_once_and_again_after_its_interval(
    engine: Engine, settings: Settings, storage: LocalMediaStorage
) -> None:
    ran_twice = threading.Event()
    runs: list[datetime] = []

    def record(_context: AppContext, now: datetime) -> None:
        runs.append(now)
        if len(runs) == 2:
            ran_twice.set()

    job = Job(name="quick", every=timedelta(milliseconds=200), run=record)
    context = app_context(settings=settings, engine=engine, clock=system_clock, storage=storage)
    runner = JobRunner([job], context=context)
    runner.start()
    try:
        assert ran_twice.wait(timeout=30)
    finally:
        runner.shutdown()
    assert not runner.running
    assert runs[1] > runs[0]


def test_jobs_need_unique_names_and_a_positive_interval(
    engine: Engine, settings: Settings, storage: LocalMediaStorage, clock: FakeClock
) -> None:
    with pytest.raises(ValueError, match="positive interval"):
        Job(name="never", every=timedelta(0), run=lambda _context, _now: None)
    job = Job(name="twice", every=EVERY, run=lambda _context, _now: None)
    with pytest.raises(ValueError, match="unique"):
        JobRunner([job, job], context=_context(engine, settings, storage, clock))
