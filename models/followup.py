"""The follow-up queue: after an event, the companies on its list are called, one agent each.

The queue holds one item per company of a team (`Followup`). Importing a list
puts each of its companies in (or back in, when the company comes to a later
event than the call that closed it). An item can be taken from the day of its
event.

- `take_next` gives an agent the next company: companies someone attended
  before companies only registered, then the latest event first. The agent
  holds it under a lease (LEASE) renewed when they ask again; nobody else can
  take it meanwhile, and an agent holds one item at a time. Taking is a
  conditional UPDATE of a row chosen with `FOR UPDATE SKIP LOCKED` on PostgreSQL
  (SQLite's write lock serialises it): of simultaneous takers each gets a
  different company.
- `after_call` settles the item of a company once a call with it is logged, by
  anyone: a `callback` puts it back for later (CALLBACK_AFTER, or the time the
  agent gives), a `no-answer` for a retry (RETRY_AFTER); any other outcome
  closes it. `after_undo` reopens an item an undone call had closed.
- `put_back` hands a held item back without a call.
- Companies on the do-not-call list, and those whose every contact is on it,
  are never given (models.dnc.callable_company).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlmodel import Session, col

from models.actors import Actor, Person, TeamFacts
from models.attendees import EventRef
from models.db import begin_write, utcnow
from models.dnc import callable_company, listed_contact
from models.errors import Conflict, NotFound, Problem
from models.outcomes import Outcome
from models.periods import day_bounds
from models.policy import Action, require, require_member
from models.seminar_settings import team_facts_of, team_row
from models.tables import Attendee, Call, Event, EventCompany, Followup, Lead, Member

LEASE = timedelta(minutes=30)
CALLBACK_AFTER = timedelta(days=1)
RETRY_AFTER = timedelta(hours=2)
#: Contacts, earlier calls and earlier leads an item shows.
SHOWN = 5
_TRIES = 20

_F = Followup.__table__  # type: ignore[attr-defined]
_A = Attendee.__table__  # type: ignore[attr-defined]
_EC = EventCompany.__table__  # type: ignore[attr-defined]


class ItemStatus(StrEnum):
    """An item waits (`open`) or was settled by a call (`done`)."""

    OPEN = "open"
    DONE = "done"


class FollowupProblem(Problem):
    """Why a queue request is refused."""

    NOT_FOUND = "followup.not_found"
    NOT_HOLDING = "followup.not_holding"


@dataclass(frozen=True)
class Contact:
    """A person of the company on one of the team's lists."""

    person: str
    title: str | None
    phone: str | None
    email: str | None
    attended: bool
    event: EventRef


@dataclass(frozen=True)
class EarlierCall:
    """A call the team logged with the company."""

    called_at: datetime
    agent: Person
    outcome: str
    duration_seconds: int
    note: str | None


@dataclass(frozen=True)
class EarlierLead:
    """A lead the team handed for the company."""

    number: int
    status: str
    source: str
    created_at: datetime
    summary: str


@dataclass(frozen=True)
class QueueItem:
    """A company given to an agent, with what they need to call it.

    `renewed`: the agent already held it (they asked again; the lease was renewed).
    """

    id: int
    team: TeamFacts
    company: str
    event: EventRef
    attended: bool
    leased_until: datetime
    times_taken: int
    contacts: tuple[Contact, ...]
    calls: tuple[EarlierCall, ...]
    leads: tuple[EarlierLead, ...]
    renewed: bool = False


class Settlement(StrEnum):
    """What a logged call did to the company's item."""

    CLOSED = "closed"
    PUT_BACK = "put-back"


@dataclass(frozen=True)
class Settled:
    """The item a call settled: closed, or put back until `not_before`."""

    item_id: int
    company: str
    settlement: Settlement
    not_before: datetime | None = None


@dataclass(frozen=True)
class EventQueue:
    """One event's companies in the queue."""

    event: EventRef
    attended_left: int
    registered_left: int
    waiting: int
    held: int
    done: int
    #: Open companies the team may not call (models.dnc): never given, not counted as left.
    do_not_call: int = 0


@dataclass(frozen=True)
class QueueOverview:
    """What is left in a team's queue, and the asking agent's share."""

    team: TeamFacts
    events: tuple[EventQueue, ...]
    holding: str | None
    holding_until: datetime | None
    done_by_me: int
    done_by_me_today: int

    @property
    def left(self) -> int:
        return sum(e.attended_left + e.registered_left + e.waiting + e.held for e in self.events)


