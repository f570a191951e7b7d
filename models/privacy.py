"""Personal data: finding everything stored about a person, erasing it, and the retention period.

A person is searched by name, phone number (E.164) or email, in every team:

- calls: their name in the contact, their number as the phone (read for the
  team's country), or their name, number or email in the note;
- leads: their name in the contact, or their name, number or email in the
  summary or the reason;
- attendee lists: their name, email or number on a row;
- the do-not-call list: entries with their name, email or number.

A name matches whole words, case and accents aside: `Jane Doe` finds the contact
`Jane Doe, CFO` and `DOE Jane`, and the note `spoke to jane doe`. Numbers in notes
are found by libphonenumber's matcher, whatever their spacing.

Erasure removes the person's name, phone and email, and the texts that name
them, keeping every row (a call stays a call, counted as before, marked
`erased_at`): a call loses its contact, phone and note; a lead its contact, and
the summary or reason that names them; an attendee row its name, title, email
and phone. A lead's card is marked stale so Slack shows the erasure too. The
do-not-call entries stay: they are what keeps the person from being called
again. An `Erasure` row records when, by whom and how much, not whom.

Retention: a team's personal fields of calls and attendee rows older than its
retention period (default 36 months) are cleared, once (a cleared row has
nothing left to clear).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

import phonenumbers
from sqlalchemy import or_, select, update
from sqlmodel import Session, col

from models.actors import Actor, Person
from models.db import begin_write, utcnow
from models.errors import InvalidInput, NotFound, Problem
from models.keys import name_key
from models.periods import add_months, day_bounds, local_day
from models.policy import Action, require
from models.seminar_settings import country_of
from models.tables import Attendee, Call, DoNotCall, Erasure, Event, Lead, Member, Team

_CALLS = Call.__table__  # type: ignore[attr-defined]
_LEADS = Lead.__table__  # type: ignore[attr-defined]
_ATTENDEES = Attendee.__table__  # type: ignore[attr-defined]
_BATCH = 2000


class SearchBy(StrEnum):
    """How a person is searched."""

    PERSON = "person"
    PHONE = "phone"
    EMAIL = "email"


class PrivacyProblem(Problem):
    """Why a personal data request is refused."""

    NAME_TOO_SHORT = "privacy.name_too_short"
    NOTHING_FOUND = "privacy.nothing_found"


@dataclass(frozen=True)
class PersonQuery:
    """Whom to look for: a name, a number in E.164, or an email."""

    by: SearchBy
    value: str

    @property
    def words(self) -> list[str]:
        return name_key(self.value).split()


@dataclass(frozen=True)
class CallItem:
    id: int
    team: str
    called_at: datetime
    agent: Person
    company: str
    contact_name: str | None
    phone: str | None
    note: str | None


@dataclass(frozen=True)
class LeadItem:
    id: int
    team: str
    number: int
    created_at: datetime
    company: str
    contact_name: str | None
    summary: str
    reason: str | None


@dataclass(frozen=True)
class AttendeeItem:
    id: int
    team: str
    event: str
    held_on: date
    person: str | None
    title: str | None
    email: str | None
    phone: str | None
    attended: bool


@dataclass(frozen=True)
class DncItem:
    id: int
    team: str
    kind: str
    label: str
    reason: str | None
    added_at: datetime


@dataclass(frozen=True)
class MemberItem:
    """A roster entry with that name: an employee, not erased here."""

    user_id: str
    name: str
    team: str


@dataclass(frozen=True)
class PersonalData:
    """Everything stored about a person."""

    query: PersonQuery
    calls: tuple[CallItem, ...]
    leads: tuple[LeadItem, ...]
    attendees: tuple[AttendeeItem, ...]
    do_not_call: tuple[DncItem, ...]
    members: tuple[MemberItem, ...]

    @property
    def erasable(self) -> int:
        return len(self.calls) + len(self.leads) + len(self.attendees)

    @property
    def empty(self) -> bool:
        return not (self.erasable or self.do_not_call or self.members)


@dataclass(frozen=True)
class ErasureDone:
    """What an erasure cleared; the do-not-call entries and roster entries it kept."""

    erasure_id: int
    erased_at: datetime
    calls: int
    leads: int
    attendees: int
    kept_do_not_call: int
    kept_members: int


@dataclass(frozen=True)
class Cleared:
    """What the retention period cleared in a team."""

    team_slug: str
    months: int
    before: date
    calls: int
    attendees: int


# --- matching ---------------------------------------------------------------------------


def check_query(query: PersonQuery) -> None:
    """Refuse a name with no letters to match (a search that would find everybody)."""
    if query.by == SearchBy.PERSON and not query.words:
        raise InvalidInput(PrivacyProblem.NAME_TOO_SHORT, field="person", text=query.value)


class _Matcher:
    """Does a stored text name the person? (see the module docstring)."""

    def __init__(self, query: PersonQuery) -> None:
        self.query = query
        words = query.words
        self.words = set(words)
        self.sequences = {" " + " ".join(words) + " ", " " + " ".join(reversed(words)) + " "}

    def names_in_field(self, text: str | None) -> bool:
        """A contact or person field: every word of the name, in any order."""
        if not text or self.query.by != SearchBy.PERSON:
            return False
        return self.words <= set(name_key(text).split())

    def phone_field(self, text: str | None, country: str | None) -> bool:
        if not text or self.query.by != SearchBy.PHONE:
            return False
        return _e164(text, country) == self.query.value

    def in_text(self, text: str | None, country: str | None) -> bool:
        """A note, summary or reason: the name as written (either order), number or email."""
        if not text:
            return False
        if self.query.by == SearchBy.PERSON:
            padded = " " + name_key(text) + " "
            return any(sequence in padded for sequence in self.sequences)
        if self.query.by == SearchBy.EMAIL:
            return self.query.value.lower() in text.lower()
        if not any(ch.isdigit() for ch in text):
            return False
        return any(
            phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
            == self.query.value
            for m in phonenumbers.PhoneNumberMatcher(text, country or "ZZ")
        )


def _e164(text: str, country: str | None) -> str | None:
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _teams(session: Session) -> dict[int, tuple[str, str | None]]:
    return {team.id or 0: (team.slug, country_of(team)) for team in session.scalars(select(Team))}


def _batches(session: Session, statement: object) -> Iterator[object]:
    result = session.execute(statement.execution_options(yield_per=_BATCH))  # type: ignore[attr-defined]
    yield from result


def _call_ids(
    session: Session, matcher: _Matcher, teams: dict[int, tuple[str, str | None]]
) -> list[int]:
    found = []
    rows = _batches(
        session,
        select(_CALLS.c.id, _CALLS.c.team_id, _CALLS.c.contact_name, _CALLS.c.phone, _CALLS.c.note)
        .where(
            or_(
                _CALLS.c.contact_name.is_not(None),
                _CALLS.c.phone.is_not(None),
                _CALLS.c.note.is_not(None),
            )
        )
        .order_by(_CALLS.c.id),
    )
    for call_id, team_id, contact, phone, note in rows:  # type: ignore[misc]
        country = teams[team_id][1]
        if (
            matcher.names_in_field(contact)
            or matcher.phone_field(phone, country)
            or matcher.in_text(note, country)
            or (matcher.query.by == SearchBy.EMAIL and matcher.in_text(contact, country))
        ):
            found.append(call_id)
    return found


def _lead_ids(
    session: Session, matcher: _Matcher, teams: dict[int, tuple[str, str | None]]
) -> list[int]:
    found = []
    rows = _batches(
        session,
        select(
            _LEADS.c.id, _LEADS.c.team_id, _LEADS.c.contact_name, _LEADS.c.summary, _LEADS.c.reason
        ).order_by(_LEADS.c.id),
    )
    for lead_id, team_id, contact, summary, reason in rows:  # type: ignore[misc]
        country = teams[team_id][1]
        if (
            matcher.names_in_field(contact)
            or matcher.in_text(contact, country)
            or matcher.in_text(summary, country)
            or matcher.in_text(reason, country)
        ):
            found.append(lead_id)
    return found


def _attendee_ids(session: Session, query: PersonQuery) -> list[int]:
    a = _ATTENDEES
    if query.by == SearchBy.PHONE:
        condition = a.c.phone == query.value
    elif query.by == SearchBy.EMAIL:
        condition = a.c.email_key == query.value.strip().lower()
    else:
        matcher = _Matcher(query)
        rows = session.execute(
            select(a.c.id, a.c.person).where(a.c.person.is_not(None)).order_by(a.c.id)
        )
        return [row_id for row_id, person in rows if matcher.names_in_field(person)]
    return list(session.scalars(select(a.c.id).where(condition).order_by(a.c.id)))


def _dnc_rows(session: Session, query: PersonQuery) -> list[DoNotCall]:
    key = {
        SearchBy.PERSON: name_key(query.value),
        SearchBy.PHONE: query.value,
        SearchBy.EMAIL: query.value.strip().lower(),
    }[query.by]
    return list(
        session.scalars(
            select(DoNotCall).where(
                col(DoNotCall.kind) == query.by.value, col(DoNotCall.key) == key
            )
        )
    )


def _member_rows(session: Session, query: PersonQuery) -> list[tuple[Member, str]]:
    if query.by != SearchBy.PERSON:
        return []
    matcher = _Matcher(query)
    rows = session.execute(select(Member, Team.slug).join(Team, col(Team.id) == Member.team_id))
    return [(member, slug) for member, slug in rows if matcher.names_in_field(member.name)]


def _in(ids: Iterable[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[i : i + 500] for i in range(0, len(ordered), 500)]


# --- export and erasure -----------------------------------------------------------------


def find_person(session: Session, *, actor: Actor, query: PersonQuery) -> PersonalData:
    """Every stored item about the person, in every team."""
    require(actor, Action.PERSONAL_DATA)
    check_query(query)
    teams = _teams(session)
    matcher = _Matcher(query)
    agents = {
        m.id: Person(m.id or 0, m.slack_user_id, m.name) for m in session.scalars(select(Member))
    }
    calls: list[CallItem] = []
    for chunk in _in(_call_ids(session, matcher, teams)):
        for call in session.scalars(select(Call).where(col(Call.id).in_(chunk))):
            calls.append(
                CallItem(
                    call.id or 0,
                    teams[call.team_id][0],
                    call.called_at,
                    agents[call.agent_id],
                    call.company,
                    call.contact_name,
                    call.phone,
                    call.note,
                )
            )
    leads: list[LeadItem] = []
    for chunk in _in(_lead_ids(session, matcher, teams)):
        for lead in session.scalars(select(Lead).where(col(Lead.id).in_(chunk))):
            leads.append(
                LeadItem(
                    lead.id or 0,
                    teams[lead.team_id][0],
                    lead.number,
                    lead.created_at,
                    lead.company,
                    lead.contact_name,
                    lead.summary,
                    lead.reason,
                )
            )
    attendees: list[AttendeeItem] = []
    for chunk in _in(_attendee_ids(session, query)):
        rows = session.execute(
            select(Attendee, Event)
            .join(Event, col(Event.id) == Attendee.event_id)
            .where(col(Attendee.id).in_(chunk))
        )
        for row, event in rows:
            attendees.append(
                AttendeeItem(
                    row.id or 0,
                    teams[row.team_id][0],
                    event.name,
                    event.held_on,
                    row.person,
                    row.title,
                    row.email,
                    row.phone,
                    row.attended,
                )
            )
    return PersonalData(
        query=query,
        calls=tuple(sorted(calls, key=lambda c: (c.called_at, c.id))),
        leads=tuple(sorted(leads, key=lambda lead: (lead.team, lead.number))),
        attendees=tuple(sorted(attendees, key=lambda a: (a.held_on, a.id))),
        do_not_call=tuple(
            DncItem(d.id or 0, teams[d.team_id][0], d.kind, d.label, d.reason, d.added_at)
            for d in _dnc_rows(session, query)
        ),
        members=tuple(
            MemberItem(m.slack_user_id, m.name, slug) for m, slug in _member_rows(session, query)
        ),
    )


def erase_person(
    session: Session, *, actor: Actor, query: PersonQuery, now: datetime | None = None
) -> ErasureDone:
    """Erase the person's data (see the module docstring); NotFound when nothing is stored."""
    require(actor, Action.PERSONAL_DATA)
    check_query(query)
    now = now or utcnow()
    begin_write(session)
    teams = _teams(session)
    matcher = _Matcher(query)
    call_ids = _call_ids(session, matcher, teams)
    lead_ids = _lead_ids(session, matcher, teams)
    attendee_ids = _attendee_ids(session, query)
    kept = len(_dnc_rows(session, query))
    members = len(_member_rows(session, query))
    if not (call_ids or lead_ids or attendee_ids):
        session.rollback()
        raise NotFound(
            PrivacyProblem.NOTHING_FOUND,
            field=query.by.value,
            by=query.by,
            text=query.value,
            kept_do_not_call=kept,
            members=members,
        )
    for chunk in _in(call_ids):
        session.execute(
            update(_CALLS)
            .where(_CALLS.c.id.in_(chunk))
            .values(contact_name=None, phone=None, note=None, erased_at=now)
        )
    for chunk in _in(lead_ids):
        for lead in session.scalars(select(Lead).where(col(Lead.id).in_(chunk))):
            country = teams[lead.team_id][1]
            lead.contact_name = None
            if matcher.in_text(lead.summary, country):
                lead.summary = ""
            if matcher.in_text(lead.reason, country):
                lead.reason = None
            lead.erased_at = now
            lead.version += 1  # the card in Slack is refreshed without the erased data
            session.add(lead)
    for chunk in _in(attendee_ids):
        session.execute(
            update(_ATTENDEES)
            .where(_ATTENDEES.c.id.in_(chunk))
            .values(
                person=None,
                person_key="",
                title=None,
                email=None,
                email_key=None,
                phone=None,
                erased_at=now,
                identity="erased:" + _ATTENDEES.c.id.cast(_ATTENDEES.c.identity.type),
            )
        )
    record = Erasure(
        erased_at=now,
        requested_by=actor.user_id[:64],
        searched_by=query.by.value,
        calls=len(call_ids),
        leads=len(lead_ids),
        attendees=len(attendee_ids),
    )
    session.add(record)
    session.commit()
    return ErasureDone(
        erasure_id=record.id or 0,
        erased_at=now,
        calls=len(call_ids),
        leads=len(lead_ids),
        attendees=len(attendee_ids),
        kept_do_not_call=kept,
        kept_members=members,
    )


