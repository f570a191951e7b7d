"""The monthly cost-per-lead report, as frozen facts; which team a report is about.

Computed from grouped SQL queries (models.report_queries) and the month-by-month
costs (models.cost_queries), in the team's own time zone. Derived figures (cost
per lead, the ratio to telemarketing, the share of leads, cost per qualified
lead) are kept exact: they are rounded once, where they are shown (bot.views.report,
the CSV). The daily digest is in models.digest.

Costs are money: reading this report is `Action.MONEY_READ`, for the team's
managers and admins. What "qualified" counts: a lead that reached qualified
(whatever happened next, unless it was released and so started again as new), or
that was won.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models.actors import Actor, TeamFacts
from models.cost_queries import MonthCosts, month_costs
from models.errors import InvalidInput, NotFound
from models.leads import Source
from models.periods import add_months, month_bounds, month_of
from models.policy import Action, require
from models.report_queries import (
    LeadCounts,
    TeamRow,
    lead_counts_by_month,
    team_by_slug,
    team_row,
    team_slugs,
)
from models.roster import RosterProblem

TRAILING_MONTHS = 12


# --- which team ---------------------------------------------------------------------------------


def team_facts_of(row: TeamRow) -> TeamFacts:
    """The TeamFacts of a team row."""
    return TeamFacts(
        id=row.id,
        slug=row.slug,
        name=row.name,
        timezone=row.timezone,
        currency=row.currency,
        language=row.language,
        daily_contact_target=row.daily_contact_target,
    )


def report_team(session: Session, team_id: int) -> TeamFacts:
    """The team a digest or report is about, or NotFound (RosterProblem.TEAM_NOT_FOUND)."""
    row = team_row(session, team_id=team_id)
    if row is None:
        raise NotFound(
            RosterProblem.TEAM_NOT_FOUND,
            field="team",
            slug=None,
            team_id=team_id,
            known=team_slugs(session),
        )
    return team_facts_of(row)


def requested_team(session: Session, *, actor: Actor, slug: str | None) -> TeamFacts:
    """The team a report request is about: the one `slug` names, else the actor's own team,
    else the only team there is. Whether the actor may read it is checked by the report.

    Refused as every "which team?" is (models.roster): TEAM_NOT_FOUND, TEAM_NOT_CHOSEN.
    """
    if slug:
        row = team_by_slug(session, slug=slug.strip().lower())
        if row is None:
            raise NotFound(
                RosterProblem.TEAM_NOT_FOUND, field="team", slug=slug, known=team_slugs(session)
            )
        return team_facts_of(row)
    if actor.team is not None:
        return actor.team
    slugs = team_slugs(session)
    if len(slugs) == 1:
        row = team_by_slug(session, slug=slugs[0])
        assert row is not None
        return team_facts_of(row)
    raise InvalidInput(RosterProblem.TEAM_NOT_CHOSEN, field="team", known=slugs)


# --- the figures ---------------------------------------------------------------------------------


def per(amount: Decimal, count: int) -> Decimal | None:
    """`amount / count`, exact (to Decimal's 28 digits); None when count is 0."""
    if count <= 0:
        return None
    return amount / Decimal(count)


def cost_recorded(costs: MonthCosts, source: Source) -> bool:
    """True when something makes up the source's cost in the month (else it has "no cost
    recorded", which is not the same as a cost of zero).

    Something is: its share of a recorded cell cost (telemarketing keeps the whole
    cell cost when there is no split), a cost recorded for it, or an event cost.
    """
    cell = Source.TELEMARKETING in costs.recorded and (
        source == Source.TELEMARKETING or costs.share(source) > 0
    )
    own = source != Source.TELEMARKETING and source in costs.recorded
    return cell or own or source in costs.events


@dataclass(frozen=True)
class SourceFigures:
    """One lead source over a period, with its derived figures exact.

    A derived figure is None where it has no meaning: no leads (or nobody
    qualified) to divide by, no cost recorded for the source, or no telemarketing
    cost per lead to compare with. `share` is a fraction of all leads (0.25: 25 %).
    """

    source: Source
    cost: Decimal
    cost_recorded: bool
    leads: int
    qualified: int
    cost_per_lead: Decimal | None
    ratio_to_telemarketing: Decimal | None
    share: Decimal | None
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
    def cost_recorded(self) -> bool:
        """True when any source has a cost recorded."""
        return any(r.cost_recorded for r in self.rows)

    @property
    def cost_per_lead(self) -> Decimal | None:
        return per(self.total_cost, self.total_leads) if self.cost_recorded else None

    @property
    def cost_per_qualified(self) -> Decimal | None:
        return per(self.total_cost, self.total_qualified) if self.cost_recorded else None

    @property
    def is_empty(self) -> bool:
        """No cost recorded and no lead."""
        return not self.cost_recorded and self.total_leads == 0


def source_table(
    first_month: date,
    last_month: date,
    costs: Mapping[Source, Decimal],
    counts: Mapping[Source, LeadCounts],
    recorded: Collection[Source] | None = None,
) -> SourceTable:
    """The figures of every source from its cost and lead counts over a period.

    `recorded` names the sources with a cost recorded (default: those in `costs`).
    """
    has_cost = set(costs) if recorded is None else set(recorded)
    total_leads = sum(c.leads for c in counts.values())

    def cost_per_lead(source: Source) -> Decimal | None:
        if source not in has_cost:
            return None
        return per(costs.get(source, Decimal(0)), counts.get(source, LeadCounts()).leads)

    base = cost_per_lead(Source.TELEMARKETING)
    rows = []
    for source in Source:
        cost = costs.get(source, Decimal(0))
        found = counts.get(source, LeadCounts())
        own = cost_per_lead(source)
        rows.append(
            SourceFigures(
                source=source,
                cost=cost,
                cost_recorded=source in has_cost,
                leads=found.leads,
                qualified=found.qualified,
                cost_per_lead=own,
                ratio_to_telemarketing=own / base if own is not None and base else None,
                share=Decimal(found.leads) / Decimal(total_leads) if total_leads else None,
                cost_per_qualified=per(cost, found.qualified) if source in has_cost else None,
            )
        )
    return SourceTable(first_month, last_month, tuple(rows))


@dataclass(frozen=True)
class CostPerLeadSeries:
    """Cost per lead of each source, month by month, exact.

    None marks a month where the source had no leads or no cost recorded: a gap
    in the chart, never a zero.
    """

    months: tuple[date, ...]
    lines: tuple[tuple[Source, tuple[Decimal | None, ...]], ...]

    def of(self, source: Source) -> tuple[Decimal | None, ...]:
        return dict(self.lines)[source]


@dataclass(frozen=True)
class MonthlyReport:
    """Cost per lead by source for `month`, over the trailing 12 months, and month by month."""

    team: TeamFacts
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
        """No cost recorded and no lead in the month."""
        return self.month_table.is_empty


@dataclass(frozen=True)
class _Months:
    months: list[date]
    costs: list[MonthCosts]
    counts: dict[tuple[int, Source], LeadCounts]

    def leads(self, index: int, source: Source) -> LeadCounts:
        return self.counts.get((index, source), LeadCounts())


def _months(session: Session, team: TeamFacts, end_month: date, count: int) -> _Months:
    months = [add_months(month_of(end_month), -i) for i in range(count - 1, -1, -1)]
    zone = ZoneInfo(team.timezone)
    bounds = [month_bounds(zone, m)[0] for m in months] + [month_bounds(zone, months[-1])[1]]
    counts = lead_counts_by_month(session, team_id=team.id, bounds=bounds)
    costs = month_costs(session, team_id=team.id, first_month=months[0], last_month=months[-1])
    return _Months(months, costs, counts)


def _series(data: _Months) -> CostPerLeadSeries:
    lines = []
    for source in Source:
        values = tuple(
            per(data.costs[i].cost(source), data.leads(i, source).leads)
            if cost_recorded(data.costs[i], source)
            else None
            for i in range(len(data.months))
        )
        lines.append((source, values))
    return CostPerLeadSeries(tuple(data.months), tuple(lines))


def _table(data: _Months, span: range) -> SourceTable:
    return source_table(
        data.months[span[0]],
        data.months[span[-1]],
        {s: sum((data.costs[i].cost(s) for i in span), Decimal(0)) for s in Source},
        {s: sum((data.leads(i, s) for i in span), LeadCounts()) for s in Source},
        recorded={s for s in Source if any(cost_recorded(data.costs[i], s) for i in span)},
    )


def cost_per_lead_series(
    session: Session,
    *,
    actor: Actor,
    team_id: int,
    end_month: date,
    months: int = TRAILING_MONTHS,
) -> CostPerLeadSeries:
    """Cost per lead of each source for the `months` months ending with `end_month`."""
    if months < 1:
        raise ValueError("months must be at least 1")
    require(actor, Action.MONEY_READ, team_id=team_id)
    return _series(_months(session, report_team(session, team_id), end_month, months))


def monthly_report(session: Session, *, actor: Actor, team_id: int, month: date) -> MonthlyReport:
    """The cost-per-lead report of a team-local month (and the 12 months ending with it)."""
    require(actor, Action.MONEY_READ, team_id=team_id)
    team = report_team(session, team_id)
    data = _months(session, team, month, TRAILING_MONTHS)
    last = len(data.months) - 1
    return MonthlyReport(
        team=team,
        month=data.months[-1],
        month_table=_table(data, range(last, last + 1)),
        trailing=_table(data, range(len(data.months))),
        series=_series(data),
    )
