"""Do not call: companies, people, emails and phone numbers a team must not call.

Anyone on the roster may add an entry, with a reason; admins remove them. A
national registry's answer (Bloctel, TPS: a list of numbers) is imported as
entries of kind `phone` in one go, all or nothing. Entries are matched through
keys: a company or a person by their folded name (models.keys), an email in
lower case, a number in E.164. A person may be limited to one company.

The follow-up queue skips a company on the list, and a company whose every
listed contact is on it (`callable_company`); `/call` warns before logging a call
to a company or number on it (`matches`). Entries are kept when a person's data
is erased: they are what stops them being called again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from models.actors import Actor, Person
from models.db import begin_write, utcnow
from models.errors import InvalidInput, NotFound, Problem
from models.keys import name_key
from models.policy import Action, require
from models.tables import Attendee, DoNotCall, EventCompany, Member

MAX_LABEL_CHARS = 200
MAX_REASON_CHARS = 500
MAX_ORIGIN_CHARS = 64
#: Numbers one registry file may hold: a registry answers with the numbers you sent it.
MAX_IMPORTED_NUMBERS = 200_000
MAX_REPORTED_LINES = 20

_DNC = DoNotCall.__table__  # type: ignore[attr-defined]
_ATTENDEES = Attendee.__table__  # type: ignore[attr-defined]
_COMPANIES = EventCompany.__table__  # type: ignore[attr-defined]


class DncKind(StrEnum):
    """What an entry names."""

    COMPANY = "company"
    PERSON = "person"
    EMAIL = "email"
    PHONE = "phone"


class DncProblem(Problem):
    """Why a do-not-call request is refused."""

    NAME_MISSING = "dnc.name_missing"
    LABEL_TOO_LONG = "dnc.label_too_long"
    REASON_TOO_LONG = "dnc.reason_too_long"
    NOT_FOUND = "dnc.not_found"
    NO_NUMBERS = "dnc.no_numbers"
    TOO_MANY_NUMBERS = "dnc.too_many_numbers"
    NUMBERS_REFUSED = "dnc.numbers_refused"


@dataclass(frozen=True)
class NewDnc:
    """What someone asks not to call: `label` as typed; numbers already in E.164."""

    kind: DncKind
    label: str
    reason: str | None = None
    #: A person at one company only (a company name), or anywhere (None).
    company: str | None = None

    @property
    def key(self) -> str:
        if self.kind in (DncKind.COMPANY, DncKind.PERSON):
            return name_key(self.label)
        if self.kind == DncKind.EMAIL:
            return self.label.strip().lower()
        return self.label.strip()


@dataclass(frozen=True)
class DncEntry:
    """An entry of the list. `repeated`: it was there already (nothing was added)."""

    id: int
    team_id: int
    kind: DncKind
    label: str
    company: str | None
    reason: str | None
    origin: str
    added_by: Person | None
    added_at: datetime
    repeated: bool = False


@dataclass(frozen=True)
class NumberLine:
    """A number of an imported registry file, with its line (E.164, or None: unreadable)."""

    line: int
    number: str | None
    text: str = ""
    problem: Problem | None = None


@dataclass(frozen=True)
class DncImport:
    """What an import of numbers did."""

    team_id: int
    origin: str
    numbers: int
    added: int
    already: int


def _check(new: NewDnc) -> None:
    if not new.label.strip() or not new.key:
        raise InvalidInput(DncProblem.NAME_MISSING, field="name", kind=new.kind)
    for text, limit, problem, field in (
        (new.label, MAX_LABEL_CHARS, DncProblem.LABEL_TOO_LONG, "name"),
        (new.company, MAX_LABEL_CHARS, DncProblem.LABEL_TOO_LONG, "company"),
        (new.reason, MAX_REASON_CHARS, DncProblem.REASON_TOO_LONG, "reason"),
    ):
        if text is not None and len(text) > limit:
            raise InvalidInput(problem, field=field, length=len(text), limit=limit)


def _entry(session: Session, row: DoNotCall, *, repeated: bool = False) -> DncEntry:
    added_by = None
    if row.added_by_id is not None:
        member = session.get(Member, row.added_by_id)
        if member is not None:
            added_by = Person(member.id or 0, member.slack_user_id, member.name)
    return DncEntry(
        id=row.id or 0,
        team_id=row.team_id,
        kind=DncKind(row.kind),
        label=row.label,
        company=row.company,
        reason=row.reason,
        origin=row.origin,
        added_by=added_by,
        added_at=row.added_at,
        repeated=repeated,
    )


def add_entry(
    session: Session, *, actor: Actor, team_id: int, new: NewDnc, now: datetime | None = None
) -> DncEntry:
    """Put a company, person, email or number on the team's list (a second time adds nothing)."""
    require(actor, Action.DNC_WRITE, team_id=team_id)
    _check(new)
    begin_write(session)
    company_key = name_key(new.company) if new.company and new.kind == DncKind.PERSON else ""
    found = session.scalars(
        select(DoNotCall).where(
            col(DoNotCall.team_id) == team_id,
            col(DoNotCall.kind) == new.kind.value,
            col(DoNotCall.key) == new.key,
            col(DoNotCall.company_key) == company_key,
        )
    ).first()
    if found is not None:
        session.commit()
        return _entry(session, found, repeated=True)
    row = DoNotCall(
        team_id=team_id,
        kind=new.kind.value,
        key=new.key,
        company_key=company_key,
        company=new.company.strip() if company_key and new.company else None,
        label=new.label.strip(),
        reason=(new.reason or "").strip() or None,
        origin="member" if actor.member_id is not None else "terminal",
        added_by_id=actor.member_id,
        added_at=now or utcnow(),
    )
    session.add(row)
    session.commit()
    return _entry(session, row)


