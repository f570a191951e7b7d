"""The metrics a provider's contract may set targets on: a fixed catalogue, measured for a
team-month by grouped SQL queries, for the cell and for each agent.

Each metric has one definition, built on the same definitions as the reports:

- dials and useful contacts are models.activity's (a call not undone; a useful outcome);
- an agent's leads are models.activity's (telemarketing leads, counted for who detected them);
- a lead is qualified as in the cost-per-lead report (models.report_queries): it has a
  qualification time, or it is qualified or won.

The catalogue, for a team-local month:

| metric                    | value                                                            |
| useful-contacts-per-day   | useful contacts / working days of the month                      |
| lead-rate                 | leads handed / useful contacts                                   |
| leads                     | leads handed                                                     |
| acceptance-rate           | leads qualified or won / leads the sales engineers decided in    |
|                           | the month (first decision: qualified, rejected, won or lost)     |
| complete-data             | leads handed with a contact person and a summary / leads handed  |
| callbacks-on-time         | not measured yet (see below)                                     |
| complaints-per-100-leads  | complaints lodged x 100 / leads handed                           |
| audit-score               | checklist items met / items checked, audits of the month's calls |

Working days come from models.worktime.WorkingCalendar: Monday to Friday without the
public holidays of the team's country (the country of its time zone, from CLDR).

`callbacks-on-time` will be the share of callbacks due in the month that were made by
their due time, read from the `callback` table that the callbacks feature adds. Until that
table exists it is "not measured": a criterion on it is shown as such and costs nothing.

A value is rounded once, to the precision its statement shows (0.1 % for shares, 0.1 for
per-day and per-100 figures, whole leads), and that rounded value is the one compared
with the target, stored and shown. A share with nothing to divide by has no value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from babel.core import get_global
from sqlalchemy import Connection, and_, bindparam, case, func, or_, select, type_coerce

from models.activity import AGENT_LEAD, USEFUL
from models.actors import Person
from models.db import UTCDateTime
from models.leads import Status
from models.periods import add_months, month_bounds
from models.report_queries import QUALIFIED_STATUSES
from models.tables import Audit, Call, Complaint, Lead, Member
from models.worktime import COUNTRIES, WorkingCalendar

_CALLS, _LEADS, _MEMBERS = Call.__table__, Lead.__table__, Member.__table__  # type: ignore[attr-defined]
_COMPLAINTS, _AUDITS = Complaint.__table__, Audit.__table__  # type: ignore[attr-defined]
HUNDRED = Decimal(100)


class Metric(StrEnum):
    """The fixed catalogue of measured metrics."""

    USEFUL_CONTACTS_PER_DAY = "useful-contacts-per-day"
    LEAD_RATE = "lead-rate"
    LEADS = "leads"
    ACCEPTANCE_RATE = "acceptance-rate"
    COMPLETE_DATA = "complete-data"
    CALLBACKS_ON_TIME = "callbacks-on-time"
    COMPLAINTS_PER_100_LEADS = "complaints-per-100-leads"
    AUDIT_SCORE = "audit-score"


class Unit(StrEnum):
    """What a metric's value is: a share (0.093 is 9.3 %), a count, or a figure per day or
    per 100 leads."""

    SHARE = "share"
    COUNT = "count"
    PER_DAY = "per-day"
    PER_100 = "per-100"


class Comparison(StrEnum):
    """How a measured value meets its target."""

    AT_LEAST = "at-least"
    AT_MOST = "at-most"

    def met(self, value: Decimal, target: Decimal) -> bool:
        return value >= target if self is Comparison.AT_LEAST else value <= target


@dataclass(frozen=True)
class MetricSpec:
    """A metric's unit, whether it can be judged per agent, and the range of its targets."""

    unit: Unit
    per_agent: bool
    high: Decimal


#: Each metric's unit, whether a criterion may judge it per agent, and its highest target
#: (targets run from 0; shares are fractions, up to 1).
CATALOGUE: dict[Metric, MetricSpec] = {
    Metric.USEFUL_CONTACTS_PER_DAY: MetricSpec(Unit.PER_DAY, True, Decimal(1000)),
    Metric.LEAD_RATE: MetricSpec(Unit.SHARE, True, Decimal(1)),
    Metric.LEADS: MetricSpec(Unit.COUNT, True, Decimal(100_000)),
    Metric.ACCEPTANCE_RATE: MetricSpec(Unit.SHARE, True, Decimal(1)),
    Metric.COMPLETE_DATA: MetricSpec(Unit.SHARE, True, Decimal(1)),
    Metric.CALLBACKS_ON_TIME: MetricSpec(Unit.SHARE, True, Decimal(1)),
    Metric.COMPLAINTS_PER_100_LEADS: MetricSpec(Unit.PER_100, True, Decimal(10_000)),
    Metric.AUDIT_SCORE: MetricSpec(Unit.SHARE, True, Decimal(1)),
}
#: The precision each unit is rounded to, once.
PRECISION: dict[Unit, Decimal] = {
    Unit.SHARE: Decimal("0.001"),
    Unit.COUNT: Decimal(1),
    Unit.PER_DAY: Decimal("0.1"),
    Unit.PER_100: Decimal("0.1"),
}
#: Metrics leadcell cannot measure yet (their data is not recorded).
NOT_MEASURED: frozenset[Metric] = frozenset({Metric.CALLBACKS_ON_TIME})


