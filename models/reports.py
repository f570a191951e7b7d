"""The daily digest and the monthly cost-per-lead report: what they say, as frozen data.

Both are computed from grouped SQL queries (models.report_queries) and the
month-by-month costs (models.cost_queries), in the team's own time zone. The bot
renders them (bot.reports); the worker schedules and posts them. The digest lives
in models.digest and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlmodel import Session

from models.cost_queries import CENT, HUNDRED, MonthCosts, month_costs, team_by_id
from models.digest import (
    UNCLAIMED_AFTER,
    UNCLAIMED_LIMIT,
    AgentDay,
    DailyDigest,
    DigestLead,
    TeamInfo,
    daily_digest,
    local_date,
)
from models.leads import Source
from models.periods import add_months, month_bounds, month_of
from models.report_queries import LeadCounts, lead_counts_by_month
from models.roster import timezone_of
from models.tables import Team

__all__ = [
    "TRAILING_MONTHS",
    "UNCLAIMED_AFTER",
    "UNCLAIMED_LIMIT",
    "AgentDay",
    "CostPerLeadSeries",
    "DailyDigest",
    "DigestLead",
    "MonthlyReport",
    "SourceFigures",
    "SourceTable",
    "TeamInfo",
    "cost_per_lead_series",
    "daily_digest",
    "local_date",
    "monthly_report",
    "per",
    "source_table",
]

TRAILING_MONTHS = 12
SHARE_STEP = Decimal("0.1")


def per(amount: Decimal, count: int) -> Decimal | None:
    """`amount / count` to the cent, or None when count is 0."""
    if count <= 0:
        return None
    return (amount / Decimal(count)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class SourceFigures:
    """One lead source over a period. None where a figure has no meaning (no leads)."""

    source: Source
    cost: Decimal
    leads: int
    qualified: int
    cost_per_lead: Decimal | None
    ratio_to_telemarketing: Decimal | None
    share_percent: Decimal | None
    cost_per_qualified: Decimal | None


@dataclass(frozen=True)
class SourceTable:
    """Every source over the months `first_month` to `last_month` (both included)."""

    first_month: date
    last_month: date
    rows: tuple[SourceFigures, ...]

    def row(self, source: Source) -> SourceFigures:
        return next(r for r in self.rows if r.source == source)

    @property
    def total_cost(self) -> Decimal:
        return sum((r.cost for r in self.rows), Decimal(0))

    @property
    def total_leads(self) -> int:
        return sum(r.leads for r in self.rows)

    @property
    def total_qualified(self) -> int:
        return sum(r.qualified for r in self.rows)

    @property
    def cost_per_lead(self) -> Decimal | None:
        return per(self.total_cost, self.total_leads)

    @property
    def cost_per_qualified(self) -> Decimal | None:
        return per(self.total_cost, self.total_qualified)


def source_table(
    first_month: date,
    last_month: date,
    costs: Mapping[Source, Decimal],
    counts: Mapping[Source, LeadCounts],
) -> SourceTable:
    """The figures of every source from its cost and lead counts over a period."""
    total_leads = sum(c.leads for c in counts.values())
    base_cost = costs.get(Source.TELEMARKETING, Decimal(0))
    base_leads = counts.get(Source.TELEMARKETING, LeadCounts()).leads
    rows = []
    for source in Source:
        cost = costs.get(source, Decimal(0))
        found = counts.get(source, LeadCounts())
        ratio = None
        if found.leads and base_leads and base_cost > 0:
            ratio = ((cost / found.leads) / (base_cost / base_leads)).quantize(CENT, ROUND_HALF_UP)
        share = None
        if total_leads:
            share = (Decimal(found.leads) * HUNDRED / total_leads).quantize(
                SHARE_STEP, ROUND_HALF_UP
            )
        rows.append(
            SourceFigures(
                source=source,
                cost=cost,
                leads=found.leads,
                qualified=found.qualified,
                cost_per_lead=per(cost, found.leads),
                ratio_to_telemarketing=ratio,
                share_percent=share,
                cost_per_qualified=per(cost, found.qualified),
            )
        )
    return SourceTable(first_month, last_month, tuple(rows))


@dataclass(frozen=True)
class CostPerLeadSeries:
    """Cost per lead of each source, month by month; None marks a month without leads."""

    months: tuple[date, ...]
    lines: tuple[tuple[Source, tuple[Decimal | None, ...]], ...]

    def of(self, source: Source) -> tuple[Decimal | None, ...]:
        return dict(self.lines)[source]


@dataclass(frozen=True)
class MonthlyReport:
    """Cost per lead by source for `month`, over the trailing 12 months, and month by month."""

    team: TeamInfo
    month: date
    month_table: SourceTable
    trailing: SourceTable
    series: CostPerLeadSeries

    @property
    def period(self) -> str:
        """The ledger period of this report: `2026-10`."""
        return f"{self.month:%Y-%m}"

    @property
    def is_empty(self) -> bool:
        """No cost and no lead in the month."""
        return self.month_table.total_cost == 0 and self.month_table.total_leads == 0


@dataclass(frozen=True)
class _Months:
    months: list[date]
    costs: list[MonthCosts]
    counts: dict[tuple[int, Source], LeadCounts]


def _months(session: Session, team: Team, end_month: date, count: int) -> _Months:
    months = [add_months(month_of(end_month), -i) for i in range(count - 1, -1, -1)]
    zone = timezone_of(team)
    bounds = [month_bounds(zone, m)[0] for m in months] + [month_bounds(zone, months[-1])[1]]
    counts = lead_counts_by_month(session, team_id=team.id or 0, bounds=bounds)
    costs = month_costs(session, team_id=team.id or 0, first_month=months[0], last_month=months[-1])
    return _Months(months, costs, counts)


def _series(data: _Months) -> CostPerLeadSeries:
    lines = []
    for source in Source:
        values = tuple(
            per(data.costs[i].cost(source), data.counts.get((i, source), LeadCounts()).leads)
            for i in range(len(data.months))
        )
        lines.append((source, values))
    return CostPerLeadSeries(tuple(data.months), tuple(lines))


def cost_per_lead_series(
    session: Session, *, team_id: int, end_month: date, months: int = TRAILING_MONTHS
) -> CostPerLeadSeries:
    """Cost per lead of each source for the `months` months ending with `end_month`."""
    if months < 1:
        raise ValueError("months must be at least 1")
    return _series(_months(session, team_by_id(session, team_id), end_month, months))


def monthly_report(session: Session, *, team_id: int, month: date) -> MonthlyReport:
    """The cost-per-lead report of a team-local month (and the 12 months ending with it)."""
    team = team_by_id(session, team_id)
    data = _months(session, team, month, TRAILING_MONTHS)
    last = len(data.months) - 1
    month_table = source_table(
        data.months[-1],
        data.months[-1],
        {s: data.costs[last].cost(s) for s in Source},
        {s: data.counts.get((last, s), LeadCounts()) for s in Source},
    )
    trailing_costs = {s: sum((c.cost(s) for c in data.costs), Decimal(0)) for s in Source}
    trailing_counts = {
        s: sum(
            (data.counts.get((i, s), LeadCounts()) for i in range(len(data.months))), LeadCounts()
        )
        for s in Source
    }
    trailing = source_table(data.months[0], data.months[-1], trailing_costs, trailing_counts)
    return MonthlyReport(
        team=TeamInfo.of(team),
        month=data.months[-1],
        month_table=month_table,
        trailing=trailing,
        series=_series(data),
    )
