"""Helpers shared by the seminar tests: events, attendee lists, calls and leads on the demo team."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine
from sqlmodel import select

from models.actors import TERMINAL, Actor
from models.attendees import AttendeeImport, NewAttendee, import_attendees
from models.calls import LoggedCall, NewCall, log_call
from models.db import session_scope
from models.events import create_event
from models.keys import name_key
from models.outcomes import Outcome
from models.tables import Lead, Member, Team
from tests.conftest import actor_of

_keys = itertools.count(1)


def team_id(engine: Engine, slug: str = "fr") -> int:
    with session_scope(engine) as session:
        return session.exec(select(Team.id).where(Team.slug == slug)).one() or 0


def add_event(
    engine: Engine,
    name: str = "Paris Summit",
    held_on: date = date(2026, 10, 14),
    *,
    kind: str = "seminar",
    cost: Decimal | None = None,
    attendees: int | None = None,
) -> int:
    with session_scope(engine) as session:
        event = create_event(
            session,
            actor=TERMINAL,
            team_id=team_id(engine),
            kind=kind,
            name=name,
            held_on=held_on,
            cost=cost,
            attendees=attendees,
        )
        return event.id or 0


def person(
    company: str,
    name: str,
    *,
    attended: bool = True,
    line: int = 2,
    title: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> NewAttendee:
    return NewAttendee(
        line=line,
        company=company,
        person=name,
        attended=attended,
        title=title,
        email=email,
        phone=phone,
    )


def import_list(
    engine: Engine,
    event_id: int,
    rows: list[NewAttendee],
    *,
    actor: Actor = TERMINAL,
    now: datetime | None = None,
) -> AttendeeImport:
    with session_scope(engine) as session:
        return import_attendees(session, actor=actor, event_id=event_id, rows=rows, now=now)


def log(
    engine: Engine,
    user: str,
    company: str,
    outcome: Outcome = Outcome.CONTACT,
    *,
    now: datetime | None = None,
    **fields: str,
) -> LoggedCall:
    with session_scope(engine) as session:
        return log_call(
            session,
            actor=actor_of(engine, user),
            new=NewCall(
                company=company,
                duration=timedelta(minutes=12),
                outcome=outcome,
                **fields,  # type: ignore[arg-type]
            ),
            slack_key=f"seminar-test:{next(_keys)}",
            now=now,
        )


def add_lead(
    engine: Engine,
    company: str,
    created_at: datetime,
    *,
    source: str = "telemarketing",
    event_id: int | None = None,
    chosen: bool = False,
    status: str = "new",
    final_value: Decimal | None = None,
    contact: str | None = None,
    summary: str = "invoice capture for 3 plants",
) -> int:
    """A lead written directly (the lead flow is not what these tests are about)."""
    with session_scope(engine) as session:
        team = session.exec(select(Team).where(Team.slug == "fr")).one()
        agent = session.exec(select(Member).where(Member.is_agent)).first()
        assert agent is not None
        team.last_lead_number += 1
        lead = Lead(
            team_id=team.id or 0,
            number=team.last_lead_number,
            source=source,
            event_id=event_id,
            detected_by_id=agent.id or 0,
            company=company,
            company_key=name_key(company),
            contact_name=contact,
            summary=summary,
            currency="EUR",
            status=status,
            final_value=final_value,
            qualified_at=created_at if status in ("qualified", "won") else None,
            created_at=created_at,
            handed_at=created_at,
            slack_key=f"lead-test:{next(_keys)}",
            source_chosen=chosen,
        )
        session.add(team)
        session.add(lead)
        session.commit()
        return lead.id or 0
