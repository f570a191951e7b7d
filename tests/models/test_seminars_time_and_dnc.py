"""Seminar time and the month's split; the do-not-call list; attendee imports in the domain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from models.actors import TERMINAL
from models.attendees import AttendeeProblem, RowProblem, find_event_on
from models.costs import set_split
from models.db import session_scope
from models.dnc import (
    DncKind,
    DncProblem,
    NewDnc,
    NumberLine,
    add_entry,
    import_numbers,
    list_entries,
    matches,
    remove_entry,
)
from models.errors import InvalidInput, NotAllowed, NotFound
from models.leads import Source
from models.tables import Attendee, EventCompany, Followup
from models.timelogs import SplitBasis, TimeProblem, log_event_time, month_split
from tests.conftest import ADMIN, AGENT, AGENT_2, SALES_ENGINEER, actor_of
from tests.seminar_data import add_event, import_list, log, person, team_id

NOW = datetime(2026, 10, 30, 15, 0, tzinfo=UTC)


def spend(engine: Engine, user: str, event: int, hours: float, day: date, key: str):
    with session_scope(engine) as session:
        return log_event_time(
            session,
            actor=actor_of(engine, user),
            event_id=event,
            duration=timedelta(hours=hours),
            day=day,
            slack_key=key,
            now=NOW,
        )


def split(engine: Engine, month: date = date(2026, 10, 1)):
    with session_scope(engine) as session:
        return month_split(session, actor=TERMINAL, team_id=team_id(engine), month=month)


def test_logged_event_hours_split_the_cell_cost_against_working_hours(roster: Engine) -> None:
    paris = add_event(roster)
    expo = add_event(roster, "Big Expo", date(2026, 10, 2), kind="trade-show")
    assert split(roster).basis == SplitBasis.DEFAULT
    first = spend(roster, AGENT, paris, 6, date(2026, 10, 12), "t1")
    assert first.event_total_seconds == 6 * 3600 and first.event.name == "Paris Summit"
    again = spend(roster, AGENT, paris, 6, date(2026, 10, 12), "t1")  # a redelivery
    assert again.repeated and again.event_total_seconds == 6 * 3600
    spend(roster, AGENT_2, paris, 12, date(2026, 10, 13), "t2")
    spend(roster, AGENT_2, expo, 9, date(2026, 10, 2), "t3")
    log(roster, AGENT, "Acme Corp", now=NOW)  # AGENT worked in the cell that month
    result = split(roster)
    # October 2026 in France: 22 working days (1 Nov is a Sunday), 9 h each, for two members.
    assert result.basis == SplitBasis.LOGGED_TIME and result.members == 2
    assert result.working_seconds == 2 * 22 * 9 * 3600
    assert result.event_seconds == {Source.SEMINAR: 18 * 3600, Source.TRADE_SHOW: 9 * 3600}
    assert result.percents == {
        Source.TELEMARKETING: Decimal("93.18"),
        Source.SEMINAR: Decimal("4.55"),
        Source.TRADE_SHOW: Decimal("2.27"),
        Source.OTHER: Decimal("0"),
    }
    assert sum(result.percents.values()) == 100
    with session_scope(roster) as session:
        set_split(
            session,
            actor=TERMINAL,
            team_id=team_id(roster),
            month=date(2026, 10, 1),
            shares={"telemarketing": Decimal(70), "seminar": Decimal(30)},
        )
    manual = split(roster)
    assert manual.basis == SplitBasis.MANUAL
    assert manual.percents[Source.SEMINAR] == Decimal("30.00")
    assert split(roster, date(2026, 11, 1)).basis == SplitBasis.DEFAULT


def test_time_entries_are_bounded(roster: Engine) -> None:
    paris = add_event(roster)
    for hours, day, problem in (
        (0, date(2026, 10, 12), TimeProblem.DURATION_ZERO),
        (25, date(2026, 10, 12), TimeProblem.DURATION_TOO_LONG),
        (2, date(2026, 10, 31), TimeProblem.DAY_IN_FUTURE),
        (2, date(2026, 8, 1), TimeProblem.DAY_TOO_OLD),
    ):
        with pytest.raises(InvalidInput) as refused:
            spend(roster, AGENT, paris, hours, day, f"bad-{hours}-{day}")
        assert refused.value.problem == problem
    spend(roster, AGENT, paris, 20, date(2026, 10, 12), "a")
    with pytest.raises(InvalidInput) as full:
        spend(roster, AGENT, paris, 5, date(2026, 10, 12), "b")
    assert full.value.problem == TimeProblem.DAY_FULL
    assert full.value.facts["logged_seconds"] == 20 * 3600
    with pytest.raises(NotAllowed):
        spend(roster, SALES_ENGINEER, paris, 1, date(2026, 10, 12), "c")


def test_anyone_marks_do_not_call_admins_remove_and_calls_are_checked(roster: Engine) -> None:
    team = team_id(roster)
    with session_scope(roster) as session:
        se = actor_of(roster, SALES_ENGINEER)
        entry = add_entry(
            session,
            actor=se,
            team_id=team,
            new=NewDnc(DncKind.PHONE, "+33123456789", reason="asked not to be called"),
            now=NOW,
        )
        twice = add_entry(
            session, actor=se, team_id=team, new=NewDnc(DncKind.PHONE, "+33123456789")
        )
        add_entry(session, actor=se, team_id=team, new=NewDnc(DncKind.COMPANY, "Élan S.A."))
        add_entry(
            session,
            actor=se,
            team_id=team,
            new=NewDnc(DncKind.PERSON, "Jane Doe", company="Acme Corp"),
        )
        assert twice.repeated and twice.id == entry.id
        assert entry.added_by is not None and entry.added_by.user_id == SALES_ENGINEER
        agent = actor_of(roster, AGENT)
        found = matches(
            session, actor=agent, team_id=team, company="ELAN s.a", phone="+33999999999"
        )
        assert [f.label for f in found] == ["Élan S.A."]
        found = matches(session, actor=agent, team_id=team, company="Acme", phone="+33123456789")
        assert [f.reason for f in found] == ["asked not to be called"]
        assert (
            matches(session, actor=agent, team_id=team, company="Globex", person="Jane Doe") == []
        )
        assert (
            len(matches(session, actor=agent, team_id=team, company="ACME corp", person="jane doe"))
            == 1
        )
        assert len(list_entries(session, actor=agent, team_id=team)) == 3
        with pytest.raises(NotAllowed):
            remove_entry(session, actor=agent, entry_id=entry.id)
        removed = remove_entry(session, actor=actor_of(roster, ADMIN), entry_id=entry.id)
        assert removed.label == "+33123456789"
        with pytest.raises(NotFound):
            remove_entry(session, actor=TERMINAL, entry_id=entry.id)
        with pytest.raises(InvalidInput) as bad:
            add_entry(session, actor=agent, team_id=team, new=NewDnc(DncKind.COMPANY, "  "))
        assert bad.value.problem == DncProblem.NAME_MISSING


def test_a_registry_file_is_imported_whole_or_not_at_all(roster: Engine) -> None:
    team = team_id(roster)
    with session_scope(roster) as session:
        with pytest.raises(InvalidInput) as refused:
            import_numbers(
                session,
                actor=TERMINAL,
                team_id=team,
                lines=[NumberLine(1, "+33123456789"), NumberLine(2, None, "12")],
                origin="Bloctel",
            )
        assert refused.value.facts["total"] == 1 and refused.value.facts["lines"][0][:2] == (
            2,
            "12",
        )
        assert list_entries(session, actor=TERMINAL, team_id=team) == []
        add_entry(session, actor=TERMINAL, team_id=team, new=NewDnc(DncKind.PHONE, "+33123456789"))
        done = import_numbers(
            session,
            actor=TERMINAL,
            team_id=team,
            lines=[NumberLine(n, f"+3312345678{n % 10}") for n in range(1, 21)],
            origin="Bloctel 2026-10",
        )
    assert (done.numbers, done.added, done.already) == (10, 9, 1)


def test_imports_merge_companies_and_people_and_refuse_bad_rows_whole(roster: Engine) -> None:
    paris = add_event(roster)
    rows = [
        person("ACME Corp.", "Jane Doe", attended=False, email="jane@acme.example", line=2),
        person("acme corp", "John Roe", attended=False, line=3),
        person("Globex", "Hank Scorpio", line=4),
    ]
    first = import_list(roster, paris, rows, now=NOW)
    assert (first.people_added, first.companies_added, first.queued) == (3, 2, 2)
    again = import_list(
        roster,
        paris,
        [
            person("Acme Corp", "Jane D.", email="JANE@acme.example", phone="+33123456789"),
            person("Initech", "Bill Lumbergh", attended=False, line=3),
        ],
        now=NOW,
    )
    assert (again.people_added, again.people_merged) == (1, 1)
    assert (again.companies_added, again.companies_merged) == (1, 1)
    assert (again.attendance.registered, again.attendance.attended) == (4, 2)
    assert (again.attendance.companies, again.attendance.companies_attended) == (3, 2)
    with session_scope(roster) as session:
        janes = session.exec(
            select(Attendee).where(Attendee.email_key == "jane@acme.example")
        ).all()
        assert [(j.person, j.phone, j.attended) for j in janes] == [
            ("Jane D.", "+33123456789", True)
        ]
        assert session.exec(select(func.count()).select_from(EventCompany)).one() == 3
        acme = session.exec(select(Followup).where(Followup.company_key == "acme corp")).one()
        assert acme.company == "ACME Corp." and acme.attended
    with pytest.raises(InvalidInput) as refused:
        import_list(
            roster,
            paris,
            [
                person("Umbrella", "Alice", line=2),
                person("", "Bob", line=3, email="not-an-email"),
                person("X" * 201, "Carol", line=4),
            ],
        )
    error = refused.value
    assert error.problem == AttendeeProblem.ROWS_REFUSED and error.facts["total"] == 3
    assert [(b.line, b.problem) for b in error.facts["rows"]] == [
        (3, RowProblem.COMPANY_MISSING),
        (3, RowProblem.EMAIL_INVALID),
        (4, RowProblem.TOO_LONG),
    ]
    with session_scope(roster) as session:
        assert session.exec(select(func.count()).select_from(Attendee)).one() == 4
    with pytest.raises(InvalidInput) as empty:
        import_list(roster, paris, [])
    assert empty.value.problem == AttendeeProblem.NO_ROWS
    with pytest.raises(NotAllowed):
        import_list(roster, paris, rows, actor=actor_of(roster, AGENT))


def test_events_are_found_by_name_and_day(roster: Engine) -> None:
    paris = add_event(roster)
    add_event(roster, "Paris Summit", date(2025, 10, 15))
    with session_scope(roster) as session:
        found = find_event_on(
            session,
            actor=TERMINAL,
            team_id=team_id(roster),
            name="paris  SUMMIT",
            held_on=date(2026, 10, 14),
        )
        assert found.id == paris
        with pytest.raises(NotFound) as missing:
            find_event_on(
                session,
                actor=TERMINAL,
                team_id=team_id(roster),
                name="Paris Summit",
                held_on=date(2026, 10, 15),
            )
    assert [e.held_on for e in missing.value.facts["known"]] == [
        date(2026, 10, 14),
        date(2025, 10, 15),
    ]
