"""Monthly costs, splits, imports: money in Decimal, who may record and read them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from models.actors import TERMINAL
from models.cost_queries import list_costs, month_costs
from models.costs import (
    CostLine,
    CostProblem,
    cost_list,
    import_costs,
    set_cost,
    set_split,
)
from models.db import session_scope
from models.errors import InvalidInput, NotAllowed
from models.events import create_event
from models.leads import Source
from models.money import MoneyProblem
from models.periods import month_bounds
from models.policy import PolicyProblem
from models.roster import TeamFields, create_team, get_team
from models.tables import CostSplit, MonthlyCost
from tests.conftest import ADMIN, AGENT, SALES_ENGINEER, SETTINGS_ADMIN, actor_of

OCTOBER = date(2026, 10, 1)


def fr_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        return get_team(session, slug="fr").id or 0


def add_uk(engine: Engine) -> int:
    with session_scope(engine) as session:
        team = create_team(
            session,
            actor=TERMINAL,
            slug="uk",
            fields=TeamFields(name="Britain", timezone="Europe/London", currency="GBP"),
        )
        return team.id


def stored(engine: Engine) -> list[tuple[int, date, str, Decimal, str]]:
    with session_scope(engine) as session:
        rows = session.exec(
            select(MonthlyCost).order_by(MonthlyCost.team_id, MonthlyCost.month, MonthlyCost.source)
        ).all()
        return [(r.team_id, r.month, r.source, r.amount, r.currency) for r in rows]


def splits(engine: Engine, team_id: int, month: date) -> dict[str, Decimal]:
    with session_scope(engine) as session:
        rows = session.exec(
            select(CostSplit).where(CostSplit.team_id == team_id, CostSplit.month == month)
        ).all()
        return {r.source: r.percent for r in rows}


def test_month_bounds_are_local_and_dst_safe() -> None:
    from zoneinfo import ZoneInfo

    start, end = month_bounds(ZoneInfo("Europe/Paris"), OCTOBER)
    assert start.isoformat() == "2026-10-01T00:00:00+02:00"
    assert end.isoformat() == "2026-11-01T00:00:00+01:00"


# --- recording ---------------------------------------------------------------------------------


def test_set_cost_inserts_then_replaces_in_the_team_currency(roster: Engine) -> None:
    fr, uk = fr_id(roster), add_uk(roster)
    with session_scope(roster) as session:
        first = set_cost(
            session,
            actor=TERMINAL,
            team_id=fr,
            month=date(2026, 10, 17),
            source=Source.TELEMARKETING,
            amount=Decimal(24000),
        )
        again = set_cost(
            session,
            actor=TERMINAL,
            team_id=fr,
            month=OCTOBER,
            source=Source.TELEMARKETING,
            amount=Decimal("25000.50"),
        )
        set_cost(
            session,
            actor=TERMINAL,
            team_id=uk,
            month=OCTOBER,
            source=Source.SEMINAR,
            amount=Decimal(900),
        )
    assert first.previous is None and first.month == OCTOBER
    assert again.previous == Decimal(24000) and again.amount == Decimal("25000.50")
    assert stored(roster) == [
        (fr, OCTOBER, "telemarketing", Decimal("25000.50"), "EUR"),
        (uk, OCTOBER, "seminar", Decimal(900), "GBP"),
    ]


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        (Decimal(-1), MoneyProblem.OUT_OF_RANGE),
        (Decimal(10**12), MoneyProblem.OUT_OF_RANGE),
        (Decimal("NaN"), MoneyProblem.OUT_OF_RANGE),
        (Decimal("1.005"), MoneyProblem.SUB_CENT),
    ],
)
def test_set_cost_refuses_amounts_out_of_bounds(
    roster: Engine, amount: Decimal, problem: MoneyProblem
) -> None:
    with session_scope(roster) as session, pytest.raises(InvalidInput) as refused:
        set_cost(
            session,
            actor=TERMINAL,
            team_id=fr_id(roster),
            month=OCTOBER,
            source=Source.OTHER,
            amount=amount,
        )
    assert refused.value.problem == problem
    assert stored(roster) == []


def test_a_float_never_reaches_the_domain(roster: Engine) -> None:
    with session_scope(roster) as session, pytest.raises(TypeError):
        set_cost(
            session,
            actor=TERMINAL,
            team_id=fr_id(roster),
            month=OCTOBER,
            source=Source.OTHER,
            amount=17500.0,  # type: ignore[arg-type]
        )
    with session_scope(roster) as session, pytest.raises(TypeError):
        create_event(
            session,
            actor=TERMINAL,
            team_id=fr_id(roster),
            kind="seminar",
            name="Paris Summit",
            held_on=date(2026, 10, 14),
            cost=17500.0,  # type: ignore[arg-type]
        )
    assert stored(roster) == []


def test_split_shares_the_cell_cost(roster: Engine) -> None:
    fr = fr_id(roster)
    with session_scope(roster) as session:
        split = set_split(
            session,
            actor=TERMINAL,
            team_id=fr,
            month=date(2026, 10, 9),
            shares={Source.TELEMARKETING: Decimal("66.67"), Source.SEMINAR: Decimal("33.33")},
        )
    assert split.shares == {
        Source.TELEMARKETING: Decimal("66.67"),
        Source.SEMINAR: Decimal("33.33"),
        Source.TRADE_SHOW: Decimal(0),
        Source.OTHER: Decimal(0),
    }
    assert splits(roster, fr, OCTOBER) == {
        "telemarketing": Decimal("66.67"),
        "seminar": Decimal("33.33"),
    }


@pytest.mark.parametrize(
    ("shares", "problem"),
    [
        (
            {Source.TELEMARKETING: Decimal(70), Source.SEMINAR: Decimal(20)},
            CostProblem.SHARES_TOTAL,
        ),
        ({Source.SEMINAR: Decimal(120)}, CostProblem.SHARE_OUT_OF_RANGE),
        ({Source.SEMINAR: Decimal("33.333")}, CostProblem.SHARE_OUT_OF_RANGE),
        ({}, CostProblem.SHARES_MISSING),
    ],
)
def test_bad_splits_are_refused_and_keep_the_old_one(
    roster: Engine, shares: dict[Source, Decimal], problem: CostProblem
) -> None:
    fr = fr_id(roster)
    with session_scope(roster) as session:
        set_split(
            session,
            actor=TERMINAL,
            team_id=fr,
            month=OCTOBER,
            shares={Source.TELEMARKETING: Decimal(100)},
        )
    with session_scope(roster) as session, pytest.raises(InvalidInput) as refused:
        set_split(session, actor=TERMINAL, team_id=fr, month=OCTOBER, shares=shares)
    assert refused.value.problem == problem
    assert splits(roster, fr, OCTOBER) == {"telemarketing": Decimal(100)}


def test_import_writes_every_row_or_none(roster: Engine) -> None:
    fr, uk = fr_id(roster), add_uk(roster)
    rows = [
        CostLine(2, fr, OCTOBER, Source.TELEMARKETING, Decimal(24000)),
        CostLine(3, uk, OCTOBER, Source.TELEMARKETING, Decimal(18000)),
        CostLine(4, fr, OCTOBER, Source.TELEMARKETING, Decimal(1)),
        CostLine(5, fr, OCTOBER, Source.SEMINAR, Decimal("0.001")),
    ]
    with session_scope(roster) as session, pytest.raises(InvalidInput) as refused:
        import_costs(session, actor=TERMINAL, rows=rows)
    assert refused.value.problem == CostProblem.FILE_LINES
    lines = refused.value.facts["lines"]
    assert [(p.line, p.error.problem) for p in lines] == [
        (4, CostProblem.FILE_LINE_REPEATED),
        (5, MoneyProblem.SUB_CENT),
    ]
    assert lines[0].error.facts["first_line"] == 2
    assert stored(roster) == []
    with session_scope(roster) as session:
        entries = import_costs(session, actor=TERMINAL, rows=rows[:2])
    assert [(e.team_slug, e.amount, e.currency) for e in entries] == [
        ("fr", Decimal(24000), "EUR"),
        ("uk", Decimal(18000), "GBP"),
    ]
    with session_scope(roster) as session, pytest.raises(InvalidInput) as empty:
        import_costs(session, actor=TERMINAL, rows=[])
    assert empty.value.problem == CostProblem.FILE_EMPTY


def test_costs_count_rows_not_duplicates(roster: Engine) -> None:
    """One row per (team, month, source), whatever the number of writes."""
    fr = fr_id(roster)
    with session_scope(roster) as session:
        for amount in (1, 2, 3):
            set_cost(
                session,
                actor=TERMINAL,
                team_id=fr,
                month=OCTOBER,
                source=Source.OTHER,
                amount=Decimal(amount),
            )
        assert session.exec(select(func.count()).select_from(MonthlyCost)).one() == 1


# --- who may record and read -------------------------------------------------------------------


def test_only_admins_record_costs_in_their_own_team(roster: Engine) -> None:
    fr, uk = fr_id(roster), add_uk(roster)
    cost = {"month": OCTOBER, "source": Source.OTHER, "amount": Decimal(5)}
    for user in (AGENT, SALES_ENGINEER, "U0STRANGER"):
        with session_scope(roster) as session, pytest.raises(NotAllowed):
            set_cost(session, actor=actor_of(roster, user), team_id=fr, **cost)  # type: ignore[arg-type]
    france_admin = actor_of(roster, ADMIN)
    with session_scope(roster) as session, pytest.raises(NotAllowed) as refused:
        set_cost(session, actor=france_admin, team_id=uk, **cost)  # type: ignore[arg-type]
    assert refused.value.problem == PolicyProblem.OTHER_TEAM
    with session_scope(roster) as session, pytest.raises(NotAllowed):
        set_split(
            session,
            actor=france_admin,
            team_id=uk,
            month=OCTOBER,
            shares={Source.TELEMARKETING: Decimal(100)},
        )
    with session_scope(roster) as session:
        set_cost(session, actor=france_admin, team_id=fr, **cost)  # type: ignore[arg-type]
        set_cost(session, actor=actor_of(roster, SETTINGS_ADMIN), team_id=uk, **cost)  # type: ignore[arg-type]
    assert len(stored(roster)) == 2


def test_costs_are_read_by_managers_and_admins_of_the_team(roster: Engine) -> None:
    fr, uk = fr_id(roster), add_uk(roster)
    for user in (AGENT, SALES_ENGINEER, "U0STRANGER"):
        with session_scope(roster) as session, pytest.raises(NotAllowed):
            cost_list(session, actor=actor_of(roster, user), team_id=fr)
    with session_scope(roster) as session, pytest.raises(NotAllowed) as refused:
        cost_list(session, actor=actor_of(roster, ADMIN), team_id=uk)
    assert refused.value.problem == PolicyProblem.OTHER_TEAM
    with session_scope(roster) as session:
        assert cost_list(session, actor=actor_of(roster, ADMIN), team_id=fr).months == ()
        assert cost_list(session, actor=actor_of(roster, SETTINGS_ADMIN), team_id=uk).months == ()


# --- what a month cost -------------------------------------------------------------------------


def test_list_costs_shows_what_makes_each_month(roster: Engine) -> None:
    fr = fr_id(roster)
    with session_scope(roster) as session:
        assert list_costs(session, team_id=fr) == []
        set_cost(
            session,
            actor=TERMINAL,
            team_id=fr,
            month=OCTOBER,
            source=Source.TELEMARKETING,
            amount=Decimal(24000),
        )
        set_split(
            session,
            actor=TERMINAL,
            team_id=fr,
            month=date(2026, 8, 1),
            shares={Source.TELEMARKETING: Decimal(80), Source.SEMINAR: Decimal(20)},
        )
        create_event(
            session,
            actor=TERMINAL,
            team_id=fr,
            kind="seminar",
            name="Paris Summit",
            held_on=date(2026, 10, 14),
            cost=Decimal(12000),
            attendees=180,
        )
        listed = cost_list(session, actor=actor_of(roster, ADMIN), team_id=fr)
        [october] = month_costs(session, team_id=fr, first_month=OCTOBER, last_month=OCTOBER)
    assert [c.month for c in listed.months] == [OCTOBER, date(2026, 8, 1)]  # September: nothing
    assert listed.team.slug == "fr" and listed.month is None
    assert october.recorded == {Source.TELEMARKETING: Decimal(24000)}
    assert october.events == {Source.SEMINAR: Decimal(12000)}
    assert (october.cost(Source.TELEMARKETING), october.cost(Source.SEMINAR)) == (
        Decimal(24000),
        Decimal(12000),
    )
    assert listed.months[1].share(Source.SEMINAR) == Decimal(20)
