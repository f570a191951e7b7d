"""Benchmark: the daily digest and the monthly report on a large operation, against hand SQL.

    .venv/bin/python bench/reports.py                       # SQLite and PostgreSQL, 20 repeats
    .venv/bin/python bench/reports.py --database sqlite --repeat 50
    .venv/bin/python bench/reports.py --database postgresql --postgres-url postgresql://…/test
    .venv/bin/python bench/reports.py --prepare-only         # generate (or check) the data only

Options: --database sqlite|postgresql|both (both), --postgres-url (admin connection,
postgresql://postgres@127.0.0.1:5432/test), --data-dir (var/bench), --regenerate,
--rate (18.0 useful contacts per agent and working day), --repeat (20), --warmup (3),
--plans (print every query plan in full), --prepare-only. See bench/README.md.

What it does, for each database:
1. data: team France (`fr`) with 50 agents over 120 months up to 2026-11-27, made by
   `models.demo.activity.generate_activity` after the migrations and the demo roster.
   SQLite: a file in --data-dir whose name carries the parameters, written under a
   `.partial` name and renamed when complete, so an existing file is complete and is
   reused. PostgreSQL: a database `leadcell_bench_reports` on the --postgres-url server,
   created once (the URL's own database is only used to connect; the role needs
   CREATEDB), marked complete by a COMMENT naming the parameters, `VACUUM ANALYZE`d,
   and reused while the comment matches. --regenerate makes it anew. Either way the
   migrations run, so a reused database follows the schema of the tree.
2. checks: the digest of Thursday 2026-11-26 as posted at 18:00 team time and the report
   of October 2026 are computed by leadcell (`models.reports.daily_digest`,
   `models.reports.monthly_report`) and by hand-written SQL on the raw DBAPI connection
   (`engine.raw_connection()`), and every figure must be equal (an AssertionError
   otherwise: that is a correctness check, nothing timed is asserted).
3. plans: each SQL statement leadcell runs for both is captured and explained (SQLite
   `EXPLAIN QUERY PLAN`, PostgreSQL `EXPLAIN (ANALYZE, BUFFERS)`), as are the hand
   statements; the indexes each one uses are listed, and a query that misses the index
   it should use is flagged.
4. timing: --warmup unmeasured runs, then --repeat rounds of: leadcell digest, hand
   digest, hand digest merged, leadcell report, hand report, hand report merged,
   interleaved so that load on the machine hits all alike. "Hand" is one hand-written
   statement per leadcell query (the baseline of the 2x target); "merged" gives the
   same figures in fewer statements, for information. A leadcell run is a fresh session
   (`session_scope`), a hand run a fresh checkout of a pooled DBAPI connection, so both
   pay the same pool checkout (and, on PostgreSQL, the same `pool_pre_ping`). Then the
   rendering alone: `digest_messages` and `report_messages` over --repeat runs, and
   `report_files` once cold (matplotlib's first figure in the process) and once warm.
5. prints a table per database: leadcell and hand p50/p95/max in ms, the ratio
   leadcell/hand (p50), the targets (digest <= 50 ms, report <= 500 ms, judged on the
   leadcell p95; ratio <= 2x, judged on the p50s) with PASS or MISS; then where the
   time goes (each side's statements re-run alone on a DBAPI cursor, against the
   whole); the rendering; the data size, and the load average before and after.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import statistics
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere in the tree
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.readers import team_reader  # noqa: E402
from bot.views.digest import digest_messages  # noqa: E402
from bot.views.report import report_files, report_messages  # noqa: E402
from models import migrate  # noqa: E402
from models.actors import TERMINAL  # noqa: E402
from models.db import make_engine, normalize_database_url, session_scope  # noqa: E402
from models.demo.activity import generate_activity  # noqa: E402
from models.demo.roster import seed_demo_roster  # noqa: E402
from models.digest import DailyDigest, daily_digest  # noqa: E402
from models.reports import MonthlyReport, monthly_report  # noqa: E402
from models.tables import Team  # noqa: E402

TEAM = "fr"
MONTHS = 120
AGENTS = 50
SEED = 7
TODAY = date(2026, 11, 27)
DEFAULT_RATE = 18.0
DIGEST_DAY = date(2026, 11, 26)  # a Thursday: a full working day of the 50 agents
DIGEST_TIME = clock_time(18, 0)  # the worker posts the digest at 18:00 team time
REPORT_MONTH = date(2026, 10, 1)
TRAILING = 12
TARGET_DIGEST_MS = 50.0
TARGET_REPORT_MS = 500.0
TARGET_RATIO = 2.0
PG_DATABASE = "leadcell_bench_reports"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"

SOURCES = ("telemarketing", "seminar", "trade-show", "other")
TELEMARKETING = "telemarketing"
USEFUL = ("contact", "callback", "lead", "not-interested")  # models.outcomes.USEFUL_OUTCOMES
QUALIFIED = ("qualified", "won")  # models.report_queries.QUALIFIED_STATUSES
UNCLAIMED_AFTER = timedelta(hours=4)
UNCLAIMED_LIMIT = 100
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

#: The index each of leadcell's queries should use (by the function that runs it).
EXPECTED_INDEX = {
    "calls_by_agent": "ix_call_team_called_at",
    "agent_leads_by_detector": "ix_lead_team_created_at",
    "other_leads_by_source": "ix_lead_team_created_at",
    "leads_created": "ix_lead_team_created_at",
    "unclaimed_leads": "ix_lead_team_status_handed",
    "lead_counts_by_month": "ix_lead_team_created_at",
}


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def say(message: str = "") -> None:
    print(message, flush=True)


# --- data ----------------------------------------------------------------------------------


def marker(rate: float) -> str:
    """What a complete generated database holds (the PostgreSQL database's COMMENT)."""
    return (
        f"leadcell bench reports: team={TEAM} agents={AGENTS} months={MONTHS} "
        f"rate={rate:g} seed={SEED} today={TODAY.isoformat()} complete"
    )


def generate(url: str, rate: float) -> None:
    """Migrations, the demo roster, then the large operation (prints what it made)."""
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            seed_demo_roster(session)
            session.commit()
        say(
            f"  generating {AGENTS} agents x {MONTHS} months at {rate:g} useful contacts "
            f"per agent-day, minutes at full size ({load()})"
        )
        summary = generate_activity(
            engine,
            team_slug=TEAM,
            months=MONTHS,
            today=TODAY,
            seed=SEED,
            agents=AGENTS,
            useful_per_agent_day=rate,
        )
        say(
            f"  generated {summary.calls:,} calls (+{summary.undone_calls:,} undone), "
            f"{summary.leads:,} leads {summary.leads_by_source}, "
            f"events {summary.events_by_kind} in {summary.seconds:.0f} s ({load()})"
        )
    finally:
        engine.dispose()


def prepare_sqlite(args: argparse.Namespace) -> str:
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"reports-{TEAM}-{AGENTS}a-{MONTHS}m-r{args.rate:g}-s{SEED}.db"
    if args.regenerate:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if path.exists():
        say(f"SQLite: reusing {path}")
    else:
        partial = Path(f"{path}.partial")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        say(f"SQLite: generating {path}")
        generate(f"sqlite:///{partial}", args.rate)
        engine = make_engine(f"sqlite:///{partial}")
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        partial.rename(path)
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    return url


def prepare_postgresql(args: argparse.Namespace) -> str:
    admin_url = normalize_database_url(args.postgres_url)
    url = make_url(admin_url).set(database=PG_DATABASE).render_as_string(hide_password=False)
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    want = marker(args.rate)
    try:
        with admin.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :name"
                ),
                {"name": PG_DATABASE},
            ).first()
            if found is not None and (args.regenerate or found[0] != want):
                why = "--regenerate" if args.regenerate else f"its comment is {found[0]!r}"
                say(f"PostgreSQL: dropping {PG_DATABASE} ({why})")
                connection.exec_driver_sql(f'DROP DATABASE "{PG_DATABASE}" WITH (FORCE)')
                found = None
            if found is None:
                connection.exec_driver_sql(f'CREATE DATABASE "{PG_DATABASE}"')
        if found is None:
            say(f"PostgreSQL: generating database {PG_DATABASE}")
            generate(url, args.rate)
            bench = make_engine(url, isolation_level="AUTOCOMMIT")
            with bench.connect() as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
            bench.dispose()
            with admin.connect() as connection:
                connection.exec_driver_sql(f"COMMENT ON DATABASE \"{PG_DATABASE}\" IS '{want}'")
        else:
            say(f"PostgreSQL: reusing database {PG_DATABASE}")
    finally:
        admin.dispose()
    migrate.upgrade(url)
    return url


