"""Reading a team's costs month by month, and the cost of each lead source.

The cost of source S in month M of team T:

    cell     = MonthlyCost(T, M, telemarketing)        (0 when none)
    split    = CostSplit(T, M) percents by source      (telemarketing 100 when none)
    cost(S)  = cell * split[S] / 100, rounded to the cent
             + MonthlyCost(T, M, S)                    (when S is not telemarketing)
             + the costs of T's events of kind S held in M
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from models.leads import Source
from models.money import CENT
from models.periods import add_months, month_of, months_between
from models.roster import team_by_id
from models.tables import CostSplit, Event, MonthlyCost

HUNDRED = Decimal(100)
MAX_LISTED_MONTHS = 24

__all__ = [
    "CENT",
    "HUNDRED",
    "MAX_LISTED_MONTHS",
    "MonthCosts",
    "list_costs",
    "month_costs",
    "team_by_id",
]


@dataclass(frozen=True)
class MonthCosts:
    """Everything that makes up a team's costs in one month, and the cost of each source."""

    month: date
    currency: str
    recorded: Mapping[Source, Decimal] = field(default_factory=dict)
    split: Mapping[Source, Decimal] = field(default_factory=dict)
    events: Mapping[Source, Decimal] = field(default_factory=dict)

    @property
    def split_recorded(self) -> bool:
        """True when the month has a split of its own (else telemarketing keeps 100 %)."""
        return bool(self.split)

    def share(self, source: Source) -> Decimal:
        """The percent of the telemarketing cell's cost that goes to `source`."""
        if not self.split:
            return HUNDRED if source == Source.TELEMARKETING else Decimal(0)
        return self.split.get(source, Decimal(0))

    def cost(self, source: Source) -> Decimal:
        """What `source` cost in the month, by the definition at the top of this module."""
        cell = self.recorded.get(Source.TELEMARKETING, Decimal(0))
        total = (cell * self.share(source) / HUNDRED).quantize(CENT, ROUND_HALF_UP)
        if source != Source.TELEMARKETING:
            total += self.recorded.get(source, Decimal(0))
        return total + self.events.get(source, Decimal(0))

    @property
    def total(self) -> Decimal:
        """The month's cost over every source."""
        return sum((self.cost(source) for source in Source), Decimal(0))

    @property
    def is_empty(self) -> bool:
        """No cost recorded, no split, no event cost."""
        return not (self.recorded or self.split or self.events)


def _money(value: object) -> Decimal:
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def _source(value: str) -> Source:
    try:
        return Source(value)
    except ValueError:
        return Source.OTHER


def month_costs(
    session: Session, *, team_id: int, first_month: date, last_month: date
) -> list[MonthCosts]:
    """The costs of every month from `first_month` to `last_month` (three small queries)."""
    team = team_by_id(session, team_id)
    months = months_between(first_month, last_month)
    if not months:
        return []
    start, end = months[0], add_months(months[-1], 1)
    recorded: dict[date, dict[Source, Decimal]] = {m: {} for m in months}
    for month, source, amount in session.exec(
        select(MonthlyCost.month, MonthlyCost.source, MonthlyCost.amount).where(
            MonthlyCost.team_id == team_id,
            col(MonthlyCost.month) >= start,
            col(MonthlyCost.month) < end,
        )
    ).all():
        bucket = recorded[month_of(month)]
        bucket[_source(source)] = bucket.get(_source(source), Decimal(0)) + _money(amount)
    split: dict[date, dict[Source, Decimal]] = {m: {} for m in months}
    for month, source, percent in session.exec(
        select(CostSplit.month, CostSplit.source, CostSplit.percent).where(
            CostSplit.team_id == team_id,
            col(CostSplit.month) >= start,
            col(CostSplit.month) < end,
        )
    ).all():
        split[month_of(month)][_source(source)] = _money(percent)
    # Grouping by a CASE over bound parameters is done through a subquery: PostgreSQL
    # (server-side binding) does not match the same expression in SELECT and GROUP BY.
    held = (
        select(
            case(
                *[(col(Event.held_on) < add_months(m, 1), i) for i, m in enumerate(months)],
                else_=-1,
            ).label("bucket"),
            col(Event.kind).label("kind"),
            col(Event.cost).label("cost"),
        )
        .where(
            Event.team_id == team_id,
            col(Event.held_on) >= start,
            col(Event.held_on) < end,
            col(Event.cost).is_not(None),
        )
        .subquery()
    )
    events: dict[date, dict[Source, Decimal]] = {m: {} for m in months}
    for bucket, kind, cost in session.exec(
        select(held.c.bucket, held.c.kind, func.sum(held.c.cost)).group_by(
            held.c.bucket, held.c.kind
        )
    ).all():
        if 0 <= bucket < len(months) and cost is not None:
            events[months[bucket]][_source(kind)] = _money(cost)
    return [
        MonthCosts(
            month=m, currency=team.currency, recorded=recorded[m], split=split[m], events=events[m]
        )
        for m in months
    ]


def list_costs(session: Session, *, team_id: int, month: date | None = None) -> list[MonthCosts]:
    """One month's costs; without a month, every month with anything recorded, newest first."""
    if month is not None:
        return month_costs(session, team_id=team_id, first_month=month, last_month=month)
    found: set[date] = set()
    for table in (MonthlyCost, CostSplit):
        found |= set(
            session.exec(
                select(table.month).where(table.team_id == team_id).distinct()  # type: ignore[attr-defined]
            ).all()
        )
    event_days = session.exec(
        select(func.min(Event.held_on), func.max(Event.held_on)).where(
            Event.team_id == team_id, col(Event.cost).is_not(None)
        )
    ).one()
    if event_days[0] is not None:
        found |= set(months_between(event_days[0], event_days[1]))
    if not found:
        return []
    newest = sorted({month_of(m) for m in found}, reverse=True)[:MAX_LISTED_MONTHS]
    costs = month_costs(session, team_id=team_id, first_month=newest[-1], last_month=newest[0])
    return [c for c in reversed(costs) if not c.is_empty]
