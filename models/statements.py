"""The monthly statement of an outsourced cell: each criterion judged by the contract version in
force that month, the penalties before and after the cap, complaints, audits, the trend and
the termination trigger's state. Issued once, stored, never rewritten.

Judging a criterion. A cell criterion compares the cell's value of its metric
(models.sla_metrics) with its target; a per-agent criterion compares each agent's value,
one breach per agent who misses. A metric with nothing to divide by has "no data", and a
metric leadcell does not measure yet is "not measured": neither costs anything. A missed
criterion costs its flat penalty per breach, or its weight of the amount at risk (the fee
times the share at risk). A month's penalties are capped at the amount at risk.

Issuing. `issue_statement` computes the statement of a month that is over and stores it
with its lines (unique per team and month, so issuing twice stores it once, like the
post ledger's rows); from then on the statement is read back as stored. Until then,
`statement_of` shows a draft computed live.

Contesting. Within the contract's working days after the issue, the provider may contest a
missed line; a manager upholds the line or withdraws it. A withdrawn line is corrected by an
adjustment line (a credit) on the next statement issued, never by rewriting the old one: the
credit is what the withdrawn line took from the capped total. A withdrawn line no longer
counts as missed for the termination trigger.

The termination trigger: the same criterion missed `same_criterion_months` months running,
or the month's penalties (after the cap, less withdrawn lines) over `penalty_share` of the fee
for `penalty_share_months` months running.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.actors import Actor, Person
from models.complaints import ComplaintCounts, complaint_counts
from models.contracts import (
    CENT,
    ContractProblem,
    CriterionFacts,
    OutsourcedTeam,
    VersionFacts,
    contract_facts,
    plain,
    team_by_slug,
    version_in_force,
    working_deadline,
)
from models.db import begin_write, utcnow
from models.errors import Conflict, InvalidInput, NotFound, Problem
from models.periods import add_months, local_day, month_bounds, month_of
from models.policy import Action, require
from models.sla_metrics import NOT_MEASURED, Comparison, Metric, MonthMeasures, measure_month
from models.sla_metrics import team_calendar as calendar_of
from models.tables import Contest, Member, Statement, StatementLine, Team

MAX_REASON_CHARS = 1000
TREND_MONTHS = 3
ZERO = Decimal("0.00")


class LineState(StrEnum):
    """How a statement line came out."""

    MET = "met"
    MISSED = "missed"
    NO_DATA = "no-data"
    NOT_MEASURED = "not-measured"
    ADJUSTMENT = "adjustment"


class LineKind(StrEnum):
    CRITERION = "criterion"
    ADJUSTMENT = "adjustment"


class ContestStatus(StrEnum):
    """Where a contest stands: open, or decided (the line upheld, or withdrawn)."""

    OPEN = "open"
    UPHELD = "upheld"
    WITHDRAWN = "withdrawn"


class StatementProblem(Problem):
    """Why a statement, a contest or a decision is refused."""

    MONTH_NOT_OVER = "statement.month_not_over"
    NOT_ISSUED = "statement.not_issued"
    LINE_NOT_FOUND = "statement.line_not_found"
    LINE_NOT_CONTESTABLE = "statement.line_not_contestable"
    CONTEST_TOO_LATE = "statement.contest_too_late"
    ALREADY_CONTESTED = "statement.already_contested"
    CONTEST_NOT_FOUND = "statement.contest_not_found"
    CONTEST_DECIDED = "statement.contest_decided"
    REASON_MISSING = "statement.reason_missing"
    REASON_TOO_LONG = "statement.reason_too_long"


# --- facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgentValue:
    """One agent's value on a per-agent criterion (`met` None: no data)."""

    person: Person
    value: Decimal | None
    met: bool | None


@dataclass(frozen=True)
class ContestFacts:
    """A contest of a statement line."""

    month: date
    key: str
    status: ContestStatus
    reason: str
    lodged_by: Person | None
    lodged_at: datetime
    decided_by: Person | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None
    adjusted: bool = False
    repeated: bool = False


@dataclass(frozen=True)
class LineFacts:
    """A statement line: a criterion judged, or an adjustment (a credit, negative `penalty`)
    of a line of `refers_month` withdrawn after a contest."""

    kind: LineKind
    key: str
    metric: Metric | None
    per_agent: bool
    comparison: Comparison | None
    target: Decimal | None
    measured: Decimal | None
    state: LineState
    breaches: int
    penalty: Decimal
    flat_penalty: Decimal | None = None
    weight: Decimal | None = None
    agents: tuple[AgentValue, ...] = ()
    refers_month: date | None = None
    contest: ContestFacts | None = None
    id: int | None = None

    @property
    def withdrawn(self) -> bool:
        return self.contest is not None and self.contest.status is ContestStatus.WITHDRAWN


