"""Recording what each lead source cost a team: monthly costs, imports, splits, event costs.

How these make up the cost of each source is in models.cost_queries (re-exported
here: `MonthCosts`, `month_costs`, `list_costs`). Months are named by their first
day (`date(2026, 10, 1)`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from models.cost_queries import CENT, HUNDRED, MonthCosts, list_costs, month_costs, team_by_id
from models.db import begin_write, utcnow
from models.errors import InvalidInput, NotFound, quoted
from models.leads import Source
from models.periods import add_months, month_bounds, month_of, months_between
from models.roster import list_teams
from models.tables import CostSplit, Event, MonthlyCost, Team

__all__ = [
    "CENT",
    "HUNDRED",
    "CostEntry",
    "CostRow",
    "MonthCosts",
    "add_months",
    "check_amount",
    "check_event_figures",
    "import_costs",
    "list_costs",
    "month_bounds",
    "month_costs",
    "month_of",
    "months_between",
    "parse_amount",
    "parse_cost_csv",
    "parse_month",
    "parse_source",
    "set_cost",
    "set_event_figures",
    "set_split",
]

COST_EXAMPLE = "/leadcell cost set 2026-10 telemarketing 24000"
SPLIT_EXAMPLE = "/leadcell cost split 2026-10 telemarketing=70 seminar=30"
IMPORT_EXAMPLE = "month,source,amount\n2026-10,telemarketing,24000"
MAX_AMOUNT = Decimal(10**12)
MAX_REPORTED_ERRORS = 20

_SOURCE_ALIASES = {
    "telemarketing": Source.TELEMARKETING,
    "tm": Source.TELEMARKETING,
    "phone": Source.TELEMARKETING,
    "seminar": Source.SEMINAR,
    "seminars": Source.SEMINAR,
    "trade-show": Source.TRADE_SHOW,
    "trade-shows": Source.TRADE_SHOW,
    "tradeshow": Source.TRADE_SHOW,
    "tradeshows": Source.TRADE_SHOW,
    "other": Source.OTHER,
    "others": Source.OTHER,
}
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)(k?)$")


# --- months ------------------------------------------------------------------------------------


def parse_month(text: str, *, example: str = COST_EXAMPLE) -> date:
    """`2026-10` as date(2026, 10, 1), or InvalidInput."""
    match = _MONTH.match(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise InvalidInput(f"{quoted(text)} is not a month like 2026-10.", example=example)
    return date(int(match.group(1)), int(match.group(2)), 1)


# --- words -------------------------------------------------------------------------------------


def parse_source(text: str, *, example: str = COST_EXAMPLE) -> Source:
    """The lead source a word names (`trade_show`, `tradeshow`, `Seminars` included)."""
    source = _SOURCE_ALIASES.get(text.strip().lower().replace("_", "-"))
    if source is None:
        names = ", ".join(s.value for s in Source)
        raise InvalidInput(f"{quoted(text)} is not a lead source: use {names}.", example=example)
    return source


def parse_amount(text: str, *, example: str = COST_EXAMPLE, what: str = "amount") -> Decimal:
    """`24000`, `24 000`, `24000.50` or `24k` as a Decimal of at most two decimals, ≥ 0."""
    cleaned = re.sub(r"[\s_\u00a0\u202f]", "", text.strip()).lower()
    if "," in cleaned:
        raise InvalidInput(
            f"Write the {what} {quoted(text)} without commas (a dot for cents).", example=example
        )
    match = _AMOUNT.match(cleaned)
    if match is None:
        raise InvalidInput(f"The {what} {quoted(text)} is not a positive number.", example=example)
    try:
        amount = Decimal(match.group(1)) * (1000 if match.group(2) else 1)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise InvalidInput(f"The {what} {quoted(text)} is not a number.", example=example) from None
    check_amount(amount, example=example, what=what)
    return amount


def check_amount(amount: Decimal, *, example: str = COST_EXAMPLE, what: str = "amount") -> None:
    """Raise InvalidInput unless 0 ≤ amount < 10^12 with at most two decimals."""
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(f"The {what} must be zero or more.", example=example)
    if amount >= MAX_AMOUNT:
        raise InvalidInput(f"The {what} must be less than 1 000 000 000 000.", example=example)
    if amount != amount.quantize(CENT):
        raise InvalidInput(f"The {what} has at most two decimals (cents).", example=example)


# --- recording costs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CostEntry:
    """A recorded monthly cost, and what it replaced (None: it is new)."""

    team_slug: str
    month: date
    source: Source
    amount: Decimal
    currency: str
    previous: Decimal | None


def _upsert_cost(
    session: Session, team: Team, month: date, source: Source, amount: Decimal
) -> CostEntry:
    """Write one monthly cost without committing: a single INSERT … ON CONFLICT UPDATE."""
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
    session: Session, *, team_id: int, month: date, source: Source | str, amount: Decimal
) -> CostEntry:
    """Record (or replace) what a source cost a team in a month, in the team's currency."""
    begin_write(session)
    team = team_by_id(session, team_id)
    source = parse_source(str(source))
    check_amount(amount)
    entry = _upsert_cost(session, team, month_of(month), source, amount)
    session.commit()
    return entry