@dataclass(frozen=True)
class DataSize:
    calls: int
    undone: int
    leads: int
    events: int
    members: int
    bytes: int
    day_calls: int
    day_leads: int
    month_leads: int
    trailing_leads: int
    unclaimed: int

    def describe(self) -> str:
        return (
            f"{self.calls:,} calls ({self.undone:,} undone), {self.leads:,} leads, "
            f"{self.events:,} events, {self.members:,} members; "
            f"{self.bytes / 2**20:,.0f} MiB on disk.\n"
            f"  digest day {DIGEST_DAY}: {self.day_calls:,} calls, {self.day_leads} leads; "
            f"{self.unclaimed} leads new for 4 h at 18:00. Report: {self.month_leads:,} "
            f"leads in {REPORT_MONTH:%Y-%m}, {self.trailing_leads:,} over 12 months."
        )


# --- leadcell -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """The team and the moments both sides compute for."""

    team_id: int
    zone: ZoneInfo
    now: datetime  # when the digest is posted

    @classmethod
    def of(cls, engine: Engine) -> Setting:
        with session_scope(engine) as session:
            team = session.exec(
                Team.__table__.select().where(Team.__table__.c.slug == TEAM)  # type: ignore[attr-defined]
            ).one()
        zone = ZoneInfo(team.timezone)
        return cls(team.id, zone, datetime.combine(DIGEST_DAY, DIGEST_TIME, zone))

    def day_bounds(self) -> tuple[datetime, datetime]:
        return (
            datetime.combine(DIGEST_DAY, clock_time.min, self.zone),
            datetime.combine(DIGEST_DAY + timedelta(days=1), clock_time.min, self.zone),
        )

    def months(self) -> list[date]:
        index = REPORT_MONTH.year * 12 + REPORT_MONTH.month - 1
        return [
            date((index - i) // 12, (index - i) % 12 + 1, 1) for i in range(TRAILING - 1, -2, -1)
        ]  # 12 months and the one after

    def month_bounds(self) -> list[datetime]:
        return [datetime.combine(m, clock_time.min, self.zone) for m in self.months()]


def leadcell_digest(engine: Engine, setting: Setting) -> DailyDigest:
    with session_scope(engine) as session:
        return daily_digest(
            session, actor=TERMINAL, team_id=setting.team_id, day=DIGEST_DAY, now=setting.now
        )


def leadcell_report(engine: Engine, setting: Setting) -> MonthlyReport:
    with session_scope(engine) as session:
        return monthly_report(session, actor=TERMINAL, team_id=setting.team_id, month=REPORT_MONTH)


# The figures both sides must agree on, as plain tuples.


def digest_figures(digest: DailyDigest) -> dict[str, Any]:
    def lead(x: Any) -> tuple[Any, ...]:
        return (
            x.number,
            x.company,
            x.source.value,
            x.status.value,
            x.created_at,
            x.handed_at,
            x.detected_by,
            x.holder.name if x.holder else None,
            x.holder.user_id if x.holder else None,
        )

    return {
        "team": (
            digest.team.id,
            digest.team.name,
            digest.team.timezone,
            digest.team.daily_contact_target,
        ),
        "agents": [
            (
                a.person.member_id,
                a.person.user_id,
                a.person.name,
                a.dials,
                a.useful_contacts,
                a.leads,
                a.useful_seconds,
            )
            for a in digest.agents
        ],
        "other leads": [(s.source.value, s.leads) for s in digest.other_leads],
        "leads": [lead(x) for x in digest.leads],
        "unclaimed": [lead(x) for x in digest.unclaimed],
        "unclaimed_count": digest.unclaimed_count,
    }


def report_figures(report: MonthlyReport) -> dict[str, Any]:
    def rows(table: Any) -> list[tuple[Any, ...]]:
        return [
            (
                r.source.value,
                r.cost,
                r.cost_recorded,
                r.leads,
                r.qualified,
                r.cost_per_lead,
                r.ratio_to_telemarketing,
                r.share,
                r.cost_per_qualified,
            )
            for r in table.rows
        ]

    return {
        "team": (report.team.id, report.team.currency),
        "month": rows(report.month_table),
        "trailing": rows(report.trailing),
        "series": [(s.value, list(values)) for s, values in report.series.lines],
        "months": list(report.series.months),
    }


# --- hand-written SQL ------------------------------------------------------------------------
#
# Written for each dialect with `?` placeholders (SQLite); `_pg` turns them into psycopg's
# `%s` where the SQL is the same. "Per query" is one statement for each of leadcell's
# grouped queries, the baseline of the 2x target; "merged" is the same figures in fewer
# statements (round trips), printed for information.

_USEFUL_SQL = "(" + ", ".join(f"'{o}'" for o in USEFUL) + ")"
_QUALIFIED_SQL = "(" + ", ".join(f"'{s}'" for s in QUALIFIED) + ")"


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


TEAM_SQL = "SELECT id, name, timezone, currency, daily_contact_target FROM team WHERE id = ?"

# The day's calls per agent (undone calls excluded): dials, useful contacts, and the total
# duration of the useful ones (leadcell keeps the exact mean, rounded where it is shown).
SQLITE_CALLS = f"""
SELECT agent_id, count(*), sum(outcome IN {_USEFUL_SQL}),
       sum(CASE WHEN outcome IN {_USEFUL_SQL} THEN duration_seconds ELSE 0 END)
FROM call
WHERE team_id = ? AND called_at >= ? AND called_at < ? AND undone_at IS NULL
GROUP BY agent_id
"""
PG_CALLS = f"""
SELECT agent_id, count(*), count(*) FILTER (WHERE outcome IN {_USEFUL_SQL}),
       coalesce(sum(duration_seconds) FILTER (WHERE outcome IN {_USEFUL_SQL}), 0)
FROM call
WHERE team_id = %s AND called_at >= %s AND called_at < %s AND undone_at IS NULL
GROUP BY agent_id
"""

# An agent's leads are the telemarketing leads they detected (models.activity); the others
# are counted by source.
DETECTORS = f"""
SELECT detected_by_id, count(*)
FROM lead
WHERE team_id = ? AND created_at >= ? AND created_at < ? AND source = '{TELEMARKETING}'
GROUP BY detected_by_id
"""
OTHER_SOURCES = f"""
SELECT source, count(*)
FROM lead
WHERE team_id = ? AND created_at >= ? AND created_at < ? AND source <> '{TELEMARKETING}'
GROUP BY source
"""

# The team's active agents and whoever else called or detected a lead that day.
SQLITE_MEMBERS = """
SELECT id, slack_user_id, name
FROM member
WHERE (team_id = ? AND is_agent AND active) OR id IN ({ids})
ORDER BY name, id
"""
PG_MEMBERS = """
SELECT id, slack_user_id, name
FROM member
WHERE (team_id = %s AND is_agent AND active) OR id = ANY(%s)
ORDER BY name, id
"""

# Merged: the members with their day in one statement.
SQLITE_PEOPLE = f"""
WITH calls AS (
    SELECT agent_id AS member_id,
           count(*) AS dials,
           sum(outcome IN {_USEFUL_SQL}) AS useful,
           sum(CASE WHEN outcome IN {_USEFUL_SQL} THEN duration_seconds ELSE 0 END) AS seconds
    FROM call
    WHERE team_id = ? AND called_at >= ? AND called_at < ? AND undone_at IS NULL
    GROUP BY agent_id
), leads AS (
    SELECT detected_by_id AS member_id, count(*) AS leads
    FROM lead
    WHERE team_id = ? AND created_at >= ? AND created_at < ? AND source = '{TELEMARKETING}'
    GROUP BY detected_by_id
)
SELECT m.id, m.slack_user_id, m.name, coalesce(c.dials, 0), coalesce(c.useful, 0),
       coalesce(l.leads, 0), coalesce(c.seconds, 0)
FROM member AS m
LEFT JOIN calls AS c ON c.member_id = m.id
LEFT JOIN leads AS l ON l.member_id = m.id
WHERE (m.team_id = ? AND m.is_agent AND m.active)
   OR c.member_id IS NOT NULL OR l.member_id IS NOT NULL
ORDER BY m.name, m.id
"""
PG_PEOPLE = f"""
WITH calls AS (
    SELECT agent_id AS member_id,
           count(*) AS dials,
           count(*) FILTER (WHERE outcome IN {_USEFUL_SQL}) AS useful,
           coalesce(sum(duration_seconds) FILTER (WHERE outcome IN {_USEFUL_SQL}), 0) AS seconds
    FROM call
    WHERE team_id = %s AND called_at >= %s AND called_at < %s AND undone_at IS NULL
    GROUP BY agent_id
), leads AS (
    SELECT detected_by_id AS member_id, count(*) AS leads
    FROM lead
    WHERE team_id = %s AND created_at >= %s AND created_at < %s AND source = '{TELEMARKETING}'
    GROUP BY detected_by_id
)
SELECT m.id, m.slack_user_id, m.name, coalesce(c.dials, 0), coalesce(c.useful, 0),
       coalesce(l.leads, 0), coalesce(c.seconds, 0)
FROM member AS m
LEFT JOIN calls AS c ON c.member_id = m.id
LEFT JOIN leads AS l ON l.member_id = m.id
WHERE (m.team_id = %s AND m.is_agent AND m.active)
   OR c.member_id IS NOT NULL OR l.member_id IS NOT NULL
ORDER BY m.name, m.id
"""

_LEAD_LIST = """
SELECT l.number, l.company, l.source, l.status, l.created_at, l.handed_at,
       d.name, h.name, h.slack_user_id{extra}
FROM lead AS l
JOIN member AS d ON d.id = l.detected_by_id
LEFT JOIN member AS h ON h.id = coalesce(l.owner_id, l.assigned_to_id)
"""

DAY_LEADS = (
    _LEAD_LIST.format(extra="") + "WHERE l.team_id = ? AND l.created_at >= ? AND l.created_at < ?\n"
    "ORDER BY l.number"
)

UNCLAIMED_COUNT = (
    "SELECT count(*) FROM lead WHERE team_id = ? AND status = 'new' AND handed_at <= ?"
)
_UNCLAIMED_WHERE = (
    "WHERE l.team_id = ? AND l.status = 'new' AND l.handed_at <= ?\n"
    f"ORDER BY l.handed_at, l.number\nLIMIT {UNCLAIMED_LIMIT}"
)
UNCLAIMED = _LEAD_LIST.format(extra="") + _UNCLAIMED_WHERE
# Merged: the oldest 100 with how many there are (an uncorrelated subquery, run once).
UNCLAIMED_WITH_COUNT = (
    _LEAD_LIST.format(
        extra=",\n       (SELECT count(*) FROM lead WHERE team_id = ? "
        "AND status = 'new' AND handed_at <= ?)"
    )
    + _UNCLAIMED_WHERE
)

# Leads and qualified leads per team-local month (0..11) and source, over 12 months.
# SQLite has no time zones: one index range per month, the 12 ranges joined as VALUES
# (as leadcell does on SQLite; a CASE over the month starts costs string comparisons per
# row: about 1.5x slower here). PostgreSQL: width_bucket, a binary search among the 13 month
# starts (date_trunc('month', created_at AT TIME ZONE …) is the obvious alternative and
# about 1.6x slower here: a time-zone conversion per row).
SQLITE_LEAD_COUNTS = """
WITH month(i, since, until) AS (VALUES {months})
SELECT month.i, lead.source, count(*),
       sum(lead.qualified_at IS NOT NULL OR lead.status IN {qualified})
FROM month
JOIN lead ON lead.team_id = ? AND lead.created_at >= month.since AND lead.created_at < month.until
GROUP BY month.i, lead.source
""".format(months=", ".join(f"({i}, ?, ?)" for i in range(TRAILING)), qualified=_QUALIFIED_SQL)
PG_LEAD_COUNTS = f"""
SELECT width_bucket(created_at, %s::timestamptz[]) - 1, source, count(*),
       count(*) FILTER (WHERE qualified_at IS NOT NULL OR status IN {_QUALIFIED_SQL})
FROM lead
WHERE team_id = %s AND created_at >= %s AND created_at < %s
GROUP BY 1, 2
"""

RECORDED_COSTS = (
    "SELECT month, source, amount FROM monthly_cost WHERE team_id = ? AND month >= ? AND month < ?"
)
SPLITS = (
    "SELECT month, source, percent FROM cost_split WHERE team_id = ? AND month >= ? AND month < ?"
)
_EVENT_COSTS = """
SELECT {month_of_held_on}, kind, sum(cost) FROM event
WHERE team_id = ? AND held_on >= ? AND held_on < ? AND cost IS NOT NULL
GROUP BY 1, 2
"""
SQLITE_MONTH_OF_DAY = "date(held_on, 'start of month')"
PG_MONTH_OF_DAY = "date_trunc('month', held_on)::date"
SQLITE_EVENT_COSTS = _EVENT_COSTS.format(month_of_held_on=SQLITE_MONTH_OF_DAY)
PG_EVENT_COSTS = _pg(_EVENT_COSTS.format(month_of_held_on=PG_MONTH_OF_DAY))

# Merged: recorded costs, splits and event costs in one statement.
_COSTS = """
SELECT 'cost', month, source, amount FROM monthly_cost
WHERE team_id = ? AND month >= ? AND month < ?
UNION ALL
SELECT 'split', month, source, percent FROM cost_split
WHERE team_id = ? AND month >= ? AND month < ?
UNION ALL
SELECT 'event', {month_of_held_on}, kind, sum(cost) FROM event
WHERE team_id = ? AND held_on >= ? AND held_on < ? AND cost IS NOT NULL
GROUP BY 2, 3
"""
SQLITE_COSTS = _COSTS.format(month_of_held_on=SQLITE_MONTH_OF_DAY)
PG_COSTS = _pg(_COSTS.format(month_of_held_on=PG_MONTH_OF_DAY))


def _money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def _per(amount: Decimal, count: int) -> Decimal | None:
    """Exact, as leadcell keeps it (rounded only where it is shown)."""
    return amount / Decimal(count) if count > 0 else None


def _source(value: str) -> str:
    return value if value in SOURCES else "other"


class HandSQL:
    """The digest and the report as a competent engineer would write them, per dialect."""

    def __init__(self, engine: Engine, setting: Setting) -> None:
        self.engine, self.setting = engine, setting
        self.sqlite = engine.dialect.name == "sqlite"
        self.statements: list[tuple[str, str, tuple[Any, ...]]] = []  # for the plans
        self.record = False

    # dialect details
    def moment(self, value: datetime) -> Any:
        """SQLite stores naive UTC text (SQLAlchemy's format); PostgreSQL timestamptz."""
        if self.sqlite:
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return value

    def read_moment(self, value: Any) -> datetime:
        if isinstance(value, str):
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        return value  # type: ignore[no-any-return]

    def day(self, value: date) -> Any:
        return value.isoformat() if self.sqlite else value

    def sql(self, sqlite: str, postgresql: str | None = None) -> str:
        return sqlite if self.sqlite else (postgresql or _pg(sqlite))

    @contextmanager
    def cursor(self) -> Iterator[Any]:
        """A pooled DBAPI connection's cursor in one read transaction, as a session has."""
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            if self.sqlite:
                cursor.execute("BEGIN")  # the DBAPI connection is in autocommit mode
            yield cursor
            cursor.close()
        finally:
            if self.sqlite:
                connection.execute("ROLLBACK")
            else:
                connection.rollback()
            connection.close()

    def run(self, cursor: Any, label: str, sql: str, params: tuple[Any, ...]) -> list[Any]:
        if self.record:
            self.statements.append((label, sql, params))
        cursor.execute(sql, params)
        return cursor.fetchall()  # type: ignore[no-any-return]

    def _team(self, cursor: Any) -> tuple[Any, ZoneInfo]:
        team = self.run(cursor, "team", self.sql(TEAM_SQL), (self.setting.team_id,))[0]
        return team, ZoneInfo(team[2])

    # the digest
    def digest(self, *, merged: bool = False) -> dict[str, Any]:
        t = self.setting.team_id
        with self.cursor() as cursor:
            team, zone = self._team(cursor)
            start = self.moment(datetime.combine(DIGEST_DAY, clock_time.min, zone))
            end = self.moment(
                datetime.combine(DIGEST_DAY + timedelta(days=1), clock_time.min, zone)
            )
            before = self.moment(self.setting.now - UNCLAIMED_AFTER)
            if merged:
                people = self.run(
                    cursor,
                    "people",
                    self.sql(SQLITE_PEOPLE, PG_PEOPLE),
                    (t, start, end, t, start, end, t),
                )
            else:
                people = self._people(cursor, t, start, end)
            others = self.run(cursor, "other sources", self.sql(OTHER_SOURCES), (t, start, end))
            handed = self.run(cursor, "day leads", self.sql(DAY_LEADS), (t, start, end))
            if merged:
                waiting = self.run(
                    cursor,
                    "unclaimed+count",
                    self.sql(UNCLAIMED_WITH_COUNT),
                    (t, before, t, before),
                )
                count = int(waiting[0][9]) if waiting else 0
            else:
                count = self.run(cursor, "unclaimed count", self.sql(UNCLAIMED_COUNT), (t, before))[
                    0
                ][0]
                waiting = self.run(cursor, "unclaimed", self.sql(UNCLAIMED), (t, before))
        lead = self._lead
        return {
            "team": (team[0], team[1], team[2], team[4]),
            "agents": [
                (
                    m,
                    slack,
                    name,
                    int(dials),
                    int(useful),
                    int(leads),
                    int(seconds),
                )
                for m, slack, name, dials, useful, leads, seconds in people
            ],
            "other leads": self._other_leads(others),
            "leads": [lead(row) for row in handed],
            "unclaimed": [lead(row[:9]) for row in waiting],
            "unclaimed_count": int(count),
        }

    def _people(self, cursor: Any, t: int, start: Any, end: Any) -> list[tuple[Any, ...]]:
        """Per query: the calls, the leads by detector, then the members; joined here."""
        calls = {
            row[0]: row[1:]
            for row in self.run(cursor, "calls", self.sql(SQLITE_CALLS, PG_CALLS), (t, start, end))
        }
        leads = dict(self.run(cursor, "detectors", self.sql(DETECTORS), (t, start, end)))
        ids = sorted(set(calls) | set(leads))
        if self.sqlite:
            sql = SQLITE_MEMBERS.format(ids=", ".join("?" * len(ids)) or "NULL")
            members = self.run(cursor, "members", sql, (t, *ids))
        else:
            members = self.run(cursor, "members", PG_MEMBERS, (t, ids))
        people = []
        for member_id, slack, name in members:
            dials, useful, seconds = calls.get(member_id, (0, 0, 0))
            people.append((member_id, slack, name, dials, useful, leads.get(member_id, 0), seconds))
        return people

    def _other_leads(self, rows: list[Any]) -> list[tuple[str, int]]:
        """Leads by source other than telemarketing, in the order of the sources."""
        counts = dict.fromkeys(SOURCES, 0)
        for source, count in rows:
            counts[_source(source)] += int(count)
        return [(x, counts[x]) for x in SOURCES if x != TELEMARKETING and counts[x]]

    def _lead(self, row: Any) -> tuple[Any, ...]:
        number, company, source, status, created, handed, detector, holder, slack = row
        return (
            number,
            company,
            source,
            status,
            self.read_moment(created),
            self.read_moment(handed),
            detector,
            holder,
            slack,
        )

    # the report
    def report(self, *, merged: bool = False) -> dict[str, Any]:
        t = self.setting.team_id
        months = self.setting.months()  # 12 months, then the month after (the end)
        with self.cursor() as cursor:
            team, zone = self._team(cursor)
            bounds = [self.moment(datetime.combine(m, clock_time.min, zone)) for m in months]
            if self.sqlite:
                ranges = [b for i in range(TRAILING) for b in (bounds[i], bounds[i + 1])]
                lead_rows = self.run(cursor, "lead counts", SQLITE_LEAD_COUNTS, (*ranges, t))
            else:
                lead_rows = self.run(
                    cursor, "lead counts", PG_LEAD_COUNTS, (bounds, t, bounds[0], bounds[-1])
                )
            span = (t, self.day(months[0]), self.day(months[-1]))
            if merged:
                cost_rows = self.run(cursor, "costs", self.sql(SQLITE_COSTS, PG_COSTS), span * 3)
            else:
                cost_rows = (
                    [
                        ("cost", *row)
                        for row in self.run(
                            cursor, "recorded costs", self.sql(RECORDED_COSTS), span
                        )
                    ]
                    + [
                        ("split", *row)
                        for row in self.run(cursor, "splits", self.sql(SPLITS), span)
                    ]
                    + [
                        ("event", *row)
                        for row in self.run(
                            cursor,
                            "event costs",
                            self.sql(SQLITE_EVENT_COSTS, PG_EVENT_COSTS),
                            span,
                        )
                    ]
                )
        return self._report_figures(team, months[:-1], lead_rows, cost_rows)

    def _report_figures(
        self, team: Any, months: list[date], lead_rows: list[Any], cost_rows: list[Any]
    ) -> dict[str, Any]:
        index = {m: i for i, m in enumerate(months)}
        leads = [dict.fromkeys(SOURCES, 0) for _ in months]
        qualified = [dict.fromkeys(SOURCES, 0) for _ in months]
        for i, source, count, good in lead_rows:
            leads[i][_source(source)] += count
            qualified[i][_source(source)] += int(good or 0)
        recorded: list[dict[str, Decimal]] = [{} for _ in months]
        split: list[dict[str, Decimal]] = [{} for _ in months]
        events: list[dict[str, Decimal]] = [{} for _ in months]
        for kind, month, source, amount in cost_rows:
            i = index[month if isinstance(month, date) else date.fromisoformat(month)]
            if kind == "cost":
                recorded[i][_source(source)] = recorded[i].get(
                    _source(source), Decimal(0)
                ) + _money(amount)
            elif kind == "split":
                split[i][_source(source)] = _money(amount)
            elif amount is not None:
                events[i][_source(source)] = _money(amount)

        def cost(i: int, source: str) -> Decimal:
            """models.cost_queries: the cell's share, plus the source's own costs."""
            cell = recorded[i].get(TELEMARKETING, Decimal(0))
            share = (
                split[i].get(source, Decimal(0))
                if split[i]
                else HUNDRED
                if source == TELEMARKETING
                else Decimal(0)
            )
            total = (cell * share / HUNDRED).quantize(CENT, ROUND_HALF_UP)
            if source != TELEMARKETING:
                total += recorded[i].get(source, Decimal(0))
            return total + events[i].get(source, Decimal(0))

        def has_cost(i: int, source: str) -> bool:
            """models.reports.cost_recorded: a share of a recorded cell cost, an own cost,
            or an event cost."""
            shared = split[i].get(source, Decimal(0)) > 0 if split[i] else False
            cell = TELEMARKETING in recorded[i] and (source == TELEMARKETING or shared)
            own = source != TELEMARKETING and source in recorded[i]
            return cell or own or source in events[i]

        costs = [{source: cost(i, source) for source in SOURCES} for i in range(len(months))]
        known = [{source: has_cost(i, source) for source in SOURCES} for i in range(len(months))]

        def table(span: range) -> list[tuple[Any, ...]]:
            c = {x: sum((costs[i][x] for i in span), Decimal(0)) for x in SOURCES}
            k = {x: any(known[i][x] for i in span) for x in SOURCES}
            n = {x: sum(leads[i][x] for i in span) for x in SOURCES}
            q = {x: sum(qualified[i][x] for i in span) for x in SOURCES}
            total = sum(n.values())
            per_lead = {x: _per(c[x], n[x]) if k[x] else None for x in SOURCES}
            base = per_lead[TELEMARKETING]
            rows = []
            for x in SOURCES:
                own = per_lead[x]
                ratio = own / base if own is not None and base else None
                share = Decimal(n[x]) / Decimal(total) if total else None
                per_qualified = _per(c[x], q[x]) if k[x] else None
                rows.append((x, c[x], k[x], n[x], q[x], own, ratio, share, per_qualified))
            return rows

        last = len(months) - 1
        return {
            "team": (team[0], team[3]),
            "month": table(range(last, last + 1)),
            "trailing": table(range(len(months))),
            "series": [
                (
                    x,
                    [
                        _per(costs[i][x], leads[i][x]) if known[i][x] else None
                        for i in range(len(months))
                    ],
                )
                for x in SOURCES
            ],
            "months": months,
        }


# --- statements, plans and where the time goes ------------------------------------------------


class Capture:
    """Records leadcell's statements (with the function that ran each) and their DBAPI time."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[tuple[str, str, Any, float]] = []
        self.on = False
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(
        self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool
    ) -> None:
        self._started = time.perf_counter()

    def _after(
        self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, executemany: bool
    ) -> None:
        if not self.on:
            return
        elapsed = time.perf_counter() - self._started
        label = "?"
        if statement.strip().upper().startswith("BEGIN"):
            label = "BEGIN"  # emitted by models.db for every session transaction on SQLite
        for frame in reversed(traceback.extract_stack(limit=40) if label == "?" else []):
            if "/models/" in frame.filename and not frame.filename.endswith("db.py"):
                label = frame.name
                break
        self.statements.append((label, statement, params, elapsed))

    @contextmanager
    def capturing(self) -> Iterator[list[tuple[str, str, Any, float]]]:
        self.statements = []
        self.on = True
        try:
            yield self.statements
        finally:
            self.on = False


def explain(engine: Engine, sql: str, params: Any) -> str:
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return "\n".join(f"{row[3]}" for row in cursor.fetchall())
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
    finally:
        connection.rollback()
        connection.close()


def indexes_in(plan: str) -> list[str]:
    found = []
    for name in re.findall(
        r"\b(?:ix|uq|sqlite_autoindex)_\w+|\b\w+_pkey\b|INTEGER PRIMARY KEY", plan
    ):
        if name not in found:
            found.append(name)
    return found


def plan_summary(plan: str, sqlite: bool) -> str:
    """The scan lines of a plan, one per table, short."""
    if sqlite:
        return "; ".join(
            line.strip() for line in plan.splitlines() if re.search(r"SCAN|SEARCH|TEMP", line)
        )
    lines = []
    for line in plan.splitlines():
        match = re.search(
            r"((?:Parallel )?(?:Seq Scan|Index Only Scan|Index Scan|"
            r"Bitmap Index Scan|Bitmap Heap Scan)(?: Backward)?"
            r"(?: using \w+)? on \w+(?: \w+)?).*?(rows=\d+ loops=\d+)?\)?$",
            line,
        )
        if match:
            actual = re.search(r"actual time=[\d.]+\.\.([\d.]+) rows=(\d+)", line)
            extra = f" ({actual.group(2)} rows)" if actual else ""
            lines.append(match.group(1) + extra)
        elif "Execution Time" in line:
            lines.append(line.strip())
    return "; ".join(lines)


def show_plans(
    engine: Engine, capture: Capture, setting: Setting, hand: HandSQL, full: bool
) -> list[str]:
    """Explain every leadcell and hand statement; return the problems found."""
    sqlite = engine.dialect.name == "sqlite"
    problems = []
    with capture.capturing() as statements:
        leadcell_digest(engine, setting)
        leadcell_report(engine, setting)
    say("  leadcell's statements (the function that runs each: indexes used; plan)")
    for label, sql, params, _elapsed in statements:
        if label == "BEGIN":
            say("    BEGIN                  (a round trip of its own)")
            continue
        plan = explain(engine, sql, params)
        used = indexes_in(plan)
        expected = EXPECTED_INDEX.get(label)
        flag = ""
        if expected and expected not in used:
            flag = f"  <-- MISSES {expected}"
            problems.append(f"{label}: does not use {expected} ({plan_summary(plan, sqlite)})")
        if not sqlite and re.search(r"Seq Scan on (call|lead)\b", plan):
            flag += "  <-- SEQ SCAN"
            problems.append(f"{label}: sequential scan ({plan_summary(plan, sqlite)})")
        say(f"    {label:22} {', '.join(used) or '-'}{flag}")
        say(f"      {plan_summary(plan, sqlite)}")
        if full:
            say("      " + sql.strip().replace("\n", "\n      "))
            say("      " + plan.replace("\n", "\n      "))
    hand.statements, hand.record = [], True
    for merged in (False, True):
        hand.digest(merged=merged)
        hand.report(merged=merged)
    hand.record = False
    say("  hand statements (per query, then those of the merged variant)")
    seen = set()
    for label, sql, params in hand.statements:
        if label in seen:
            continue
        seen.add(label)
        plan = explain(engine, sql, params)
        say(f"    {label:22} {', '.join(indexes_in(plan)) or '-'}")
        say(f"      {plan_summary(plan, sqlite)}")
        if full:
            say("      " + plan.replace("\n", "\n      "))
    return problems


# --- timing ---------------------------------------------------------------------------------


def statements_ms(engine: Engine, statements: list[tuple[str, Any]], repeat: int) -> float:
    """Median ms to execute and fetch these statements on a DBAPI cursor, in one transaction."""
    sqlite = engine.dialect.name == "sqlite"
    totals = []
    for _ in range(max(5, repeat // 2)):
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            if sqlite:
                cursor.execute("BEGIN")
            total = 0.0
            for sql, params in statements:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                total += time.perf_counter() - started
            totals.append(total * 1000)
        finally:
            if sqlite:
                connection.execute("ROLLBACK")
            else:
                connection.rollback()
            connection.close()
    return statistics.median(totals)


@dataclass
class Timings:
    values: list[float] = field(default_factory=list)  # ms

    def add(self, seconds: float) -> None:
        self.values.append(seconds * 1000)

    def pct(self, p: float) -> float:
        ordered = sorted(self.values)
        rank = max(1, -(-len(ordered) * p // 100))  # nearest rank
        return ordered[int(rank) - 1]

    @property
    def p50(self) -> float:
        return statistics.median(self.values)

    @property
    def p95(self) -> float:
        return self.pct(95)

    @property
    def max(self) -> float:
        return max(self.values)

    def cell(self) -> str:
        return f"{self.p50:7.1f} {self.p95:7.1f} {self.max:7.1f}"


def timed(fn: Callable[[], Any], into: Timings) -> Any:
    gc.collect()
    started = time.perf_counter()
    result = fn()
    into.add(time.perf_counter() - started)
    return result


@dataclass
class Result:
    database: str
    size: DataSize
    timings: dict[str, Timings]
    rendering: dict[str, Timings]
    breakdown: dict[str, tuple[float, float, int]]
    problems: list[str]
    load_before: str
    load_after: str


def data_size(engine: Engine, setting: Setting) -> DataSize:
    sqlite = engine.dialect.name == "sqlite"
    day_start, day_end = setting.day_bounds()
    bounds = setting.month_bounds()

    def moment(value: datetime) -> Any:
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value

    with engine.connect() as connection:

        def one(sql: str, **params: Any) -> int:
            return int(connection.execute(text(sql), params).scalar_one())

        t = setting.team_id
        if sqlite:
            database = engine.url.database or ""
            size = sum(
                os.path.getsize(p) for p in (database, database + "-wal") if os.path.exists(p)
            )
        else:
            size = one("SELECT pg_database_size(current_database())")
        return DataSize(
            calls=one("SELECT count(*) FROM call WHERE team_id = :t AND undone_at IS NULL", t=t),
            undone=one(
                "SELECT count(*) FROM call WHERE team_id = :t AND undone_at IS NOT NULL", t=t
            ),
            leads=one("SELECT count(*) FROM lead WHERE team_id = :t", t=t),
            events=one("SELECT count(*) FROM event WHERE team_id = :t", t=t),
            members=one("SELECT count(*) FROM member"),
            bytes=size,
            day_calls=one(
                "SELECT count(*) FROM call WHERE team_id = :t AND called_at >= :a "
                "AND called_at < :b",
                t=t,
                a=moment(day_start),
                b=moment(day_end),
            ),
            day_leads=one(
                "SELECT count(*) FROM lead WHERE team_id = :t AND created_at >= :a "
                "AND created_at < :b",
                t=t,
                a=moment(day_start),
                b=moment(day_end),
            ),
            month_leads=one(
                "SELECT count(*) FROM lead WHERE team_id = :t AND created_at >= :a "
                "AND created_at < :b",
                t=t,
                a=moment(bounds[-2]),
                b=moment(bounds[-1]),
            ),
            trailing_leads=one(
                "SELECT count(*) FROM lead WHERE team_id = :t "
                "AND created_at >= :a AND created_at < :b",
                t=t,
                a=moment(bounds[0]),
                b=moment(bounds[-1]),
            ),
            unclaimed=one(
                "SELECT count(*) FROM lead WHERE team_id = :t AND status = 'new' "
                "AND handed_at <= :a",
                t=t,
                a=moment(setting.now - UNCLAIMED_AFTER),
            ),
        )


def check_same(what: str, leadcell: dict[str, Any], hand: dict[str, Any]) -> None:
    for key in leadcell:
        if leadcell[key] != hand[key]:
            a, b = leadcell[key], hand[key]
            if isinstance(a, list) and isinstance(b, list):
                diff = next(
                    (
                        f"item {i}: leadcell {x!r} != hand {y!r}"
                        for i, (x, y) in enumerate(zip(a, b, strict=False))
                        if x != y
                    ),
                    f"lengths {len(a)} != {len(b)}",
                )
            else:
                diff = f"leadcell {a!r} != hand {b!r}"
            raise AssertionError(f"{what}: {key} differs: {diff}")


_FILES_DRAWN = False


def bench_database(name: str, url: str, args: argparse.Namespace) -> Result:
    engine = make_engine(url)
    capture = Capture(engine)
    try:
        setting = Setting.of(engine)
        size = data_size(engine, setting)
        say(f"{name}: {size.describe()}")
        hand = HandSQL(engine, setting)

        # correctness: every figure equal
        digest, report = leadcell_digest(engine, setting), leadcell_report(engine, setting)
        for merged in (False, True):
            check_same("digest", digest_figures(digest), hand.digest(merged=merged))
            check_same("report", report_figures(report), hand.report(merged=merged))
        say(
            f"  figures: leadcell and hand SQL agree (digest: {len(digest.agents)} agents, "
            f"{digest.dials:,} dials, {digest.useful_contacts:,} useful, "
            f"{digest.agent_leads} agents' leads and {digest.other_lead_count} others, "
            f"{digest.unclaimed_count} unclaimed; report: "
            f"{report.month_table.total_leads:,} leads in the month, "
            f"{report.trailing.total_leads:,} over 12 months)"
        )

        problems = show_plans(engine, capture, setting, hand, args.plans)

        load_before = load()
        say(f"  timing {args.repeat} rounds after {args.warmup} warm-up ({load_before})")
        jobs: list[tuple[str, Callable[[], Any]]] = [
            ("digest leadcell", lambda: leadcell_digest(engine, setting)),
            ("digest hand", hand.digest),
            ("digest merged", lambda: hand.digest(merged=True)),
            ("report leadcell", lambda: leadcell_report(engine, setting)),
            ("report hand", hand.report),
            ("report merged", lambda: hand.report(merged=True)),
        ]
        timings = {label: Timings() for label, _ in jobs}
        for _ in range(args.warmup):
            for _label, job in jobs:
                job()
        for _ in range(args.repeat):
            for label, job in jobs:
                timed(job, timings[label])

        # where the time goes: each side's statements run alone on the DBAPI cursor
        # (execute and fetch), against the whole
        breakdown: dict[str, tuple[float, float, int]] = {}
        with capture.capturing() as captured:
            leadcell_digest(engine, setting)
        lc_digest = [(sql, params) for label, sql, params, _ in captured if label != "BEGIN"]
        with capture.capturing() as captured:
            leadcell_report(engine, setting)
        lc_report = [(sql, params) for label, sql, params, _ in captured if label != "BEGIN"]
        hand.statements, hand.record = [], True
        hand.digest()
        hand_digest = [(sql, params) for _label, sql, params in hand.statements]
        hand.statements = []
        hand.report()
        hand_report = [(sql, params) for _label, sql, params in hand.statements]
        hand.record = False
        for label, whole, statements in (
            ("leadcell digest", timings["digest leadcell"], lc_digest),
            ("hand digest", timings["digest hand"], hand_digest),
            ("leadcell report", timings["report leadcell"], lc_report),
            ("hand report", timings["report hand"], hand_report),
        ):
            breakdown[label] = (
                whole.p50,
                statements_ms(engine, statements, args.repeat),
                len(statements),
            )

        reader = team_reader(report.team)  # what the worker posts with
        rendering = {label: Timings() for label in ("digest_messages", "report_messages")}
        for _ in range(args.repeat):
            timed(lambda: digest_messages(digest, reader), rendering["digest_messages"])
            timed(lambda: report_messages(report, reader), rendering["report_messages"])
        global _FILES_DRAWN
        labels = ["report_files (again)"]
        if not _FILES_DRAWN:  # matplotlib's first figure in this process
            labels.insert(0, "report_files (first)")
            _FILES_DRAWN = True
        for label in labels:
            rendering[label] = Timings()
            timed(lambda: report_files(report, reader), rendering[label])
        load_after = load()
        return Result(name, size, timings, rendering, breakdown, problems, load_before, load_after)
    finally:
        engine.dispose()


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_result(result: Result) -> None:
    t = result.timings
    say()
    say(
        f"== {result.database} == {result.size.calls:,} calls, {result.size.leads:,} leads, "
        f"{result.size.bytes / 2**20:,.0f} MiB; {result.load_before} before, "
        f"{result.load_after} after"
    )
    say(
        f"{'what':8} | {'leadcell ms p50/p95/max':>23} | {'hand SQL ms p50/p95/max':>23} | "
        f"{'ratio p50 (p95)':>15} | {'target':>16} | time | ratio"
    )
    for what, target in (("digest", TARGET_DIGEST_MS), ("report", TARGET_REPORT_MS)):
        ours, theirs = t[f"{what} leadcell"], t[f"{what} hand"]
        ratio, ratio95 = ours.p50 / theirs.p50, ours.p95 / theirs.p95
        say(
            f"{what:8} | {ours.cell():>23} | {theirs.cell():>23} | "
            f"{f'x{ratio:.2f} (x{ratio95:.2f})':>15} | "
            f"{f'<= {target:.0f} ms, <= {TARGET_RATIO:.0f}x':>16} | "
            f"{verdict(ours.p95 <= target)} | {verdict(ratio <= TARGET_RATIO)}"
        )
    for what in ("digest", "report"):
        ours, merged = t[f"{what} leadcell"], t[f"{what} merged"]
        say(
            f"{what + '*':8} | {'':>23} | {merged.cell():>23} | "
            f"{f'x{ours.p50 / merged.p50:.2f} (x{ours.p95 / merged.p95:.2f})':>15} |"
        )
    say(
        "(time: leadcell p95 against the target; ratio: leadcell p50 / hand p50;\n"
        " *: hand SQL merged into fewer statements, for information)"
    )
    say("where the time goes (p50; the statements re-run alone on a DBAPI cursor):")
    for what, (total, inside, count) in result.breakdown.items():
        say(
            f"  {what:16} {total:6.1f} ms: {count} statements {inside:5.1f} ms, "
            f"the rest {total - inside:5.1f} ms (Python: session, ORM, assembly; pool)"
        )
    say(
        "rendering (not in the figures above), ms p50/p95/max: "
        + "; ".join(
            f"{label} {timing.cell().split()[0]}/{timing.cell().split()[1]}/"
            f"{timing.cell().split()[2]}"
            if len(timing.values) > 1
            else f"{label} {timing.values[0]:.0f}"
            for label, timing in result.rendering.items()
        )
    )
    if result.problems:
        say("query problems:")
        for problem in result.problems:
            say(f"  - {problem}")
    else:
        say("query plans: every leadcell query uses the index it should.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        help="admin connection; the data goes in database " + PG_DATABASE,
    )
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--rate", type=float, default=DEFAULT_RATE, help="useful contacts per agent and working day"
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--plans", action="store_true", help="print every plan in full")
    parser.add_argument("--prepare-only", action="store_true")
    args = parser.parse_args(argv)
    say(f"bench/reports.py: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {load()}")
    chosen = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    urls = {}
    for database in chosen:
        urls[database] = (prepare_sqlite if database == "sqlite" else prepare_postgresql)(args)
    if args.prepare_only:
        return 0
    results = []
    for database in chosen:
        name = "SQLite" if database == "sqlite" else "PostgreSQL"
        results.append(bench_database(name, urls[database], args))
    for result in results:
        print_result(result)
    say(f"\n{load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
