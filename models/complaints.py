"""Complaints about an outsourced cell's leads and calls: lodged, answered, accepted or disputed.

A sales engineer or a manager lodges a complaint on a lead or a call of an outsourced
team, with a category and a comment. The provider's people answer it within the
contract's deadline (working days of the team's calendar, to the end of the last day);
the complainant (or a manager) then accepts the answer or disputes it. Each complaint
has a reference in its team (`C-0012`, worded by the bot) and a history of events.
Every step is one conditional write, keyed so that a repeated request has no second effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection, and_, bindparam, case, func, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.actors import Actor, Person
from models.contracts import (
    ContractProblem,
    OutsourcedTeam,
    version_in_force,
    working_deadline,
)
from models.db import UTCDateTime, begin_write, utcnow
from models.errors import Conflict, InvalidInput, NotFound, Problem
from models.periods import local_day, month_of
from models.policy import Action, Relation, require
from models.sla_metrics import team_calendar
from models.tables import Call, Complaint, ComplaintEvent, Lead, Member, Team

MAX_COMMENT_CHARS = 1000
MAX_ANSWER_CHARS = 2000
MAX_NOTE_CHARS = 1000
_NUMBER_TRIES = 5
_COMPLAINTS, _MEMBERS = Complaint.__table__, Member.__table__  # type: ignore[attr-defined]


class Category(StrEnum):
    """What a complaint is about."""

    WRONG_CONTACT = "wrong-contact"
    NO_PROJECT = "no-project"
    ALREADY_CUSTOMER = "already-customer"
    POOR_CALL = "poor-call"
    DATA_MISSING = "data-missing"
    OTHER = "other"


class ComplaintStatus(StrEnum):
    """Where a complaint stands."""

    OPEN = "open"
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    DISPUTED = "disputed"


SETTLED = frozenset({ComplaintStatus.ACCEPTED, ComplaintStatus.DISPUTED})


class ComplaintProblem(Problem):
    """Why a complaint, an answer or a settlement is refused."""

    NOTHING_NAMED = "complaint.nothing_named"
    LEAD_NOT_FOUND = "complaint.lead_not_found"
    CALL_NOT_FOUND = "complaint.call_not_found"
    CALL_UNDONE = "complaint.call_undone"
    COMMENT_MISSING = "complaint.comment_missing"
    ANSWER_MISSING = "complaint.answer_missing"
    REASON_MISSING = "complaint.reason_missing"
    TEXT_TOO_LONG = "complaint.text_too_long"
    NOT_FOUND = "complaint.not_found"
    ALREADY_ANSWERED = "complaint.already_answered"
    NOT_ANSWERED = "complaint.not_answered"
    ALREADY_SETTLED = "complaint.already_settled"


@dataclass(frozen=True)
class ComplaintStep:
    """One event of a complaint's history."""

    kind: str
    at: datetime
    by: Person | None
    text: str | None


@dataclass(frozen=True)
class ComplaintFacts:
    """A complaint as messages show it, with its history. `repeated`: a redelivered request."""

    id: int
    number: int
    team: OutsourcedTeam
    lead_number: int | None
    call_id: int | None
    company: str
    agent: Person
    category: Category
    comment: str
    status: ComplaintStatus
    lodged_by: Person | None
    lodged_at: datetime
    answer_due_at: datetime
    answer: str | None
    answered_by: Person | None
    answered_at: datetime | None
    settled_by: Person | None
    settled_at: datetime | None
    settlement_note: str | None
    history: tuple[ComplaintStep, ...]
    repeated: bool = False

    @property
    def answered_late(self) -> bool:
        """Answered after its deadline (an open complaint is late once the deadline passed)."""
        return self.answered_at is not None and self.answered_at > self.answer_due_at


def _check_text(text: str | None, *, field: str, limit: int, missing: ComplaintProblem) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput(missing, field=field)
    if len(cleaned) > limit:
        raise InvalidInput(
            ComplaintProblem.TEXT_TOO_LONG, field=field, length=len(cleaned), limit=limit
        )
    return cleaned