@dataclass(frozen=True)
class TrendPoint:
    """A criterion's value one month (None: no version or no data that month)."""

    month: date
    value: Decimal | None
    state: LineState | None


@dataclass(frozen=True)
class Trend:
    """A criterion over the last months, oldest first."""

    key: str
    metric: Metric
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class TerminationFacts:
    """The termination trigger's state at the statement's month.

    `missed_key` is the criterion with the longest run of months missed (ending this month)
    and `missed_run` that run; `share_run` the run of months whose penalties exceeded
    `penalty_share` of the fee. Limits are None when the contract sets no such rule.
    """

    same_criterion_months: int | None
    missed_key: str | None
    missed_run: int
    penalty_share: Decimal | None
    penalty_share_months: int | None
    share_run: int

    @property
    def reached(self) -> bool:
        same = self.same_criterion_months is not None and (
            self.missed_run >= self.same_criterion_months
        )
        share = self.penalty_share_months is not None and (
            self.share_run >= self.penalty_share_months
        )
        return same or share


@dataclass(frozen=True)
class StatementFacts:
    """A month's statement, as issued (stored) or as a draft (`issued_at` None)."""

    team: OutsourcedTeam
    month: date
    version: VersionFacts
    issued_at: datetime | None
    contest_until: datetime | None
    currency: str
    monthly_fee: Decimal
    cap: Decimal
    penalties_before_cap: Decimal
    penalties_after_cap: Decimal
    adjustments: Decimal
    working_days: int
    lines: tuple[LineFacts, ...]
    adjustment_lines: tuple[LineFacts, ...]
    complaints: ComplaintCounts
    audits_done: int
    audit_items_met: int
    audit_items_total: int
    trend: tuple[Trend, ...]
    termination: TerminationFacts
    repeated: bool = False

    @property
    def draft(self) -> bool:
        return self.issued_at is None

    @property
    def penalties(self) -> Decimal:
        """What the month's statement takes off the fee: capped penalties less credits."""
        return self.penalties_after_cap + self.adjustments

    @property
    def fee_less_penalties(self) -> Decimal:
        return self.monthly_fee - self.penalties

    @property
    def audit_score(self) -> Decimal | None:
        if not self.audit_items_total:
            return None
        return Decimal(self.audit_items_met) / Decimal(self.audit_items_total)


# --- judging ----------------------------------------------------------------------------------


def _penalty(criterion: CriterionFacts, breaches: int, cap: Decimal) -> Decimal:
    if breaches <= 0:
        return ZERO
    if criterion.penalty is not None:
        return (criterion.penalty * breaches).quantize(CENT)
    return (cap * (criterion.weight or Decimal(0))).quantize(CENT)


def judge(criterion: CriterionFacts, measures: MonthMeasures, cap: Decimal) -> LineFacts:
    """One criterion of a version against a month's measures."""
    common: dict[str, Any] = {
        "kind": LineKind.CRITERION,
        "key": criterion.key,
        "metric": criterion.metric,
        "per_agent": criterion.per_agent,
        "comparison": criterion.comparison,
        "target": criterion.target,
        "flat_penalty": criterion.penalty,
        "weight": criterion.weight,
    }
    if criterion.metric in NOT_MEASURED:
        return LineFacts(
            **common, measured=None, state=LineState.NOT_MEASURED, breaches=0, penalty=ZERO
        )
    if not criterion.per_agent:
        value = measures.cell[criterion.metric].value
        if value is None:
            return LineFacts(
                **common, measured=None, state=LineState.NO_DATA, breaches=0, penalty=ZERO
            )
        met = criterion.comparison.met(value, criterion.target)
        breaches = 0 if met else 1
        return LineFacts(
            **common,
            measured=value,
            state=LineState.MET if met else LineState.MISSED,
            breaches=breaches,
            penalty=_penalty(criterion, breaches, cap),
        )
    agents = []
    for agent in measures.agents:
        value = agent.measures[criterion.metric].value
        met = None if value is None else criterion.comparison.met(value, criterion.target)
        agents.append(AgentValue(agent.person, value, met))
    values = [a.value for a in agents if a.value is not None]
    if not values:
        return LineFacts(
            **common,
            measured=None,
            state=LineState.NO_DATA,
            breaches=0,
            penalty=ZERO,
            agents=tuple(agents),
        )
    breaches = sum(1 for a in agents if a.met is False)
    worst = min(values) if criterion.comparison is Comparison.AT_LEAST else max(values)
    return LineFacts(
        **common,
        measured=worst,
        state=LineState.MISSED if breaches else LineState.MET,
        breaches=breaches,
        penalty=_penalty(criterion, breaches, cap),
        agents=tuple(agents),
    )


