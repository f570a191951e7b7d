"""`leadcell jobs …`: list the schedule, run a job now (or dry), and see what failed."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from datetime import date, datetime, timedelta
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from tabulate import tabulate

from bot.local.render_text import render
from bot.runtime.settings import Settings
from models import ledger
from models.db import make_engine, session_scope, utcnow
from models.ledger import PostKind, PostStatus
from models.roster import list_teams
from models.tables import PostLedger, Team
from worker.schedule import Occurrence, daily_occurrence, monthly_occurrence, next_occurrence
from worker.statements import statement_days, statement_due

RUN_EXAMPLES = {
    PostKind.DAILY_DIGEST: "leadcell jobs run daily-digest --team {team} --date 2026-11-27",
    PostKind.MONTHLY_REPORT: "leadcell jobs run monthly-report --team {team} --month 2026-10",
    PostKind.TEAM_STATEMENT: "leadcell jobs run sla-statement --team {team} --month 2026-10",
    PostKind.PROVIDER_STATEMENT: (
        "leadcell jobs run sla-statement-provider --team {team} --month 2026-10"
    ),
}
#: The posts of an outsourced team's monthly statement (worker.statements).
STATEMENTS = (PostKind.TEAM_STATEMENT, PostKind.PROVIDER_STATEMENT)
ACTION_EXAMPLES = {
    "list": "leadcell jobs list",
    "run": RUN_EXAMPLES[PostKind.DAILY_DIGEST],
    "status": "leadcell jobs status --all",
}
SET_DIGEST = "leadcell team set {team} digest=C0123ABCD"

#: Why a post failed, by the code the ledger records (models.ledger, worker.failures).
REASONS = {
    "no_digest_channel": "Team {team} has no digest channel; set one with `" + SET_DIGEST + "`.",
    "channel_not_found": (
        "Slack knows no channel {channel}; check the team's digest channel (`" + SET_DIGEST + "`)."
    ),
    "not_in_channel": "The app is not a member of {channel}; invite it there with /invite.",
    "is_archived": "Channel {channel} is archived; unarchive it or set another digest channel.",
    "missing_scope": (
        "The app lacks a Slack scope this needs; reinstall it from `leadcell manifest`."
    ),
    "invalid_auth": "Slack refuses the bot token; check SLACK_BOT_TOKEN and the app's install.",
    "grace_window_passed": "No worker posted it before its grace window ended.",
    "ratelimited": "Slack kept rate-limiting the post.",
    "timeout": "Slack did not answer in time.",
    "connection_error": "Slack could not be reached.",
    "upload_failed": "Slack's file storage refused the upload.",
}
for _code in ("account_inactive", "token_revoked", "token_expired", "not_authed"):
    REASONS[_code] = REASONS["invalid_auth"]
REASONS["rate_limited"] = REASONS["ratelimited"]
MALFORMED = "Slack refused the message as malformed ({code})."
for _code in ("invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text"):
    REASONS[_code] = MALFORMED
COMPOSE_FAILED = "Computing the post failed: {detail}."
SLACK_ERROR = "Slack answered {code}."
#: Where a post was when it failed, by the ledger's stage.
STAGES = {
    "post": "posting the messages",
    "upload": "uploading the files",
    "check": "reading what Slack holds",
    "compose": "computing the post",
    "schedule": "waiting for a worker",
}

NO_CHANNEL_NOTE = (
    "Team {team} has no digest channel, so its digest and monthly report are not posted; "
    "set one with `" + SET_DIGEST + "`."
)
NOT_SCHEDULED = "not scheduled: no digest channel"
PROGRESS = "{posted}/{parts} messages, {shared}/{files} files"
IN_FLIGHT = "{progress}; last call: {sending}"

BAD_DAY = "`{value}` is not a day like 2026-11-27."
BAD_MONTH = "`{value}` is not a month like 2026-10."
NO_SUCH_TEAM = "There is no team `{value}` (teams: {teams})."
NO_TEAM_YET = "There is no team yet: add one with `leadcell team add`."
TEAM_NEEDED = "Say which team with --team."
DATE_FOR_DAILY = "--date is for a daily digest; a monthly report takes --month."
DATE_FOR_STATEMENT = "--date is for a daily digest; a statement takes --month."
NO_STATEMENT = "Team {team} has no contract version for {month}, so it has no statement."
NO_PROVIDER_CHANNEL = (
    "Team {team} has no provider channel; name one with "
    '`leadcell contract operator {team} "Northline Contact" --channel C0123ABCD`.'
)
MONTH_FOR_MONTHLY = "--month is for a monthly report; a daily digest takes --date."

SENT = "Posted {kind} {period} of team {team} to {channel}."
SKIPPED = "Nothing to post for {kind} {period} of team {team}: the team skips empty days."
ALREADY = "{kind} {period} of team {team} is {status} already ({when} UTC); nothing posted."
BUSY = "{kind} {period} of team {team} is being posted by another worker right now."
RETRYING = "{kind} {period} of team {team} is not out yet; the worker tries again at {when} UTC."
FAILED = "{kind} {period} of team {team} failed while {stage}."
REASON = "Reason: {reason}"
NOTHING_TO_POST = "Nothing to post for {kind} {period} (an empty day)."
NOTHING_PENDING = "Nothing pending, failed or missed."
NO_POST_YET = "No post yet."


class UsageError(Exception):
    """A `leadcell jobs` command line that cannot be run: what is wrong, and an example."""

    def __init__(self, problem: str, example: str) -> None:
        super().__init__(problem)
        self.problem, self.example = problem, example


def _fail(action: str, problem: str, example: str) -> NoReturn:
    print(f"leadcell jobs {action}: {problem} Example: {example}", file=sys.stderr)
    raise SystemExit(2)


class _JobsParser(argparse.ArgumentParser):
    """Argument errors in one line, with an example, and exit code 2."""

    def error(self, message: str) -> NoReturn:
        action = self.prog.split()[-1]
        example = ACTION_EXAMPLES.get(action, ACTION_EXAMPLES["run"]).format(team="fr")
        _fail(action, message[:1].upper() + message[1:] + ".", example)


def add_parsers(sub: Any) -> None:
    """`leadcell jobs list|run|status`."""
    jobs = sub.add_parser("jobs", help="scheduled posts: list, run now, status")
    actions = jobs.add_subparsers(
        dest="jobs_command", required=True, metavar="ACTION", parser_class=_JobsParser
    )
    actions.add_parser("list", help="every scheduled job with its next run")
    run = actions.add_parser("run", help="post a job now through the ledger (or --dry-run)")
    run.add_argument("job", choices=[k.value for k in PostKind])
    run.add_argument("--team", help="team slug, e.g. fr")
    run.add_argument("--date", help="daily-digest: the team-local day (default: today)")
    run.add_argument(
        "--month", help="monthly-report and statements: the month reported, e.g. 2026-10"
    )
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
        try:
            return _run(engine, settings, args)
        except UsageError as exc:
            _fail("run", exc.problem, exc.example)
    finally:
        engine.dispose()


def _list(engine: Any) -> int:
    now = utcnow()
    rows = []
    notes = []
    with session_scope(engine) as session:
        for team in list_teams(session):
            zone = ZoneInfo(team.timezone)
            if not team.digest_channel:
                notes.append(NO_CHANNEL_NOTE.format(team=team.slug))
            statements = statement_days(session, team)
            for kind in PostKind:
                if kind in STATEMENTS and not _has_statements(team, kind):
                    continue
                job = f"{kind.value}:{team.slug}"
                due = next_occurrence(team, kind, now, statements=statements)
                if not team.digest_channel:
                    rows.append((job, due.period if due else "-", NOT_SCHEDULED, "-"))
                elif due is None:
                    rows.append((job, "-", "-", "-"))
                else:
                    rows.append(
                        (
                            job,
                            due.period,
                            local_time(due.due_at, zone, team.timezone),
                            due.due_at.strftime("%a %d %b %H:%M UTC"),
                        )
                    )
    rows.append(("sweep", "-", "every 60 s", "records due posts, retries, marks missed"))
    print(tabulate(rows, headers=("job", "next period", "next run (team time)", "UTC")))
    for note in notes:
        print(note)
    return 0


def _has_statements(team: Team, kind: PostKind) -> bool:
    """An outsourced team has statements; the provider's copy needs its channel."""
    if team.operator is None:
        return False
    return kind != PostKind.PROVIDER_STATEMENT or bool(team.provider_channel)


