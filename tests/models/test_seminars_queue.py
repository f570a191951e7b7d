"""The follow-up queue: attended first, one company per agent at a time, settled by calls."""

from __future__ import annotations

import random
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models.actors import TERMINAL
from models.db import session_scope
from models.dnc import DncKind, NewDnc, add_entry
from models.errors import Conflict, NotAllowed
from models.followup import (
    CALLBACK_AFTER,
    LEASE,
    RETRY_AFTER,
    QueueItem,
    Settlement,
    after_call,
    after_undo,
    put_back,
    queue_overview,
    take_next,
)
from models.outcomes import Outcome
from models.roster import Role, set_roles
from models.tables import Followup
from tests.conftest import ADMIN, AGENT, AGENT_2, SALES_ENGINEER, actor_of
from tests.seminar_data import add_event, import_list, log, person, team_id

DAY_AFTER = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)


def take(engine: Engine, user: str, now: datetime = DAY_AFTER) -> QueueItem | None:
    with session_scope(engine) as session:
        return take_next(session, actor=actor_of(engine, user), now=now)


def settle(engine: Engine, user: str, call_id: int):
    with session_scope(engine) as session:
        return after_call(session, actor=actor_of(engine, user), call_id=call_id)


def paris_list(engine: Engine) -> int:
    event = add_event(engine)
    import_list(
        engine,
        event,
        [
            person("Globex", "Hank Scorpio", attended=False, line=2),
            person("Acme Corp", "Jane Doe", title="CFO", phone="+33123456789", line=3),
            person("Initech", "Bill Lumbergh", attended=False, line=4),
            person("ACME corp.", "John Roe", attended=False, line=5),
        ],
        now=DAY_AFTER - timedelta(hours=12),
    )
    return event


def test_attended_companies_come_before_registered_ones_each_to_one_agent(roster: Engine) -> None:
    paris_list(roster)
    first = take(roster, AGENT)
    second = take(roster, AGENT_2)
    third = take(roster, ADMIN)
    assert first is not None and second is not None and third is not None
    assert first.company == "Acme Corp" and first.attended
    assert [c.person for c in first.contacts] == ["Jane Doe", "John Roe"]
    assert first.contacts[0].phone == "+33123456789" and first.contacts[0].title == "CFO"
    assert first.event.name == "Paris Summit" and first.leased_until == DAY_AFTER + LEASE
    assert {second.company, third.company} == {"Globex", "Initech"}
    assert not second.attended
    with session_scope(roster) as session:
        assert take_next(session, actor=actor_of(roster, AGENT), now=DAY_AFTER) == first.__class__(
            **{**first.__dict__, "renewed": True}
        )
    assert take(roster, AGENT) is not None  # asking again renews the same company
    with session_scope(roster) as session:
        items = session.exec(select(Followup).where(Followup.leased_by_id.is_not(None))).all()  # type: ignore[union-attr]
    assert len(items) == 3


def test_a_company_comes_back_when_its_lease_runs_out(roster: Engine) -> None:
    event = add_event(roster)
    import_list(roster, event, [person("Acme Corp", "Jane Doe")], now=DAY_AFTER)
    taken = take(roster, AGENT)
    assert taken is not None
    assert take(roster, AGENT_2) is None
    later = take(roster, AGENT_2, now=DAY_AFTER + LEASE + timedelta(seconds=1))
    assert later is not None and later.company == "Acme Corp" and later.times_taken == 2


def test_nothing_is_given_before_the_event_day(roster: Engine) -> None:
    event = add_event(roster, held_on=date(2026, 10, 20))
    import_list(roster, event, [person("Acme Corp", "Jane Doe")], now=DAY_AFTER)
    assert take(roster, AGENT) is None
    # Paris is UTC+2 in October: the 20th starts at 22:00 UTC on the 19th.
    assert take(roster, AGENT, now=datetime(2026, 10, 19, 22, 0, tzinfo=UTC)) is not None


