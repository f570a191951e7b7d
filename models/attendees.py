"""Attendee lists: who registered for an event and who came, company by company.

An import is all or nothing: every row is checked first (the bot's CSV reader
adds the problems it found reading the file), and bad rows are refused with
their line. A company is kept once per event however many rows name it (matched
by its folded key: `ACME Corp.` and `Acme corp` are one company); a person is
kept once per event (by email, else by company and name), so importing a list
again, or a corrected one, merges into what is there: attendance only ever
goes from registered to attended, and new values replace old ones.

Rows on the do-not-call list are kept (they count as attendees) but are never
put on the call list (models.dnc, models.followup).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from models.actors import Actor
from models.db import begin_write, utcnow
from models.dnc import callable_company
from models.errors import InvalidInput, NotFound, Problem
from models.keys import name_key
from models.policy import Action, require
from models.tables import Attendee, Event, EventCompany

#: An event's list is at most this long: a seminar has 100 to 300 people, a trade show more.
MAX_ROWS = 5_000
MAX_REPORTED_ROWS = 20
LIMITS = {"company": 200, "person": 200, "title": 200, "email": 254}
_EMAIL = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]{2,}")


class AttendeeProblem(Problem):
    """Why an attendee list is refused."""

    EVENT_NOT_FOUND = "attendees.event_not_found"
    NO_ROWS = "attendees.no_rows"
    TOO_MANY_ROWS = "attendees.too_many_rows"
    ROWS_REFUSED = "attendees.rows_refused"


class RowProblem(Problem):
    """What is wrong with one row of an attendee list."""

    COMPANY_MISSING = "attendees.row.company_missing"
    PERSON_MISSING = "attendees.row.person_missing"
    TOO_LONG = "attendees.row.too_long"
    EMAIL_INVALID = "attendees.row.email_invalid"
    STATUS_UNKNOWN = "attendees.row.status_unknown"


@dataclass(frozen=True)
class BadRow:
    """A refused row: its line in the file, the problem, the column, and the problem's facts."""

    line: int
    problem: Problem
    column: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NewAttendee:
    """One row of a list, as read: phone in E.164 (or None), `attended` False for registered."""

    line: int
    company: str
    person: str
    attended: bool
    title: str | None = None
    email: str | None = None
    phone: str | None = None

    @property
    def company_key(self) -> str:
        return name_key(self.company)

    @property
    def person_key(self) -> str:
        return name_key(self.person)

    @property
    def identity(self) -> str:
        """Who the row is: their email, else their company and name (see the module docstring)."""
        if self.email:
            return "e:" + self.email.strip().lower()
        return f"n:{self.company_key}|{self.person_key}"


@dataclass(frozen=True)
class EventRef:
    """An event as messages name it."""

    id: int
    team_id: int
    kind: str
    name: str
    held_on: date

    @classmethod
    def of(cls, event: Event) -> EventRef:
        return cls(event.id or 0, event.team_id, event.kind, event.name, event.held_on)


@dataclass(frozen=True)
class Attendance:
    """An event's list: people registered (everyone listed), who came, and their companies."""

    event: EventRef
    registered: int
    attended: int
    companies: int
    companies_attended: int

    @property
    def listed(self) -> bool:
        return self.registered > 0


@dataclass(frozen=True)
class AttendeeImport:
    """What an import did, and the event's list after it."""

    event: EventRef
    rows: int
    people_added: int
    people_merged: int
    companies_added: int
    companies_merged: int
    #: Companies of the list on the do-not-call list (or with every contact on it).
    do_not_call: int
    #: Companies of this event now waiting in the follow-up queue.
    queued: int
    attendance: Attendance


def check_email(text: str) -> bool:
    """True when the text looks like one email address."""
    return bool(_EMAIL.fullmatch(text.strip()))


def check_row(row: NewAttendee) -> list[BadRow]:
    """Every problem of one row (empty when the row is fine)."""
    problems: list[BadRow] = []
    if not row.company.strip() or not row.company_key:
        problems.append(BadRow(row.line, RowProblem.COMPANY_MISSING, "company"))
    if not row.person.strip() or not row.person_key:
        problems.append(BadRow(row.line, RowProblem.PERSON_MISSING, "person"))
    values = {"company": row.company, "person": row.person, "title": row.title, "email": row.email}
    for column, text in values.items():
        if text is not None and len(text) > LIMITS[column]:
            facts = {"length": len(text), "limit": LIMITS[column]}
            problems.append(BadRow(row.line, RowProblem.TOO_LONG, column, facts))
    if row.email is not None and not check_email(row.email):
        problems.append(BadRow(row.line, RowProblem.EMAIL_INVALID, "email", {"text": row.email}))
    return problems


def refuse_rows(problems: Sequence[BadRow]) -> InvalidInput:
    """The refusal of a list with bad rows: the first ones, and how many there are."""
    ordered = sorted(problems, key=lambda bad: bad.line)
    return InvalidInput(
        AttendeeProblem.ROWS_REFUSED,
        field="file",
        rows=ordered[:MAX_REPORTED_ROWS],
        total=len(ordered),
        lines=len({bad.line for bad in ordered}),
    )


def check_size(count: int) -> None:
    """Refuse an empty list or one longer than MAX_ROWS."""
    if count == 0:
        raise InvalidInput(AttendeeProblem.NO_ROWS, field="file")
    if count > MAX_ROWS:
        raise InvalidInput(AttendeeProblem.TOO_MANY_ROWS, field="file", rows=count, limit=MAX_ROWS)


