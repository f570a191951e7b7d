"""`leadcell worker`: one APScheduler per process, its schedule rebuilt from the database.

Job stores are in memory and never shared between processes; exactly-once
delivery of scheduled posts is the ledger's job, not the scheduler's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import Engine

from bot.settings import Settings
from models.db import make_engine

log = logging.getLogger(__name__)

#: Builders that add the jobs of one kind to a scheduler; empty until reports exist.
JOB_BUILDERS: list[Callable[[BlockingScheduler, Engine, Settings], None]] = []


def build_scheduler(settings: Settings, engine: Engine) -> BlockingScheduler:
    """A scheduler in UTC holding every job the builders define."""
    scheduler = BlockingScheduler(timezone="UTC")
    for add_jobs in JOB_BUILDERS:
        add_jobs(scheduler, engine, settings)
    return scheduler


def run_worker(settings: Settings) -> None:
    """Run the scheduler until stopped."""
    engine = make_engine(settings.database_url)
    scheduler = build_scheduler(settings, engine)
    jobs = scheduler.get_jobs()
    log.info("worker starting with %d scheduled job(s)", len(jobs))
    if not jobs:
        log.info("no scheduled jobs are defined yet; the worker idles until stopped")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("worker stopped")
