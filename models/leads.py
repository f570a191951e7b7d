"""Leads: handing a detected project to a sales engineer (or the pool), and reading leads back.

A lead is handed by an agent (or a manager, or an admin) of a team with a leads
channel. It names an active sales engineer of the team, or none: then the
team's routing rule applies (the pool, or the next sales engineer in rotation).
Its source is telemarketing (linked to the agent's call with the same company
that day), a seminar or trade show of the team (the latest past one of that
name, or the one on the date given), or other. What happens to it next is in
models.lead_flow. The hand-off queues the card and the direct message to the
named sales engineer in the outbox, in the same transaction (models.outbox).

Nothing here speaks Slack or a language: refusals carry a `LeadProblem` and facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, and_, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models import outbox
from models.actors import Actor, Person, Role, TeamFacts
from models.calls import team_facts
from models.db import begin_write, utcnow
from models.errors import DomainError, InvalidInput, NotFound, Problem
from models.events import find_event
from models.keys import name_key
from models.outcomes import Outcome
from models.periods import day_bounds, local_day
from models.policy import Action, require, require_member
from models.tables import Call, Event, Lead, Member, Team

MAX_COMPANY_CHARS = 200
MAX_CONTACT_CHARS = 200
MAX_SUMMARY_CHARS = 2000
MAX_REASON_CHARS = 500
#: Money columns are Numeric(14, 2): amounts are from 0 to less than this, to the cent.
VALUE_LIMIT = Decimal(10**12)
PAGE_SIZE = 40


class Source(StrEnum):
    """Where a lead came from."""

    TELEMARKETING = "telemarketing"
    SEMINAR = "seminar"
    TRADE_SHOW = "trade-show"
    OTHER = "other"


EVENT_SOURCES = frozenset({Source.SEMINAR, Source.TRADE_SHOW})


class Status(StrEnum):
    """A lead's life: new, claimed, then qualified or rejected, then won or lost."""

    NEW = "new"
    CLAIMED = "claimed"
    QUALIFIED = "qualified"
    REJECTED = "rejected"
    WON = "won"
    LOST = "lost"


OPEN_STATUSES = frozenset({Status.NEW, Status.CLAIMED, Status.QUALIFIED})
CLOSED_STATUSES = frozenset({Status.REJECTED, Status.WON, Status.LOST})


class Routing(StrEnum):
    """How a team hands leads that name no sales engineer."""

    POOL = "pool"
    ROUND_ROBIN = "round-robin"


class LeadAction(StrEnum):
    """Everything that happens to a lead. Rules, buttons, thread words, replies and direct
    messages are all keyed by it."""

    HAND = "hand"
    CLAIM = "claim"
    QUALIFY = "qualify"
    REJECT = "reject"
    WIN = "win"
    LOSE = "lose"
    RELEASE = "release"
    REASSIGN = "reassign"


class LeadProblem(Problem):
    """Why a lead request is refused."""

    COMPANY_MISSING = "lead.company_missing"
    COMPANY_TOO_LONG = "lead.company_too_long"
    SUMMARY_MISSING = "lead.summary_missing"
    SUMMARY_TOO_LONG = "lead.summary_too_long"
    CONTACT_TOO_LONG = "lead.contact_too_long"
    VALUE_OUT_OF_RANGE = "lead.value_out_of_range"
    EVENT_MISSING = "lead.event_missing"
    EVENT_NOT_OFFERED = "lead.event_not_offered"
    NO_LEADS_CHANNEL = "lead.no_leads_channel"
    ENGINEER_UNKNOWN = "lead.engineer_unknown"
    ENGINEER_NOT_ON_ROSTER = "lead.engineer_not_on_roster"
    ENGINEER_DEACTIVATED = "lead.engineer_deactivated"
    NOT_A_SALES_ENGINEER = "lead.not_a_sales_engineer"
    NOT_FOUND = "lead.not_found"
    REFERENCE_MISSING = "lead.reference_missing"
    PAGE_OUT_OF_RANGE = "lead.page_out_of_range"
    CLOSED = "lead.closed"
    WRONG_STATUS = "lead.wrong_status"
    HANDED_TO_OTHER = "lead.handed_to_other"
    ALREADY_CLAIMED = "lead.already_claimed"
    NOT_YOURS = "lead.not_yours"
    REASON_MISSING = "lead.reason_missing"
    REASON_TOO_LONG = "lead.reason_too_long"
    VALUE_MISSING = "lead.value_missing"
    TARGET_MISSING = "lead.target_missing"
    QUALIFIED_NOT_TO_POOL = "lead.qualified_not_to_pool"
    CHANGED_MEANWHILE = "lead.changed_meanwhile"


