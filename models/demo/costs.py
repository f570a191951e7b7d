"""Demo costs: the cell's monthly cost, its split with seminars, event costs, and cost per lead.

Reporting rule (the monthly report's): for source S and month M,
cost(S) = cell(M) x split(M)[S] / 100 + MonthlyCost(S, M) (S other than
telemarketing) + the costs of the events of kind S held in M, where cell(M) is
MonthlyCost(telemarketing, M) and split(M) the month's CostSplit (default:
telemarketing 100). Leads(S) are the leads of source S created in M, in the
team's time zone.

Event costs are calibrated per 12 whole months so that, by that rule, a seminar
lead costs about 5 times a telemarketing lead and a trade-show lead about 10 times.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from random import Random

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.demo.clock import Clock
from models.demo.events import PlannedEvent
from models.leads import Source
from models.periods import add_months
from models.tables import CostSplit, Event, Lead, MonthlyCost

AGENT_MONTHLY_COST = 6_350  # salary with employer charges, phone and tools
AGENT_DECEMBER_BONUS = 5_000  # the 13th month
YEARLY_RAISE = 0.025
SPLIT = {Source.TELEMARKETING.value: 70, Source.SEMINAR.value: 30}
TARGET_RATIOS = {Source.SEMINAR.value: 5.0, Source.TRADE_SHOW.value: 10.0}
RATIO_JITTER = 0.04
HUNDRED = Decimal(100)


def cell_cost(month: date, *, agents: int, first_year: int) -> Decimal:
    """What the cell of `agents` permanent employees costs in `month`."""
    amount = AGENT_MONTHLY_COST * agents * (1 + YEARLY_RAISE) ** (month.year - first_year)
    if month.month == 12:
        amount += AGENT_DECEMBER_BONUS * agents
    return Decimal(round(amount, -2))


def cost_rows(
    team_id: int, currency: str, cells: Mapping[date, Decimal], clock: Clock
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """MonthlyCost rows (the cell, as telemarketing) and CostSplit rows, one set a month."""
    costs: list[dict[str, object]] = []
    splits: list[dict[str, object]] = []
    for month, amount in cells.items():
        updated = clock.at(month, 9 * 3600)
        costs.append(
            {
                "team_id": team_id,
                "month": month,
                "source": Source.TELEMARKETING.value,
                "amount": amount,
                "currency": currency,
                "updated_at": updated,
            }
        )
        splits.extend(
            {"team_id": team_id, "month": month, "source": source, "percent": Decimal(percent)}
            for source, percent in SPLIT.items()
        )
    return costs, splits


def calibrate(
    rng: Random,
    events: Sequence[PlannedEvent],
    cells: Mapping[date, Decimal],
    leads: Mapping[tuple[str, date], int],
) -> None:
    """Set every event's cost so each block of months hits the ratios.

    The blocks are the current (last) month, then 12 whole months at a time going
    back: the trailing year of the last monthly report is one of them. Events of
    a block with no leads of their kind keep their provisional cost.
    """
    months = sorted(cells)
    whole = months[:-1]
    blocks = [months[-1:]] + [whole[max(0, end - 12) : end] for end in range(len(whole), 0, -12)]
    for block in blocks:
        cell = sum((cells[m] for m in block), Decimal(0))
        telemarketing = sum(leads.get((Source.TELEMARKETING.value, m), 0) for m in block)
        for kind, ratio in TARGET_RATIOS.items():
            mine = [e for e in events if e.kind == kind and e.held_on.replace(day=1) in block]
            for event in mine:
                event.cost = event.raw_cost
            count = sum(leads.get((kind, m), 0) for m in block)
            raw = sum((e.raw_cost for e in mine), Decimal(0))
            if not (mine and count and telemarketing and raw):
                continue
            per_lead = cell * SPLIT[Source.TELEMARKETING.value] / HUNDRED / telemarketing
            target = per_lead * Decimal(ratio * rng.uniform(1 - RATIO_JITTER, 1 + RATIO_JITTER))
            needed = target * count - cell * SPLIT.get(kind, 0) / HUNDRED
            if needed <= raw / 5:
                continue
            for event in mine:
                event.cost = (event.raw_cost * needed / raw).quantize(Decimal(10))


@dataclass(frozen=True)
class SourceCost:
    """What a lead source cost over a period, and the leads it brought."""

    source: str
    cost: Decimal
    leads: int

    @property
    def per_lead(self) -> Decimal | None:
        """Cost per lead, or None when the source brought no lead."""
        return (self.cost / self.leads).quantize(Decimal("0.01")) if self.leads else None


def cost_per_lead(
    session: Session, *, team_id: int, clock: Clock, first_month: date, last_month: date
) -> dict[str, SourceCost]:
    """Cost, leads and cost per lead of every source over whole months, by the reporting rule."""
    end_month = add_months(last_month, 1)
    in_range = (col(MonthlyCost.month) >= first_month, col(MonthlyCost.month) < end_month)
    costs: dict[tuple[date, str], Decimal] = {
        (month, source): amount
        for month, source, amount in session.exec(
            select(MonthlyCost.month, MonthlyCost.source, MonthlyCost.amount).where(
                MonthlyCost.team_id == team_id, *in_range
            )
        )
    }
    splits: dict[date, dict[str, Decimal]] = {}
    for month, source, percent in session.exec(
        select(CostSplit.month, CostSplit.source, CostSplit.percent).where(
            CostSplit.team_id == team_id,
            col(CostSplit.month) >= first_month,
            col(CostSplit.month) < end_month,
        )
    ):
        splits.setdefault(month, {})[source] = percent
    totals = {source.value: Decimal(0) for source in Source}
    month = first_month
    while month < end_month:
        cell = costs.get((month, Source.TELEMARKETING.value), Decimal(0))
        split = splits.get(month) or {Source.TELEMARKETING.value: HUNDRED}
        for source in totals:
            totals[source] += cell * split.get(source, Decimal(0)) / HUNDRED
            if source != Source.TELEMARKETING.value:
                totals[source] += costs.get((month, source), Decimal(0))
        month = add_months(month, 1)
    for kind, amount in session.exec(
        select(Event.kind, func.sum(Event.cost))
        .where(
            Event.team_id == team_id,
            col(Event.held_on) >= first_month,
            col(Event.held_on) < end_month,
        )
        .group_by(Event.kind)
    ):
        if kind in totals and amount is not None:
            totals[kind] += Decimal(amount)
    start, end = _utc(clock, first_month), _utc(clock, end_month)
    counts = dict(
        session.exec(
            select(Lead.source, func.count())
            .where(
                Lead.team_id == team_id,
                col(Lead.created_at) >= start,
                col(Lead.created_at) < end,
            )
            .group_by(Lead.source)
        ).all()
    )
    return {
        source: SourceCost(source, amount.quantize(Decimal("0.01")), int(counts.get(source, 0)))
        for source, amount in totals.items()
    }


def _utc(clock: Clock, day: date) -> datetime:
    return clock.midnight(day).astimezone(UTC)
