"""Call audits: each month a reproducible random sample of calls per agent, scored against the
contract's checklist.

The sample. A month is cut into `k` windows of consecutive days, `k` being the
contract's calls per agent. In each window, an agent's sampled call is the one of their
useful contacts (not undone) with the lowest rank key, SHA-256 of the contract's stored
seed, the team, the month and the call's id. Anyone holding the seed draws the same
sample again, nobody can steer it by choosing when to log a call, and a window's pick is
final once the window is over (calls are logged as they happen). So audits run through
the month, and the month's sample is complete when it ends.

The score of an audit is the share of checklist items met; a month's audit score is
items met over items checked, for the cell and per agent (models.sla_metrics).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from models.activity import USEFUL
from models.actors import Actor, Person
from models.contracts import (
    ContractProblem,
    OutsourcedTeam,
    VersionFacts,
    team_by_slug,
    version_in_force,
)
from models.db import UTCDateTime, begin_write, utcnow
from models.errors import Conflict, InvalidInput, NotFound, Problem
from models.periods import add_months, local_day, month_bounds, month_of
from models.policy import Action, require
from models.tables import Audit, Call, Contract, ContractVersion, Member, Team

MAX_NOTE_CHARS = 1000
_CALLS, _AUDITS, _MEMBERS = Call.__table__, Audit.__table__, Member.__table__  # type: ignore[attr-defined]


class AuditProblem(Problem):
    """Why an audit is refused."""

    CALL_NOT_FOUND = "audit.call_not_found"
    NOT_IN_SAMPLE = "audit.not_in_sample"
    ALREADY_AUDITED = "audit.already_audited"
    ANSWERS_MISMATCH = "audit.answers_mismatch"
    NOTE_TOO_LONG = "audit.note_too_long"


@dataclass(frozen=True)
class Pick:
    """One sampled call: an agent's pick in one window of the month."""

    call_id: int
    agent_id: int
    window: int
    first_day: date
    last_day: date
    closes_at: datetime
    rank: str