@dataclass(frozen=True)
class CostRow:
    """One row of a costs file, as written (validated by `import_costs`)."""

    line: int
    month: str
    source: str
    amount: str
    team: str | None = None


def parse_cost_csv(text: str) -> list[CostRow]:
    """Rows of a CSV with header `month,source,amount` and an optional `team` column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in ("month", "source", "amount") if name not in header]
    if missing:
        raise InvalidInput(
            f"Line 1 of the costs file must be the header month,source,amount[,team]; "
            f"{', '.join(missing)} missing.",
            example=IMPORT_EXAMPLE,
        )
    reader.fieldnames = header
    rows = []
    for record in reader:
        values = {k: (v or "").strip() for k, v in record.items() if isinstance(v, str)}
        if not any(values.values()):
            continue
        rows.append(
            CostRow(
                line=reader.line_num,
                month=values.get("month", ""),
                source=values.get("source", ""),
                amount=values.get("amount", ""),
                team=values.get("team") or None,
            )
        )
    return rows


def import_costs(
    session: Session, *, rows: Sequence[CostRow], default_team: str | None = None
) -> list[CostEntry]:
    """Record every row, or none: all rows are checked first and bad lines are named.

    A row without a team goes to `default_team`, or to the only team there is.
    """
    begin_write(session)
    teams = {team.slug: team for team in list_teams(session)}
    fallback = default_team or (next(iter(teams)) if len(teams) == 1 else None)
    errors: list[str] = []
    checked: list[tuple[Team, date, Source, Decimal]] = []
    seen: dict[tuple[str, date, Source], int] = {}
    if not rows:
        errors.append("The file has no cost rows.")
    for row in rows:
        try:
            slug = row.team or fallback
            if slug is None:
                raise InvalidInput(f"say which team (teams: {', '.join(teams) or 'none'}).")
            if slug not in teams:
                raise InvalidInput(f"there is no team {quoted(slug)}.")
            month = parse_month(row.month)
            source = parse_source(row.source)
            amount = parse_amount(row.amount)
        except InvalidInput as exc:
            errors.append(f"line {row.line}: {_lowercase_first(exc.message)}")
            continue
        key = (slug, month, source)
        if key in seen:
            errors.append(
                f"line {row.line}: repeats line {seen[key]} ({slug} {month:%Y-%m} {source})."
            )
            continue
        seen[key] = row.line
        checked.append((teams[slug], month, source, amount))
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > len(shown):
            shown.append(f"… and {len(errors) - len(shown)} more.")
        raise InvalidInput("Nothing was imported:\n" + "\n".join(shown), example=IMPORT_EXAMPLE)
    try:
        entries = [_upsert_cost(session, *row) for row in checked]
        session.commit()
    except Exception:
        session.rollback()
        raise
    return entries


def _lowercase_first(text: str) -> str:
    return text[0].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text


def set_split(
    session: Session, *, team_id: int, month: date, shares: Mapping[Source | str, Decimal]
) -> dict[Source, Decimal]:
    """Replace how a month's telemarketing-cell cost is shared between sources (percents)."""
    begin_write(session)
    team = team_by_id(session, team_id)
    split: dict[Source, Decimal] = {}
    for raw_source, percent in shares.items():
        source = parse_source(str(raw_source), example=SPLIT_EXAMPLE)
        if source in split:
            raise InvalidInput(f"{source} is given twice.", example=SPLIT_EXAMPLE)
        if not percent.is_finite() or not Decimal(0) <= percent <= HUNDRED:
            raise InvalidInput(
                f"The share of {source} must be from 0 to 100 (percent).", example=SPLIT_EXAMPLE
            )
        if percent != percent.quantize(CENT):
            raise InvalidInput(
                f"The share of {source} has at most two decimals.", example=SPLIT_EXAMPLE
            )
        split[source] = percent
    total = sum(split.values(), Decimal(0))
    if total != HUNDRED:
        raise InvalidInput(
            f"The shares add up to {total.normalize():f} %, not 100 %.", example=SPLIT_EXAMPLE
        )
    month = month_of(month)
    session.execute(
        delete(CostSplit).where(col(CostSplit.team_id) == team.id, col(CostSplit.month) == month)
    )
    for source, percent in split.items():
        session.add(CostSplit(team_id=team.id, month=month, source=source.value, percent=percent))
    session.commit()
    return {source: split.get(source, Decimal(0)) for source in Source}


# --- events ------------------------------------------------------------------------------------


def check_event_figures(cost: Decimal | None, attendees: int | None) -> None:
    """Raise InvalidInput unless an event's cost and attendance are within bounds."""
    example = '/leadcell event add seminar "Paris Summit" 2026-10-14 cost=12000 attendees=180'
    if cost is not None:
        check_amount(cost, example=example, what="event cost")
    if attendees is not None and not 0 <= attendees <= 1_000_000:
        raise InvalidInput("Attendees is a number of people from 0 to 1000000.", example=example)


def set_event_figures(
    session: Session, *, event_id: int, cost: Decimal | None = None, attendees: int | None = None
) -> Event:
    """Record what an event cost and how many attended (None: unchanged)."""
    begin_write(session)
    check_event_figures(cost, attendees)
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"There is no event #{event_id}.")
    if cost is not None:
        event.cost = cost
    if attendees is not None:
        event.attendees = attendees
    session.add(event)
    session.commit()
    return event