# --- what people ask for ----------------------------------------------------------------


@dataclass(frozen=True)
class NewLead:
    """What an agent says about a detected project.

    The sales engineer is `engineer` (a Slack user id, from a mention or the form's
    picker) or `engineer_name` (what followed a leading `@` that Slack did not turn
    into a mention), or neither: the team's routing rule applies. An event is named
    by `event_name` (and `event_day` to pick one of several of that name) or, from
    the form, by `event_id`.
    """

    company: str
    summary: str
    engineer: str | None = None
    engineer_name: str | None = None
    estimated_value: Decimal | None = None
    source: Source = Source.TELEMARKETING
    event_name: str | None = None
    event_day: date | None = None
    event_id: int | None = None
    contact_name: str | None = None


def check_value(value: Decimal | None, *, field: str, currency: str) -> None:
    """Refuse an amount the money columns cannot hold (from 0 to less than 10^12, to the cent)."""
    if value is None:
        return
    if not value.is_finite() or not Decimal(0) <= value < VALUE_LIMIT or value != round(value, 2):
        raise InvalidInput(
            LeadProblem.VALUE_OUT_OF_RANGE,
            field=field,
            value=value,
            limit=VALUE_LIMIT,
            currency=currency,
        )


def check_new_lead(new: NewLead, *, currency: str = "EUR") -> None:
    """Raise InvalidInput unless every field is within bounds."""
    if not new.company.strip():
        raise InvalidInput(LeadProblem.COMPANY_MISSING, field="company")
    if not new.summary.strip():
        raise InvalidInput(LeadProblem.SUMMARY_MISSING, field="summary")
    for text, limit, problem, name in (
        (new.company, MAX_COMPANY_CHARS, LeadProblem.COMPANY_TOO_LONG, "company"),
        (new.summary, MAX_SUMMARY_CHARS, LeadProblem.SUMMARY_TOO_LONG, "summary"),
        (new.contact_name, MAX_CONTACT_CHARS, LeadProblem.CONTACT_TOO_LONG, "contact"),
    ):
        if text is not None and len(text.strip()) > limit:
            raise InvalidInput(problem, field=name, length=len(text.strip()), limit=limit)
    check_value(new.estimated_value, field="value", currency=currency)
    if new.source in EVENT_SOURCES and not (new.event_name or new.event_id):
        raise InvalidInput(LeadProblem.EVENT_MISSING, field="event", kind=new.source.value)


# --- what the bot shows ------------------------------------------------------------------


@dataclass(frozen=True)
class EventFacts:
    """A seminar or trade show, as leads name it."""

    id: int
    kind: str
    name: str
    held_on: date


@dataclass(frozen=True)
class LeadFacts:
    """A lead with everything its card, its replies and lists show."""

    id: int
    team: TeamFacts
    leads_channel: str | None
    number: int
    source: Source
    event: EventFacts | None
    call_at: datetime | None
    detected_by: Person
    assigned_to: Person | None
    owner: Person | None
    company: str
    contact_name: str | None
    summary: str
    estimated_value: Decimal | None
    currency: str
    status: Status
    reason: str | None
    final_value: Decimal | None
    created_at: datetime
    handed_at: datetime
    claimed_at: datetime | None
    card_channel: str | None
    card_ts: str | None
    version: int
    card_version: int

    @property
    def reference(self) -> str:
        return reference(self.number)

    @property
    def time_to_claim(self) -> timedelta | None:
        """How long the lead waited before it was claimed."""
        return None if self.claimed_at is None else self.claimed_at - self.handed_at

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def holder(self) -> Person | None:
        """Who has the lead: its owner, else the sales engineer it is handed to (if new)."""
        return self.owner or (self.assigned_to if self.status == Status.NEW else None)