def capped(penalties: Iterable[Decimal], cap: Decimal) -> Decimal:
    """A month's penalties, capped at the amount at risk."""
    return min(sum(penalties, ZERO), cap)


# --- one month's lines, stored or computed ---------------------------------------------------


@dataclass(frozen=True)
class _Month:
    """A month as the trend and the trigger see it: its lines, fee and cap (or nothing)."""

    lines: tuple[LineFacts, ...] = ()
    fee: Decimal = ZERO
    cap: Decimal = ZERO
    known: bool = False

    def net_penalties(self) -> Decimal:
        return capped((line.penalty for line in self.lines if not line.withdrawn), self.cap)


@dataclass
class _Context:
    session: Session
    team: Team
    now: datetime
    versions: tuple[VersionFacts, ...]
    months: dict[date, _Month] = field(default_factory=dict)

    def version(self, month: date) -> VersionFacts | None:
        return next((v for v in reversed(self.versions) if v.covers(month)), None)


def _compute_lines(
    context: _Context, version: VersionFacts, month: date
) -> tuple[MonthMeasures, tuple[LineFacts, ...]]:
    measures = measure_month(
        context.session.connection(),
        team_id=context.team.id or 0,
        timezone=context.team.timezone,
        month=month,
    )
    return measures, tuple(judge(c, measures, version.cap) for c in version.criteria)


def _month(context: _Context, month: date) -> _Month:
    """A month's lines: as stored when its statement is issued, else computed live."""
    if month in context.months:
        return context.months[month]
    stored = context.session.exec(
        select(Statement).where(Statement.team_id == context.team.id, Statement.month == month)
    ).first()
    if stored is not None:
        lines = _stored_lines(context.session, stored, LineKind.CRITERION)
        found = _Month(lines, Decimal(stored.monthly_fee), Decimal(stored.cap), True)
    else:
        version = context.version(month)
        if version is None:
            found = _Month()
        else:
            lines = _compute_lines(context, version, month)[1]
            found = _Month(lines, version.monthly_fee, version.cap, True)
    context.months[month] = found
    return found


def _trend(context: _Context, version: VersionFacts, month: date) -> tuple[Trend, ...]:
    months = [add_months(month, offset) for offset in range(1 - TREND_MONTHS, 1)]
    trends = []
    for criterion in version.criteria:
        points = []
        for each in months:
            line = next((x for x in _month(context, each).lines if x.key == criterion.key), None)
            points.append(
                TrendPoint(each, line.measured if line else None, line.state if line else None)
            )
        trends.append(Trend(criterion.key, criterion.metric, tuple(points)))
    return tuple(trends)


def _termination(context: _Context, version: VersionFacts, month: date) -> TerminationFacts:
    longest_key, longest = None, 0
    if version.same_criterion_months is not None:
        for criterion in version.criteria:
            run, current = 0, month
            while run < version.same_criterion_months:
                line = next(
                    (x for x in _month(context, current).lines if x.key == criterion.key), None
                )
                if line is None or line.state is not LineState.MISSED or line.withdrawn:
                    break
                run, current = run + 1, add_months(current, -1)
            if run > longest:
                longest_key, longest = criterion.key, run
    share_run = 0
    if version.penalty_share is not None and version.penalty_share_months is not None:
        current = month
        while share_run < version.penalty_share_months:
            each = _month(context, current)
            if not each.known or each.net_penalties() <= each.fee * version.penalty_share:
                break
            share_run, current = share_run + 1, add_months(current, -1)
    return TerminationFacts(
        version.same_criterion_months,
        longest_key,
        longest,
        version.penalty_share,
        version.penalty_share_months,
        share_run,
    )


# --- adjustments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pending:
    contest: Contest
    line: StatementLine
    statement: Statement
    amount: Decimal


