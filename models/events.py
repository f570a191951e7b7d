"""Seminars and trade shows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.errors import Conflict, InvalidInput, NotFound, quoted
from models.keys import name_key
from models.tables import Event

EVENT_KINDS = ("seminar", "trade-show")
EVENT_EXAMPLE = '/leadcell event add seminar "Paris Summit" 2026-10-14'


def create_event(
    session: Session,
    *,
    team_id: int,
    kind: str,
    name: str,
    held_on: date,
    cost: Decimal | None = None,
    attendees: int | None = None,
) -> Event:
    """Record a seminar or trade show of a team, with its cost and attendance when known."""
    kind = kind.lower().replace("_", "-")
    if kind == "tradeshow":
        kind = "trade-show"
    if kind not in EVENT_KINDS:
        raise InvalidInput(
            f"{quoted(kind)} is not an event kind: use seminar or trade-show.",
            example=EVENT_EXAMPLE,
        )
    name = name.strip()
    if not 0 < len(name) <= 200:
        raise InvalidInput("An event name has 1 to 200 characters.", example=EVENT_EXAMPLE)
    if cost is not None and cost < 0:
        raise InvalidInput(
            "An event's cost is zero or more.", example=EVENT_EXAMPLE + " cost=12000"
        )
    if attendees is not None and not 0 <= attendees <= 1_000_000:
        raise InvalidInput(
            "Attendees is a number of people from 0 to 1000000.",
            example=EVENT_EXAMPLE + " attendees=180",
        )
    event = Event(
        team_id=team_id,
        kind=kind,
        name=name,
        name_key=name_key(name),
        held_on=held_on,
        cost=cost,
        attendees=attendees,
    )
    session.add(event)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            f"The {kind} {quoted(name)} exists already.", example="/leadcell event list"
        ) from None
    return event


def find_event(session: Session, *, team_id: int, kind: str, name: str) -> Event:
    """The team's event of that kind and name (case-insensitive), or NotFound listing them."""
    found = session.exec(
        select(Event).where(
            Event.team_id == team_id,
            Event.kind == kind,
            Event.name_key == name_key(name),
        )
    ).first()
    if found is None:
        known = list_events(session, team_id=team_id, kind=kind)
        names = ", ".join(f'"{e.name}"' for e in known[:10]) or "none yet"
        raise NotFound(
            f"There is no {kind} called {quoted(name)} (known: {names}).",
            example=EVENT_EXAMPLE.replace("seminar", kind),
        )
    return found


def list_events(session: Session, *, team_id: int, kind: str | None = None) -> list[Event]:
    """A team's events, newest first."""
    query = select(Event).where(Event.team_id == team_id)
    if kind:
        query = query.where(Event.kind == kind)
    return list(session.exec(query.order_by(Event.held_on.desc(), Event.name)))  # type: ignore[attr-defined]