@dataclass(frozen=True)
class HandedLead:
    """A lead as handed. `repeated`: the request had been handled already (a redelivery).

    `open_duplicates` are other open leads of the team for the same company (the
    hand-off happens all the same). `outbox` are the rows to deliver right away.
    """

    lead: LeadFacts
    repeated: bool
    linked_call: bool
    open_duplicates: tuple[LeadFacts, ...] = ()
    outbox: tuple[int, ...] = ()


def reference(number: int) -> str:
    """`L-0042`."""
    return f"L-{number:04d}"


def parse_reference(text: str) -> int | None:
    """The lead number in `L-0042`, `l-42`, `L42` or `42`, else None."""
    match = re.fullmatch(r"(?:[Ll]-?)?0*(\d{1,9})", text.strip())
    return int(match.group(1)) if match else None


_MEMBERS, _LEADS, _TEAMS = Member.__table__, Lead.__table__, Team.__table__  # type: ignore[attr-defined]
_EVENTS, _CALLS = Event.__table__, Call.__table__  # type: ignore[attr-defined]
_DETECTED, _ASSIGNED, _OWNER = (aliased(Member, name=n) for n in ("detected", "assigned", "owner"))


def _facts_query() -> Any:
    """A lead with its team, people, event and call; always read fresh from the database."""
    return (
        select(
            Lead,
            Team,
            _DETECTED.slack_user_id,
            _DETECTED.name,
            _ASSIGNED.slack_user_id,
            _ASSIGNED.name,
            _OWNER.slack_user_id,
            _OWNER.name,
            Event.id,
            Event.kind,
            Event.name,
            Event.held_on,
            Call.called_at,
        )
        .join(Team, col(Team.id) == col(Lead.team_id))
        .join(_DETECTED, col(_DETECTED.id) == col(Lead.detected_by_id))
        .outerjoin(_ASSIGNED, col(_ASSIGNED.id) == col(Lead.assigned_to_id))
        .outerjoin(_OWNER, col(_OWNER.id) == col(Lead.owner_id))
        .outerjoin(Event, col(Event.id) == col(Lead.event_id))
        .outerjoin(Call, col(Call.id) == col(Lead.call_id))
        .execution_options(populate_existing=True)
    )


def _person(member_id: int | None, user_id: str | None, name: str | None) -> Person | None:
    if member_id is None or user_id is None:
        return None
    return Person(member_id, user_id, name or user_id)


def _facts_of(row: Row[Any]) -> LeadFacts:
    lead: Lead = row[0]
    team: Team = row[1]
    (d_user, d_name, a_user, a_name, o_user, o_name) = row[2:8]
    event_id, event_kind, event_name, event_day, called_at = row[8:13]
    detected = _person(lead.detected_by_id, d_user, d_name)
    assert detected is not None
    return LeadFacts(
        id=lead.id or 0,
        team=team_facts(team),
        leads_channel=team.leads_channel,
        number=lead.number,
        source=Source(lead.source),
        event=EventFacts(event_id, event_kind, event_name, event_day) if event_id else None,
        call_at=called_at,
        detected_by=detected,
        assigned_to=_person(lead.assigned_to_id, a_user, a_name),
        owner=_person(lead.owner_id, o_user, o_name),
        company=lead.company,
        contact_name=lead.contact_name,
        summary=lead.summary,
        estimated_value=lead.estimated_value,
        currency=lead.currency,
        status=Status(lead.status),
        reason=lead.reason,
        final_value=lead.final_value,
        created_at=lead.created_at,
        handed_at=lead.handed_at,
        claimed_at=lead.claimed_at,
        card_channel=lead.card_channel,
        card_ts=lead.card_ts,
        version=lead.version,
        card_version=lead.card_version,
    )


def lead_facts(session: Session, *, lead_id: int) -> LeadFacts:
    """Everything shown about a lead (no permission check: for the bot's own deliveries)."""
    row = session.exec(_facts_query().where(col(Lead.id) == lead_id)).first()
    if row is None:
        raise NotFound(LeadProblem.NOT_FOUND, lead_id=lead_id)
    return _facts_of(row)