def _zone(team: TeamFacts) -> ZoneInfo:
    return ZoneInfo(team.timezone)


# --- filling the queue --------------------------------------------------------------------


def enqueue_event(session: Session, *, event_id: int, now: datetime) -> int:
    """Put the companies of an event's list in the queue; the number of them now waiting.

    Called inside the import's write transaction. A company already waiting keeps
    its place (its event becomes the latest); one whose item was closed before
    this event's day comes back.
    """
    event = session.get_one(Event, event_id)
    team = team_facts_of(team_row(session, event.team_id))
    opens, _ = day_bounds(_zone(team), event.held_on)
    companies = list(
        session.scalars(select(EventCompany).where(col(EventCompany.event_id) == event_id))
    )
    items = {
        item.company_key: item
        for item in session.scalars(
            select(Followup).where(
                col(Followup.team_id) == team.id,
                col(Followup.company_key).in_([c.company_key for c in companies]),
            )
        )
    }
    waiting = 0
    for company in companies:
        item = items.get(company.company_key)
        if item is None:
            item = Followup(
                team_id=team.id,
                company=company.company,
                company_key=company.company_key,
                event_id=event_id,
                event_held_on=event.held_on,
                attended=company.attended,
                status=ItemStatus.OPEN.value,
                opened_at=now,
                not_before=opens,
            )
        elif item.status == ItemStatus.DONE.value:
            if item.closed_at is not None and item.closed_at >= opens:
                continue  # called on or after this event's day: nothing new to follow up
            item.status = ItemStatus.OPEN.value
            item.event_id, item.event_held_on = event_id, event.held_on
            item.attended, item.opened_at, item.not_before = company.attended, now, opens
            item.leased_by_id = item.leased_until = None
            item.closed_at = item.closed_by_call_id = item.closed_by_id = None
        else:
            if event.held_on >= item.event_held_on:
                item.event_id, item.event_held_on = event_id, event.held_on
                item.not_before = max(item.not_before, opens)
            item.attended = item.attended or company.attended
        session.add(item)
        waiting += 1
    session.flush()
    return waiting


# --- taking, settling, putting back ------------------------------------------------------


