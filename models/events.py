"""Seminars and trade shows.

An event is unique by team, kind, folded name and date: the same seminar may be
held again on another day. Events are found by name (case, accents and
punctuation do not count) and, when several share it, by date; near misses get
suggestions. An event's cost is money: lists show it only to those who may read
money (models.policy, `Action.MONEY_READ`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.actors import Actor
from models.db import begin_write, utcnow
from models.errors import Conflict, InvalidInput, NotFound, Problem
from models.keys import name_key
from models.money import check_money
from models.periods import local_day
from models.policy import Action, allowed, require
from models.roster import TeamSettings, team_by_id, timezone_of
from models.tables import Event

EVENT_KINDS = ("seminar", "trade-show")
NAME_LIMIT = 200
ATTENDEES_LIMIT = 1_000_000
MAX_SUGGESTIONS = 3


class EventProblem(Problem):
    """Why an event is refused or cannot be found."""

    KIND_UNKNOWN = "event.kind_unknown"
    NAME_LENGTH = "event.name_length"
    ATTENDEES_OUT_OF_RANGE = "event.attendees_out_of_range"
    NOTHING_TO_CHANGE = "event.nothing_to_change"
    EXISTS = "event.exists"
    NOT_FOUND = "event.not_found"
    AMBIGUOUS = "event.ambiguous"
    NOT_HELD_YET = "event.not_held_yet"


@dataclass(frozen=True)
class EventFacts:
    """A seminar or trade show. `cost` is None when none is recorded."""

    id: int
    team_id: int
    kind: str
    name: str
    held_on: date
    cost: Decimal | None
    attendees: int | None

    @classmethod
    def of(cls, event: Event) -> EventFacts:
        return cls(
            id=event.id or 0,
            team_id=event.team_id,
            kind=event.kind,
            name=event.name,
            held_on=event.held_on,
            cost=Decimal(event.cost).quantize(Decimal("0.01")) if event.cost is not None else None,
            attendees=event.attendees,
        )


@dataclass(frozen=True)
class EventList:
    """A team's events, newest first. Costs are left out (None) unless `costs_shown`."""

    team: TeamSettings
    events: tuple[EventFacts, ...]
    costs_shown: bool


@dataclass(frozen=True)
class EventChange:
    """An event after a change, and its cost and attendance before it."""

    event: EventFacts
    team: TeamSettings
    cost_before: Decimal | None
    attendees_before: int | None


def check_event_figures(cost: Decimal | None, attendees: int | None) -> None:
    """Raise InvalidInput unless an event's cost and attendance are within bounds."""
    if cost is not None:
        check_money(cost, field="cost")
    if attendees is not None and not 0 <= attendees <= ATTENDEES_LIMIT:
        raise InvalidInput(
            EventProblem.ATTENDEES_OUT_OF_RANGE,
            field="attendees",
            given=attendees,
            low=0,
            high=ATTENDEES_LIMIT,
        )


def _check_event(kind: str, name: str) -> None:
    if kind not in EVENT_KINDS:
        raise InvalidInput(
            EventProblem.KIND_UNKNOWN, field="kind", given=kind, allowed=list(EVENT_KINDS)
        )
    if not 0 < len(name) <= NAME_LIMIT:
        raise InvalidInput(
            EventProblem.NAME_LENGTH, field="name", length=len(name), limit=NAME_LIMIT
        )


def create_event(
    session: Session,
    *,
    actor: Actor,
    team_id: int,
    kind: str,
    name: str,
    held_on: date,
    cost: Decimal | None = None,
    attendees: int | None = None,
) -> EventFacts:
    """Record a seminar or trade show of a team, with its cost and attendance when known."""
    require(actor, Action.EVENT_WRITE, team_id=team_id)
    name = name.strip()
    _check_event(kind, name)
    check_event_figures(cost, attendees)
    begin_write(session)
    key = name_key(name)
    same = session.exec(
        select(Event).where(
            Event.team_id == team_id,
            Event.kind == kind,
            Event.name_key == key,
            Event.held_on == held_on,
        )
    ).first()
    if same is not None:
        raise Conflict(
            EventProblem.EXISTS, field="name", kind=kind, name=same.name, held_on=held_on
        )
    event = Event(
        team_id=team_id,
        kind=kind,
        name=name,
        name_key=key,
        held_on=held_on,
        cost=cost,
        attendees=attendees,
    )
    session.add(event)
    try:
        session.commit()
    except IntegrityError:  # recorded meanwhile by someone else
        session.rollback()
        raise Conflict(
            EventProblem.EXISTS, field="name", kind=kind, name=name, held_on=held_on
        ) from None
    return EventFacts.of(event)


def _named(session: Session, team_id: int, kind: str, name: str) -> list[Event]:
    """The team's events of that kind and folded name, newest first."""
    return list(
        session.exec(
            select(Event)
            .where(Event.team_id == team_id, Event.kind == kind, Event.name_key == name_key(name))
            .order_by(col(Event.held_on).desc())
        )
    )