def _many(session: Session, condition: Any, *, limit: int, offset: int = 0) -> list[LeadFacts]:
    query = (
        _facts_query()
        .where(condition)
        .order_by(col(Lead.number).desc())
        .offset(offset)
        .limit(limit)
    )
    return [_facts_of(row) for row in session.exec(query).all()]


# --- who a lead is for --------------------------------------------------------------------


def team_engineers(session: Session, *, team_id: int) -> list[Person]:
    """The team's active sales engineers, by name."""
    members = session.exec(
        select(Member)
        .where(
            Member.team_id == team_id,
            col(Member.is_sales_engineer),
            col(Member.active),
        )
        .order_by(Member.name)
    ).all()
    return [Person(m.id or 0, m.slack_user_id, m.name) for m in members]


def _as_person(member: Member) -> Person:
    return Person(member.id or 0, member.slack_user_id, member.name)


def check_engineer(
    session: Session, *, member: Member | None, user_id: str, team_id: int
) -> Member:
    """`member` if it is an active sales engineer of the team, else the refusal saying why."""
    facts: dict[str, Any] = {"engineers": team_engineers(session, team_id=team_id)}
    if member is None or member.team_id != team_id:
        raise InvalidInput(
            LeadProblem.ENGINEER_NOT_ON_ROSTER, field="engineer", user_id=user_id, **facts
        )
    if not member.active:
        raise InvalidInput(
            LeadProblem.ENGINEER_DEACTIVATED, field="engineer", engineer=_as_person(member), **facts
        )
    if not member.is_sales_engineer:
        raise InvalidInput(
            LeadProblem.NOT_A_SALES_ENGINEER, field="engineer", engineer=_as_person(member), **facts
        )
    return member


def engineer_by_user(session: Session, *, user_id: str, team_id: int) -> Member:
    """The active sales engineer of the team behind a Slack user id, or a refusal."""
    member = session.exec(select(Member).where(Member.slack_user_id == user_id)).first()
    return check_engineer(session, member=member, user_id=user_id, team_id=team_id)


def _names(member: Member) -> set[str]:
    full = name_key(member.name)
    return {full, full.split()[0]} if full else set()


def member_by_name(session: Session, *, name: str, team_id: int) -> Member | None:
    """The one member of the team whose full or first name is `name` (folded), else None."""
    key = name_key(name)
    members = session.exec(select(Member).where(Member.team_id == team_id)).all()
    found = [m for m in members if key and key in _names(m)]
    return found[0] if len(found) == 1 else None


def engineer_by_name(session: Session, *, name: str, team_id: int) -> Member:
    """The team member whose full or first name is `name` (folded), if they are an active
    sales engineer; else the refusal listing the team's sales engineers."""
    member = member_by_name(session, name=name, team_id=team_id)
    if member is not None:
        return check_engineer(session, member=member, user_id=member.slack_user_id, team_id=team_id)
    raise InvalidInput(
        LeadProblem.ENGINEER_UNKNOWN,
        field="engineer",
        name=name,
        engineers=team_engineers(session, team_id=team_id),
    )


def next_in_rotation(session: Session, *, team_id: int, after: int | None) -> Member | None:
    """The team's next active sales engineer after member `after` (by roster order), wrapping."""
    engineers = list(
        session.exec(
            select(Member)
            .where(Member.team_id == team_id, col(Member.is_sales_engineer), col(Member.active))
            .order_by(Member.id)
        )
    )
    if not engineers:
        return None
    later = [m for m in engineers if after is not None and (m.id or 0) > after]
    return later[0] if later else engineers[0]


# --- events leads come from ---------------------------------------------------------------


def _event_facts(event: Event) -> EventFacts:
    return EventFacts(event.id or 0, event.kind, event.name, event.held_on)


def source_events(session: Session, *, actor: Actor, limit: int = 100) -> list[EventFacts]:
    """The seminars and trade shows of the actor's team, newest first (the form's picker)."""
    require_member(actor, Action.LEAD_HAND)
    events = session.exec(
        select(Event)
        .where(Event.team_id == actor.team_id)
        .order_by(col(Event.held_on).desc(), col(Event.name))
        .limit(limit)
    ).all()
    return [_event_facts(e) for e in events]