def _pending_adjustments(session: Session, team_id: int) -> list[_Pending]:
    """Withdrawn lines not yet credited, with what each took from its statement's capped
    total (withdrawals of one statement are credited in the order they were decided)."""
    rows = session.exec(
        select(Contest, StatementLine, Statement)
        .join(StatementLine, col(StatementLine.id) == Contest.line_id)
        .join(Statement, col(Statement.id) == StatementLine.statement_id)
        .where(
            Contest.team_id == team_id,
            Contest.status == ContestStatus.WITHDRAWN.value,
            col(Contest.adjusted_by_id).is_(None),
        )
        .order_by(col(Contest.decided_at), col(Contest.id))
    ).all()
    pending = []
    removed: dict[int, set[int]] = {}
    for contest, line, statement in rows:
        statement_id = statement.id or 0
        if statement_id not in removed:
            removed[statement_id] = {
                row.line_id
                for row in session.exec(
                    select(Contest)
                    .join(StatementLine, col(StatementLine.id) == Contest.line_id)
                    .where(
                        StatementLine.statement_id == statement_id,
                        col(Contest.adjusted_by_id).is_not(None),
                    )
                )
            }
        penalties = {
            row.id: Decimal(row.penalty)
            for row in session.exec(
                select(StatementLine).where(
                    StatementLine.statement_id == statement_id,
                    StatementLine.kind == LineKind.CRITERION.value,
                )
            )
        }
        cap = Decimal(statement.cap)
        before = capped((p for i, p in penalties.items() if i not in removed[statement_id]), cap)
        removed[statement_id].add(line.id or 0)
        after = capped((p for i, p in penalties.items() if i not in removed[statement_id]), cap)
        pending.append(_Pending(contest, line, statement, before - after))
    return pending


def _adjustment_line(pending: _Pending, contest: ContestFacts) -> LineFacts:
    line = pending.line
    return LineFacts(
        kind=LineKind.ADJUSTMENT,
        key=line.criterion_key,
        metric=Metric(line.metric) if line.metric else None,
        per_agent=line.per_agent,
        comparison=None,
        target=None,
        measured=None,
        state=LineState.ADJUSTMENT,
        breaches=0,
        penalty=-pending.amount,
        refers_month=pending.statement.month,
        contest=contest,
    )


# --- computing, issuing, reading --------------------------------------------------------------


def _context(session: Session, team: Team, now: datetime) -> _Context:
    return _Context(session, team, now, contract_facts(session, team).versions)


def _compute(
    session: Session, team: Team, month: date, now: datetime
) -> tuple[StatementFacts, list[_Pending]]:
    version = version_in_force(session, team, month)
    context = _context(session, team, now)
    measures, lines = _compute_lines(context, version, month)
    context.months[month] = _Month(lines, version.monthly_fee, version.cap, True)
    pending = _pending_adjustments(session, team.id or 0)
    adjustments = tuple(
        _adjustment_line(p, _contest_facts(session, p.contest, p.statement.month, p.line))
        for p in pending
    )
    before = sum((line.penalty for line in lines), ZERO)
    zone = ZoneInfo(team.timezone)
    start, end = month_bounds(zone, month)
    facts = StatementFacts(
        team=OutsourcedTeam.of(team),
        month=month,
        version=version,
        issued_at=None,
        contest_until=None,
        currency=version.currency,
        monthly_fee=version.monthly_fee,
        cap=version.cap,
        penalties_before_cap=before,
        penalties_after_cap=min(before, version.cap),
        adjustments=sum((line.penalty for line in adjustments), ZERO),
        working_days=measures.working_days,
        lines=lines,
        adjustment_lines=adjustments,
        complaints=complaint_counts(
            session.connection(), team_id=team.id or 0, start=start, end=end
        ),
        audits_done=measures.counts.audits,
        audit_items_met=measures.counts.items_met,
        audit_items_total=measures.counts.items_total,
        trend=_trend(context, version, month),
        termination=_termination(context, version, month),
    )
    return facts, pending


def _month_over(team: Team, month: date, now: datetime) -> bool:
    return now >= month_bounds(ZoneInfo(team.timezone), month)[1]


def statement_of(
    session: Session, *, actor: Actor, team_slug: str, month: date, now: datetime | None = None
) -> StatementFacts:
    """A month's statement: as issued, else a draft computed now (for the month so far
    when it is not over)."""
    now = now or utcnow()
    team = team_by_slug(session, team_slug)
    require(actor, Action.STATEMENT_READ, team_id=team.id)
    stored = _stored(session, team, month)
    if stored is not None:
        return _stored_facts(session, team, stored)
    return _compute(session, team, month, now)[0]


