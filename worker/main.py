"""`leadcell worker`: one APScheduler per process, its schedule rebuilt from the database.

Each team gets a cron job per kind of post, in the team's time zone, that runs
a sweep at the due minute; a sweep also runs every minute, and once more when
the earliest pending post can next be taken (a retry's time, or the end of a
dead worker's lease). A sweep records every post due since the last one the
schedule recorded for the team (so posts due while no worker ran are sent late,
once, or recorded as missed), marks the ones past their grace window as missed,
and delivers what is due. It then catches up the outbox (bot.publisher): lead
cards, thread replies and direct messages a request could not deliver itself.
Job stores are in memory and never shared: exactly-once is the ledger's and the
outbox's job, so any number of workers may run at once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.publisher import deliver_pending
from bot.runtime.settings import Settings
from bot.runtime.slack_client import make_web_client
from models import ledger
from models.db import make_engine, session_scope, utcnow
from models.roster import list_teams
from models.tables import Team
from worker.compose import compose
from worker.posting import Composer, deliver
from worker.retention import apply_retention
from worker.schedule import MONTHLY_GRACE, occurrences
from worker.statements import statement_days

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(seconds=60)
RELOAD_EVERY = timedelta(minutes=5)
#: How far back the first sweep of a team looks, when the ledger has nothing of it yet.
LOOKBACK = MONTHLY_GRACE + timedelta(days=1)


class Worker:
    """Sweeps the ledger (records due posts, marks missed ones, delivers the rest), then the
    outbox of lead cards, thread replies and direct messages."""

    def __init__(
        self,
        engine: Engine,
        client: WebClient,
        *,
        name: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        composer: Composer = compose,
        lease: timedelta = ledger.LEASE,
        scheduler: BaseScheduler | None = None,
    ) -> None:
        self.engine, self.client, self.clock, self.compose = engine, client, clock, composer
        self.lease = lease
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.scheduler = scheduler
        self._sweeping = threading.Lock()
        self._unscheduled: set[str] = set()

    def record_due(self, now: datetime) -> None:
        """Put every post due since the schedule's last recorded one in the ledger (once).

        A team's first sweep looks back LOOKBACK at most (never before the team
        existed). Teams without a digest channel have nothing scheduled. An outsourced
        team's statement is due on its contract's statement day (worker.statements).
        """
        with session_scope(self.engine) as session:
            teams = [team for team in list_teams(session) if team.digest_channel]
            for team in teams:
                statements = statement_days(session, team)
                for kind in ledger.PostKind:
                    last = ledger.last_scheduled_due(session, kind=kind.value, team_id=team.id or 0)
                    start = last if last is not None else max(now - LOOKBACK, team.created_at)
                    end = now + timedelta(seconds=1)
                    for due in occurrences(team, start, end, statements=statements):
                        if due.kind != kind:
                            continue
                        ledger.ensure_entry(
                            session,
                            kind=due.kind.value,
                            team_id=due.team_id,
                            period=due.period,
                            due_at=due.due_at,
                            grace_until=due.grace_until,
                            now=now,
                        )

    def sweep(self) -> dict[str, int]:
        """One pass (one at a time per process). Returns how many entries ended in each status."""
        with self._sweeping:
            outcome = self._sweep()
            self._schedule_wake()
        return outcome

    def _sweep(self) -> dict[str, int]:
        now = self.clock()
        self.record_due(now)
        outcome: dict[str, int] = {}
        with session_scope(self.engine) as session:
            missed = ledger.mark_missed(session, now=now)
            due = [entry.id or 0 for entry in ledger.due_entries(session, now=now)]
        if missed:
            outcome["missed"] = missed
            log.warning("%d scheduled post(s) missed their grace window", missed)
        for entry_id in due:
            status = deliver(
                self.engine,
                self.client,
                entry_id=entry_id,
                worker=self.name,
                compose=self.compose,
                now=self.clock(),
                lease=self.lease,
            )
            outcome[status] = outcome.get(status, 0) + 1
        self._catch_up_outbox()
        return outcome

    def _catch_up_outbox(self) -> None:
        """Deliver the outbox rows that are due; a failing pass is logged, the next one retries."""
        try:
            delivered = deliver_pending(
                self.engine, self.client, worker=self.name, now=self.clock(), lease=self.lease
            )
        except Exception:
            log.exception("the outbox pass failed; the next sweep tries again")
            return
        moved = {outcome: n for outcome, n in delivered.counts.items() if outcome != "skipped"}
        if moved:
            log.info(
                "outbox: %s", ", ".join(f"{n} {outcome}" for outcome, n in sorted(moved.items()))
            )

    def _schedule_wake(self) -> None:
        """Sweep again when the earliest pending post can be taken, if before the next minute."""
        if self.scheduler is None:
            return
        now = self.clock()
        with session_scope(self.engine) as session:
            wake = ledger.next_wake(session, now=now)
        if wake is None or wake - now >= SWEEP_EVERY:
            return
        self.scheduler.add_job(
            self.sweep,
            DateTrigger(run_date=max(wake, now) + timedelta(milliseconds=50)),
            id="wake",
            replace_existing=True,
            misfire_grace_time=None,
        )

    def warn_unscheduled(self, teams: list[Team]) -> None:
        """Log once, for each team without a digest channel, that nothing of it is posted."""
        unscheduled = {team.slug for team in teams if not team.digest_channel}
        for slug in sorted(unscheduled - self._unscheduled):
            log.warning(
                "team %s has no digest channel, so its digest and monthly report are not posted; "
                "set one with: leadcell team set %s digest=C0123ABCD",
                slug,
                slug,
            )
        self._unscheduled = unscheduled


def team_triggers(team: Team) -> dict[str, CronTrigger]:
    """The cron triggers of a team's posts, in its time zone (day names, not numbers)."""
    days = team.digest_days  # already day names, as stored by models.roster.parse_weekdays
    digest_hour, digest_minute = (int(x) for x in team.digest_time.split(":"))
    report_hour, report_minute = (int(x) for x in team.report_time.split(":"))
    triggers = {
        f"{ledger.PostKind.MONTHLY_REPORT.value}:{team.slug}": CronTrigger(
            day=1, hour=report_hour, minute=report_minute, timezone=team.timezone
        ),
    }
    if days:
        triggers[f"{ledger.PostKind.DAILY_DIGEST.value}:{team.slug}"] = CronTrigger(
            day_of_week=days, hour=digest_hour, minute=digest_minute, timezone=team.timezone
        )
    return triggers