def _lead_event(session: Session, *, team: Team, new: NewLead, today: date) -> Event | None:
    """The event a seminar or trade-show lead comes from: the one picked in the form (by id),
    else the one named (models.events.find_event: on its day, else the latest one held by
    `today`). A refusal to find it says it was looking for a lead's source (`for_lead`)."""
    if new.source not in EVENT_SOURCES:
        return None
    if new.event_id is not None:
        event = session.get(Event, new.event_id)
        if event is None or event.team_id != team.id or event.kind != new.source.value:
            raise InvalidInput(LeadProblem.EVENT_NOT_OFFERED, field="event", kind=new.source.value)
        return event
    try:
        found = find_event(
            session,
            team_id=team.id or 0,
            kind=new.source.value,
            name=new.event_name or "",
            on=new.event_day,
            today=today,
        )
    except DomainError as error:
        error.facts["for_lead"] = True
        raise
    return session.get_one(Event, found.id)


# --- handing a lead -----------------------------------------------------------------------


def _linked_call(
    session: Session, *, agent_id: int, zone: ZoneInfo, company: str, now: datetime
) -> Call | None:
    start, end = day_bounds(zone, local_day(zone, now))
    return session.exec(
        select(Call)
        .where(
            Call.agent_id == agent_id,
            Call.company_key == name_key(company),
            col(Call.called_at) >= start,
            col(Call.called_at) < end,
            col(Call.undone_at).is_(None),
        )
        .order_by(col(Call.called_at).desc(), col(Call.id).desc())
    ).first()


def open_duplicates(session: Session, *, lead: LeadFacts, limit: int = 5) -> tuple[LeadFacts, ...]:
    """Other open leads of the lead's team for the same company (matched by folded name)."""
    condition = and_(
        col(Lead.team_id) == lead.team.id,
        col(Lead.company_key) == name_key(lead.company),
        col(Lead.id) != lead.id,
        col(Lead.status).in_([s.value for s in OPEN_STATUSES]),
    )
    return tuple(_many(session, condition, limit=limit))


def _handed(
    session: Session, lead_id: int, *, repeated: bool, outbox_ids: tuple[int, ...] = ()
) -> HandedLead:
    facts = lead_facts(session, lead_id=lead_id)
    return HandedLead(
        lead=facts,
        repeated=repeated,
        linked_call=facts.call_at is not None,
        open_duplicates=open_duplicates(session, lead=facts),
        outbox=outbox_ids,
    )