def windows(month: date, count: int) -> list[tuple[date, date]]:
    """The month's days cut into `count` windows of consecutive days (as even as can be)."""
    days = (add_months(month, 1) - month).days
    count = max(1, min(count, days))
    bounds = [month + timedelta(days=(index * days) // count) for index in range(count + 1)]
    return [(bounds[i], bounds[i + 1] - timedelta(days=1)) for i in range(count)]


def rank_key(seed: str, team_id: int, month: date, call_id: int) -> str:
    """The rank of a call in its month's draw: lowest ranks are sampled."""
    text = f"{seed}|{team_id}|{month:%Y-%m}|{call_id}"
    return hashlib.sha256(text.encode()).hexdigest()


_MONTH_CALLS = select(_CALLS.c.id, _CALLS.c.agent_id, _CALLS.c.called_at).where(
    _CALLS.c.team_id == bindparam("team_id"),
    _CALLS.c.called_at >= bindparam("start", type_=UTCDateTime()),
    _CALLS.c.called_at < bindparam("end", type_=UTCDateTime()),
    _CALLS.c.undone_at.is_(None),
    USEFUL,
)


def draw(
    connection: Connection,
    *,
    team_id: int,
    timezone: str,
    seed: str,
    month: date,
    calls_per_agent: int,
) -> list[Pick]:
    """Every agent's pick in every window of a month, by window then agent.

    A window still open has a provisional pick (the lowest rank so far).
    """
    if calls_per_agent <= 0:
        return []
    zone = ZoneInfo(timezone)
    start, end = month_bounds(zone, month)
    cuts = windows(month, calls_per_agent)
    best: dict[tuple[int, int], Pick] = {}
    rows = connection.execute(_MONTH_CALLS, {"team_id": team_id, "start": start, "end": end})
    for call_id, agent_id, called_at in rows:
        day = local_day(zone, called_at)
        index = next(i for i, (first, last) in enumerate(cuts) if first <= day <= last)
        rank = rank_key(seed, team_id, month, call_id)
        current = best.get((index, agent_id))
        if current is None or rank < current.rank:
            first, last = cuts[index]
            closes = datetime.combine(last + timedelta(days=1), time.min, zone)
            best[(index, agent_id)] = Pick(call_id, agent_id, index, first, last, closes, rank)
    return [best[key] for key in sorted(best)]


@dataclass(frozen=True)
class SampledCall:
    """A pick as a sample lists it: whether its window is over and its audit, if any."""

    pick: Pick
    agent: Person
    company: str
    called_at: datetime
    final: bool
    items_met: int | None = None
    items_total: int | None = None


@dataclass(frozen=True)
class SampleFacts:
    """A team-month's audit sample and its progress."""

    team: OutsourcedTeam
    month: date
    calls_per_agent: int
    checklist: tuple[str, ...]
    calls: tuple[SampledCall, ...]

    @property
    def audited(self) -> int:
        return sum(1 for c in self.calls if c.items_total is not None)

    @property
    def score(self) -> Decimal | None:
        met = sum(c.items_met or 0 for c in self.calls)
        total = sum(c.items_total or 0 for c in self.calls)
        return Decimal(met) / Decimal(total) if total else None


def _seed(session: Session, team: Team) -> str:
    contract = session.exec(orm_select(Contract).where(Contract.team_id == team.id)).first()
    if contract is None:
        raise NotFound(ContractProblem.NO_CONTRACT, team=team.slug, outsourced=bool(team.operator))
    return contract.audit_seed


def _sample(
    session: Session, team: Team, version: VersionFacts, month: date, now: datetime
) -> list[SampledCall]:
    picks = draw(
        session.connection(),
        team_id=team.id or 0,
        timezone=team.timezone,
        seed=_seed(session, team),
        month=month,
        calls_per_agent=version.audit_calls_per_agent,
    )
    if not picks:
        return []
    ids = [p.call_id for p in picks]
    calls = {c.id: c for c in session.exec(orm_select(Call).where(col(Call.id).in_(ids)))}
    audits = {
        a.call_id: a for a in session.exec(orm_select(Audit).where(col(Audit.call_id).in_(ids)))
    }
    people = {
        m.id: Person(m.id or 0, m.slack_user_id, m.name)
        for m in session.exec(
            orm_select(Member).where(col(Member.id).in_({p.agent_id for p in picks}))
        )
    }
    sampled = []
    for pick in picks:
        call, audit = calls[pick.call_id], audits.get(pick.call_id)
        sampled.append(
            SampledCall(
                pick=pick,
                agent=people[pick.agent_id],
                company=call.company,
                called_at=call.called_at,
                final=now >= pick.closes_at,
                items_met=audit.items_met if audit else None,
                items_total=audit.items_total if audit else None,
            )
        )
    return sampled


def audit_sample(
    session: Session, *, actor: Actor, team_slug: str, month: date, now: datetime | None = None
) -> SampleFacts:
    """A month's sample: every pick, whether its window is over, and its audit."""
    now = now or utcnow()
    team = team_by_slug(session, team_slug)
    require(actor, Action.AUDIT_RUN, team_id=team.id)
    version = version_in_force(session, team, month)
    return SampleFacts(
        OutsourcedTeam.of(team),
        month,
        version.audit_calls_per_agent,
        version.audit_checklist,
        tuple(_sample(session, team, version, month, now)),
    )


@dataclass(frozen=True)
class AuditTask:
    """The next sampled call to audit, with what the auditor needs and the checklist."""

    call_id: int
    month: date
    team: OutsourcedTeam
    agent: Person
    company: str
    contact_name: str | None
    phone: str | None
    called_at: datetime
    duration_seconds: int
    outcome: str
    note: str | None
    checklist: tuple[str, ...]
    remaining: int


def next_audit(
    session: Session, *, actor: Actor, team_id: int, now: datetime | None = None
) -> AuditTask | None:
    """The oldest sampled call not audited yet whose window is over, in the previous month
    or this one; None when there is none left."""
    now = now or utcnow()
    require(actor, Action.AUDIT_RUN, team_id=team_id)
    team = session.get_one(Team, team_id)
    if team.operator is None:
        raise Conflict(ContractProblem.NOT_OUTSOURCED, team=team.slug)
    this_month = month_of(local_day(ZoneInfo(team.timezone), now))
    pending: list[tuple[date, VersionFacts, SampledCall]] = []
    for month in (add_months(this_month, -1), this_month):
        try:
            version = version_in_force(session, team, month)
        except NotFound:
            continue
        pending += [
            (month, version, sampled)
            for sampled in _sample(session, team, version, month, now)
            if sampled.final and sampled.items_total is None
        ]
    if not pending:
        return None
    pending.sort(key=lambda item: (item[2].called_at, item[2].pick.call_id))
    month, version, sampled = pending[0]
    call = session.get_one(Call, sampled.pick.call_id)
    return AuditTask(
        call_id=call.id or 0,
        month=month,
        team=OutsourcedTeam.of(team),
        agent=sampled.agent,
        company=call.company,
        contact_name=call.contact_name,
        phone=call.phone,
        called_at=call.called_at,
        duration_seconds=call.duration_seconds,
        outcome=call.outcome,
        note=call.note,
        checklist=version.audit_checklist,
        remaining=len(pending) - 1,
    )


@dataclass(frozen=True)
class AuditFacts:
    """A recorded audit. `repeated`: a redelivered submission."""

    call_id: int
    month: date
    agent: Person
    company: str
    checklist: tuple[str, ...]
    answers: tuple[bool, ...]
    note: str | None
    audited_at: datetime
    repeated: bool = False

    @property
    def items_met(self) -> int:
        return sum(self.answers)

    @property
    def score(self) -> Decimal:
        return Decimal(self.items_met) / Decimal(len(self.answers))


def record_audit(
    session: Session,
    *,
    actor: Actor,
    call_id: int,
    answers: Sequence[bool],
    request_key: str,
    note: str | None = None,
    now: datetime | None = None,
) -> AuditFacts:
    """Score a sampled call against its month's checklist (one yes/no per item, in order)."""
    now = now or utcnow()
    earlier = session.exec(orm_select(Audit).where(Audit.request_key == request_key)).first()
    if earlier is not None:
        return _facts(session, earlier, repeated=True)
    cleaned = (note or "").strip() or None
    if cleaned is not None and len(cleaned) > MAX_NOTE_CHARS:
        raise InvalidInput(
            AuditProblem.NOTE_TOO_LONG, field="note", length=len(cleaned), limit=MAX_NOTE_CHARS
        )
    begin_write(session)
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(AuditProblem.CALL_NOT_FOUND, field="call", call_id=call_id)
    require(actor, Action.AUDIT_RUN, team_id=call.team_id)
    team = session.get_one(Team, call.team_id)
    if team.operator is None:
        raise Conflict(ContractProblem.NOT_OUTSOURCED, team=team.slug)
    month = month_of(local_day(ZoneInfo(team.timezone), call.called_at))
    version = version_in_force(session, team, month)
    picks = {s.pick.call_id: s for s in _sample(session, team, version, month, now)}
    sampled = picks.get(call_id)
    if sampled is None or not sampled.final:
        raise Conflict(
            AuditProblem.NOT_IN_SAMPLE,
            field="call",
            call_id=call_id,
            company=call.company,
            month=month,
            closes_at=sampled.pick.closes_at if sampled else None,
        )
    if len(answers) != len(version.audit_checklist):
        raise InvalidInput(
            AuditProblem.ANSWERS_MISMATCH,
            field="answers",
            given=len(answers),
            expected=len(version.audit_checklist),
        )
    done = session.exec(orm_select(Audit).where(Audit.call_id == call_id)).first()
    if done is not None:
        raise Conflict(
            AuditProblem.ALREADY_AUDITED,
            call_id=call_id,
            company=call.company,
            audited_at=done.audited_at,
            auditor=_person(session, done.auditor_id),
        )
    audit = Audit(
        team_id=team.id or 0,
        call_id=call_id,
        agent_id=call.agent_id,
        month=month,
        version_id=version.id,
        auditor_id=actor.member_id,
        audited_at=now,
        answers=[bool(a) for a in answers],
        items_met=sum(bool(a) for a in answers),
        items_total=len(answers),
        note=cleaned,
        request_key=request_key,
    )
    session.add(audit)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        again = session.exec(orm_select(Audit).where(Audit.request_key == request_key)).first()
        if again is not None:
            return _facts(session, again, repeated=True)
        raise Conflict(
            AuditProblem.ALREADY_AUDITED,
            call_id=call_id,
            company=call.company,
            audited_at=None,
            auditor=None,
        ) from None
    return _facts(session, audit)


def _person(session: Session, member_id: int | None) -> Person | None:
    if member_id is None:
        return None
    member = session.get(Member, member_id)
    return Person(member.id or 0, member.slack_user_id, member.name) if member else None


def _facts(session: Session, audit: Audit, *, repeated: bool = False) -> AuditFacts:
    call = session.get_one(Call, audit.call_id)
    agent = _person(session, audit.agent_id)
    assert agent is not None  # a foreign key
    version = session.get_one(ContractVersion, audit.version_id)
    return AuditFacts(
        call_id=audit.call_id,
        month=audit.month,
        agent=agent,
        company=call.company,
        checklist=tuple(version.audit_checklist),
        answers=tuple(audit.answers),
        note=audit.note,
        audited_at=audit.audited_at,
        repeated=repeated,
    )