def _outsourced(session: Session, team_id: int) -> Team:
    team = session.get_one(Team, team_id)
    if team.operator is None:
        raise Conflict(ContractProblem.NOT_OUTSOURCED, team=team.slug)
    return team


def lodge_complaint(
    session: Session,
    *,
    actor: Actor,
    category: Category,
    comment: str,
    request_key: str,
    lead_id: int | None = None,
    call_id: int | None = None,
    now: datetime | None = None,
) -> ComplaintFacts:
    """Lodge a complaint on a lead or a call of an outsourced team; the provider has the
    contract's working days to answer it."""
    now = now or utcnow()
    earlier = _by_key(session, request_key)
    if earlier is not None:
        return _facts(session, earlier, repeated=True)
    if (lead_id is None) == (call_id is None):
        raise InvalidInput(ComplaintProblem.NOTHING_NAMED, field="lead")
    text = _check_text(
        comment, field="comment", limit=MAX_COMMENT_CHARS, missing=ComplaintProblem.COMMENT_MISSING
    )
    begin_write(session)
    if lead_id is not None:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise NotFound(ComplaintProblem.LEAD_NOT_FOUND, field="lead", lead_id=lead_id)
        team_id, agent_id = lead.team_id, lead.detected_by_id
    else:
        call = session.get(Call, call_id)
        if call is None:
            raise NotFound(ComplaintProblem.CALL_NOT_FOUND, field="call", call_id=call_id)
        if call.undone_at is not None:
            raise Conflict(ComplaintProblem.CALL_UNDONE, field="call", company=call.company)
        team_id, agent_id = call.team_id, call.agent_id
    require(actor, Action.COMPLAINT_LODGE, team_id=team_id)
    team = _outsourced(session, team_id)
    calendar = team_calendar(team.timezone)
    version = version_in_force(session, team, month_of(local_day(calendar.zone, now)))
    due = working_deadline(calendar, now, version.complaint_answer_days)
    for _ in range(_NUMBER_TRIES):
        latest = session.exec(
            select(func.max(Complaint.number)).where(Complaint.team_id == team_id)
        ).one()
        number = (latest or 0) + 1
        complaint = Complaint(
            team_id=team_id,
            number=number,
            lead_id=lead_id,
            call_id=call_id,
            agent_id=agent_id,
            category=category.value,
            comment=text,
            lodged_by_id=actor.member_id,
            lodged_at=now,
            answer_due_at=due,
            request_key=request_key,
        )
        session.add(complaint)
        try:
            session.flush()
            _event(session, complaint, "lodged", actor, now, text)
            session.commit()
            return _facts(session, complaint)
        except IntegrityError:
            session.rollback()
            earlier = _by_key(session, request_key)
            if earlier is not None:
                return _facts(session, earlier, repeated=True)
            begin_write(session)
    raise RuntimeError("could not number the complaint")  # pragma: no cover - five races lost