def hand_lead(
    session: Session,
    *,
    actor: Actor,
    new: NewLead,
    slack_key: str,
    now: datetime | None = None,
) -> HandedLead:
    """Hand a lead to a sales engineer, or route it by the team's rule. One lead per key.

    One write transaction: the lead, its call's outcome, and the outbox rows of its
    card and of the direct message to the sales engineer it is handed to.
    """
    require_member(actor, Action.LEAD_HAND)
    assert actor.team is not None and actor.member_id is not None  # members have a team
    check_new_lead(new, currency=actor.team.currency)
    now = now or utcnow()
    begin_write(session)
    existing = session.exec(select(Lead.id).where(Lead.slack_key == slack_key)).first()
    if existing is not None:
        return _handed(session, existing, repeated=True)
    team = session.exec(select(Team).where(Team.id == actor.team_id).with_for_update()).one()
    if not team.leads_channel:
        raise InvalidInput(LeadProblem.NO_LEADS_CHANNEL, team=team_facts(team))
    zone = ZoneInfo(team.timezone)
    engineer: Member | None = None
    if new.engineer:
        engineer = engineer_by_user(session, user_id=new.engineer, team_id=team.id or 0)
    elif new.engineer_name:
        engineer = engineer_by_name(session, name=new.engineer_name, team_id=team.id or 0)
    elif team.lead_routing == Routing.ROUND_ROBIN:
        engineer = next_in_rotation(session, team_id=team.id or 0, after=team.last_routed_member_id)
        if engineer is not None:
            team.last_routed_member_id = engineer.id
    event = _lead_event(session, team=team, new=new, today=local_day(zone, now))
    call = (
        _linked_call(session, agent_id=actor.member_id, zone=zone, company=new.company, now=now)
        if new.source == Source.TELEMARKETING
        else None
    )
    team.last_lead_number += 1
    lead = Lead(
        team_id=team.id,
        number=team.last_lead_number,
        source=new.source.value,
        event_id=event.id if event else None,
        call_id=call.id if call else None,
        detected_by_id=actor.member_id,
        company=new.company.strip(),
        company_key=name_key(new.company),
        contact_name=(new.contact_name or "").strip() or None,
        summary=new.summary.strip(),
        estimated_value=new.estimated_value,
        currency=team.currency,
        assigned_to_id=engineer.id if engineer else None,
        status=Status.NEW.value,
        created_at=now,
        handed_at=now,
        slack_key=slack_key,
    )
    session.add(team)
    session.add(lead)
    if call is not None:
        session.execute(
            update(Call).where(col(Call.id) == call.id).values(outcome=Outcome.LEAD.value)
        )
    try:
        session.flush()
        rows = [
            outbox.arm_card(session, team_id=team.id or 0, lead_id=lead.id or 0, version=1, now=now)
        ]
        if engineer is not None and engineer.id != actor.member_id:
            rows.append(
                outbox.add_message(
                    session,
                    kind=outbox.Kind.DM,
                    team_id=team.id or 0,
                    lead_id=lead.id or 0,
                    version=1,
                    facts={"action": LeadAction.HAND.value, "actor": actor.user_id},
                    recipient=engineer.slack_user_id,
                    now=now,
                )
            )
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = session.exec(select(Lead.id).where(Lead.slack_key == slack_key)).first()
        if existing is None:
            raise
        return _handed(session, existing, repeated=True)
    return _handed(session, lead.id or 0, repeated=False, outbox_ids=tuple(rows))


# --- reading leads ------------------------------------------------------------------------


def find_lead(session: Session, *, actor: Actor, text: str) -> LeadFacts:
    """The lead of the actor's team named by `L-0042`, or a refusal."""
    require_member(actor, Action.LEAD_READ)
    if not text.strip():
        raise InvalidInput(LeadProblem.REFERENCE_MISSING, field="reference")
    number = parse_reference(text)
    row = None
    if number is not None:
        row = session.exec(
            _facts_query().where(col(Lead.team_id) == actor.team_id, col(Lead.number) == number)
        ).first()
    if row is None:
        raise NotFound(LeadProblem.NOT_FOUND, field="reference", text=text)
    return _facts_of(row)


def read_lead(session: Session, *, actor: Actor, lead_id: int) -> LeadFacts:
    """A lead by id, for someone allowed to read its team's leads."""
    facts = lead_facts(session, lead_id=lead_id)
    require(actor, Action.LEAD_READ, team_id=facts.team.id)
    return facts


def lead_by_card(session: Session, *, channel: str, ts: str) -> LeadFacts | None:
    """The lead whose card is the message `ts` in `channel`."""
    row = session.exec(
        _facts_query().where(col(Lead.card_channel) == channel, col(Lead.card_ts) == ts)
    ).first()
    return None if row is None else _facts_of(row)


class ListScope(StrEnum):
    """Which leads `/lead list` shows."""

    MINE = "mine"
    OPEN = "open"
    POOL = "pool"
    TODAY = "today"
    CLOSED = "closed"
    ALL = "all"


@dataclass(frozen=True)
class LeadQuery:
    """A list of leads: a scope, a status, a sales engineer (Slack user id), a source, a page.

    Without a scope: the actor's open leads for a sales engineer (or anyone who is
    not an agent), the leads an agent handed today; with only filters: open leads.
    """

    scope: ListScope | None = None
    status: Status | None = None
    engineer: str | None = None
    engineer_name: str | None = None
    source: Source | None = None
    page: int = 1