def _free(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """An item anyone may take now: open, due, held by nobody."""
    return (
        _F.c.status == ItemStatus.OPEN.value,
        _F.c.not_before <= now,
        or_(_F.c.leased_until.is_(None), _F.c.leased_until <= now),
    )


def take_next(
    session: Session, *, actor: Actor, now: datetime | None = None, lease: timedelta = LEASE
) -> QueueItem | None:
    """The next company for the acting agent, held for them under a lease; None: nothing left."""
    require_member(actor, Action.CALL_LOG)
    assert actor.team is not None and actor.member_id is not None  # members have a team
    now = now or utcnow()
    begin_write(session)
    # One agent's takes are serialised (a double `/call next` gives one company, not two).
    session.execute(
        select(Member.id).where(col(Member.id) == actor.member_id).with_for_update()
    ).first()
    held = session.execute(
        update(_F)
        .where(
            _F.c.leased_by_id == actor.member_id,
            _F.c.leased_until > now,
            _F.c.status == ItemStatus.OPEN.value,
        )
        .values(leased_until=now + lease)
        .returning(_F.c.id)
    ).first()
    if held is not None:
        item = _item(session, held[0], actor.team, renewed=True)
        session.commit()
        return item
    order = (_F.c.attended.desc(), _F.c.event_held_on.desc(), _F.c.id)
    for _ in range(_TRIES):
        candidate = session.execute(
            select(_F.c.id)
            .where(
                _F.c.team_id == actor.team.id,
                *_free(now),
                callable_company(_F.c.team_id, _F.c.company_key),
            )
            .order_by(*order)
            .limit(1)
            .with_for_update(skip_locked=True, of=_F)
        ).first()
        if candidate is None:
            session.commit()
            return None
        taken = session.execute(
            update(_F)
            .where(_F.c.id == candidate[0], *_free(now))
            .values(
                leased_by_id=actor.member_id,
                leased_until=now + lease,
                times_taken=_F.c.times_taken + 1,
            )
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            item = _item(session, candidate[0], actor.team)
            session.commit()
            return item
    session.commit()  # pragma: no cover - only under a storm of takers
    return None


def _settle_values(outcome: str, called_at: datetime, until: datetime | None) -> dict[str, object]:
    if outcome == Outcome.CALLBACK.value:
        return {"not_before": until or called_at + CALLBACK_AFTER}
    return {"not_before": until or called_at + RETRY_AFTER}


def after_call(
    session: Session,
    *,
    actor: Actor,
    call_id: int,
    until: datetime | None = None,
) -> Settled | None:
    """Settle the company's waiting item after a call with it (see the module docstring).

    None when the company has no item waiting, or the call is undone. `until` is
    when a callback is due, if the agent said.
    """
    begin_write(session)
    call = session.get(Call, call_id)
    if call is None or call.undone_at is not None:
        session.commit()
        return None
    require(actor, Action.CALL_LOG, team_id=call.team_id)
    item = session.scalars(
        select(Followup).where(
            col(Followup.team_id) == call.team_id,
            col(Followup.company_key) == call.company_key,
            col(Followup.status) == ItemStatus.OPEN.value,
            col(Followup.opened_at) <= call.called_at,
        )
    ).first()
    if item is None:
        session.commit()
        return None
    free = {"leased_by_id": None, "leased_until": None}
    if call.outcome in (Outcome.CALLBACK.value, Outcome.NO_ANSWER.value):
        values = {**free, **_settle_values(call.outcome, call.called_at, until)}
        settlement = Settlement.PUT_BACK
    else:
        values = {
            **free,
            "status": ItemStatus.DONE.value,
            "closed_at": call.called_at,
            "closed_by_call_id": call.id,
            "closed_by_id": call.agent_id,
        }
        settlement = Settlement.CLOSED
    session.execute(
        update(_F).where(_F.c.id == item.id, _F.c.status == ItemStatus.OPEN.value).values(**values)
    )
    session.commit()
    not_before = values.get("not_before")
    return Settled(
        item_id=item.id or 0,
        company=item.company,
        settlement=settlement,
        not_before=not_before if isinstance(not_before, datetime) else None,
    )


def after_undo(
    session: Session, *, actor: Actor, call_id: int, now: datetime | None = None
) -> Settled | None:
    """Reopen the item an undone call had closed (None when it closed none)."""
    now = now or utcnow()
    begin_write(session)
    item = session.scalars(
        select(Followup).where(
            col(Followup.closed_by_call_id) == call_id,
            col(Followup.status) == ItemStatus.DONE.value,
        )
    ).first()
    if item is None:
        session.commit()
        return None
    require(actor, Action.CALL_LOG, team_id=item.team_id)
    session.execute(
        update(_F)
        .where(_F.c.id == item.id, _F.c.status == ItemStatus.DONE.value)
        .values(
            status=ItemStatus.OPEN.value,
            closed_at=None,
            closed_by_call_id=None,
            closed_by_id=None,
            not_before=now,
        )
    )
    session.commit()
    return Settled(item.id or 0, item.company, Settlement.PUT_BACK, now)


def put_back(
    session: Session,
    *,
    actor: Actor,
    item_id: int,
    until: datetime | None = None,
    now: datetime | None = None,
) -> Settled:
    """Hand back the item the agent holds, for anyone to take from `until` (default: now)."""
    now = now or utcnow()
    begin_write(session)
    item = session.get(Followup, item_id)
    if item is None:
        raise NotFound(FollowupProblem.NOT_FOUND, item_id=item_id)
    require(actor, Action.CALL_LOG, team_id=item.team_id)
    not_before = max(until or now, now)
    done = session.execute(
        update(_F)
        .where(
            _F.c.id == item_id,
            _F.c.status == ItemStatus.OPEN.value,
            _F.c.leased_by_id == actor.member_id,
            _F.c.leased_until > now,
        )
        .values(leased_by_id=None, leased_until=None, not_before=not_before)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(FollowupProblem.NOT_HOLDING, item_id=item_id, company=item.company)
    session.commit()
    return Settled(item_id, item.company, Settlement.PUT_BACK, not_before)


# --- reading ------------------------------------------------------------------------------


def _event_ref(session: Session, event_id: int) -> EventRef:
    return EventRef.of(session.get_one(Event, event_id))


def _item(session: Session, item_id: int, team: TeamFacts, *, renewed: bool = False) -> QueueItem:
    item = session.get_one(Followup, item_id)
    session.refresh(item)
    a, ec, e = _A, _EC, Event.__table__  # type: ignore[attr-defined]
    contacts = session.execute(
        select(a.c.person, a.c.title, a.c.phone, a.c.email, a.c.attended, e.c.id)
        .join(ec, ec.c.id == a.c.event_company_id)
        .join(e, e.c.id == a.c.event_id)
        .where(
            ec.c.team_id == team.id,
            ec.c.company_key == item.company_key,
            a.c.erased_at.is_(None),
            ~listed_contact(a, ec),
        )
        .order_by(
            case((a.c.event_id == item.event_id, 0), else_=1),
            a.c.attended.desc(),
            e.c.held_on.desc(),
            a.c.id,
        )
        .limit(SHOWN)
    ).all()
    agent = Member.__table__.alias("agent")  # type: ignore[attr-defined]
    calls = session.execute(
        select(
            Call.called_at,  # type: ignore[arg-type]
            agent.c.id,
            agent.c.slack_user_id,
            agent.c.name,
            Call.outcome,  # type: ignore[arg-type]
            Call.duration_seconds,  # type: ignore[arg-type]
            Call.note,  # type: ignore[arg-type]
        )
        .join(agent, agent.c.id == Call.agent_id)
        .where(
            col(Call.team_id) == team.id,
            col(Call.company_key) == item.company_key,
            col(Call.undone_at).is_(None),
        )
        .order_by(col(Call.called_at).desc())
        .limit(SHOWN)
    ).all()
    leads = session.execute(
        select(Lead.number, Lead.status, Lead.source, Lead.created_at, Lead.summary)  # type: ignore[arg-type]
        .where(col(Lead.team_id) == team.id, col(Lead.company_key) == item.company_key)
        .order_by(col(Lead.created_at).desc())
        .limit(SHOWN)
    ).all()
    events = {row[5]: _event_ref(session, row[5]) for row in contacts}
    return QueueItem(
        id=item.id or 0,
        team=team,
        company=item.company,
        event=_event_ref(session, item.event_id),
        attended=item.attended,
        leased_until=item.leased_until or utcnow(),
        times_taken=item.times_taken,
        contacts=tuple(
            Contact(row[0] or "", row[1], row[2], row[3], bool(row[4]), events[row[5]])
            for row in contacts
        ),
        calls=tuple(
            EarlierCall(row[0], Person(row[1], row[2], row[3]), row[4], row[5], row[6])
            for row in calls
        ),
        leads=tuple(EarlierLead(*row) for row in leads),
        renewed=renewed,
    )


def queue_overview(
    session: Session, *, actor: Actor, team_id: int, now: datetime | None = None
) -> QueueOverview:
    """Per event, the companies left (attended, registered only), waiting for a callback,
    held, and done; and what the acting agent holds and has settled."""
    now = now or utcnow()
    team = team_facts_of(team_row(session, team_id))
    require(actor, Action.ACTIVITY_READ, team_id=team_id)
    allowed = callable_company(_F.c.team_id, _F.c.company_key)
    is_open = and_(_F.c.status == ItemStatus.OPEN.value, allowed)
    free = and_(is_open, _F.c.not_before <= now)
    unheld = or_(_F.c.leased_until.is_(None), _F.c.leased_until <= now)
    held = and_(is_open, _F.c.leased_until > now)

    def count(condition: object) -> object:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    rows = session.execute(
        select(
            _F.c.event_id,
            count(and_(free, unheld, _F.c.attended)),
            count(and_(free, unheld, ~_F.c.attended)),
            count(and_(is_open, _F.c.not_before > now, unheld)),
            count(held),
            count(_F.c.status == ItemStatus.DONE.value),
            count(and_(_F.c.status == ItemStatus.OPEN.value, ~allowed)),
        )
        .where(_F.c.team_id == team_id)
        .group_by(_F.c.event_id)
    ).all()
    events = sorted(
        (EventQueue(_event_ref(session, row[0]), *(int(v) for v in row[1:])) for row in rows),
        key=lambda e: (e.event.held_on, e.event.id),
        reverse=True,
    )
    holding = None
    holding_until = None
    done_by_me = done_today = 0
    if actor.member_id is not None:
        mine = session.execute(
            select(_F.c.company, _F.c.leased_until).where(
                _F.c.leased_by_id == actor.member_id, held
            )
        ).first()
        if mine is not None:
            holding, holding_until = mine
        start, _ = day_bounds(_zone(team), now.astimezone(_zone(team)).date())
        done_by_me, done_today = session.execute(
            select(func.count(), count(_F.c.closed_at >= start)).where(
                _F.c.closed_by_id == actor.member_id, _F.c.status == ItemStatus.DONE.value
            )
        ).one()
    return QueueOverview(
        team=team,
        events=tuple(events),
        holding=holding,
        holding_until=holding_until,
        done_by_me=int(done_by_me),
        done_by_me_today=int(done_today),
    )