def _not_found(session: Session, team_id: int, kind: str, name: str) -> NotFound:
    """What to answer when no event has that name: the nearest names of that kind."""
    names = {
        e.name_key: e.name
        for e in session.exec(
            select(Event)
            .where(Event.team_id == team_id, Event.kind == kind)
            .order_by(col(Event.held_on).desc())
        )
    }
    close = difflib.get_close_matches(name_key(name), list(names), n=MAX_SUGGESTIONS, cutoff=0.6)
    if not close:  # a word of the name is enough: `Summit` for `Paris Summit`
        words = set(name_key(name).split())
        close = [key for key in names if words & set(key.split())][:MAX_SUGGESTIONS]
    return NotFound(
        EventProblem.NOT_FOUND,
        field="event",
        kind=kind,
        name=name,
        suggestions=[names[key] for key in close],
    )


def _pick(
    session: Session, team_id: int, kind: str, name: str, on: date | None
) -> tuple[Event, list[Event]]:
    """The event of that name held on `on`, or every one with that name (newest first)."""
    found = _named(session, team_id, kind, name)
    if not found:
        raise _not_found(session, team_id, kind, name)
    if on is not None:
        held = [e for e in found if e.held_on == on]
        if not held:
            raise NotFound(
                EventProblem.NOT_FOUND,
                field="date",
                kind=kind,
                name=found[0].name,
                held_on=on,
                dates=[e.held_on for e in found],
                suggestions=[],
            )
        return held[0], found
    return found[0], found


def find_event(
    session: Session,
    *,
    team_id: int,
    kind: str,
    name: str,
    on: date | None = None,
    today: date | None = None,
) -> EventFacts:
    """The event a lead comes from: the one of that name held on `on`, else the latest one
    held by `today` (default: today in the team's time zone).

    Raises NotFound with suggestions when no event has a name like it, and Conflict
    (`NOT_HELD_YET`, with its dates) when every event of that name is still to come.
    """
    event, found = _pick(session, team_id, kind, name, on)
    if on is not None:
        return EventFacts.of(event)
    if today is None:
        today = local_day(timezone_of(team_by_id(session, team_id)), utcnow())
    held = [e for e in found if e.held_on <= today]
    if not held:
        raise Conflict(
            EventProblem.NOT_HELD_YET,
            field="event",
            kind=kind,
            name=event.name,
            dates=sorted(e.held_on for e in found),
        )
    return EventFacts.of(held[0])


def set_event_figures(
    session: Session,
    *,
    actor: Actor,
    team_id: int,
    kind: str,
    name: str,
    on: date | None = None,
    cost: Decimal | None = None,
    attendees: int | None = None,
) -> EventChange:
    """Record what an event cost and how many came (None: unchanged).

    The event is named by its name and date, or by its name alone when only one
    event of that kind has it; else the refusal lists the dates to choose from.
    """
    require(actor, Action.EVENT_WRITE, team_id=team_id)
    if cost is None and attendees is None:
        raise InvalidInput(EventProblem.NOTHING_TO_CHANGE, field="cost", kind=kind, name=name)
    check_event_figures(cost, attendees)
    begin_write(session)
    event, found = _pick(session, team_id, kind, name, on)
    if on is None and len(found) > 1:
        raise InvalidInput(
            EventProblem.AMBIGUOUS,
            field="date",
            kind=kind,
            name=event.name,
            dates=sorted(e.held_on for e in found),
        )
    before = EventFacts.of(event)
    if cost is not None:
        event.cost = cost
    if attendees is not None:
        event.attendees = attendees
    session.add(event)
    session.commit()
    return EventChange(
        EventFacts.of(event),
        TeamSettings.of(team_by_id(session, team_id)),
        cost_before=before.cost,
        attendees_before=before.attendees,
    )


def list_events(session: Session, *, team_id: int, kind: str | None = None) -> list[EventFacts]:
    """A team's events, newest first, for choosing one (the lead form): no costs."""
    query = select(Event).where(Event.team_id == team_id)
    if kind:
        query = query.where(Event.kind == kind)
    rows = session.exec(query.order_by(col(Event.held_on).desc(), col(Event.name)))
    return [EventFacts.of(e) for e in rows]


def team_events(session: Session, *, actor: Actor, team_id: int) -> EventList:
    """A team's events for someone who may read them; costs only for who may read money."""
    require(actor, Action.EVENT_READ, team_id=team_id)
    shown = allowed(actor, Action.MONEY_READ, team_id=team_id)
    events = tuple(
        e if shown else EventFacts(e.id, e.team_id, e.kind, e.name, e.held_on, None, e.attendees)
        for e in list_events(session, team_id=team_id)
    )
    return EventList(TeamSettings.of(team_by_id(session, team_id)), events, costs_shown=shown)
