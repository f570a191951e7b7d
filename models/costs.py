"""Recording what each lead source cost a team: monthly costs, imports and splits.

How these make up the cost of each source is in models.cost_queries. Months are
named by their first day (`date(2026, 10, 1)`). Amounts are Decimal in the
team's currency, read by bot.grammar.amounts; costs are money, so reading them
needs `Action.MONEY_READ` and recording them `Action.COST_WRITE` (models.policy).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from models.actors import Actor
from models.cost_queries import HUNDRED, MonthCosts, list_costs
from models.db import begin_write, utcnow
from models.errors import DomainError, InvalidInput, Problem
from models.leads import Source
from models.money import CENT, check_money
from models.periods import month_of
from models.policy import Action, require
from models.roster import TeamSettings, team_by_id
from models.tables import CostSplit, MonthlyCost, Team

#: Refusals of a costs file name at most this many bad lines.
MAX_REPORTED_LINES = 20


class CostProblem(Problem):
    """Why a cost, a split or a costs file is refused."""

    SOURCE_UNKNOWN = "cost.source_unknown"
    SHARE_OUT_OF_RANGE = "cost.share_out_of_range"
    SHARE_TWICE = "cost.share_twice"
    SHARES_MISSING = "cost.shares_missing"
    SHARES_TOTAL = "cost.shares_total"
    FILE_UNREADABLE = "cost.file_unreadable"
    FILE_HEADER = "cost.file_header"
    FILE_EMPTY = "cost.file_empty"
    FILE_LINES = "cost.file_lines"
    FILE_LINE_REPEATED = "cost.file_line_repeated"
    FILE_TEAM_MISSING = "cost.file_team_missing"


@dataclass(frozen=True)
class CostEntry:
    """A recorded monthly cost, and what it replaced (None: it is new)."""

    team_slug: str
    month: date
    source: Source
    amount: Decimal
    currency: str
    previous: Decimal | None


@dataclass(frozen=True)
class SplitEntry:
    """How a month's cell cost is now shared: every source's percent (0 when none)."""

    team: TeamSettings
    month: date
    shares: Mapping[Source, Decimal]


@dataclass(frozen=True)
class CostLine:
    """One row of a costs file, read (bot.grammar.cost_file): `line` is its line number."""

    line: int
    team_id: int
    month: date
    source: Source
    amount: Decimal


@dataclass(frozen=True)
class LineProblem:
    """Why one line of a costs file is refused."""

    line: int
    error: DomainError


@dataclass(frozen=True)
class CostList:
    """A team's costs: one month's, or every month with something recorded (newest first)."""

    team: TeamSettings
    month: date | None
    months: tuple[MonthCosts, ...]


def _upsert_cost(
    session: Session, team: Team, month: date, source: Source, amount: Decimal
) -> CostEntry:
    """Write one monthly cost without committing: a single INSERT … ON CONFLICT UPDATE."""
    amount = check_money(amount)
    previous = session.exec(
        select(MonthlyCost.amount).where(
            MonthlyCost.team_id == team.id,
            MonthlyCost.month == month,
            MonthlyCost.source == source.value,
        )
    ).first()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    statement = insert(MonthlyCost).values(
        team_id=team.id,
        month=month,
        source=source.value,
        amount=amount,
        currency=team.currency,
        updated_at=now,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["team_id", "month", "source"],
        set_={"amount": amount, "currency": team.currency, "updated_at": now},
    )
    session.execute(statement)
    return CostEntry(
        team.slug,
        month,
        source,
        amount,
        team.currency,
        Decimal(previous).quantize(CENT) if previous is not None else None,
    )


def set_cost(
    session: Session,
    *,
    actor: Actor,
    team_id: int,
    month: date,
    source: Source,
    amount: Decimal,
) -> CostEntry:
    """Record (or replace) what a source cost a team in a month, in the team's currency."""
    require(actor, Action.COST_WRITE, team_id=team_id)
    check_money(amount)
    begin_write(session)
    team = team_by_id(session, team_id)
    entry = _upsert_cost(session, team, month_of(month), Source(source), amount)
    session.commit()
    return entry