def schedule_jobs(scheduler: BaseScheduler, worker: Worker) -> None:
    """(Re)build every job from the teams in the database; safe to call again."""
    with session_scope(worker.engine) as session:
        teams = list_teams(session)
    worker.warn_unscheduled(teams)
    wanted: dict[str, CronTrigger] = {}
    for team in teams:
        if team.digest_channel:
            wanted.update(team_triggers(team))
    for job in scheduler.get_jobs():
        if job.id not in wanted and ":" in job.id:
            job.remove()
    for job_id, trigger in wanted.items():
        scheduler.add_job(
            worker.sweep,
            trigger,
            id=job_id,
            replace_existing=True,
            misfire_grace_time=3600,
            coalesce=True,
            max_instances=1,
        )
    scheduler.add_job(
        worker.sweep,
        IntervalTrigger(seconds=SWEEP_EVERY.total_seconds()),
        id="sweep",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    # Personal data past each team's retention period is cleared once a day; clearing is
    # idempotent, so several workers may run it.
    scheduler.add_job(
        apply_retention,
        CronTrigger(hour=3, minute=17, timezone="UTC"),
        args=[worker.engine],
        id="retention",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )


def run_worker(settings: Settings) -> None:
    """Run the scheduler until stopped."""
    settings.require("SLACK_BOT_TOKEN")
    engine = make_engine(settings.database_url)
    scheduler = BlockingScheduler(timezone="UTC")
    worker = Worker(
        engine,
        make_web_client(settings),
        lease=timedelta(seconds=settings.worker_lease_seconds),
        scheduler=scheduler,
    )
    schedule_jobs(scheduler, worker)
    scheduler.add_job(
        schedule_jobs,
        IntervalTrigger(seconds=RELOAD_EVERY.total_seconds()),
        args=[scheduler, worker],
        id="reload",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    log.info(
        "worker %s starting: %s", worker.name, ", ".join(job.id for job in scheduler.get_jobs())
    )
    worker.sweep()
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("worker stopped")