def answer_complaint(
    session: Session,
    *,
    actor: Actor,
    team_id: int,
    number: int,
    answer: str,
    now: datetime | None = None,
) -> ComplaintFacts:
    """The provider answers an open complaint (late answers are taken, and count as late)."""
    now = now or utcnow()
    text = _check_text(
        answer, field="answer", limit=MAX_ANSWER_CHARS, missing=ComplaintProblem.ANSWER_MISSING
    )
    begin_write(session)
    complaint = _find(session, team_id, number)
    require(actor, Action.COMPLAINT_ANSWER, team_id=complaint.team_id)
    done = session.execute(
        update(Complaint)
        .where(col(Complaint.id) == complaint.id, col(Complaint.status) == ComplaintStatus.OPEN)
        .values(
            status=ComplaintStatus.ANSWERED.value,
            answer=text,
            answered_by_id=actor.member_id,
            answered_at=now,
        )
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        if complaint.answer == text and complaint.answered_by_id == actor.member_id:
            return _facts(session, complaint, repeated=True)
        raise Conflict(
            ComplaintProblem.ALREADY_ANSWERED,
            number=number,
            answered_at=complaint.answered_at,
            answered_by=_person(session, complaint.answered_by_id),
        )
    _event(session, complaint, "answered", actor, now, text)
    session.commit()
    session.refresh(complaint)
    return _facts(session, complaint)


def settle_complaint(
    session: Session,
    *,
    actor: Actor,
    team_id: int,
    number: int,
    accept: bool,
    note: str | None = None,
    now: datetime | None = None,
) -> ComplaintFacts:
    """The complainant (or a manager) accepts the provider's answer, or disputes it with a
    reason."""
    now = now or utcnow()
    cleaned = (note or "").strip() or None
    if not accept:
        cleaned = _check_text(
            note, field="reason", limit=MAX_NOTE_CHARS, missing=ComplaintProblem.REASON_MISSING
        )
    elif cleaned is not None and len(cleaned) > MAX_NOTE_CHARS:
        raise InvalidInput(
            ComplaintProblem.TEXT_TOO_LONG, field="note", length=len(cleaned), limit=MAX_NOTE_CHARS
        )
    begin_write(session)
    complaint = _find(session, team_id, number)
    relation = (
        frozenset({Relation.COMPLAINANT})
        if actor.member_id is not None and complaint.lodged_by_id == actor.member_id
        else frozenset()
    )
    require(actor, Action.COMPLAINT_SETTLE, team_id=complaint.team_id, relations=relation)
    status = ComplaintStatus.ACCEPTED if accept else ComplaintStatus.DISPUTED
    done = session.execute(
        update(Complaint)
        .where(col(Complaint.id) == complaint.id, col(Complaint.status) == ComplaintStatus.ANSWERED)
        .values(
            status=status.value,
            settled_by_id=actor.member_id,
            settled_at=now,
            settlement_note=cleaned,
        )
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        if complaint.status == ComplaintStatus.OPEN:
            raise Conflict(ComplaintProblem.NOT_ANSWERED, number=number)
        if complaint.status == status and complaint.settled_by_id == actor.member_id:
            return _facts(session, complaint, repeated=True)
        raise Conflict(
            ComplaintProblem.ALREADY_SETTLED,
            number=number,
            status=ComplaintStatus(complaint.status),
            settled_by=_person(session, complaint.settled_by_id),
        )
    _event(session, complaint, status.value, actor, now, cleaned)
    session.commit()
    session.refresh(complaint)
    return _facts(session, complaint)


def show_complaint(session: Session, *, actor: Actor, team_id: int, number: int) -> ComplaintFacts:
    """A complaint and its history."""
    complaint = _find(session, team_id, number)
    require(actor, Action.COMPLAINT_READ, team_id=complaint.team_id)
    return _facts(session, complaint)


def list_complaints(
    session: Session, *, actor: Actor, team_id: int, open_only: bool = False
) -> list[ComplaintFacts]:
    """A team's complaints, newest first (only those not settled with `open_only`)."""
    require(actor, Action.COMPLAINT_READ, team_id=team_id)
    query = select(Complaint).where(Complaint.team_id == team_id)
    if open_only:
        query = query.where(col(Complaint.status).not_in([s.value for s in SETTLED]))
    rows = session.exec(query.order_by(col(Complaint.number).desc())).all()
    return [_facts(session, row) for row in rows]


# --- counts for statements --------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintCounts:
    """A team's complaints over a period: lodged in it, answered late (their deadline fell
    in it and the answer came after it, or not at all), disputed in it."""

    lodged: int = 0
    late: int = 0
    disputed: int = 0


_START = bindparam("start", type_=UTCDateTime())
_END = bindparam("end", type_=UTCDateTime())
_IN = and_(_COMPLAINTS.c.team_id == bindparam("team_id"))
_LATE = and_(
    _COMPLAINTS.c.answer_due_at >= _START,
    _COMPLAINTS.c.answer_due_at < _END,
    or_(
        _COMPLAINTS.c.answered_at.is_(None),
        _COMPLAINTS.c.answered_at > _COMPLAINTS.c.answer_due_at,
    ),
)
_DISPUTED = and_(
    _COMPLAINTS.c.status == ComplaintStatus.DISPUTED.value,
    _COMPLAINTS.c.settled_at >= _START,
    _COMPLAINTS.c.settled_at < _END,
)
_LODGED = and_(_COMPLAINTS.c.lodged_at >= _START, _COMPLAINTS.c.lodged_at < _END)
_COUNTS = core_select(
    func.coalesce(func.sum(case((_LODGED, 1), else_=0)), 0),
    func.coalesce(func.sum(case((_LATE, 1), else_=0)), 0),
    func.coalesce(func.sum(case((_DISPUTED, 1), else_=0)), 0),
).where(_IN)


def complaint_counts(
    connection: Connection, *, team_id: int, start: datetime, end: datetime
) -> ComplaintCounts:
    """Complaints lodged, answered late and disputed in [start, end)."""
    lodged, late, disputed = connection.execute(
        _COUNTS, {"team_id": team_id, "start": start, "end": end}
    ).one()
    return ComplaintCounts(int(lodged), int(late), int(disputed))


# --- helpers ----------------------------------------------------------------------------------


def _by_key(session: Session, request_key: str) -> Complaint | None:
    return session.exec(select(Complaint).where(Complaint.request_key == request_key)).first()


def _find(session: Session, team_id: int, number: int) -> Complaint:
    complaint = session.exec(
        select(Complaint).where(Complaint.team_id == team_id, Complaint.number == number)
    ).first()
    if complaint is None:
        raise NotFound(ComplaintProblem.NOT_FOUND, field="complaint", number=number)
    return complaint


def _event(
    session: Session, complaint: Complaint, kind: str, actor: Actor, at: datetime, text: str | None
) -> None:
    session.add(
        ComplaintEvent(
            complaint_id=complaint.id or 0, kind=kind, member_id=actor.member_id, at=at, text=text
        )
    )


def _person(session: Session, member_id: int | None) -> Person | None:
    if member_id is None:
        return None
    member = session.get(Member, member_id)
    return Person(member.id or 0, member.slack_user_id, member.name) if member else None


def _facts(session: Session, complaint: Complaint, *, repeated: bool = False) -> ComplaintFacts:
    team = session.get_one(Team, complaint.team_id)
    lead = session.get(Lead, complaint.lead_id) if complaint.lead_id else None
    call = session.get(Call, complaint.call_id) if complaint.call_id else None
    events = session.exec(
        select(ComplaintEvent)
        .where(ComplaintEvent.complaint_id == complaint.id)
        .order_by(col(ComplaintEvent.at), col(ComplaintEvent.id))
    ).all()
    agent = _person(session, complaint.agent_id)
    assert agent is not None  # a foreign key
    return ComplaintFacts(
        id=complaint.id or 0,
        number=complaint.number,
        team=OutsourcedTeam.of(team),
        lead_number=lead.number if lead else None,
        call_id=complaint.call_id,
        company=lead.company if lead else call.company if call else "",
        agent=agent,
        category=Category(complaint.category),
        comment=complaint.comment,
        status=ComplaintStatus(complaint.status),
        lodged_by=_person(session, complaint.lodged_by_id),
        lodged_at=complaint.lodged_at,
        answer_due_at=complaint.answer_due_at,
        answer=complaint.answer,
        answered_by=_person(session, complaint.answered_by_id),
        answered_at=complaint.answered_at,
        settled_by=_person(session, complaint.settled_by_id),
        settled_at=complaint.settled_at,
        settlement_note=complaint.settlement_note,
        history=tuple(
            ComplaintStep(e.kind, e.at, _person(session, e.member_id), e.text) for e in events
        ),
        repeated=repeated,
    )
