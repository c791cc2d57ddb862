"""Snakemake's scheduler keeps one timer pending under study.scheduler_timers, one chain per
finished job without it."""
import threading
import time

import pytest
from snakemake.scheduling.job_scheduler import JobScheduler

from study import scheduler_timers


class Scheduler:
    """What the timer touches of a JobScheduler: the semaphore that starts a round."""

    def __init__(self):
        self._open_jobs = threading.Semaphore(0)


def timers():
    return [thread for thread in threading.enumerate() if isinstance(thread, threading.Timer)]


@pytest.fixture
def restored(monkeypatch):
    """Snakemake's own method, put back after the test."""
    monkeypatch.setattr(JobScheduler, scheduler_timers.METHOD, getattr(JobScheduler, scheduler_timers.METHOD))


def test_snakemake_starts_a_timer_per_round(restored):
    scheduler, before = Scheduler(), len(timers())
    for _ in range(3):
        getattr(JobScheduler, scheduler_timers.METHOD)(scheduler, 60)
    assert len(timers()) == before + 3  # what the module exists for: if this fails, Snakemake changed
    scheduler_timers.cancel_scheduler_timers()
    time.sleep(0.05)
    assert timers() == []


def test_one_timer_stays_pending_and_wakes_the_scheduler(restored):
    scheduler_timers.one_scheduler_timer()
    scheduler, before = Scheduler(), len(timers())
    for _ in range(3):
        getattr(JobScheduler, scheduler_timers.METHOD)(scheduler, 0.05)
    assert len(timers()) == before + 1
    assert scheduler._open_jobs.acquire(timeout=2)  # it woke the scheduler once...
    assert not scheduler._open_jobs.acquire(timeout=0.2)  # ...and only once
    # Fired, it no longer counts as pending: the next round starts a timer again.
    getattr(JobScheduler, scheduler_timers.METHOD)(scheduler, 0.05)
    assert scheduler._open_jobs.acquire(timeout=2)