def find_event_on(
    session: Session, *, actor: Actor, team_id: int, name: str, held_on: date
) -> EventRef:
    """The team's event of that name held on that day (any kind), or NotFound naming others."""
    require(actor, Action.EVENT_READ, team_id=team_id)
    found = session.scalars(
        select(Event).where(
            col(Event.team_id) == team_id,
            col(Event.name_key) == name_key(name),
            col(Event.held_on) == held_on,
        )
    ).first()
    if found is not None:
        return EventRef.of(found)
    same_name = session.scalars(
        select(Event)
        .where(col(Event.team_id) == team_id, col(Event.name_key) == name_key(name))
        .order_by(col(Event.held_on).desc())
    ).all()
    recent = session.scalars(
        select(Event).where(col(Event.team_id) == team_id).order_by(col(Event.held_on).desc())
    ).all()
    known = [EventRef.of(e) for e in (same_name or recent)[:5]]
    raise NotFound(
        AttendeeProblem.EVENT_NOT_FOUND, field="event", name=name, held_on=held_on, known=known
    )


def event_ref(session: Session, event_id: int) -> EventRef:
    """The event with this id, or NotFound."""
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(AttendeeProblem.EVENT_NOT_FOUND, field="event", event_id=event_id, known=[])
    return EventRef.of(event)


def _attendance(session: Session, event: EventRef) -> Attendance:
    people = session.execute(
        select(func.count(), func.coalesce(func.sum(case((col(Attendee.attended), 1), else_=0)), 0))
        .select_from(Attendee)
        .where(col(Attendee.event_id) == event.id)
    ).one()
    companies = session.execute(
        select(
            func.count(), func.coalesce(func.sum(case((col(EventCompany.attended), 1), else_=0)), 0)
        )
        .select_from(EventCompany)
        .where(col(EventCompany.event_id) == event.id)
    ).one()
    return Attendance(
        event=event,
        registered=int(people[0]),
        attended=int(people[1]),
        companies=int(companies[0]),
        companies_attended=int(companies[1]),
    )


def attendance(session: Session, *, actor: Actor, event_id: int) -> Attendance:
    """An event's list in figures: registered, attended, companies."""
    event = event_ref(session, event_id)
    require(actor, Action.EVENT_READ, team_id=event.team_id)
    return _attendance(session, event)


def import_attendees(
    session: Session,
    *,
    actor: Actor,
    event_id: int,
    rows: Sequence[NewAttendee],
    now: datetime | None = None,
) -> AttendeeImport:
    """Merge a list into the event's (all or nothing), and put its companies in the queue."""
    from models.followup import enqueue_event  # the queue reads the lists this module writes

    now = now or utcnow()
    begin_write(session)
    event_row = session.get(Event, event_id)
    if event_row is None:
        raise NotFound(AttendeeProblem.EVENT_NOT_FOUND, field="event", event_id=event_id, known=[])
    event = EventRef.of(event_row)
    require(actor, Action.EVENT_WRITE, team_id=event.team_id)
    check_size(len(rows))
    problems = [bad for row in rows for bad in check_row(row)]
    if problems:
        raise refuse_rows(problems)
    companies = {
        c.company_key: c
        for c in session.scalars(select(EventCompany).where(col(EventCompany.event_id) == event.id))
    }
    people = {
        a.identity: a
        for a in session.scalars(select(Attendee).where(col(Attendee.event_id) == event.id))
    }
    known_companies, known_people = set(companies), set(people)
    for row in rows:  # the companies first, all inserted in one flush
        company = companies.get(row.company_key)
        if company is None:
            company = EventCompany(
                team_id=event.team_id,
                event_id=event.id,
                company=row.company.strip(),
                company_key=row.company_key,
                attended=False,
                created_at=now,
            )
            session.add(company)
            companies[row.company_key] = company
        company.attended = company.attended or row.attended
    session.flush()
    for row in rows:
        company = companies[row.company_key]
        person = people.get(row.identity)
        if person is None:
            person = Attendee(
                team_id=event.team_id,
                event_id=event.id,
                event_company_id=company.id or 0,
                identity=row.identity,
                created_at=now,
            )
            people[row.identity] = person
            session.add(person)
        person.event_company_id = company.id or 0
        person.person = row.person.strip()
        person.person_key = row.person_key
        person.attended = person.attended or row.attended
        for name in ("title", "email", "phone"):
            value = getattr(row, name)
            if value is not None and value.strip():
                setattr(person, name, value.strip())
        person.email_key = person.email.lower() if person.email else None
    session.flush()
    touched = {row.company_key for row in rows}
    blocked = _blocked(session, event.team_id, touched)
    queued = enqueue_event(session, event_id=event.id, now=now)
    figures = _attendance(session, event)
    session.commit()
    return AttendeeImport(
        event=event,
        rows=len(rows),
        people_added=len(set(people) - known_people),
        people_merged=len({row.identity for row in rows} & known_people),
        companies_added=len(touched - known_companies),
        companies_merged=len(touched & known_companies),
        do_not_call=len(blocked),
        queued=queued,
        attendance=figures,
    )


def _blocked(session: Session, team_id: int, keys: set[str]) -> set[str]:
    """The companies among `keys` the team may not call (models.dnc.callable_company)."""
    if not keys:
        return set()
    companies = EventCompany.__table__  # type: ignore[attr-defined]
    rows = session.execute(
        select(companies.c.company_key)
        .where(
            companies.c.team_id == team_id,
            companies.c.company_key.in_(sorted(keys)),
            ~callable_company(companies.c.team_id, companies.c.company_key),
        )
        .distinct()
    )
    return {key for (key,) in rows}