def test_a_logged_call_closes_the_item_and_a_callback_puts_it_back(roster: Engine) -> None:
    paris_list(roster)
    item = take(roster, AGENT)
    assert item is not None
    called = log(roster, AGENT, "acme corp", Outcome.CALLBACK, now=DAY_AFTER + timedelta(minutes=5))
    settled = settle(roster, AGENT, called.call.id)
    assert settled is not None and settled.settlement == Settlement.PUT_BACK
    assert settled.not_before == called.call.called_at + CALLBACK_AFTER
    # Meanwhile nobody gets Acme; after the callback time, it comes first again.
    assert take(roster, AGENT_2, now=DAY_AFTER + timedelta(hours=1)).company != "Acme Corp"  # type: ignore[union-attr]
    again = take(roster, ADMIN, now=DAY_AFTER + CALLBACK_AFTER + timedelta(minutes=6))
    assert again is not None and again.company == "Acme Corp"
    assert [c.outcome for c in again.calls] == ["callback"]
    done = log(roster, ADMIN, "ACME Corp", now=DAY_AFTER + CALLBACK_AFTER + timedelta(minutes=20))
    closed = settle(roster, ADMIN, done.call.id)
    assert closed is not None and closed.settlement == Settlement.CLOSED
    with session_scope(roster) as session:
        acme = session.exec(select(Followup).where(Followup.company == "Acme Corp")).one()
    assert acme.status == "done" and acme.closed_by_call_id == done.call.id
    assert acme.leased_by_id is None


def test_no_answer_puts_it_back_for_a_retry_and_any_agents_call_closes_it(roster: Engine) -> None:
    paris_list(roster)
    item = take(roster, AGENT)
    assert item is not None
    dial = log(roster, AGENT, "Acme Corp", Outcome.NO_ANSWER, now=DAY_AFTER)
    put = settle(roster, AGENT, dial.call.id)
    assert put is not None and put.not_before == DAY_AFTER + RETRY_AFTER
    other = log(roster, AGENT_2, "Acme Corp", Outcome.NOT_INTERESTED, now=DAY_AFTER)
    assert settle(roster, AGENT_2, other.call.id).settlement == Settlement.CLOSED  # type: ignore[union-attr]
    # A call with a company not in the queue settles nothing.
    stray = log(roster, AGENT, "Umbrella", now=DAY_AFTER)
    assert settle(roster, AGENT, stray.call.id) is None


def test_an_undone_call_reopens_the_item_it_closed(roster: Engine) -> None:
    paris_list(roster)
    take(roster, AGENT)
    called = log(roster, AGENT, "Acme Corp", now=DAY_AFTER)
    settle(roster, AGENT, called.call.id)
    with session_scope(roster) as session:
        reopened = after_undo(
            session, actor=actor_of(roster, AGENT), call_id=called.call.id, now=DAY_AFTER
        )
    assert reopened is not None and reopened.company == "Acme Corp"
    again = take(roster, AGENT_2, now=DAY_AFTER + timedelta(minutes=1))
    assert again is not None and again.company == "Acme Corp"


def test_put_back_is_for_the_holder(roster: Engine) -> None:
    paris_list(roster)
    item = take(roster, AGENT)
    assert item is not None
    with session_scope(roster) as session, pytest.raises(Conflict) as refused:
        put_back(session, actor=actor_of(roster, AGENT_2), item_id=item.id, now=DAY_AFTER)
    assert refused.value.facts["company"] == "Acme Corp"
    with session_scope(roster) as session:
        back = put_back(session, actor=actor_of(roster, AGENT), item_id=item.id, now=DAY_AFTER)
    assert back.not_before == DAY_AFTER
    assert take(roster, AGENT_2).company == "Acme Corp"  # type: ignore[union-attr]


def test_a_later_event_brings_a_called_company_back(roster: Engine) -> None:
    paris_list(roster)
    take(roster, AGENT)
    settle(roster, AGENT, log(roster, AGENT, "Acme Corp", now=DAY_AFTER).call.id)
    lyon = add_event(roster, "Lyon Forum", date(2026, 11, 5))
    # Importing Paris again does not bring back a company called after it.
    import_list(roster, lyon - 1, [person("Acme Corp", "Jane Doe")], now=DAY_AFTER)
    with session_scope(roster) as session:
        acme = session.exec(select(Followup).where(Followup.company == "Acme Corp")).one()
    assert acme.status == "done"
    result = import_list(roster, lyon, [person("acme corp", "Jane Doe")], now=DAY_AFTER)
    assert result.queued == 1
    back = take(roster, AGENT, now=datetime(2026, 11, 5, 9, 0, tzinfo=UTC))
    assert back is not None and back.company == "Acme Corp" and back.event.name == "Lyon Forum"


