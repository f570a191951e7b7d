"""Logging calls, undoing them, and an agent's day in the team's time zone."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from models.actors import TERMINAL
from models.calls import (
    UNDO_WINDOW,
    CallProblem,
    DayStats,
    LoggedCall,
    NewCall,
    UndoneCall,
    day_stats,
    log_call,
    team_facts,
    undo_call,
)
from models.db import session_scope, utcnow
from models.errors import Conflict, InvalidInput, NotAllowed, NotFound
from models.outcomes import USEFUL_OUTCOMES, Outcome
from models.policy import Action, PolicyProblem, Relation
from models.roster import Role, get_member, get_team, set_active, set_roles
from models.tables import Call, Lead
from tests.conftest import ADMIN, AGENT, AGENT_2, SALES_ENGINEER, SETTINGS_ADMIN, actor_of

PARIS = ZoneInfo("Europe/Paris")
SETTINGS_ADMINS = frozenset({SETTINGS_ADMIN})
_keys = iter(range(1, 1_000_000))


def acme(outcome: Outcome = Outcome.CONTACT, **fields: object) -> NewCall:
    return NewCall(company="Acme Corp", duration=timedelta(minutes=12), outcome=outcome, **fields)  # type: ignore[arg-type]


def log(
    engine: Engine,
    *,
    user: str = AGENT,
    new: NewCall | None = None,
    key: str | None = None,
    now: datetime | None = None,
    admins: frozenset[str] = SETTINGS_ADMINS,
) -> LoggedCall:
    """Log a call in its own unit of work, as a listener does."""
    with session_scope(engine) as session:
        return log_call(
            session,
            actor=actor_of(engine, user, admins),
            new=new or acme(),
            slack_key=key or f"test:{next(_keys)}",
            now=now,
        )


def undo(
    engine: Engine,
    call_id: int,
    *,
    user: str = AGENT,
    now: datetime | None = None,
    admins: frozenset[str] = SETTINGS_ADMINS,
) -> UndoneCall:
    with session_scope(engine) as session:
        return undo_call(session, actor=actor_of(engine, user, admins), call_id=call_id, now=now)


def stored_calls(engine: Engine) -> list[Call]:
    with session_scope(engine) as session:
        return list(session.exec(select(Call).order_by(Call.id)))


def count_calls(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(Call)).one()


def stats(engine: Engine, user: str, day: date) -> DayStats:
    with session_scope(engine) as session:
        member = get_member(session, slack_user_id=user)
        assert member is not None
        team = team_facts(get_team(session, slug="fr"))
        return day_stats(session, agent_id=member.id or 0, team=team, day=day)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


# --- logging ----------------------------------------------------------------------------------


def test_log_call_stores_the_call_in_utc(roster: Engine) -> None:
    moment = paris(2026, 3, 10, 14, 5)
    new = acme(
        Outcome.LEAD, note="wants a demo", contact_name="Jane Doe, CFO", phone="+33 1 23 45 67 89"
    )
    logged = log(roster, new=new, key="command:T1", now=moment)

    assert not logged.repeated
    assert logged.team.slug == "fr"
    [call] = stored_calls(roster)
    assert call.id == logged.call.id
    assert call.called_at == moment
    assert call.called_at.tzinfo == UTC
    assert call.called_at.hour == 13  # 14:05 in Paris (CET) is 13:05 UTC
    assert call.created_at.tzinfo == UTC
    assert (call.company, call.duration_seconds, call.outcome) == ("Acme Corp", 720, "lead")
    assert (call.note, call.contact_name, call.phone) == (
        "wants a demo",
        "Jane Doe, CFO",
        "+33 1 23 45 67 89",
    )
    assert call.slack_key == "command:T1"
    assert call.undone_at is None
    with session_scope(roster) as session:
        agent = get_member(session, slack_user_id=AGENT)
        assert agent is not None
        assert (call.agent_id, call.team_id) == (agent.id, agent.team_id)


def test_log_call_defaults_to_now_in_utc(roster: Engine) -> None:
    before = utcnow()
    log(roster)
    [call] = stored_calls(roster)
    assert call.called_at.tzinfo == UTC
    assert before <= call.called_at <= utcnow()


def test_log_call_strips_the_company(roster: Engine) -> None:
    log(
        roster,
        new=NewCall(company="  Acme  ", duration=timedelta(minutes=3), outcome=Outcome.CONTACT),
    )
    assert stored_calls(roster)[0].company == "Acme"


def test_the_same_slack_key_stores_one_call(roster: Engine) -> None:
    first = log(roster, key="command:T42")
    again = log(
        roster,
        key="command:T42",
        new=NewCall(company="Other", duration=timedelta(minutes=1), outcome=Outcome.LEAD),
    )

    assert not first.repeated
    assert again.repeated
    assert again.call.id == first.call.id
    assert again.call.company == "Acme Corp"
    assert again.today.dials == 1
    assert count_calls(roster) == 1


def hand_lead(
    engine: Engine, *, user: str = AGENT, at: datetime, source: str = "telemarketing"
) -> None:
    """A lead the agent detected, stored directly: what counts is its source and its detector."""
    with session_scope(engine) as session:
        member = get_member(session, slack_user_id=user)
        assert member is not None
        number = int(session.exec(select(func.count()).select_from(Lead)).one()) + 1
        session.add(
            Lead(
                team_id=member.team_id,
                number=number,
                source=source,
                detected_by_id=member.id,
                company="Acme Corp",
                summary="a project",
                currency="EUR",
                created_at=at,
                handed_at=at,
                slack_key=f"test:lead:{number}",
            )
        )
        session.commit()


def test_log_call_returns_the_day_so_far(roster: Engine) -> None:
    now = paris(2026, 3, 10, 10, 0)
    log(roster, new=acme(Outcome.CONTACT), now=now)
    log(roster, new=acme(Outcome.NO_ANSWER), now=now + timedelta(minutes=1))
    log(roster, user=AGENT_2, new=acme(Outcome.LEAD), now=now)
    hand_lead(roster, user=AGENT_2, at=now)
    hand_lead(roster, at=now + timedelta(minutes=1))
    third = log(roster, new=acme(Outcome.LEAD), now=now + timedelta(minutes=2))
    assert third.today == DayStats(dials=3, useful_contacts=2, leads=1)


OUT_OF_BOUNDS = (
    NewCall(company="  ", duration=timedelta(minutes=1), outcome=Outcome.CONTACT),
    NewCall(company="Acme", duration=timedelta(0), outcome=Outcome.CONTACT),
    NewCall(company="Acme", duration=timedelta(hours=8, seconds=1), outcome=Outcome.CONTACT),
    NewCall(
        company="Acme", duration=timedelta(minutes=1), outcome=Outcome.CONTACT, note="x" * 2001
    ),
    NewCall(company="A" * 201, duration=timedelta(minutes=1), outcome=Outcome.CONTACT),
    NewCall(company="Acme", duration=timedelta(minutes=1), outcome=Outcome.CONTACT, phone="1" * 41),
    NewCall(
        company="Acme",
        duration=timedelta(minutes=1),
        outcome=Outcome.CONTACT,
        contact_name="x" * 201,
    ),
)


def test_log_call_refuses_out_of_bounds_calls(roster: Engine) -> None:
    expected = [
        (CallProblem.COMPANY_MISSING, "company"),
        (CallProblem.DURATION_ZERO, "duration"),
        (CallProblem.DURATION_TOO_LONG, "duration"),
        (CallProblem.NOTE_TOO_LONG, "note"),
        (CallProblem.COMPANY_TOO_LONG, "company"),
        (CallProblem.PHONE_TOO_LONG, "phone"),
        (CallProblem.CONTACT_TOO_LONG, "contact"),
    ]
    for new, (problem, field) in zip(OUT_OF_BOUNDS, expected, strict=True):
        with pytest.raises(InvalidInput) as refused:
            log(roster, new=new)
        assert (refused.value.problem, refused.value.field) == (problem, field), new
    with pytest.raises(InvalidInput) as refused:
        log(roster, new=OUT_OF_BOUNDS[3])
    assert refused.value.facts == {"length": 2001, "limit": 2000}
    assert count_calls(roster) == 0


def test_the_limits_themselves_are_accepted(roster: Engine) -> None:
    log(
        roster,
        new=NewCall(
            company="A" * 200, duration=timedelta(hours=8), outcome=Outcome.CONTACT, note="n" * 2000
        ),
    )
    assert count_calls(roster) == 1


@pytest.mark.parametrize(
    ("who", "problem"),
    [
        ("unknown", PolicyProblem.NOT_ON_ROSTER),
        ("inactive", PolicyProblem.DEACTIVATED),
        ("sales engineer", PolicyProblem.ROLE_NEEDED),
        ("settings admin off the roster", PolicyProblem.NOT_ON_ROSTER),
    ],
)
def test_only_active_agents_log_calls(roster: Engine, who: str, problem: PolicyProblem) -> None:
    user = {
        "unknown": "U0NOBODY",
        "inactive": AGENT,
        "sales engineer": SALES_ENGINEER,
        "settings admin off the roster": SETTINGS_ADMIN,
    }[who]
    if who == "inactive":
        with session_scope(roster) as session:
            set_active(session, actor=TERMINAL, slack_user_id=AGENT, active=False)

    with pytest.raises(NotAllowed) as refused:
        log(roster, user=user)

    assert refused.value.problem == problem
    assert refused.value.facts["action"] == Action.CALL_LOG
    assert count_calls(roster) == 0


def test_a_deactivated_agent_keeps_their_calls_but_cannot_log_more(roster: Engine) -> None:
    log(roster, key="command:T7")
    with session_scope(roster) as session:
        set_active(session, actor=TERMINAL, slack_user_id=AGENT, active=False)
    with pytest.raises(NotAllowed):
        log(roster, key="command:T8")
    assert count_calls(roster) == 1


def test_an_admin_member_who_is_not_an_agent_may_log(roster: Engine) -> None:
    logged = log(roster, user=ADMIN, admins=frozenset())
    assert not logged.repeated
    assert count_calls(roster) == 1


def test_a_settings_admin_on_the_roster_may_log(roster: Engine) -> None:
    log(roster, user=SALES_ENGINEER, admins=frozenset({SALES_ENGINEER}))
    assert count_calls(roster) == 1


def test_a_member_given_the_agent_role_may_log(roster: Engine) -> None:
    with session_scope(roster) as session:
        set_roles(
            session,
            actor=TERMINAL,
            slack_user_id=SALES_ENGINEER,
            roles={Role.SALES_ENGINEER, Role.AGENT},
        )
    log(roster, user=SALES_ENGINEER)
    assert count_calls(roster) == 1


# --- the day's figures ------------------------------------------------------------------------


def test_useful_contacts_are_contact_callback_lead_and_not_interested() -> None:
    assert {
        Outcome.CONTACT,
        Outcome.CALLBACK,
        Outcome.LEAD,
        Outcome.NOT_INTERESTED,
    } == USEFUL_OUTCOMES
    assert set(Outcome) - USEFUL_OUTCOMES == {Outcome.NO_ANSWER, Outcome.WRONG_CONTACT}


def test_day_stats_counts_useful_contacts_leads_and_dials(roster: Engine) -> None:
    now = paris(2026, 3, 10, 9, 0)
    for minute, outcome in enumerate(Outcome):
        log(roster, new=acme(outcome), now=now + timedelta(minutes=minute))
    log(roster, new=acme(Outcome.LEAD), now=now + timedelta(minutes=30))
    hand_lead(roster, at=now + timedelta(minutes=31))
    hand_lead(roster, at=now + timedelta(minutes=32))
    hand_lead(roster, at=now + timedelta(minutes=33), source="seminar")  # not the agent's own

    assert stats(roster, AGENT, date(2026, 3, 10)) == DayStats(dials=7, useful_contacts=5, leads=2)
    assert stats(roster, AGENT_2, date(2026, 3, 10)) == DayStats(0, 0, 0)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 10),  # an ordinary day (CET, UTC+1)
        date(2026, 3, 29),  # clocks go forward at 02:00: a 23-hour day
        date(2026, 10, 25),  # clocks go back at 03:00: a 25-hour day
    ],
)
def test_day_stats_counts_the_team_local_day(roster: Engine, day: date) -> None:
    eve, next_day = day - timedelta(days=1), day + timedelta(days=1)
    placed = {
        "eve 23:30": (paris(eve.year, eve.month, eve.day, 23, 30), Outcome.NO_ANSWER),
        "day 00:30": (paris(day.year, day.month, day.day, 0, 30), Outcome.CONTACT),
        "day 23:30": (paris(day.year, day.month, day.day, 23, 30), Outcome.LEAD),
        "next 00:30": (paris(next_day.year, next_day.month, next_day.day, 0, 30), Outcome.CALLBACK),
    }
    for moment, outcome in placed.values():
        log(roster, new=acme(outcome), now=moment)
        if outcome == Outcome.LEAD:
            hand_lead(roster, at=moment)

    assert stats(roster, AGENT, day) == DayStats(dials=2, useful_contacts=2, leads=1)
    assert stats(roster, AGENT, eve).dials == 1
    assert stats(roster, AGENT, next_day).dials == 1


def test_day_stats_across_the_october_change_of_time(roster: Engine) -> None:
    # 2026-10-25 in Paris runs from 2026-10-24 22:00 UTC to 2026-10-25 23:00 UTC.
    utc = [
        datetime(2026, 10, 24, 21, 59, tzinfo=UTC),  # 23:59 CEST on the 24th
        datetime(2026, 10, 24, 22, 0, tzinfo=UTC),  # 00:00 CEST on the 25th
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 02:30 CEST
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 02:30 CET, the repeated hour
        datetime(2026, 10, 25, 22, 59, tzinfo=UTC),  # 23:59 CET
        datetime(2026, 10, 25, 23, 0, tzinfo=UTC),  # 00:00 CET on the 26th
    ]
    for moment in utc:
        log(roster, now=moment)
    assert stats(roster, AGENT, date(2026, 10, 25)).dials == 4
    assert stats(roster, AGENT, date(2026, 10, 24)).dials == 1
    assert stats(roster, AGENT, date(2026, 10, 26)).dials == 1


def test_day_stats_follows_the_team_time_zone(roster: Engine) -> None:
    from models.roster import TeamFields, update_team

    moment = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 on the 11th in Paris
    log(roster, now=moment)
    assert stats(roster, AGENT, date(2026, 3, 11)).dials == 1
    with session_scope(roster) as session:
        update_team(
            session, actor=TERMINAL, slug="fr", fields=TeamFields(timezone="America/New_York")
        )
    assert stats(roster, AGENT, date(2026, 3, 10)).dials == 1
    assert stats(roster, AGENT, date(2026, 3, 11)).dials == 0


def test_day_stats_excludes_undone_calls(roster: Engine) -> None:
    now = utcnow()
    kept = log(roster, new=acme(Outcome.CONTACT), now=now)
    taken_back = log(roster, new=acme(Outcome.CONTACT), now=now)
    undo(roster, taken_back.call.id or 0, now=now + timedelta(minutes=1))

    today = now.astimezone(PARIS).date()
    assert stats(roster, AGENT, today) == DayStats(dials=1, useful_contacts=1, leads=0)
    again = log(roster, key=kept.call.slack_key, now=now)
    assert again.repeated
    assert again.today == DayStats(dials=1, useful_contacts=1, leads=0)


# --- undo -------------------------------------------------------------------------------------


def test_undo_within_ten_minutes_works_once(roster: Engine) -> None:
    logged_at = utcnow()
    call_id = log(roster, now=logged_at).call.id or 0

    first = undo(roster, call_id, now=logged_at + UNDO_WINDOW - timedelta(seconds=1))
    second = undo(roster, call_id, now=logged_at + UNDO_WINDOW - timedelta(milliseconds=500))

    assert not first.repeated
    assert first.lead_number is None
    assert first.call.undone_at == logged_at + UNDO_WINDOW - timedelta(seconds=1)
    assert second.repeated
    assert second.call.undone_at == first.call.undone_at
    late = undo(roster, call_id, now=logged_at + timedelta(hours=1))
    assert late.repeated  # a late repeat of a done undo is not "too late"
    assert late.call.undone_at == first.call.undone_at
    [call] = stored_calls(roster)
    assert call.undone_at == first.call.undone_at
    assert call.undone_at is not None and call.undone_at.tzinfo == UTC


def test_undo_after_ten_minutes_is_a_conflict(roster: Engine) -> None:
    logged_at = utcnow()
    call_id = log(roster, now=logged_at).call.id or 0

    with pytest.raises(Conflict) as refused:
        undo(roster, call_id, now=logged_at + UNDO_WINDOW + timedelta(seconds=1))
    assert refused.value.problem == CallProblem.UNDO_TOO_LATE
    assert refused.value.facts["window_minutes"] == 10
    assert stored_calls(roster)[0].undone_at is None


def test_an_expired_undo_stays_refused_after_a_repeat(roster: Engine) -> None:
    logged_at = utcnow()
    call_id = log(roster, now=logged_at).call.id or 0
    for _ in range(2):
        with pytest.raises(Conflict):
            undo(roster, call_id, now=logged_at + timedelta(minutes=11))


def test_another_agent_cannot_undo(roster: Engine) -> None:
    call_id = log(roster).call.id or 0
    with pytest.raises(NotAllowed) as refused:
        undo(roster, call_id, user=AGENT_2)
    assert refused.value.problem == PolicyProblem.ROLE_NEEDED
    assert refused.value.facts["relations"] == [Relation.AUTHOR]
    assert stored_calls(roster)[0].undone_at is None


def test_a_settings_admin_may_undo(roster: Engine) -> None:
    call_id = log(roster).call.id or 0
    done = undo(roster, call_id, user=SETTINGS_ADMIN)
    assert not done.repeated
    assert stored_calls(roster)[0].undone_at is not None


def test_an_admin_member_may_undo(roster: Engine) -> None:
    call_id = log(roster).call.id or 0
    assert not undo(roster, call_id, user=ADMIN).repeated
    assert stored_calls(roster)[0].undone_at is not None


def test_undo_of_an_unknown_call_is_not_found(roster: Engine) -> None:
    with pytest.raises(NotFound):
        undo(roster, 999_999)


def test_twenty_simultaneous_undos_have_one_effect(roster: Engine) -> None:
    if roster.dialect.name != "postgresql":
        pytest.skip("concurrent conditional UPDATEs are checked on PostgreSQL")
    call_id = log(roster).call.id or 0
    start = threading.Barrier(20)
    results: list[UndoneCall] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def press() -> None:
        start.wait(timeout=10)
        try:
            outcome = undo(roster, call_id)
        except BaseException as exc:  # reported below
            with lock:
                errors.append(exc)
            return
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=press) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(results) == 20
    assert sum(not r.repeated for r in results) == 1
    assert len({r.call.undone_at for r in results}) == 1
    [call] = stored_calls(roster)
    assert call.undone_at == results[0].call.undone_at