def rounded(value: Decimal, unit: Unit) -> Decimal:
    """A value rounded to its unit's precision (half up)."""
    return value.quantize(PRECISION[unit], ROUND_HALF_UP)


@dataclass(frozen=True)
class Measure:
    """One metric measured: its value (rounded; None when there is nothing to divide by, or
    the metric is not measured), and the figures it comes from."""

    value: Decimal | None
    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    measured: bool = True


@dataclass(frozen=True)
class Counts:
    """The raw counts of one agent (or of the cell) over a month."""

    dials: int = 0
    useful_contacts: int = 0
    leads: int = 0
    complete_leads: int = 0
    decided: int = 0
    accepted: int = 0
    complaints: int = 0
    audits: int = 0
    items_met: int = 0
    items_total: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f) + getattr(other, f) for f in Counts.__dataclass_fields__))


@dataclass(frozen=True)
class AgentMeasures:
    """One agent's month: raw counts and every metric."""

    person: Person
    counts: Counts
    measures: dict[Metric, Measure]


@dataclass(frozen=True)
class MonthMeasures:
    """A team-month measured: the cell's metrics and each agent's, by agent name."""

    team_id: int
    month: date
    working_days: int
    counts: Counts
    cell: dict[Metric, Measure]
    agents: list[AgentMeasures] = field(default_factory=list)


@cache
def _zone_countries() -> dict[str, str]:
    territories: dict[str, str] = get_global("zone_territories")
    return territories


def country_of(timezone: str) -> str | None:
    """The country whose public holidays a team in `timezone` keeps (None: weekends only)."""
    country = _zone_countries().get(timezone)
    return country if country in COUNTRIES else None


def team_calendar(timezone: str) -> WorkingCalendar:
    """The working calendar of a team: Monday to Friday, its country's holidays off."""
    return WorkingCalendar(zone=ZoneInfo(timezone), country=country_of(timezone))


def working_days(calendar: WorkingCalendar, month: date) -> int:
    """How many working days a month has."""
    last = add_months(month, 1).toordinal() - 1
    return sum(1 for _ in calendar.working_days(month, date.fromordinal(last)))


def _ratio(numerator: int, denominator: int, unit: Unit, scale: Decimal = Decimal(1)) -> Measure:
    if denominator <= 0:
        return Measure(None, Decimal(numerator), Decimal(denominator))
    exact = Decimal(numerator) * scale / Decimal(denominator)
    return Measure(rounded(exact, unit), Decimal(numerator), Decimal(denominator))


def measures_of(counts: Counts, days: int) -> dict[Metric, Measure]:
    """Every metric from raw counts and the month's working days."""
    return {
        Metric.USEFUL_CONTACTS_PER_DAY: _ratio(counts.useful_contacts, days, Unit.PER_DAY),
        Metric.LEAD_RATE: _ratio(counts.leads, counts.useful_contacts, Unit.SHARE),
        Metric.LEADS: Measure(Decimal(counts.leads), Decimal(counts.leads), Decimal(1)),
        Metric.ACCEPTANCE_RATE: _ratio(counts.accepted, counts.decided, Unit.SHARE),
        Metric.COMPLETE_DATA: _ratio(counts.complete_leads, counts.leads, Unit.SHARE),
        Metric.CALLBACKS_ON_TIME: Measure(None, measured=False),
        Metric.COMPLAINTS_PER_100_LEADS: _ratio(
            counts.complaints, counts.leads, Unit.PER_100, HUNDRED
        ),
        Metric.AUDIT_SCORE: _ratio(counts.items_met, counts.items_total, Unit.SHARE),
    }


# --- the queries: one grouped query per table, per agent --------------------------------------

_START = bindparam("start", type_=UTCDateTime())
_END = bindparam("end", type_=UTCDateTime())
_TEAM = bindparam("team_id")


def _filled(column: object) -> object:
    return func.length(func.trim(func.coalesce(column, ""))) > 0