# --- retention --------------------------------------------------------------------------


def retention_cutoff(team: Team, now: datetime) -> date:
    """The first day whose data a team still keeps: its retention period before today."""
    today = local_day(ZoneInfo(team.timezone), now)
    month = add_months(today.replace(day=1), -team.retention_months)
    last = add_months(month, 1)
    return month.replace(day=min(today.day, (last - month).days))


def clear_expired(session: Session, *, team_id: int, now: datetime | None = None) -> Cleared:
    """Clear the personal fields of a team's calls and attendee rows older than its period."""
    now = now or utcnow()
    begin_write(session)
    team = session.get_one(Team, team_id)
    before = retention_cutoff(team, now)
    start, _ = day_bounds(ZoneInfo(team.timezone), before)
    calls = session.execute(
        update(_CALLS)
        .where(
            _CALLS.c.team_id == team_id,
            _CALLS.c.called_at < start,
            or_(
                _CALLS.c.contact_name.is_not(None),
                _CALLS.c.phone.is_not(None),
                _CALLS.c.note.is_not(None),
            ),
        )
        .values(contact_name=None, phone=None, note=None)
    ).rowcount  # type: ignore[attr-defined]
    old_events = select(Event.id).where(col(Event.team_id) == team_id, col(Event.held_on) < before)
    attendees = session.execute(
        update(_ATTENDEES)
        .where(
            _ATTENDEES.c.team_id == team_id,
            _ATTENDEES.c.event_id.in_(old_events),
            _ATTENDEES.c.erased_at.is_(None),
        )
        .values(
            person=None,
            person_key="",
            title=None,
            email=None,
            email_key=None,
            phone=None,
            erased_at=now,
            identity="erased:" + _ATTENDEES.c.id.cast(_ATTENDEES.c.identity.type),
        )
    ).rowcount  # type: ignore[attr-defined]
    session.commit()
    return Cleared(team.slug, team.retention_months, before, int(calls), int(attendees))