def remove_entry(session: Session, *, actor: Actor, entry_id: int) -> DncEntry:
    """Take an entry off the list (admins: it was a mistake, or the person agreed again)."""
    begin_write(session)
    row = session.get(DoNotCall, entry_id)
    if row is None:
        raise NotFound(DncProblem.NOT_FOUND, entry_id=entry_id)
    require(actor, Action.TEAM_WRITE, team_id=row.team_id)
    entry = _entry(session, row)
    session.delete(row)
    session.commit()
    return entry


def list_entries(
    session: Session, *, actor: Actor, team_id: int, kind: DncKind | None = None
) -> list[DncEntry]:
    """The team's list, newest first."""
    require(actor, Action.ACTIVITY_READ, team_id=team_id)
    query = select(DoNotCall).where(col(DoNotCall.team_id) == team_id)
    if kind is not None:
        query = query.where(col(DoNotCall.kind) == kind.value)
    rows = session.scalars(query.order_by(col(DoNotCall.added_at).desc(), col(DoNotCall.id).desc()))
    return [_entry(session, row) for row in rows]


def matches(
    session: Session,
    *,
    actor: Actor,
    team_id: int,
    company: str | None = None,
    phone: str | None = None,
    person: str | None = None,
    email: str | None = None,
) -> list[DncEntry]:
    """The entries a call would go against: the company, the number (E.164), the person, email."""
    require(actor, Action.ACTIVITY_READ, team_id=team_id)
    company_key = name_key(company) if company else None
    wanted: list[ColumnElement[bool]] = []
    if company_key:
        wanted.append(and_(_DNC.c.kind == DncKind.COMPANY.value, _DNC.c.key == company_key))
    if phone:
        wanted.append(and_(_DNC.c.kind == DncKind.PHONE.value, _DNC.c.key == phone.strip()))
    if email:
        wanted.append(and_(_DNC.c.kind == DncKind.EMAIL.value, _DNC.c.key == email.strip().lower()))
    if person and name_key(person):
        wanted.append(
            and_(
                _DNC.c.kind == DncKind.PERSON.value,
                _DNC.c.key == name_key(person),
                or_(_DNC.c.company_key == "", _DNC.c.company_key == (company_key or "")),
            )
        )
    if not wanted:
        return []
    rows = session.scalars(
        select(DoNotCall)
        .where(col(DoNotCall.team_id) == team_id, or_(*wanted))
        .order_by(col(DoNotCall.id))
    )
    return [_entry(session, row) for row in rows]