_CALL_COUNTS = (
    select(_CALLS.c.agent_id, func.count(), func.coalesce(func.sum(case((USEFUL, 1), else_=0)), 0))
    .where(
        _CALLS.c.team_id == _TEAM,
        _CALLS.c.called_at >= _START,
        _CALLS.c.called_at < _END,
        _CALLS.c.undone_at.is_(None),
    )
    .group_by(_CALLS.c.agent_id)
)
_COMPLETE = and_(_filled(_LEADS.c.contact_name), _filled(_LEADS.c.summary))  # type: ignore[arg-type]
_LEAD_COUNTS = (
    select(
        _LEADS.c.detected_by_id,
        func.count(),
        func.coalesce(func.sum(case((_COMPLETE, 1), else_=0)), 0),
    )
    .where(
        _LEADS.c.team_id == _TEAM,
        _LEADS.c.created_at >= _START,
        _LEADS.c.created_at < _END,
        AGENT_LEAD,
    )
    .group_by(_LEADS.c.detected_by_id)
)
#: When the sales engineers first decided on a lead (qualified, rejected, won or lost).
DECIDED_AT = type_coerce(
    func.coalesce(_LEADS.c.qualified_at, _LEADS.c.rejected_at, _LEADS.c.won_at, _LEADS.c.lost_at),
    UTCDateTime(),
)
#: A lead the sales engineers accepted: the report's "qualified".
ACCEPTED = or_(_LEADS.c.qualified_at.is_not(None), _LEADS.c.status.in_(QUALIFIED_STATUSES))
_DECIDED_STATUSES = (*QUALIFIED_STATUSES, Status.REJECTED.value, Status.LOST.value)
_DECISION_COUNTS = (
    select(
        _LEADS.c.detected_by_id,
        func.count(),
        func.coalesce(func.sum(case((ACCEPTED, 1), else_=0)), 0),
    )
    .where(
        _LEADS.c.team_id == _TEAM,
        AGENT_LEAD,
        or_(_LEADS.c.status.in_(_DECIDED_STATUSES), _LEADS.c.qualified_at.is_not(None)),
        DECIDED_AT >= _START,
        DECIDED_AT < _END,
    )
    .group_by(_LEADS.c.detected_by_id)
)
_COMPLAINT_COUNTS = (
    select(_COMPLAINTS.c.agent_id, func.count())
    .where(
        _COMPLAINTS.c.team_id == _TEAM,
        _COMPLAINTS.c.lodged_at >= _START,
        _COMPLAINTS.c.lodged_at < _END,
    )
    .group_by(_COMPLAINTS.c.agent_id)
)
_AUDIT_COUNTS = (
    select(
        _AUDITS.c.agent_id,
        func.count(),
        func.coalesce(func.sum(_AUDITS.c.items_met), 0),
        func.coalesce(func.sum(_AUDITS.c.items_total), 0),
    )
    .where(_AUDITS.c.team_id == _TEAM, _AUDITS.c.month == bindparam("month"))
    .group_by(_AUDITS.c.agent_id)
)
_PEOPLE = select(_MEMBERS.c.id, _MEMBERS.c.slack_user_id, _MEMBERS.c.name).where(
    _MEMBERS.c.id.in_(bindparam("ids", expanding=True))
)


def measure_month(
    connection: Connection, *, team_id: int, timezone: str, month: date
) -> MonthMeasures:
    """Every metric of a team-local month, for the cell and for each agent who called,
    handed a lead, had a complaint or an audit in it."""
    start, end = month_bounds(ZoneInfo(timezone), month)
    params = {"team_id": team_id, "start": start, "end": end, "month": month}
    per_agent: dict[int, dict[str, int]] = {}

    def add(agent_id: int, **values: int) -> None:
        per_agent.setdefault(agent_id, {}).update({k: int(v) for k, v in values.items()})

    for agent_id, dials, useful in connection.execute(_CALL_COUNTS, params):
        add(agent_id, dials=dials, useful_contacts=useful)
    for agent_id, leads, complete in connection.execute(_LEAD_COUNTS, params):
        add(agent_id, leads=leads, complete_leads=complete)
    for agent_id, decided, accepted in connection.execute(_DECISION_COUNTS, params):
        add(agent_id, decided=decided, accepted=accepted)
    for agent_id, complaints in connection.execute(_COMPLAINT_COUNTS, params):
        add(agent_id, complaints=complaints)
    for agent_id, audits, met, total in connection.execute(_AUDIT_COUNTS, params):
        add(agent_id, audits=audits, items_met=met, items_total=total)
    days = working_days(team_calendar(timezone), month)
    people = {
        row.id: Person(row.id, row.slack_user_id, row.name)
        for row in connection.execute(_PEOPLE, {"ids": sorted(per_agent)})
    }
    agents = [
        AgentMeasures(people[agent_id], Counts(**values), measures_of(Counts(**values), days))
        for agent_id, values in per_agent.items()
    ]
    agents.sort(key=lambda agent: (agent.person.name, agent.person.member_id))
    total = sum((agent.counts for agent in agents), Counts())
    return MonthMeasures(team_id, month, days, total, measures_of(total, days), agents)
