"""Snakemake's scheduler timers, tamed from the Snakefile's ``onstart``, ``onsuccess`` and
``onerror`` (the main Snakemake process only).

Snakemake 9's scheduler ends every round by starting a timer that wakes it for another round
once the profile's max-jobs-per-timespan (3 s) has passed, so that jobs the rate limit held back
get their turn. A round a timer woke starts a timer too, so every finished job adds a chain of
rounds that runs to the end of the run, each round reading 50 ready jobs' params and resources:
the largest part of Snakemake's own CPU time in the digits study (docs/performance.md).
"""
import threading

from snakemake.scheduling.job_scheduler import JobScheduler

#: The scheduler method that starts a timer (its spelling, Snakemake 9).
METHOD = "_schedule_reevalutation"


def one_scheduler_timer():
    """Keep one scheduler timer pending, not one per finished job: a round starts a timer only
    when none is pending, which still wakes the scheduler as the rate limit needs. Where the
    scheduler has no such method (another Snakemake), it is left as it is."""
    if not hasattr(JobScheduler, METHOD):
        return

    def schedule_once(scheduler, delay):
        if getattr(scheduler, "_timer_pending", False):
            return
        scheduler._timer_pending = True

        def wake():
            scheduler._timer_pending = False
            scheduler._open_jobs.release()

        threading.Timer(delay, wake).start()

    setattr(JobScheduler, METHOD, schedule_once)


def cancel_scheduler_timers():
    """Once the run is over: the pending timer is not a daemon thread, so a finished run would
    wait up to 3 s for it before it exits."""
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()