def local_time(moment: datetime, zone: ZoneInfo, name: str) -> str:
    """`Fri 27 Nov 18:00 (Europe/Paris)`."""
    return moment.astimezone(zone).strftime("%a %d %b %H:%M") + f" ({name})"


def reason(entry: PostLedger, team: str) -> str:
    """The ledger's last error of a post, as a sentence."""
    if not entry.last_error:
        return ""
    where, _, code = entry.last_error.partition(":")
    if where == "compose":
        return COMPOSE_FAILED.format(detail=code.strip())
    template = REASONS.get(code, SLACK_ERROR)
    return template.format(team=team, channel=entry.channel or "-", code=code)


def stage(entry: PostLedger) -> str:
    """Where the post was when its last error happened."""
    name = (entry.last_error or "").partition(":")[0]
    return STAGES.get(name, name)


def progress(entry: PostLedger) -> str:
    """`1/2 messages, 0/2 files`, once the post was composed, and the call in flight if any."""
    if entry.parts_total is None:
        return ""
    done = PROGRESS.format(
        posted=len(entry.posted_parts or {}),
        parts=entry.parts_total,
        shared=len(entry.shared_files or {}),
        files=entry.files_total or 0,
    )
    return IN_FLIGHT.format(progress=done, sending=entry.sending) if entry.sending else done