@dataclass(frozen=True)
class LeadPage:
    """One page of a list: `first` and `last` count from 1 over `total`."""

    query: LeadQuery
    engineer: Person | None
    total: int
    page: int
    pages: int
    leads: tuple[LeadFacts, ...] = field(default_factory=tuple)

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.leads else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * PAGE_SIZE + len(self.leads)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _scope_condition(scope: ListScope, actor: Actor, now: datetime) -> Any:
    open_values = [s.value for s in OPEN_STATUSES]
    if scope == ListScope.MINE:
        return and_(_held_by(actor.member_id or 0), col(Lead.status).in_(open_values))
    if scope == ListScope.OPEN:
        return col(Lead.status).in_(open_values)
    if scope == ListScope.POOL:
        return and_(col(Lead.status) == Status.NEW.value, col(Lead.assigned_to_id).is_(None))
    if scope == ListScope.CLOSED:
        return col(Lead.status).in_([s.value for s in CLOSED_STATUSES])
    if scope == ListScope.TODAY:
        assert actor.team is not None
        zone = ZoneInfo(actor.team.timezone)
        start, end = day_bounds(zone, local_day(zone, now))
        return and_(
            col(Lead.detected_by_id) == actor.member_id,
            col(Lead.created_at) >= start,
            col(Lead.created_at) < end,
        )
    return col(Lead.id).is_not(None)


def _held_by(member_id: int) -> Any:
    """Leads a member holds, or that are handed to them and not claimed yet."""
    return or_(
        col(Lead.owner_id) == member_id,
        and_(col(Lead.owner_id).is_(None), col(Lead.assigned_to_id) == member_id),
    )


def default_scope(actor: Actor, query: LeadQuery) -> ListScope:
    """The scope of a query that names none (see LeadQuery)."""
    if query.scope is not None:
        return query.scope
    if query.engineer or query.engineer_name or query.source or query.status:
        return ListScope.OPEN if query.status is None else ListScope.ALL
    if actor.has(Role.AGENT) and not actor.has(Role.SALES_ENGINEER):
        return ListScope.TODAY
    return ListScope.MINE


def _listed_member(session: Session, query: LeadQuery, *, team_id: int) -> Member:
    """The member a list is filtered by (a mention or a name), or the refusal listing the
    team's sales engineers."""
    engineers = {"field": "engineer", "engineers": team_engineers(session, team_id=team_id)}
    if query.engineer:
        member = session.exec(select(Member).where(Member.slack_user_id == query.engineer)).first()
        if member is None or member.team_id != team_id:
            raise InvalidInput(
                LeadProblem.ENGINEER_NOT_ON_ROSTER, user_id=query.engineer, **engineers
            )
        return member
    found = member_by_name(session, name=query.engineer_name or "", team_id=team_id)
    if found is None:
        raise InvalidInput(LeadProblem.ENGINEER_UNKNOWN, name=query.engineer_name, **engineers)
    return found


def list_leads(
    session: Session, *, actor: Actor, query: LeadQuery, now: datetime | None = None
) -> LeadPage:
    """One page of the actor's team's leads, newest first, and how many there are in all."""
    require_member(actor, Action.LEAD_READ)
    assert actor.team_id is not None
    query = replace(query, scope=default_scope(actor, query))
    assert query.scope is not None
    conditions = [
        col(Lead.team_id) == actor.team_id,
        _scope_condition(query.scope, actor, now or utcnow()),
    ]
    engineer = None
    if query.engineer or query.engineer_name:
        engineer = _as_person(_listed_member(session, query, team_id=actor.team_id))
        conditions.append(_held_by(engineer.member_id))
    if query.status is not None:
        conditions.append(col(Lead.status) == query.status.value)
    if query.source is not None:
        conditions.append(col(Lead.source) == query.source.value)
    condition = and_(*conditions)
    total = session.exec(select(func.count()).select_from(Lead).where(condition)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    if query.page < 1 or query.page > pages:
        raise InvalidInput(
            LeadProblem.PAGE_OUT_OF_RANGE, field="page", page=query.page, pages=pages
        )
    leads = _many(session, condition, limit=PAGE_SIZE, offset=(query.page - 1) * PAGE_SIZE)
    return LeadPage(
        query=query,
        engineer=engineer,
        total=total,
        page=query.page,
        pages=pages,
        leads=tuple(leads),
    )
