"""Monthly statements: hand-computed penalties and cap, issued once, contests and adjustments,
the trend and the termination trigger, fee less penalties, and the rebuild check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from models.actors import TERMINAL
from models.audits import audit_sample, record_audit
from models.complaints import Category, lodge_complaint
from models.db import session_scope
from models.errors import Conflict, NotAllowed, NotFound
from models.statements import (
    ContestStatus,
    LineState,
    StatementFacts,
    StatementProblem,
    contest_line,
    decide_contest,
    fee_less_penalties,
    issue_statement,
    statement_of,
    verify_statement,
)
from models.tables import Statement, StatementLine
from tests.sla_world import (
    AMY,
    CAP,
    MONA,
    PRIYA,
    SAM,
    actor,
    add_call,
    london,
    october,
    seed_uk,
    team,
)

OCTOBER, NOVEMBER, DECEMBER = date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)
ISSUED = london(2026, 11, 3, 9, 0)  # Tuesday, the 2nd working day of November


@pytest.fixture
def uk(engine: Engine) -> Engine:
    """October as in tests.sla_world, plus one complaint and two audits (5 of 8 items)."""
    seed_uk(engine)
    recorded = october(engine)
    with session_scope(engine) as session:
        lodge_complaint(
            session,
            actor=actor(engine, SAM),
            category=Category.DATA_MISSING,
            comment="no contact person",
            request_key="c1",
            lead_id=recorded.leads["amy-2"],
            now=london(2026, 10, 12, 9, 0),
        )
    with session_scope(engine) as session:
        sample = audit_sample(
            session, actor=TERMINAL, team_slug="uk", month=OCTOBER, now=ISSUED
        ).calls
    for key, sampled, answers in (
        ("a1", sample[0], [True, True, False, True]),
        ("a2", sample[-1], [True, False, False, True]),
    ):
        with session_scope(engine) as session:
            record_audit(
                session,
                actor=actor(engine, MONA),
                call_id=sampled.pick.call_id,
                answers=answers,
                request_key=key,
                now=ISSUED,
            )
    return engine


def issue(engine: Engine, month: date = OCTOBER, now=ISSUED) -> StatementFacts:
    with session_scope(engine) as session:
        return issue_statement(
            session, actor=TERMINAL, team_id=team(session).id or 0, month=month, now=now
        )


def show(engine: Engine, month: date = OCTOBER, user: str = MONA, now=ISSUED) -> StatementFacts:
    with session_scope(engine) as session:
        return statement_of(
            session, actor=actor(engine, user), team_slug="uk", month=month, now=now
        )


def lines(facts: StatementFacts) -> dict[str, tuple[object, ...]]:
    return {
        line.key: (line.measured, line.state, line.breaches, line.penalty) for line in facts.lines
    }


def test_october_is_judged_line_by_line_and_capped(uk: Engine) -> None:
    draft = show(uk)
    assert draft.draft and draft.cap == CAP
    assert lines(draft) == {
        # 0.6 a day against 30: 25 % of the 2 160 at risk.
        "contacts": (Decimal("0.6"), LineState.MISSED, 1, Decimal("540.00")),
        # Amy 0.5 and Ben 0.2 a day against 8 each: two breaches of 150.
        "agent-contacts": (Decimal("0.2"), LineState.MISSED, 2, Decimal("300.00")),
        "lead-rate": (Decimal("0.214"), LineState.MET, 0, Decimal("0.00")),
        "acceptance": (Decimal("0.5"), LineState.MET, 0, Decimal("0.00")),  # 50 % is at least 50 %
        "complete-data": (Decimal("0.667"), LineState.MISSED, 1, Decimal("300.00")),
        "callbacks": (None, LineState.NOT_MEASURED, 0, Decimal("0.00")),
        "complaints": (Decimal("33.3"), LineState.MISSED, 1, Decimal("500.00")),
        "audit": (Decimal("0.625"), LineState.MISSED, 1, Decimal("648.00")),
    }
    assert draft.penalties_before_cap == Decimal("2288.00")
    assert draft.penalties_after_cap == CAP
    assert draft.fee_less_penalties == Decimal("15840.00")
    assert (draft.complaints.lodged, draft.audits_done, draft.audit_items_met) == (1, 2, 5)
    assert draft.working_days == 22
    per_agent = {a.person.user_id: (a.value, a.met) for a in draft.lines[1].agents}
    assert per_agent[AMY] == (Decimal("0.5"), False)


def test_a_statement_is_issued_once_and_read_back_as_stored(uk: Engine) -> None:
    first = issue(uk)
    again = issue(uk, now=london(2026, 11, 3, 9, 5))
    assert not first.draft and again.repeated and again.issued_at == first.issued_at
    assert lines(again) == lines(first)
    assert first.contest_until == london(2026, 11, 11, 0, 0)  # 5 working days after Tuesday
    with session_scope(uk) as session:
        assert session.exec(select(func.count()).select_from(Statement)).one() == 1
        assert session.exec(select(func.count()).select_from(StatementLine)).one() == 8
    # A late-logged October call changes the draft figures, never the issued statement.
    with session_scope(uk) as session:
        for day in range(1, 30):
            add_call(session, AMY, london(2026, 10, day, 15, 0))
    assert lines(show(uk)) == lines(first)
    with session_scope(uk) as session:
        stored, differences = verify_statement(
            session, actor=TERMINAL, team_slug="uk", month=OCTOBER, now=ISSUED
        )
    found = {(d.what, d.key): (d.stored, d.rebuilt) for d in differences}
    assert found[("measured", "contacts")] == ("0.6", "2.0")  # 43 useful contacts / 22 = 1.95
    assert stored.penalties_after_cap == CAP


def test_a_rebuild_of_an_unchanged_month_matches(uk: Engine) -> None:
    issue(uk)
    with session_scope(uk) as session:
        _, differences = verify_statement(
            session, actor=TERMINAL, team_slug="uk", month=OCTOBER, now=ISSUED
        )
    assert differences == []


def test_a_month_not_over_is_not_issued(uk: Engine) -> None:
    with pytest.raises(Conflict) as refused:
        issue(uk, now=london(2026, 10, 31, 23, 0))
    assert refused.value.problem is StatementProblem.MONTH_NOT_OVER


def contest(engine: Engine, key: str, *, now=ISSUED, request: str = "r1", user: str = PRIYA):
    with session_scope(engine) as session:
        return contest_line(
            session,
            actor=actor(engine, user),
            team_slug="uk",
            month=OCTOBER,
            key=key,
            reason="two complaints were about the same lead",
            request_key=request,
            now=now,
        )


def decide(engine: Engine, key: str, *, withdraw: bool, user: str = MONA):
    with session_scope(engine) as session:
        return decide_contest(
            session,
            actor=actor(engine, user),
            team_slug="uk",
            month=OCTOBER,
            key=key,
            withdraw=withdraw,
            now=london(2026, 11, 6, 9, 0),
        )


def test_contests_within_the_deadline_and_their_adjustment_next_month(uk: Engine) -> None:
    with pytest.raises(Conflict) as early:
        contest(uk, "complaints")
    assert early.value.problem is StatementProblem.NOT_ISSUED
    issue(uk)
    lodged = contest(uk, "complaints")
    assert lodged.status is ContestStatus.OPEN
    assert contest(uk, "complaints").repeated
    with pytest.raises(Conflict) as twice:
        contest(uk, "complaints", request="r2")
    assert twice.value.problem is StatementProblem.ALREADY_CONTESTED
    contest(uk, "audit", request="r3")
    withdrawn = decide(uk, "complaints", withdraw=True)
    assert withdrawn.status is ContestStatus.WITHDRAWN
    assert decide(uk, "audit", withdraw=False).status is ContestStatus.UPHELD
    with pytest.raises(Conflict) as decided:
        decide(uk, "audit", withdraw=True)
    assert decided.value.problem is StatementProblem.CONTEST_DECIDED
    # October as sent is unchanged; the line shows its contest.
    october_again = show(uk)
    assert october_again.penalties_after_cap == CAP
    assert october_again.lines[6].contest is not None
    assert october_again.lines[6].contest.status is ContestStatus.WITHDRAWN
    # November carries the credit: without the 500 line October's penalties are 1 788,
    # under the cap, so the withdrawal gave back 2 160 - 1 788 = 372.
    november = issue(uk, NOVEMBER, london(2026, 12, 2, 9, 0))
    (credit,) = november.adjustment_lines
    assert (credit.key, credit.refers_month, credit.penalty) == (
        "complaints",
        OCTOBER,
        Decimal("-372.00"),
    )
    assert november.adjustments == Decimal("-372.00")
    # November has one call of Amy's (1 Nov 00:30) and no lead: contacts (0.0 a day, 540),
    # Amy's contacts (150) and the lead rate (0 %, 540) are missed; the rest has no data.
    assert november.penalties_after_cap == Decimal("1230.00")
    assert november.fee_less_penalties == Decimal("17142.00")  # 18 000 - (1 230 - 372)
    # The credit is given once.
    december = issue(uk, DECEMBER, london(2027, 1, 5, 9, 0))
    assert december.adjustment_lines == ()


def test_contests_after_the_deadline_on_met_lines_or_unknown_lines_are_refused(
    uk: Engine,
) -> None:
    issue(uk)
    with pytest.raises(Conflict) as late:
        contest(uk, "complaints", now=london(2026, 11, 11, 0, 1))
    assert late.value.problem is StatementProblem.CONTEST_TOO_LATE
    assert late.value.facts["deadline"] == london(2026, 11, 11, 0, 0)
    with pytest.raises(Conflict) as met:
        contest(uk, "lead-rate")
    assert met.value.problem is StatementProblem.LINE_NOT_CONTESTABLE
    with pytest.raises(NotFound) as unknown:
        contest(uk, "lead_rate")
    assert unknown.value.problem is StatementProblem.LINE_NOT_FOUND
    assert "lead-rate" in unknown.value.facts["keys"]


def test_only_the_provider_contests_and_only_managers_decide(uk: Engine) -> None:
    issue(uk)
    for user in (MONA, SAM):
        with pytest.raises(NotAllowed):
            contest(uk, "complaints", user=user, request=f"by-{user}")
    contest(uk, "complaints")
    for user in (PRIYA, SAM):
        with pytest.raises(NotAllowed):
            decide(uk, "complaints", withdraw=True, user=user)


def test_statements_are_for_managers_admins_and_the_provider(uk: Engine) -> None:
    assert show(uk, user=PRIYA).lines
    with pytest.raises(NotAllowed):
        show(uk, user=SAM)


def test_trend_and_termination_over_three_months(uk: Engine) -> None:
    issue(uk)
    issue(uk, NOVEMBER, london(2026, 12, 2, 9, 0))
    december = show(uk, DECEMBER, now=london(2027, 1, 5, 9, 0))
    contacts = next(t for t in december.trend if t.key == "contacts")
    assert [p.month for p in contacts.points] == [OCTOBER, NOVEMBER, DECEMBER]
    assert [p.value for p in contacts.points] == [Decimal("0.6"), Decimal("0.0"), Decimal("0.0")]
    # contacts missed October, November and December: the trigger (3 months) is reached.
    termination = december.termination
    assert (termination.missed_key, termination.missed_run) == ("contacts", 3)
    assert termination.reached
    # Penalties over 10 % of the fee (1 800) only in October: no run of two months.
    assert termination.share_run == 0
    november = show(uk, NOVEMBER)
    assert november.termination.missed_run == 2 and not november.termination.reached


def test_a_withdrawn_line_breaks_the_run_of_misses(uk: Engine) -> None:
    issue(uk)
    for number, key in enumerate(("contacts", "agent-contacts")):
        contest(uk, key, request=f"r{number}")
        decide(uk, key, withdraw=True)
    november = show(uk, NOVEMBER, now=london(2026, 12, 2, 9, 0))
    assert (november.termination.missed_key, november.termination.missed_run) == ("contacts", 1)


def test_fee_less_penalties_for_the_cost_report(uk: Engine) -> None:
    with session_scope(uk) as session:
        team_id = team(session).id or 0
        draft = fee_less_penalties(session, actor=actor(uk, MONA), team_id=team_id, month=OCTOBER)
    assert draft is not None and not draft.issued and draft.net == Decimal("15840.00")
    issue(uk)
    with session_scope(uk) as session:
        issued = fee_less_penalties(session, actor=TERMINAL, team_id=team_id, month=OCTOBER)
        before = fee_less_penalties(
            session, actor=TERMINAL, team_id=team_id, month=date(2026, 9, 1)
        )
        with pytest.raises(NotAllowed):  # no internal costs for the provider
            fee_less_penalties(session, actor=actor(uk, PRIYA), team_id=team_id, month=OCTOBER)
    assert issued is not None and issued.issued
    assert (issued.fee, issued.penalties, issued.net) == (
        Decimal("18000.00"),
        CAP,
        Decimal("15840.00"),
    )
    assert before is None