def _status(engine: Any, *, everything: bool) -> int:
    statuses = None if everything else ["pending", "failed", "missed"]
    with session_scope(engine) as session:
        teams = {t.id: t.slug for t in list_teams(session)}
        entries = ledger.list_entries(session, statuses=statuses)
    if not entries:
        print(NO_POST_YET if everything else NOTHING_PENDING)
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
            progress(e),
            reason(e, str(teams.get(e.team_id, e.team_id))),
        )
        for e in entries
    ]
    headers = ("kind", "team", "period", "status", "tries", "late", "due", "progress", "reason")
    print(tabulate(rows, headers=headers))
    return 1 if any(e.status == "failed" for e in entries) else 0


def _team(teams: list[Team], slug: str | None, kind: PostKind) -> Team:
    example = RUN_EXAMPLES[kind].format(team=teams[0].slug if teams else "fr")
    if not teams:
        raise UsageError(NO_TEAM_YET, example)
    if slug is None:
        raise UsageError(TEAM_NEEDED, example)
    for team in teams:
        if team.slug == slug:
            return team
    names = ", ".join(t.slug for t in teams)
    raise UsageError(NO_SUCH_TEAM.format(value=slug, teams=names), example)


def _occurrence(
    session: Any, team: Team, kind: PostKind, args: argparse.Namespace, now: datetime
) -> Occurrence:
    example = RUN_EXAMPLES[kind].format(team=team.slug)
    local_today = now.astimezone(ZoneInfo(team.timezone)).date()
    if kind == PostKind.DAILY_DIGEST:
        if args.month:
            raise UsageError(MONTH_FOR_MONTHLY, example)
        if not args.date:
            return daily_occurrence(team, local_today)
        try:
            return daily_occurrence(team, date.fromisoformat(args.date))
        except ValueError:
            raise UsageError(BAD_DAY.format(value=args.date), example) from None
    if args.date:
        raise UsageError(DATE_FOR_STATEMENT if kind in STATEMENTS else DATE_FOR_DAILY, example)
    if args.month:
        try:
            month = datetime.strptime(args.month, "%Y-%m").date()
        except ValueError:
            raise UsageError(BAD_MONTH.format(value=args.month), example) from None
    else:
        month = (local_today.replace(day=1) - timedelta(days=1)).replace(day=1)
    if kind in STATEMENTS:
        if kind == PostKind.PROVIDER_STATEMENT and not team.provider_channel:
            raise UsageError(NO_PROVIDER_CHANNEL.format(team=team.slug), example)
        due = statement_due(session, team, month)
        if due is None:
            raise UsageError(NO_STATEMENT.format(team=team.slug, month=f"{month:%Y-%m}"), example)
        return Occurrence(kind, team.id or 0, due.period, due.due_at, due.grace_until)
    return monthly_occurrence(team, (month + timedelta(days=32)).replace(day=1))