def issue_statement(
    session: Session, *, actor: Actor, team_id: int, month: date, now: datetime | None = None
) -> StatementFacts:
    """Compute a finished month's statement and store it, once: issuing again (another
    worker, a retry) returns the stored one, marked `repeated`."""
    now = now or utcnow()
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(ContractProblem.TEAM_NOT_FOUND, team=str(team_id), teams=[])
    require(actor, Action.CONTRACT_WRITE, team_id=team_id)
    stored = _stored(session, team, month)
    if stored is not None:
        return _stored_facts(session, team, stored, repeated=True)
    if not _month_over(team, month, now):
        raise Conflict(StatementProblem.MONTH_NOT_OVER, month=month)
    begin_write(session)
    stored = _stored(session, team, month)
    if stored is not None:
        session.commit()
        return _stored_facts(session, team, stored, repeated=True)
    facts, pending = _compute(session, team, month, now)
    calendar = calendar_of(team.timezone)
    statement = Statement(
        team_id=team_id,
        month=month,
        version_id=facts.version.id,
        issued_at=now,
        contest_until=working_deadline(calendar, now, facts.version.contest_days),
        currency=facts.currency,
        monthly_fee=facts.monthly_fee,
        cap=facts.cap,
        penalties_before_cap=facts.penalties_before_cap,
        penalties_after_cap=facts.penalties_after_cap,
        adjustments=facts.adjustments,
        working_days=facts.working_days,
        complaints_lodged=facts.complaints.lodged,
        complaints_late=facts.complaints.late,
        complaints_disputed=facts.complaints.disputed,
        audits_done=facts.audits_done,
        audit_items_met=facts.audit_items_met,
        audit_items_total=facts.audit_items_total,
        summary=_summary(facts),
    )
    session.add(statement)
    session.flush()
    for position, line in enumerate(facts.lines):
        session.add(_line_row(statement, position, line))
    for offset, (line, each) in enumerate(zip(facts.adjustment_lines, pending, strict=True)):
        row = _line_row(statement, len(facts.lines) + offset, line)
        row.refers_to_id = each.line.id
        session.add(row)
        session.flush()
        each.contest.adjusted_by_id = row.id
        session.add(each.contest)
    try:
        session.commit()
    except IntegrityError:  # another worker issued it first
        session.rollback()
        stored = _stored(session, team, month)
        if stored is None:
            raise
        return _stored_facts(session, team, stored, repeated=True)
    return _stored_facts(session, team, statement)


def _line_row(statement: Statement, position: int, line: LineFacts) -> StatementLine:
    details = None
    if line.per_agent and line.kind is LineKind.CRITERION:
        details = [
            {
                "member_id": a.person.member_id,
                "user_id": a.person.user_id,
                "name": a.person.name,
                "value": None if a.value is None else str(a.value),
                "met": a.met,
            }
            for a in line.agents
        ]
    return StatementLine(
        statement_id=statement.id or 0,
        position=position,
        kind=line.kind.value,
        criterion_key=line.key,
        metric=line.metric.value if line.metric else None,
        per_agent=line.per_agent,
        comparison=line.comparison.value if line.comparison else None,
        target=line.target,
        measured=line.measured,
        state=line.state.value,
        breaches=line.breaches,
        penalty=line.penalty,
        details=details,
    )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _summary(facts: StatementFacts) -> dict[str, object]:
    """The trend and the trigger's state as shown, and each line's contract terms."""
    termination = facts.termination
    return {
        "trend": [
            {
                "key": trend.key,
                "metric": trend.metric.value,
                "points": [
                    {
                        "month": p.month.isoformat(),
                        "value": _text(p.value),
                        "state": p.state.value if p.state else None,
                    }
                    for p in trend.points
                ],
            }
            for trend in facts.trend
        ],
        "termination": {
            "same_criterion_months": termination.same_criterion_months,
            "missed_key": termination.missed_key,
            "missed_run": termination.missed_run,
            "penalty_share": _text(termination.penalty_share),
            "penalty_share_months": termination.penalty_share_months,
            "share_run": termination.share_run,
        },
    }


def _decimal(value: object) -> Decimal | None:
    return None if value is None else plain(Decimal(str(value)))


def _stored(session: Session, team: Team, month: date) -> Statement | None:
    return session.exec(
        select(Statement).where(Statement.team_id == team.id, Statement.month == month)
    ).first()


def _person(session: Session, member_id: int | None) -> Person | None:
    if member_id is None:
        return None
    member = session.get(Member, member_id)
    return Person(member.id or 0, member.slack_user_id, member.name) if member else None


def _contest_facts(
    session: Session, contest: Contest, month: date, line: StatementLine, *, repeated: bool = False
) -> ContestFacts:
    return ContestFacts(
        month=month,
        key=line.criterion_key,
        status=ContestStatus(contest.status),
        reason=contest.reason,
        lodged_by=_person(session, contest.lodged_by_id),
        lodged_at=contest.lodged_at,
        decided_by=_person(session, contest.decided_by_id),
        decided_at=contest.decided_at,
        decision_note=contest.decision_note,
        adjusted=contest.adjusted_by_id is not None,
        repeated=repeated,
    )


