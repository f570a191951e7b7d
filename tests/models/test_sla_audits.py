"""Audit samples: reproducible from the month, the team and the stored seed; audits only of
sampled calls whose window is over."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models.audits import (
    AuditProblem,
    audit_sample,
    draw,
    next_audit,
    rank_key,
    record_audit,
    windows,
)
from models.db import session_scope
from models.errors import Conflict, InvalidInput, NotAllowed
from models.sla_metrics import Metric, measure_month
from models.tables import Call, Contract
from tests.sla_world import AMY, BEN, MONA, SAM, actor, london, member_id, october, seed_uk, team

OCTOBER = date(2026, 10, 1)
AFTER_OCTOBER = london(2026, 11, 2, 9, 0)


@pytest.fixture
def uk(engine: Engine) -> Engine:
    seed_uk(engine)
    return engine


def test_a_month_is_cut_into_as_many_windows_as_calls_per_agent() -> None:
    assert windows(OCTOBER, 5) == [
        (date(2026, 10, 1), date(2026, 10, 6)),
        (date(2026, 10, 7), date(2026, 10, 12)),
        (date(2026, 10, 13), date(2026, 10, 18)),
        (date(2026, 10, 19), date(2026, 10, 24)),
        (date(2026, 10, 25), date(2026, 10, 31)),
    ]
    assert windows(date(2026, 2, 1), 1) == [(date(2026, 2, 1), date(2026, 2, 28))]


def expected_picks(engine: Engine, seed: str) -> set[int]:
    """By the definition: per agent and window, the useful call with the lowest rank key."""
    cuts = windows(OCTOBER, 5)
    best: dict[tuple[int, int], tuple[str, int]] = {}
    with session_scope(engine) as session:
        team_id = team(session).id or 0
        for call in session.exec(select(Call).where(Call.team_id == team_id)):
            day = call.called_at.astimezone(london(2026, 10, 1).tzinfo).date()
            if call.undone_at or call.outcome in ("no-answer", "wrong-contact"):
                continue
            if day.month != 10:
                continue
            window = next(i for i, (a, b) in enumerate(cuts) if a <= day <= b)
            rank = rank_key(seed, team_id, OCTOBER, call.id or 0)
            key = (call.agent_id, window)
            best[key] = min(best.get(key, (rank, call.id or 0)), (rank, call.id or 0))
    return {call_id for _, call_id in best.values()}


def sample_ids(engine: Engine, *, seed: str | None = None) -> list[int]:
    with session_scope(engine) as session:
        uk = team(session)
        stored = session.exec(select(Contract).where(Contract.team_id == uk.id)).one()
        picks = draw(
            session.connection(),
            team_id=uk.id or 0,
            timezone=uk.timezone,
            seed=seed or stored.audit_seed,
            month=OCTOBER,
            calls_per_agent=5,
        )
    return [p.call_id for p in picks]


def test_the_sample_is_reproducible_from_the_seed(uk: Engine) -> None:
    october(uk)
    with session_scope(uk) as session:
        seed = session.exec(select(Contract.audit_seed)).one()
    picks = sample_ids(uk)
    # Amy called in windows 1 and 2, Ben in windows 3, 4 and 5: five picks.
    assert len(picks) == 5
    assert set(picks) == expected_picks(uk, seed)
    assert sample_ids(uk) == picks
    others = [sample_ids(uk, seed=f"another seed {n}") for n in range(5)]
    assert any(other != picks for other in others)


def test_the_sample_lists_progress_and_the_windows_still_open(uk: Engine) -> None:
    october(uk)
    with session_scope(uk) as session:
        mid_month = audit_sample(
            session, actor=actor(uk, MONA), team_slug="uk", month=OCTOBER, now=london(2026, 10, 20)
        )
    assert [c.final for c in mid_month.calls] == [True, True, True, False, False]
    assert mid_month.audited == 0 and mid_month.checklist[0] == "presented the company"


def audit(engine: Engine, call_id: int, answers: list[bool], *, key: str, user: str = MONA):
    with session_scope(engine) as session:
        return record_audit(
            session,
            actor=actor(engine, user),
            call_id=call_id,
            answers=answers,
            request_key=key,
            note="clear opening",
            now=AFTER_OCTOBER,
        )


def test_next_audit_walks_the_sample_oldest_first(uk: Engine) -> None:
    october(uk)
    with session_scope(uk) as session:
        task = next_audit(
            session, actor=actor(uk, MONA), team_id=team(session).id or 0, now=AFTER_OCTOBER
        )
    assert task is not None
    assert task.remaining == 4 and task.month == OCTOBER and task.agent.user_id == AMY
    assert task.note == "spoke to the buyer" and len(task.checklist) == 4
    audited = audit(uk, task.call_id, [True, True, False, True], key="a1")
    assert (audited.items_met, audited.score) == (3, Decimal("0.75"))
    with session_scope(uk) as session:
        following = next_audit(
            session, actor=actor(uk, MONA), team_id=team(session).id or 0, now=AFTER_OCTOBER
        )
    assert following is not None and following.call_id != task.call_id
    assert following.remaining == 3


def test_audits_refused_outside_the_sample_twice_or_with_the_wrong_answers(uk: Engine) -> None:
    recorded = october(uk)
    picks = sample_ids(uk)
    outside = next(c for c in recorded.amy_calls[:10] if c not in picks)
    with pytest.raises(Conflict) as refused:
        audit(uk, outside, [True] * 4, key="x")
    assert refused.value.problem is AuditProblem.NOT_IN_SAMPLE
    assert refused.value.facts["month"] == OCTOBER
    with pytest.raises(InvalidInput) as wrong:
        audit(uk, picks[0], [True] * 3, key="y")
    assert wrong.value.problem is AuditProblem.ANSWERS_MISMATCH
    assert wrong.value.facts == {"given": 3, "expected": 4}
    audit(uk, picks[0], [True] * 4, key="z")
    assert audit(uk, picks[0], [True] * 4, key="z").repeated
    with pytest.raises(Conflict) as twice:
        audit(uk, picks[0], [False] * 4, key="z2")
    assert twice.value.problem is AuditProblem.ALREADY_AUDITED


def test_a_pick_of_a_window_still_open_cannot_be_audited_yet(uk: Engine) -> None:
    october(uk)
    with session_scope(uk) as session:
        open_pick = audit_sample(
            session, actor=actor(uk, MONA), team_slug="uk", month=OCTOBER, now=london(2026, 10, 20)
        ).calls[-1]
    with session_scope(uk) as session, pytest.raises(Conflict) as refused:
        record_audit(
            session,
            actor=actor(uk, MONA),
            call_id=open_pick.pick.call_id,
            answers=[True] * 4,
            request_key="early",
            now=london(2026, 10, 20),
        )
    assert refused.value.problem is AuditProblem.NOT_IN_SAMPLE
    assert refused.value.facts["closes_at"] == open_pick.pick.closes_at


def test_only_managers_and_admins_audit(uk: Engine) -> None:
    october(uk)
    for user in (SAM, AMY):
        with pytest.raises(NotAllowed):
            audit(uk, sample_ids(uk)[0], [True] * 4, key=f"by-{user}", user=user)


def test_the_audit_score_is_items_met_over_items_checked(uk: Engine) -> None:
    october(uk)
    picks = sample_ids(uk)
    audit(uk, picks[0], [True, True, False, True], key="a")
    audit(uk, picks[-1], [True, False, False, True], key="b")
    with session_scope(uk) as session:
        measures = measure_month(
            session.connection(),
            team_id=team(session).id or 0,
            timezone="Europe/London",
            month=OCTOBER,
        )
        amy = member_id(session, AMY)
        ben = member_id(session, BEN)
    assert measures.cell[Metric.AUDIT_SCORE].value == Decimal("0.625")
    scores = {a.person.member_id: a.measures[Metric.AUDIT_SCORE].value for a in measures.agents}
    assert scores == {amy: Decimal("0.750"), ben: Decimal("0.500")}
    assert measures.counts.audits == 2


def test_calls_logged_later_do_not_change_a_closed_window(uk: Engine) -> None:
    recorded = october(uk)
    before = sample_ids(uk)
    from tests.sla_world import add_call

    with session_scope(uk) as session:  # a new call in the last window only
        add_call(session, BEN, london(2026, 10, 30, 10, 0) + timedelta(minutes=5))
    after = sample_ids(uk)
    assert after[:4] == before[:4]
    assert recorded.ben_calls
