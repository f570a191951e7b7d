"""Complaints: lodged on a lead or a call, answered by the provider within working days,
accepted or disputed by the complainant; refusals as problem codes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine

from models.complaints import (
    Category,
    ComplaintProblem,
    ComplaintStatus,
    answer_complaint,
    complaint_counts,
    list_complaints,
    lodge_complaint,
    settle_complaint,
    show_complaint,
)
from models.contracts import ContractProblem
from models.db import session_scope
from models.errors import Conflict, InvalidInput, NotAllowed
from models.periods import month_bounds
from models.policy import PolicyProblem
from tests.conftest import AGENT, SALES_ENGINEER
from tests.sla_world import (
    AMY,
    BEN,
    LONDON,
    MONA,
    PRIYA,
    SAM,
    actor,
    add_call,
    add_lead,
    london,
    seed_uk,
    team,
)


@pytest.fixture
def uk(roster: Engine) -> Engine:
    seed_uk(roster)
    return roster


def a_lead(engine: Engine, *, slug: str = "uk", user: str = AMY) -> int:
    with session_scope(engine) as session:
        return add_lead(session, user, london(2026, 10, 5, 12, 0), slug=slug)


def lodge(engine: Engine, lead_id: int, *, user: str = SAM, key: str = "k1", **kw: object):
    with session_scope(engine) as session:
        return lodge_complaint(
            session,
            actor=actor(engine, user),
            category=Category.WRONG_CONTACT,
            comment=kw.pop("comment", "the contact left the company in 2024"),  # type: ignore[arg-type]
            request_key=key,
            lead_id=lead_id,
            now=kw.pop("now", london(2026, 10, 9, 16, 0)),  # type: ignore[arg-type]
            **kw,  # type: ignore[arg-type]
        )


def answer(engine: Engine, number: int, *, user: str = PRIYA, now: datetime | None = None):
    with session_scope(engine) as session:
        return answer_complaint(
            session,
            actor=actor(engine, user),
            team_id=team(session).id or 0,
            number=number,
            answer="we called again: the new buyer is Jo Bloggs",
            now=now or london(2026, 10, 12, 10, 0),
        )


def settle(engine: Engine, number: int, *, accept: bool, user: str = SAM, note: str | None = None):
    with session_scope(engine) as session:
        return settle_complaint(
            session,
            actor=actor(engine, user),
            team_id=team(session).id or 0,
            number=number,
            accept=accept,
            note=note,
            now=london(2026, 10, 13, 10, 0),
        )


def test_a_complaint_gets_a_number_and_a_deadline_in_working_days(uk: Engine) -> None:
    lead = a_lead(uk)
    # Friday 9 October 16:00; 3 working days: Mon 12, Tue 13, Wed 14: due at Wednesday's end.
    first = lodge(uk, lead)
    second = lodge(uk, lead, key="k2")
    assert (first.number, second.number) == (1, 2)
    assert first.answer_due_at == datetime(2026, 10, 14, 23, 0, tzinfo=UTC)  # midnight BST
    assert first.status is ComplaintStatus.OPEN
    assert first.agent.user_id == AMY and first.company == "Acme Ltd"
    assert [step.kind for step in first.history] == ["lodged"]


def test_a_repeated_request_lodges_nothing_more(uk: Engine) -> None:
    lead = a_lead(uk)
    first = lodge(uk, lead)
    again = lodge(uk, lead)
    assert again.repeated and again.number == first.number
    with session_scope(uk) as session:
        listed = list_complaints(session, actor=actor(uk, MONA), team_id=team(session).id or 0)
    assert len(listed) == 1


def test_the_deadline_skips_bank_holidays(uk: Engine) -> None:
    lead = a_lead(uk)
    # Wednesday 23 December 2026: Thu 24, then Christmas (Fri 25) and Boxing Day (Mon 28)
    # are off, so 3 working days are Thu 24, Tue 29, Wed 30.
    lodged = lodge(uk, lead, now=london(2026, 12, 23, 10, 0))
    assert lodged.answer_due_at == datetime(2026, 12, 31, 0, 0, tzinfo=UTC)


def test_the_provider_answers_and_the_complainant_accepts_or_disputes(uk: Engine) -> None:
    lead = a_lead(uk)
    lodge(uk, lead)
    lodge(uk, lead, key="k2")
    answered = answer(uk, 1)
    assert answered.status is ComplaintStatus.ANSWERED and not answered.answered_late
    assert answer(uk, 1).repeated
    accepted = settle(uk, 1, accept=True)
    assert accepted.status is ComplaintStatus.ACCEPTED
    assert [s.kind for s in accepted.history] == ["lodged", "answered", "accepted"]
    answer(uk, 2)
    with pytest.raises(InvalidInput) as no_reason:
        settle(uk, 2, accept=False)
    assert no_reason.value.problem is ComplaintProblem.REASON_MISSING
    disputed = settle(uk, 2, accept=False, user=MONA, note="Jo Bloggs is not the buyer either")
    assert disputed.status is ComplaintStatus.DISPUTED
    assert disputed.settlement_note == "Jo Bloggs is not the buyer either"
    with pytest.raises(Conflict) as twice:
        settle(uk, 2, accept=True)
    assert twice.value.problem is ComplaintProblem.ALREADY_SETTLED


def test_settling_needs_an_answer_first(uk: Engine) -> None:
    lodge(uk, a_lead(uk))
    with pytest.raises(Conflict) as refused:
        settle(uk, 1, accept=True)
    assert refused.value.problem is ComplaintProblem.NOT_ANSWERED


def test_answers_by_someone_who_is_not_the_provider_are_refused(uk: Engine) -> None:
    lodge(uk, a_lead(uk))
    for user in (SAM, MONA):
        with pytest.raises(NotAllowed) as refused:
            answer(uk, 1, user=user)
        assert refused.value.problem is PolicyProblem.ROLE_NEEDED
    assert show_status(uk, 1) is ComplaintStatus.OPEN


def show_status(engine: Engine, number: int) -> ComplaintStatus:
    with session_scope(engine) as session:
        return show_complaint(
            session, actor=actor(engine, MONA), team_id=team(session).id or 0, number=number
        ).status


def test_complaints_on_another_team_s_lead_are_refused(uk: Engine) -> None:
    french_lead = a_lead(uk, slug="fr", user=AGENT)
    with pytest.raises(NotAllowed) as refused:
        lodge(uk, french_lead)
    assert refused.value.problem is PolicyProblem.OTHER_TEAM
    # And a sales engineer of the in-house team: refused because that team is not outsourced.
    with pytest.raises(Conflict) as in_house:
        lodge(uk, french_lead, user=SALES_ENGINEER)
    assert in_house.value.problem is ContractProblem.NOT_OUTSOURCED


def test_agents_of_the_provider_cannot_lodge(uk: Engine) -> None:
    with pytest.raises(NotAllowed):
        lodge(uk, a_lead(uk), user=BEN)


def test_a_complaint_on_a_call_and_on_an_undone_call(uk: Engine) -> None:
    with session_scope(uk) as session:
        call = add_call(session, BEN, london(2026, 10, 9, 11, 0), "contact")
        undone = add_call(session, BEN, london(2026, 10, 9, 12, 0), "contact", undone=True)
    with session_scope(uk) as session:
        lodged = lodge_complaint(
            session,
            actor=actor(uk, SAM),
            category=Category.POOR_CALL,
            comment="the agent read the script word for word",
            request_key="call-1",
            call_id=call,
            now=london(2026, 10, 9, 16, 0),
        )
    assert lodged.call_id == call and lodged.agent.user_id == BEN
    with session_scope(uk) as session, pytest.raises(Conflict) as refused:
        lodge_complaint(
            session,
            actor=actor(uk, SAM),
            category=Category.POOR_CALL,
            comment="never happened",
            request_key="call-2",
            call_id=undone,
            now=london(2026, 10, 9, 16, 0),
        )
    assert refused.value.problem is ComplaintProblem.CALL_UNDONE


def test_empty_and_long_comments_are_refused(uk: Engine) -> None:
    lead = a_lead(uk)
    with pytest.raises(InvalidInput) as empty:
        lodge(uk, lead, comment="  ")
    assert empty.value.problem is ComplaintProblem.COMMENT_MISSING
    with pytest.raises(InvalidInput) as long:
        lodge(uk, lead, comment="x" * 1001)
    assert long.value.problem is ComplaintProblem.TEXT_TOO_LONG
    assert long.value.facts == {"length": 1001, "limit": 1000}


def test_counts_lodged_late_and_disputed_in_a_month(uk: Engine) -> None:
    lead = a_lead(uk)
    lodge(uk, lead, key="a", now=london(2026, 10, 1, 10, 0))  # due end of Tue 6 Oct
    lodge(uk, lead, key="b", now=london(2026, 10, 26, 10, 0))  # due end of Thu 29 Oct
    lodge(uk, lead, key="c", now=london(2026, 10, 29, 10, 0))  # due in November
    answer(uk, 1, now=london(2026, 10, 7, 9, 0))  # late
    answer(uk, 3, now=london(2026, 10, 29, 11, 0))
    settle(uk, 3, accept=False, note="still wrong")
    # Complaint 2 is never answered: late once its deadline passed.
    with session_scope(uk) as session:
        start, end = month_bounds(LONDON, date(2026, 10, 1))
        counts = complaint_counts(
            session.connection(), team_id=team(session).id or 0, start=start, end=end
        )
    assert (counts.lodged, counts.late, counts.disputed) == (3, 2, 1)