def check_shares(shares: Mapping[Source, Decimal]) -> None:
    """Raise InvalidInput unless the percents are from 0 to 100, in cents, adding up to 100."""
    if not shares:
        raise InvalidInput(CostProblem.SHARES_MISSING, field="shares")
    for source, percent in shares.items():
        if not isinstance(percent, Decimal):
            raise TypeError(f"a share must be a Decimal, not {type(percent).__name__}")
        if not (
            percent.is_finite() and 0 <= percent <= HUNDRED and percent == percent.quantize(CENT)
        ):
            raise InvalidInput(
                CostProblem.SHARE_OUT_OF_RANGE, field="shares", source=source, percent=percent
            )
    total = sum(shares.values(), Decimal(0))
    if total != HUNDRED:
        raise InvalidInput(CostProblem.SHARES_TOTAL, field="shares", total=total)


def set_split(
    session: Session,
    *,
    actor: Actor,
    team_id: int,
    month: date,
    shares: Mapping[Source, Decimal],
) -> SplitEntry:
    """Replace how a month's telemarketing-cell cost is shared between sources (percents)."""
    require(actor, Action.COST_WRITE, team_id=team_id)
    shares = {Source(source): percent for source, percent in shares.items()}
    check_shares(shares)
    begin_write(session)
    team = team_by_id(session, team_id)
    month = month_of(month)
    session.execute(
        delete(CostSplit).where(col(CostSplit.team_id) == team.id, col(CostSplit.month) == month)
    )
    for source, percent in shares.items():
        session.add(CostSplit(team_id=team_id, month=month, source=source.value, percent=percent))
    session.commit()
    return SplitEntry(
        TeamSettings.of(team),
        month,
        {source: shares.get(source, Decimal(0)) for source in Source},
    )


def import_costs(session: Session, *, actor: Actor, rows: Sequence[CostLine]) -> list[CostEntry]:
    """Record every row, or none: a repeated (team, month, source) names both lines."""
    if not rows:
        raise InvalidInput(CostProblem.FILE_EMPTY)
    for team_id in sorted({row.team_id for row in rows}):
        require(actor, Action.COST_WRITE, team_id=team_id)
    begin_write(session)
    teams = {team_id: team_by_id(session, team_id) for team_id in {row.team_id for row in rows}}
    seen: dict[tuple[int, date, Source], int] = {}
    problems: list[LineProblem] = []
    for row in rows:
        key = (row.team_id, month_of(row.month), row.source)
        if key in seen:
            repeated = InvalidInput(
                CostProblem.FILE_LINE_REPEATED,
                first_line=seen[key],
                team_slug=teams[row.team_id].slug,
                month=key[1],
                source=row.source,
            )
            problems.append(LineProblem(row.line, repeated))
            continue
        seen[key] = row.line
        try:
            check_money(row.amount)
        except InvalidInput as error:
            problems.append(LineProblem(row.line, error))
    if problems:
        raise InvalidInput(
            CostProblem.FILE_LINES,
            lines=problems[:MAX_REPORTED_LINES],
            more=max(0, len(problems) - MAX_REPORTED_LINES),
        )
    try:
        entries = [
            _upsert_cost(session, teams[row.team_id], month_of(row.month), row.source, row.amount)
            for row in rows
        ]
        session.commit()
    except Exception:
        session.rollback()
        raise
    return entries


def cost_list(
    session: Session, *, actor: Actor, team_id: int, month: date | None = None
) -> CostList:
    """A team's costs for someone who may read money: one month, or every recorded month."""
    require(actor, Action.MONEY_READ, team_id=team_id)
    team = TeamSettings.of(team_by_id(session, team_id))
    months = list_costs(session, team_id=team_id, month=month_of(month) if month else None)
    return CostList(team, month_of(month) if month else None, tuple(months))