def test_do_not_call_companies_and_contacts_are_skipped(roster: Engine) -> None:
    paris_list(roster)
    team = team_id(roster)
    with session_scope(roster) as session:
        add_entry(session, actor=TERMINAL, team_id=team, new=NewDnc(DncKind.COMPANY, "GLOBEX"))
        add_entry(session, actor=TERMINAL, team_id=team, new=NewDnc(DncKind.PHONE, "+33123456789"))
        add_entry(
            session,
            actor=TERMINAL,
            team_id=team,
            new=NewDnc(DncKind.PERSON, "Bill Lumbergh", company="Initech"),
        )
    first = take(roster, AGENT)
    assert first is not None and first.company == "Acme Corp"
    assert [c.person for c in first.contacts] == ["John Roe"]  # Jane's number is on the list
    assert take(roster, AGENT_2) is None  # Globex is listed; Initech's only contact is


def test_only_agents_and_admins_take_from_the_queue(roster: Engine) -> None:
    paris_list(roster)
    with session_scope(roster) as session, pytest.raises(NotAllowed):
        take_next(session, actor=actor_of(roster, SALES_ENGINEER), now=DAY_AFTER)


def test_the_overview_shows_what_is_left_and_the_agents_share(roster: Engine) -> None:
    paris_list(roster)
    take(roster, AGENT)
    settle(roster, AGENT, log(roster, AGENT, "Acme Corp", now=DAY_AFTER).call.id)
    take(roster, AGENT)
    with session_scope(roster) as session:
        overview = queue_overview(
            session, actor=actor_of(roster, AGENT), team_id=team_id(roster), now=DAY_AFTER
        )
    (paris,) = overview.events
    assert (paris.attended_left, paris.registered_left, paris.held, paris.done) == (0, 1, 1, 1)
    assert overview.holding in {"Globex", "Initech"} and overview.done_by_me == 1
    assert overview.done_by_me_today == 1 and overview.left == 2


def test_simultaneous_takers_never_get_the_same_company(roster: Engine) -> None:
    """Agents ask at once, again and again, and log a call each time: each company once."""
    with session_scope(roster) as session:
        for n in range(4, 10):  # six more agents among the sales engineers
            set_roles(session, actor=TERMINAL, slack_user_id=f"U0DEMO{n:02d}", roles=[Role.AGENT])
    users = [AGENT, AGENT_2, "U0DEMO03", *(f"U0DEMO{n:02d}" for n in range(4, 10))]
    event = add_event(roster)
    companies = [f"Company {n}" for n in range(60)]
    rows = [
        person(name, f"Person {n}", attended=n % 3 == 0, line=n + 2)
        for n, name in enumerate(companies)
    ]
    import_list(roster, event, rows, now=DAY_AFTER)
    actors = {user: actor_of(roster, user) for user in users}
    start = threading.Barrier(len(users))
    taken: list[tuple[str, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(user: str) -> None:
        rng = random.Random(user)
        try:
            start.wait()
            while True:
                with session_scope(roster) as session:
                    item = take_next(session, actor=actors[user], now=DAY_AFTER)
                if item is None:
                    return
                with lock:
                    taken.append((item.company, user))
                if rng.random() < 0.5:
                    threading.Event().wait(rng.random() / 200)
                call = log(roster, user, item.company, now=DAY_AFTER)
                with session_scope(roster) as session:
                    after_call(session, actor=actors[user], call_id=call.call.id)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert sorted(company for company, _ in taken) == sorted(companies)
    assert len({user for _, user in taken}) > 1
    # Attended companies were all given before the first registered-only one.
    order = [c for c, _ in taken]
    attended = {name for n, name in enumerate(companies) if n % 3 == 0}
    last_attended = max(order.index(c) for c in attended)
    assert last_attended < len(users) + len(attended)