def _stored_lines(session: Session, statement: Statement, kind: LineKind) -> tuple[LineFacts, ...]:
    rows = session.exec(
        select(StatementLine)
        .where(StatementLine.statement_id == statement.id, StatementLine.kind == kind.value)
        .order_by(col(StatementLine.position))
    ).all()
    ids = [row.id for row in rows]
    contests = {
        c.line_id: c for c in session.exec(select(Contest).where(col(Contest.line_id).in_(ids)))
    }
    adjusted = {
        c.adjusted_by_id: c
        for c in session.exec(select(Contest).where(col(Contest.adjusted_by_id).in_(ids)))
    }
    lines = []
    for row in rows:
        refers_month, contest = None, None
        if row.kind == LineKind.ADJUSTMENT.value and row.refers_to_id is not None:
            original = session.get_one(StatementLine, row.refers_to_id)
            refers_month = session.get_one(Statement, original.statement_id).month
            source = adjusted.get(row.id)
            if source is not None:
                contest = _contest_facts(session, source, refers_month, original)
        elif row.id in contests:
            contest = _contest_facts(session, contests[row.id], statement.month, row)
        lines.append(
            LineFacts(
                kind=LineKind(row.kind),
                key=row.criterion_key,
                metric=Metric(row.metric) if row.metric else None,
                per_agent=row.per_agent,
                comparison=Comparison(row.comparison) if row.comparison else None,
                target=_decimal(row.target),
                measured=_decimal(row.measured),
                state=LineState(row.state),
                breaches=row.breaches,
                penalty=Decimal(row.penalty),
                agents=tuple(
                    AgentValue(
                        Person(int(d["member_id"]), str(d["user_id"]), str(d["name"])),  # type: ignore[call-overload]
                        _decimal(d["value"]),
                        d["met"],  # type: ignore[arg-type]
                    )
                    for d in row.details or ()
                ),
                refers_month=refers_month,
                contest=contest,
                id=row.id,
            )
        )
    return tuple(lines)


def _stored_facts(
    session: Session, team: Team, statement: Statement, *, repeated: bool = False
) -> StatementFacts:
    versions = contract_facts(session, team).versions
    version = next(v for v in versions if v.id == statement.version_id)
    lines = _stored_lines(session, statement, LineKind.CRITERION)
    terms = {c.key: c for c in version.criteria}
    lines = tuple(_with_terms(line, terms.get(line.key)) for line in lines)
    summary: dict[str, Any] = dict(statement.summary or {})
    termination: dict[str, Any] = summary.get("termination") or {}
    return StatementFacts(
        team=OutsourcedTeam.of(team),
        month=statement.month,
        version=version,
        issued_at=statement.issued_at,
        contest_until=statement.contest_until,
        currency=statement.currency,
        monthly_fee=Decimal(statement.monthly_fee),
        cap=Decimal(statement.cap),
        penalties_before_cap=Decimal(statement.penalties_before_cap),
        penalties_after_cap=Decimal(statement.penalties_after_cap),
        adjustments=Decimal(statement.adjustments),
        working_days=statement.working_days,
        lines=lines,
        adjustment_lines=_stored_lines(session, statement, LineKind.ADJUSTMENT),
        complaints=ComplaintCounts(
            statement.complaints_lodged, statement.complaints_late, statement.complaints_disputed
        ),
        audits_done=statement.audits_done,
        audit_items_met=statement.audit_items_met,
        audit_items_total=statement.audit_items_total,
        trend=tuple(
            Trend(
                t["key"],
                Metric(t["metric"]),
                tuple(
                    TrendPoint(
                        date.fromisoformat(p["month"]),
                        _decimal(p["value"]),
                        LineState(p["state"]) if p["state"] else None,
                    )
                    for p in t["points"]
                ),
            )
            for t in summary.get("trend") or []
        ),
        termination=TerminationFacts(
            termination.get("same_criterion_months"),
            termination.get("missed_key"),
            int(termination.get("missed_run") or 0),
            _decimal(termination.get("penalty_share")),
            termination.get("penalty_share_months"),
            int(termination.get("share_run") or 0),
        ),
        repeated=repeated,
    )


