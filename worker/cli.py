"""`leadcell jobs …`: list the schedule, run a job now (or dry), and see what failed."""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tabulate import tabulate

from bot.local.render_text import render
from bot.runtime.settings import Settings
from models import ledger
from models.db import make_engine, session_scope, utcnow
from models.ledger import PostKind
from models.roster import get_team, list_teams
from models.tables import PostLedger
from worker.schedule import daily_occurrence, monthly_occurrence, next_occurrence


def add_parsers(sub: Any) -> None:
    """`leadcell jobs list|run|status`."""
    jobs = sub.add_parser("jobs", help="scheduled posts: list, run now, status")
    actions = jobs.add_subparsers(dest="jobs_command", required=True, metavar="ACTION")
    actions.add_parser("list", help="every scheduled job with its next run")
    run = actions.add_parser("run", help="post a job now through the ledger (or --dry-run)")
    run.add_argument("job", choices=[k.value for k in PostKind])
    run.add_argument("--team", required=True, help="team slug, e.g. fr")
    run.add_argument("--date", help="daily-digest: the team-local day (default: today)")
    run.add_argument("--month", help="monthly-report: the month reported, e.g. 2026-10")
    run.add_argument("--dry-run", action="store_true", help="print it here, post nothing")
    status = actions.add_parser("status", help="recent posts that are pending, failed or missed")
    status.add_argument("--all", action="store_true", help="include sent and skipped posts")


def run(args: argparse.Namespace, settings: Settings) -> int | None:
    """Run `leadcell jobs …`, or None for other commands."""
    if args.command != "jobs":
        return None
    engine = make_engine(settings.database_url)
    try:
        if args.jobs_command == "list":
            return _list(engine)
        if args.jobs_command == "status":
            return _status(engine, everything=args.all)
        return _run(engine, settings, args)
    finally:
        engine.dispose()


def _list(engine: Any) -> int:
    now = utcnow()
    rows = []
    with session_scope(engine) as session:
        for team in list_teams(session):
            zone = ZoneInfo(team.timezone)
            for kind in PostKind:
                due = next_occurrence(team, kind, now)
                if due is None:
                    rows.append((f"{kind.value}:{team.slug}", "-", "-", "-"))
                    continue
                rows.append(
                    (
                        f"{kind.value}:{team.slug}",
                        due.period,
                        local_time(due.due_at, zone, team.timezone),
                        due.due_at.strftime("%a %d %b %H:%M UTC"),
                    )
                )
    rows.append(("sweep", "-", "every 60 s", "records due posts, retries, marks missed"))
    print(tabulate(rows, headers=("job", "next period", "next run (team time)", "UTC")))
    return 0


def local_time(moment: datetime, zone: ZoneInfo, name: str) -> str:
    """`Fri 27 Nov 18:00 (Europe/Paris)`."""
    return moment.astimezone(zone).strftime("%a %d %b %H:%M") + f" ({name})"


def _status(engine: Any, *, everything: bool) -> int:
    statuses = None if everything else ["pending", "failed", "missed"]
    with session_scope(engine) as session:
        teams = {t.id: t.slug for t in list_teams(session)}
        entries = ledger.list_entries(session, statuses=statuses)
    if not entries:
        print("Nothing pending, failed or missed." if not everything else "No post yet.")
        return 0
    rows = [
        (
            e.kind,
            teams.get(e.team_id, e.team_id),
            e.period,
            e.status,
            e.attempts,
            "yes" if e.late else "",
            e.due_at.strftime("%Y-%m-%d %H:%M UTC"),
            e.last_error or "",
        )
        for e in entries
    ]
    print(
        tabulate(
            rows, headers=("kind", "team", "period", "status", "tries", "late", "due", "last error")
        )
    )
    return 1 if any(e.status == "failed" for e in entries) else 0


def _run(engine: Any, settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime.slack_client import make_web_client
    from worker.compose import compose
    from worker.posting import deliver

    now = utcnow()
    kind = PostKind(args.job)
    with session_scope(engine) as session:
        team = get_team(session, slug=args.team)
        if kind == PostKind.DAILY_DIGEST:
            day = (
                date.fromisoformat(args.date)
                if args.date
                else now.astimezone(ZoneInfo(team.timezone)).date()
            )
            due = daily_occurrence(team, day)
        else:
            month = (
                date.fromisoformat(args.month + "-01")
                if args.month
                else (now.date().replace(day=1) - timedelta(days=1)).replace(day=1)
            )
            due = monthly_occurrence(team, (month + timedelta(days=32)).replace(day=1))
        if args.dry_run:
            probe = PostLedger(
                kind=kind.value,
                team_id=team.id or 0,
                period=due.period,
                due_at=due.due_at,
                grace_until=due.grace_until,
                next_attempt_at=now,
            )
            post = compose(session, team, probe, now)
            if post is None:
                print(f"Nothing to post for {kind.value} {due.period} (an empty day).")
                return 0
            print(f"To #{post.channel}:")
            for message in post.messages:
                print(render(message.get("blocks"), message["text"]))
                print()
            for file in post.files:
                print(f"[file {file.filename}: {file.title}, {len(file.content)} bytes]")
            return 0
        entry = ledger.ensure_entry(
            session,
            kind=kind.value,
            team_id=team.id or 0,
            period=due.period,
            due_at=min(due.due_at, now),
            grace_until=max(due.grace_until, now + timedelta(hours=1)),
            now=now,
        )
        if entry.status != "pending":
            print(
                f"{kind.value} {due.period} for {team.slug} is {entry.status} already "
                f"({entry.sent_at or entry.due_at:%Y-%m-%d %H:%M} UTC); nothing posted."
            )
            return 0
        entry_id = entry.id or 0
    settings.require("SLACK_BOT_TOKEN")
    status = deliver(
        engine,
        make_web_client(settings),
        entry_id=entry_id,
        worker="cli",
        compose=compose,
        now=max(now, entry.next_attempt_at),
    )
    print(f"{kind.value} {due.period} for {args.team}: {status}")
    return 0 if status in ("sent", "skipped") else 1