def import_numbers(
    session: Session,
    *,
    actor: Actor,
    team_id: int,
    lines: Sequence[NumberLine],
    origin: str,
    reason: str | None = None,
    now: datetime | None = None,
) -> DncImport:
    """Put every number of a registry file on the list, or none when a line is unreadable."""
    require(actor, Action.DNC_WRITE, team_id=team_id)
    if not lines:
        raise InvalidInput(DncProblem.NO_NUMBERS, field="file")
    if len(lines) > MAX_IMPORTED_NUMBERS:
        raise InvalidInput(
            DncProblem.TOO_MANY_NUMBERS, field="file", rows=len(lines), limit=MAX_IMPORTED_NUMBERS
        )
    bad = [line for line in lines if line.number is None]
    if bad:
        raise InvalidInput(
            DncProblem.NUMBERS_REFUSED,
            field="file",
            lines=[(b.line, b.text, b.problem) for b in bad[:MAX_REPORTED_LINES]],
            total=len(bad),
        )
    origin = (origin.strip() or "import")[:MAX_ORIGIN_CHARS]
    if reason is not None and len(reason) > MAX_REASON_CHARS:
        raise InvalidInput(
            DncProblem.REASON_TOO_LONG, field="reason", length=len(reason), limit=MAX_REASON_CHARS
        )
    numbers = list(dict.fromkeys(line.number for line in lines if line.number))
    begin_write(session)
    before = _count(session, team_id)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    moment = now or utcnow()
    for start in range(0, len(numbers), 1000):
        batch = numbers[start : start + 1000]
        session.execute(
            insert(_DNC)
            .values(
                [
                    {
                        "team_id": team_id,
                        "kind": DncKind.PHONE.value,
                        "key": number,
                        "company_key": "",
                        "label": number,
                        "reason": reason,
                        "origin": origin,
                        "added_by_id": actor.member_id,
                        "added_at": moment,
                    }
                    for number in batch
                ]
            )
            .on_conflict_do_nothing(index_elements=["team_id", "kind", "key", "company_key"])
        )
    added = _count(session, team_id) - before
    session.commit()
    return DncImport(
        team_id=team_id,
        origin=origin,
        numbers=len(numbers),
        added=added,
        already=len(numbers) - added,
    )


def _count(session: Session, team_id: int) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(_DNC).where(_DNC.c.team_id == team_id)
        ).scalar_one()
    )


# --- the conditions the follow-up queue and the imports share ------------------------------


def listed_company(
    team_id: ColumnElement[int], company_key: ColumnElement[str]
) -> ColumnElement[bool]:
    """SQL: the company is on the team's list."""
    return exists().where(
        _DNC.c.team_id == team_id,
        _DNC.c.kind == DncKind.COMPANY.value,
        _DNC.c.key == company_key,
    )


def listed_contact(
    attendee: object = _ATTENDEES, company: object = _COMPANIES
) -> ColumnElement[bool]:
    """SQL: an attendee row (of `company`) is on its team's list: person, email or number."""
    a, c = attendee, company
    return exists().where(
        _DNC.c.team_id == a.c.team_id,  # type: ignore[attr-defined]
        or_(
            and_(
                _DNC.c.kind == DncKind.PERSON.value,
                _DNC.c.key == a.c.person_key,  # type: ignore[attr-defined]
                or_(_DNC.c.company_key == "", _DNC.c.company_key == c.c.company_key),  # type: ignore[attr-defined]
            ),
            and_(_DNC.c.kind == DncKind.EMAIL.value, _DNC.c.key == a.c.email_key),  # type: ignore[attr-defined]
            and_(_DNC.c.kind == DncKind.PHONE.value, _DNC.c.key == a.c.phone),  # type: ignore[attr-defined]
        ),
    )


def callable_company(
    team_id: ColumnElement[int], company_key: ColumnElement[str]
) -> ColumnElement[bool]:
    """SQL: the team may call the company: it is not on the list, and it has a contact who is
    not (or no contact at all, when every one was erased)."""
    a, c = _ATTENDEES.alias("dnc_a"), _COMPANIES.alias("dnc_c")
    contacts = (
        select(a.c.id)
        .join(c, c.c.id == a.c.event_company_id)
        .where(c.c.team_id == team_id, c.c.company_key == company_key, a.c.erased_at.is_(None))
    )
    reachable = contacts.where(~listed_contact(a, c))
    return and_(
        ~listed_company(team_id, company_key),
        or_(~exists(contacts), exists(reachable)),
    )