def _with_terms(line: LineFacts, criterion: CriterionFacts | None) -> LineFacts:
    if criterion is None:
        return line
    return LineFacts(
        **{
            **{f: getattr(line, f) for f in LineFacts.__dataclass_fields__},
            "flat_penalty": criterion.penalty,
            "weight": criterion.weight,
        }
    )


# --- checking a stored statement against a rebuild --------------------------------------------


@dataclass(frozen=True)
class Difference:
    """A figure of a stored statement that a rebuild computes differently."""

    what: str
    key: str | None
    stored: str
    rebuilt: str


def verify_statement(
    session: Session, *, actor: Actor, team_slug: str, month: date, now: datetime | None = None
) -> tuple[StatementFacts, list[Difference]]:
    """Rebuild an issued statement from the records and list what differs (nothing, when the
    records behind it are unchanged). Adjustments depend on when contests were decided and
    are not rebuilt."""
    now = now or utcnow()
    team = team_by_slug(session, team_slug)
    require(actor, Action.STATEMENT_READ, team_id=team.id)
    stored = _stored(session, team, month)
    if stored is None:
        raise Conflict(StatementProblem.NOT_ISSUED, month=month, team=team.slug)
    issued = _stored_facts(session, team, stored)
    rebuilt, _ = _compute(session, team, month, now)
    differences: list[Difference] = []

    def compare(what: str, key: str | None, old: object, new: object) -> None:
        if old != new:
            differences.append(Difference(what, key, str(old), str(new)))

    new_lines = {line.key: line for line in rebuilt.lines}
    for line in issued.lines:
        again = new_lines.get(line.key)
        if again is None:
            compare("line", line.key, line.key, None)
            continue
        compare("measured", line.key, line.measured, again.measured)
        compare("state", line.key, line.state.value, again.state.value)
        compare("breaches", line.key, line.breaches, again.breaches)
        compare("penalty", line.key, line.penalty, again.penalty)
    compare("penalties-before-cap", None, issued.penalties_before_cap, rebuilt.penalties_before_cap)
    compare("penalties-after-cap", None, issued.penalties_after_cap, rebuilt.penalties_after_cap)
    compare("working-days", None, issued.working_days, rebuilt.working_days)
    compare("complaints-lodged", None, issued.complaints.lodged, rebuilt.complaints.lodged)
    compare("complaints-late", None, issued.complaints.late, rebuilt.complaints.late)
    compare("complaints-disputed", None, issued.complaints.disputed, rebuilt.complaints.disputed)
    compare("audits-done", None, issued.audits_done, rebuilt.audits_done)
    compare("audit-items-met", None, issued.audit_items_met, rebuilt.audit_items_met)
    compare("audit-items-total", None, issued.audit_items_total, rebuilt.audit_items_total)
    return issued, differences


# --- contests ---------------------------------------------------------------------------------


def _check_reason(text: str | None, field: str = "reason") -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput(StatementProblem.REASON_MISSING, field=field)
    if len(cleaned) > MAX_REASON_CHARS:
        raise InvalidInput(
            StatementProblem.REASON_TOO_LONG,
            field=field,
            length=len(cleaned),
            limit=MAX_REASON_CHARS,
        )
    return cleaned


def _line_of(
    session: Session, team: Team, month: date, key: str
) -> tuple[Statement, StatementLine]:
    statement = _stored(session, team, month)
    if statement is None:
        raise Conflict(StatementProblem.NOT_ISSUED, month=month, team=team.slug)
    lines = session.exec(
        select(StatementLine)
        .where(
            StatementLine.statement_id == statement.id,
            StatementLine.kind == LineKind.CRITERION.value,
        )
        .order_by(col(StatementLine.position))
    ).all()
    line = next((x for x in lines if x.criterion_key == key.strip().lower()), None)
    if line is None:
        raise NotFound(
            StatementProblem.LINE_NOT_FOUND,
            field="line",
            key=key,
            keys=[x.criterion_key for x in lines],
            month=month,
        )
    return statement, line