def _run(engine: Any, settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime.slack_client import make_web_client
    from worker.compose import compose
    from worker.posting import deliver

    now = utcnow()
    kind = PostKind(args.job)
    with session_scope(engine) as session:
        team = _team(list_teams(session), args.team, kind)
        due = _occurrence(session, team, kind, args, now)
        if args.dry_run:
            return _dry_run(session, team, kind, due, now)
        settings.require("SLACK_BOT_TOKEN")
        entry = ledger.ensure_entry(
            session,
            kind=kind.value,
            team_id=team.id or 0,
            period=due.period,
            due_at=min(due.due_at, now),
            grace_until=max(due.grace_until, now + timedelta(hours=1)),
            now=now,
            on_demand=True,
        )
        names = {"kind": kind.value, "period": due.period, "team": team.slug}
        if entry.status in (PostStatus.SENT, PostStatus.SKIPPED):
            when = f"{entry.sent_at or entry.due_at:%Y-%m-%d %H:%M}"
            print(ALREADY.format(status=entry.status, when=when, **names))
            return 0
        if not ledger.run_now(
            session, entry_id=entry.id or 0, now=now, grace_until=now + timedelta(hours=1)
        ):
            print(BUSY.format(**names))
            return 1
        entry_id = entry.id or 0
    status = deliver(
        engine,
        make_web_client(settings),
        entry_id=entry_id,
        worker=f"cli:{socket.gethostname()}:{os.getpid()}",
        compose=compose,
        now=utcnow(),
        lease=timedelta(seconds=settings.worker_lease_seconds),
    )
    with session_scope(engine) as session:
        entry = session.get_one(PostLedger, entry_id)
    return _outcome(status, entry, names)


def _outcome(status: str, entry: PostLedger, names: dict[str, str]) -> int:
    if status == PostStatus.SENT:
        print(SENT.format(channel=entry.channel, **names))
        return 0
    if status == PostStatus.SKIPPED:
        print(SKIPPED.format(**names))
        return 0
    if status == "busy":
        print(BUSY.format(**names))
        return 1
    if status == PostStatus.PENDING:
        print(RETRYING.format(when=f"{entry.next_attempt_at:%Y-%m-%d %H:%M:%S}", **names))
    else:
        print(FAILED.format(stage=stage(entry), **names))
    print(REASON.format(reason=reason(entry, names["team"])))
    return 1


def _dry_run(session: Any, team: Team, kind: PostKind, due: Occurrence, now: datetime) -> int:
    from worker.compose import compose

    probe = PostLedger(
        kind=kind.value,
        team_id=team.id or 0,
        period=due.period,
        due_at=due.due_at,
        grace_until=due.grace_until,
        next_attempt_at=now,
    )
    post = compose(session, team, probe, now)
    if not team.digest_channel:
        print(NO_CHANNEL_NOTE.format(team=team.slug))
    if post is None:
        print(NOTHING_TO_POST.format(kind=kind.value, period=due.period))
        return 0
    if post.channel:
        print(f"To #{post.channel}:")
    for message in post.messages:
        print(render(message.get("blocks"), message["text"]))
        print()
    for file in post.files:
        print(f"[file {file.filename}: {file.title}, {len(file.content)} bytes]")
    return 0
