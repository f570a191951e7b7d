"""Personal data: export, erasure keeping the counts, and the retention period."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from models.activity import USEFUL
from models.actors import TERMINAL
from models.db import session_scope
from models.dnc import DncKind, NewDnc, add_entry
from models.errors import NotAllowed, NotFound
from models.privacy import (
    PersonQuery,
    PrivacyProblem,
    SearchBy,
    erase_person,
    find_person,
    retention_cutoff,
)
from models.tables import Attendee, Call, Erasure, Lead, Team
from tests.conftest import ADMIN, AGENT, actor_of
from tests.seminar_data import add_event, add_lead, import_list, log, person, team_id
from worker.retention import apply_retention

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def jane(engine: Engine) -> None:
    """Jane Doe in calls, leads and a list; Bill elsewhere."""
    paris = add_event(engine)
    import_list(
        engine,
        paris,
        [
            person("Acme Corp", "Jane Doe", email="Jane.Doe@acme.example", phone="+33123456789"),
            person("Initech", "Bill Lumbergh", line=3),
        ],
    )
    log(engine, AGENT, "Acme Corp", contact_name="DOE Jane, CFO", note="wants a demo", now=NOW)
    log(engine, AGENT, "Acme Corp", phone="01 23 45 67 89", now=NOW)
    log(engine, AGENT, "Acme Corp", note="call back jane  doe on Monday", now=NOW)
    log(engine, AGENT, "Acme Corp", note="her number: 01.23.45.67.89", now=NOW)
    log(engine, AGENT, "Acme Corp", note="spoke to Jane about Doe's budget", now=NOW)
    log(engine, AGENT, "Initech", contact_name="Bill Lumbergh", note="TPS reports", now=NOW)
    add_lead(engine, "Acme Corp", NOW, contact="Jane Doe", summary="invoice capture, ask Jane Doe")
    add_lead(engine, "Acme Corp", NOW, contact="Jane Doe", summary="archiving for 3 plants")
    add_lead(engine, "Initech", NOW, contact="Bill Lumbergh")


def test_export_finds_every_item_about_the_person(roster: Engine) -> None:
    jane(roster)
    with session_scope(roster) as session:
        by_name = find_person(
            session, actor=TERMINAL, query=PersonQuery(SearchBy.PERSON, "jane DOE")
        )
        by_phone = find_person(
            session, actor=TERMINAL, query=PersonQuery(SearchBy.PHONE, "+33123456789")
        )
        by_email = find_person(
            session, actor=TERMINAL, query=PersonQuery(SearchBy.EMAIL, "jane.doe@ACME.example")
        )
    assert [c.contact_name or c.note for c in by_name.calls] == [
        "DOE Jane, CFO",
        "call back jane  doe on Monday",
    ]
    assert [lead.summary for lead in by_name.leads] == [
        "invoice capture, ask Jane Doe",
        "archiving for 3 plants",
    ]
    assert [a.email for a in by_name.attendees] == ["Jane.Doe@acme.example"]
    assert [c.phone or c.note for c in by_phone.calls] == [
        "01 23 45 67 89",
        "her number: 01.23.45.67.89",
    ]
    assert [a.person for a in by_phone.attendees] == ["Jane Doe"]
    assert [a.person for a in by_email.attendees] == ["Jane Doe"] and not by_email.calls


def test_erasure_keeps_the_counts_and_records_that_it_was_done(roster: Engine) -> None:
    jane(roster)
    with session_scope(roster) as session:
        dials = session.exec(select(func.count()).select_from(Call)).one()
        useful = session.exec(select(func.count()).select_from(Call).where(USEFUL)).one()
        add_entry(
            session,
            actor=TERMINAL,
            team_id=team_id(roster),
            new=NewDnc(DncKind.PERSON, "Jane Doe", reason="asked not to be called"),
        )
        done = erase_person(
            session, actor=TERMINAL, query=PersonQuery(SearchBy.PERSON, "Jane Doe"), now=NOW
        )
        phone = erase_person(
            session, actor=TERMINAL, query=PersonQuery(SearchBy.PHONE, "+33123456789"), now=NOW
        )
    assert (done.calls, done.leads, done.attendees, done.kept_do_not_call) == (2, 2, 1, 1)
    assert (phone.calls, phone.leads, phone.attendees) == (2, 0, 0)
    with session_scope(roster) as session:
        assert session.exec(select(func.count()).select_from(Call)).one() == dials
        assert session.exec(select(func.count()).select_from(Call).where(USEFUL)).one() == useful
        calls = session.exec(select(Call).order_by(Call.id)).all()
        leads = session.exec(select(Lead).order_by(Lead.id)).all()
        attendees = session.exec(select(Attendee).order_by(Attendee.id)).all()
        erasures = session.exec(select(Erasure)).all()
    assert [(c.contact_name, c.phone, c.note, c.erased_at is not None) for c in calls] == [
        (None, None, None, True),
        (None, None, None, True),
        (None, None, None, True),
        (None, None, None, True),
        (None, None, "spoke to Jane about Doe's budget", False),
        ("Bill Lumbergh", None, "TPS reports", False),
    ]
    assert [(lead.contact_name, lead.summary, lead.version) for lead in leads] == [
        (None, "", 2),
        (None, "archiving for 3 plants", 2),
        ("Bill Lumbergh", "invoice capture for 3 plants", 1),
    ]
    assert [(a.person, a.email, a.phone, a.attended) for a in attendees] == [
        (None, None, None, True),
        ("Bill Lumbergh", None, None, True),
    ]
    assert [(e.searched_by, e.calls, e.leads, e.attendees) for e in erasures] == [
        ("person", 2, 2, 1),
        ("phone", 2, 0, 0),
    ]
    assert all("Jane" not in repr(e) for e in erasures)
    # The do-not-call entry stays: it keeps Jane from being called again.
    with session_scope(roster) as session:
        after = find_person(session, actor=TERMINAL, query=PersonQuery(SearchBy.PERSON, "Jane Doe"))
    assert after.erasable == 0 and [d.label for d in after.do_not_call] == ["Jane Doe"]


def test_erasing_someone_unknown_says_so_and_only_admins_may(roster: Engine) -> None:
    jane(roster)
    with session_scope(roster) as session:
        with pytest.raises(NotFound) as unknown:
            erase_person(session, actor=TERMINAL, query=PersonQuery(SearchBy.PERSON, "Nobody Here"))
        assert unknown.value.problem == PrivacyProblem.NOTHING_FOUND
        assert unknown.value.facts["text"] == "Nobody Here"
        with pytest.raises(NotAllowed):
            find_person(
                session, actor=actor_of(roster, AGENT), query=PersonQuery(SearchBy.PERSON, "Jane")
            )
        assert find_person(
            session, actor=actor_of(roster, ADMIN), query=PersonQuery(SearchBy.PERSON, "Bill")
        ).calls
        assert session.exec(select(func.count()).select_from(Erasure)).one() == 0


def test_retention_clears_old_personal_data_once_and_logs_the_counts(
    roster: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    old = datetime(2023, 11, 19, 10, 0, tzinfo=UTC)
    recent = datetime(2023, 11, 21, 10, 0, tzinfo=UTC)
    log(roster, AGENT, "Acme Corp", contact_name="Jane Doe", note="old", now=old)
    log(roster, AGENT, "Acme Corp", now=old - timedelta(days=1))  # nothing personal
    log(roster, AGENT, "Acme Corp", contact_name="Jane Doe", note="recent", now=recent)
    early = add_event(roster, "Old Summit", date(2023, 10, 1))
    late = add_event(roster, "Recent Summit", date(2023, 12, 1))
    import_list(roster, early, [person("Acme Corp", "Jane Doe", email="jane@acme.example")])
    import_list(roster, late, [person("Acme Corp", "Jane Doe")])
    with session_scope(roster) as session:
        team = session.exec(select(Team)).one()
        assert retention_cutoff(team, NOW) == date(2023, 11, 20)
    with caplog.at_level(logging.INFO, logger="worker.retention"):
        (first,) = apply_retention(roster, now=NOW)
        (second,) = apply_retention(roster, now=NOW)
    assert (first.calls, first.attendees) == (1, 1)
    assert (second.calls, second.attendees) == (0, 0)
    assert "team fr cleared the personal data of 1 call(s) and 1 attendee row(s)" in caplog.text
    assert "Jane" not in caplog.text
    with session_scope(roster) as session:
        notes = session.exec(select(Call.note).order_by(Call.called_at)).all()
        people = session.exec(select(Attendee.person).order_by(Attendee.id)).all()
    assert notes == [None, None, "recent"]
    assert people == [None, "Jane Doe"]