def contest_line(
    session: Session,
    *,
    actor: Actor,
    team_slug: str,
    month: date,
    key: str,
    reason: str,
    request_key: str,
    now: datetime | None = None,
) -> ContestFacts:
    """The provider contests a missed line of an issued statement, within the contract's
    working days after the issue."""
    now = now or utcnow()
    cleaned = _check_reason(reason)
    begin_write(session)
    team = team_by_slug(session, team_slug)
    require(actor, Action.STATEMENT_CONTEST, team_id=team.id)
    statement, line = _line_of(session, team, month, key)
    earlier = session.exec(select(Contest).where(Contest.line_id == line.id)).first()
    if earlier is not None:
        if earlier.request_key == request_key:
            return _contest_facts(session, earlier, month, line, repeated=True)
        raise Conflict(
            StatementProblem.ALREADY_CONTESTED,
            key=line.criterion_key,
            month=month,
            status=ContestStatus(earlier.status),
        )
    if now > statement.contest_until:
        raise Conflict(
            StatementProblem.CONTEST_TOO_LATE, month=month, deadline=statement.contest_until
        )
    if line.state != LineState.MISSED.value:
        raise Conflict(
            StatementProblem.LINE_NOT_CONTESTABLE,
            key=line.criterion_key,
            month=month,
            state=LineState(line.state),
        )
    contest = Contest(
        team_id=team.id or 0,
        line_id=line.id or 0,
        reason=cleaned,
        lodged_by_id=actor.member_id,
        lodged_at=now,
        request_key=request_key,
    )
    session.add(contest)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        again = session.exec(select(Contest).where(Contest.line_id == line.id)).first()
        if again is None:
            raise
        if again.request_key == request_key:
            return _contest_facts(session, again, month, line, repeated=True)
        raise Conflict(
            StatementProblem.ALREADY_CONTESTED,
            key=line.criterion_key,
            month=month,
            status=ContestStatus(again.status),
        ) from None
    return _contest_facts(session, contest, month, line)


def decide_contest(
    session: Session,
    *,
    actor: Actor,
    team_slug: str,
    month: date,
    key: str,
    withdraw: bool,
    note: str | None = None,
    now: datetime | None = None,
) -> ContestFacts:
    """A manager upholds a contested line (it stands) or withdraws it (the next statement
    credits what it cost)."""
    now = now or utcnow()
    cleaned = (note or "").strip() or None
    if cleaned is not None and len(cleaned) > MAX_REASON_CHARS:
        raise InvalidInput(
            StatementProblem.REASON_TOO_LONG,
            field="note",
            length=len(cleaned),
            limit=MAX_REASON_CHARS,
        )
    begin_write(session)
    team = team_by_slug(session, team_slug)
    require(actor, Action.CONTEST_DECIDE, team_id=team.id)
    _, line = _line_of(session, team, month, key)
    contest = session.exec(select(Contest).where(Contest.line_id == line.id)).first()
    if contest is None:
        raise NotFound(StatementProblem.CONTEST_NOT_FOUND, key=line.criterion_key, month=month)
    status = ContestStatus.WITHDRAWN if withdraw else ContestStatus.UPHELD
    if contest.status != ContestStatus.OPEN.value:
        if contest.status == status.value and contest.decided_by_id == actor.member_id:
            return _contest_facts(session, contest, month, line, repeated=True)
        raise Conflict(
            StatementProblem.CONTEST_DECIDED,
            key=line.criterion_key,
            month=month,
            status=ContestStatus(contest.status),
            decided_by=_person(session, contest.decided_by_id),
        )
    contest.status = status.value
    contest.decided_by_id = actor.member_id
    contest.decided_at = now
    contest.decision_note = cleaned
    session.add(contest)
    session.commit()
    return _contest_facts(session, contest, month, line)


# --- money for the cost-per-lead report -------------------------------------------------------


@dataclass(frozen=True)
class FeeLessPenalties:
    """What an outsourced cell cost in a month: the fee less the month's penalties (after the
    cap, less credits); `issued` when it comes from an issued statement, else a draft."""

    currency: str
    fee: Decimal
    penalties: Decimal
    issued: bool

    @property
    def net(self) -> Decimal:
        return self.fee - self.penalties


def fee_less_penalties(
    session: Session, *, actor: Actor, team_id: int, month: date, now: datetime | None = None
) -> FeeLessPenalties | None:
    """A team-month's fee less penalties, or None when no contract version judges the month
    (an in-house team, or a month outside the contract)."""
    now = now or utcnow()
    require(actor, Action.MONEY_READ, team_id=team_id)
    team = session.get_one(Team, team_id)
    stored = _stored(session, team, month)
    if stored is not None:
        penalties = Decimal(stored.penalties_after_cap) + Decimal(stored.adjustments)
        return FeeLessPenalties(stored.currency, Decimal(stored.monthly_fee), penalties, True)
    try:
        facts, _ = _compute(session, team, month, now)
    except NotFound:
        return None
    return FeeLessPenalties(facts.currency, facts.monthly_fee, facts.penalties, False)


def statement_month(team: Team | OutsourcedTeam, now: datetime) -> date:
    """The month a statement issued at `now` is about: the previous team-local month."""
    return add_months(month_of(local_day(ZoneInfo(team.timezone), now)), -1)
