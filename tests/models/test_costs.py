"""Monthly costs, splits, imports and event costs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from models.costs import (
    CostRow,
    import_costs,
    list_costs,
    month_bounds,
    month_costs,
    parse_amount,
    parse_cost_csv,
    parse_month,
    parse_source,
    set_cost,
    set_event_figures,
    set_split,
)
from models.db import session_scope
from models.errors import InvalidInput, NotFound
from models.events import create_event
from models.leads import Source
from models.roster import TeamFields, create_team, get_team
from models.tables import CostSplit, MonthlyCost

OCTOBER = date(2026, 10, 1)


def fr_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        return get_team(session, slug="fr").id or 0


def add_uk(engine: Engine) -> int:
    with session_scope(engine) as session:
        team = create_team(
            session,
            slug="uk",
            fields=TeamFields(name="Britain", timezone="Europe/London", currency="GBP"),
        )
        return team.id or 0


def stored(engine: Engine) -> list[tuple[str, date, str, Decimal, str]]:
    with session_scope(engine) as session:
        rows = session.exec(
            select(MonthlyCost).order_by(MonthlyCost.team_id, MonthlyCost.month, MonthlyCost.source)
        ).all()
        return [(str(r.team_id), r.month, r.source, r.amount, r.currency) for r in rows]


def splits(engine: Engine, team_id: int, month: date) -> dict[str, Decimal]:
    with session_scope(engine) as session:
        rows = session.exec(
            select(CostSplit).where(CostSplit.team_id == team_id, CostSplit.month == month)
        ).all()
        return {r.source: r.percent for r in rows}


# --- words -------------------------------------------------------------------------------------


def test_words() -> None:
    assert parse_month("2026-10") == OCTOBER
    assert parse_month(" 2026-1 ") == date(2026, 1, 1)
    for bad in ("2026-13", "October", "10-2026", "2026/10", "1999-12"):
        with pytest.raises(InvalidInput) as error:
            parse_month(bad)
        assert error.value.example
    assert parse_source("Trade_Show") == Source.TRADE_SHOW
    assert parse_source("seminars") == Source.SEMINAR
    with pytest.raises(InvalidInput, match="telemarketing, seminar, trade-show, other"):
        parse_source("radio")
    assert parse_amount("24000") == Decimal(24000)
    assert parse_amount("24 000") == Decimal(24000)
    assert parse_amount("24k") == Decimal(24000)
    assert parse_amount("1250.50") == Decimal("1250.50")
    for bad, complaint in (
        ("-5", "not a positive number"),
        ("1,5", "without commas"),
        ("12.345", "two decimals"),
        ("lots", "not a positive number"),
        ("1000000000000", "less than"),
    ):
        with pytest.raises(InvalidInput, match=complaint):
            parse_amount(bad)


def test_month_bounds_are_local_and_dst_safe() -> None:
    from zoneinfo import ZoneInfo

    start, end = month_bounds(ZoneInfo("Europe/Berlin"), OCTOBER)
    assert start.utcoffset() is not None and start.utcoffset().total_seconds() == 7200
    assert end.utcoffset() is not None and end.utcoffset().total_seconds() == 3600


# --- set_cost ----------------------------------------------------------------------------------


def test_set_cost_inserts_then_replaces_in_the_team_currency(roster: Engine) -> None:
    fr, uk = fr_id(roster), add_uk(roster)
    with session_scope(roster) as session:
        first = set_cost(
            session,
            team_id=fr,
            month=date(2026, 10, 17),
            source="telemarketing",
            amount=Decimal(24000),
        )
        again = set_cost(
            session,
            team_id=fr,
            month=OCTOBER,
            source=Source.TELEMARKETING,
            amount=Decimal("25000.50"),
        )
        british = set_cost(
            session, team_id=uk, month=OCTOBER, source="telemarketing", amount=Decimal(9000)
        )
    assert (first.month, first.previous, first.currency) == (OCTOBER, None, "EUR")
    assert (again.amount, again.previous) == (Decimal("25000.50"), Decimal("24000.00"))
    assert british.currency == "GBP"
    assert stored(roster) == [
        (str(fr), OCTOBER, "telemarketing", Decimal("25000.50"), "EUR"),
        (str(uk), OCTOBER, "telemarketing", Decimal("9000.00"), "GBP"),
    ]


def test_set_cost_refuses_bad_values(roster: Engine) -> None:
    fr = fr_id(roster)
    for amount in (Decimal(-1), Decimal("1.001"), Decimal(10**12)):
        with session_scope(roster) as session, pytest.raises(InvalidInput) as error:
            set_cost(session, team_id=fr, month=OCTOBER, source="seminar", amount=amount)
        assert error.value.example == "/leadcell cost set 2026-10 telemarketing 24000"
    with session_scope(roster) as session, pytest.raises(InvalidInput):
        set_cost(session, team_id=fr, month=OCTOBER, source="radio", amount=Decimal(1))
    with session_scope(roster) as session, pytest.raises(NotFound):
        set_cost(session, team_id=fr + 100, month=OCTOBER, source="seminar", amount=Decimal(1))
    assert stored(roster) == []


# --- splits ------------------------------------------------------------------------------------


def test_split_shares_the_cell_cost(roster: Engine) -> None:
    fr = fr_id(roster)
    with session_scope(roster) as session:
        set_cost(session, team_id=fr, month=OCTOBER, source="telemarketing", amount=Decimal(24000))
        set_cost(session, team_id=fr, month=OCTOBER, source="seminar", amount=Decimal(1000))
        [plain] = month_costs(session, team_id=fr, first_month=OCTOBER, last_month=OCTOBER)
        result = set_split(
            session,
            team_id=fr,
            month=OCTOBER,
            shares={"telemarketing": Decimal("66.67"), "seminar": Decimal("33.33")},
        )
        [shared] = month_costs(session, team_id=fr, first_month=OCTOBER, last_month=OCTOBER)
    # Without a split the cell's cost is all telemarketing's.
    assert not plain.split_recorded
    assert (plain.cost(Source.TELEMARKETING), plain.cost(Source.SEMINAR)) == (
        Decimal("24000.00"),
        Decimal("1000.00"),
    )
    assert result == {
        Source.TELEMARKETING: Decimal("66.67"),
        Source.SEMINAR: Decimal("33.33"),
        Source.TRADE_SHOW: Decimal(0),
        Source.OTHER: Decimal(0),
    }
    # 24 000 x 66.67 % = 16 000.80; 24 000 x 33.33 % = 7 999.20, plus the seminar's own 1 000.
    assert shared.cost(Source.TELEMARKETING) == Decimal("16000.80")
    assert shared.cost(Source.SEMINAR) == Decimal("8999.20")
    assert shared.cost(Source.TRADE_SHOW) == Decimal(0)
    assert shared.total == Decimal("25000.00")


def test_a_new_split_replaces_the_old_one(roster: Engine) -> None:
    fr = fr_id(roster)
    with session_scope(roster) as session:
        set_split(
            session,
            team_id=fr,
            month=OCTOBER,
            shares={"telemarketing": Decimal(70), "seminar": Decimal(30)},
        )
        set_split(
            session,
            team_id=fr,
            month=OCTOBER,
            shares={"telemarketing": Decimal(90), "trade-show": Decimal(10)},
        )
        set_split(
            session, team_id=fr, month=date(2026, 11, 1), shares={"telemarketing": Decimal(100)}
        )
    assert splits(roster, fr, OCTOBER) == {"telemarketing": Decimal(90), "trade-show": Decimal(10)}


@pytest.mark.parametrize(
    ("shares", "complaint"),
    [
        ({"telemarketing": Decimal(70), "seminar": Decimal(20)}, "add up to 90 %, not 100 %"),
        ({"telemarketing": Decimal(120), "seminar": Decimal(-20)}, "from 0 to 100"),
        ({"telemarketing": Decimal("50.005"), "seminar": Decimal("49.995")}, "two decimals"),
        ({"telemarketing": Decimal(50), "radio": Decimal(50)}, "not a lead source"),
        ({"telemarketing": Decimal(50), "tm": Decimal(50)}, "given twice"),
    ],
)
def test_bad_splits_are_refused_and_keep_the_old_one(
    roster: Engine, shares: dict[str, Decimal], complaint: str
) -> None:
    fr = fr_id(roster)
    with session_scope(roster) as session:
        set_split(
            session,
            team_id=fr,
            month=OCTOBER,
            shares={"telemarketing": Decimal(70), "seminar": Decimal(30)},
        )
    with session_scope(roster) as session, pytest.raises(InvalidInput, match=complaint) as error:
        set_split(session, team_id=fr, month=OCTOBER, shares=shares)  # type: ignore[arg-type]
    assert error.value.example == "/leadcell cost split 2026-10 telemarketing=70 seminar=30"
    assert splits(roster, fr, OCTOBER) == {"telemarketing": Decimal(70), "seminar": Decimal(30)}


# --- imports -----------------------------------------------------------------------------------

GOOD_FILE = """month,source,amount,team
2026-09,telemarketing,20000,fr
2026-10,telemarketing,24 000,fr

2026-10,seminar,1500.50,uk
"""


def test_import_writes_every_row(roster: Engine) -> None:
    fr, uk = fr_id(roster), add_uk(roster)
    rows = parse_cost_csv(GOOD_FILE)
    assert [r.line for r in rows] == [2, 3, 5]
    with session_scope(roster) as session:
        entries = import_costs(session, rows=rows)
    assert [(e.team_slug, e.month, e.source, e.amount, e.currency) for e in entries] == [
        ("fr", date(2026, 9, 1), Source.TELEMARKETING, Decimal(20000), "EUR"),
        ("fr", OCTOBER, Source.TELEMARKETING, Decimal(24000), "EUR"),
        ("uk", OCTOBER, Source.SEMINAR, Decimal("1500.50"), "GBP"),
    ]
    assert len(stored(roster)) == 3
    # Importing again replaces and says what was there.
    with session_scope(roster) as session:
        again = import_costs(
            session,
            rows=parse_cost_csv("\ufeffMonth,Source,Amount\n2026-10,telemarketing,25000\n"),
            default_team="fr",
        )
    assert again[0].previous == Decimal(24000)
    assert {(r[0], r[1], r[3]) for r in stored(roster)} == {
        (str(fr), date(2026, 9, 1), Decimal(20000)),
        (str(fr), OCTOBER, Decimal(25000)),
        (str(uk), OCTOBER, Decimal("1500.50")),
    }


def test_import_is_all_or_nothing_and_names_the_bad_lines(roster: Engine) -> None:
    add_uk(roster)
    text = """month,source,amount,team
2026-10,telemarketing,24000,fr
2026-13,telemarketing,24000,fr
2026-10,seminar,-3,fr
2026-10,seminar,100,xx
2026-10,telemarketing,1,fr
2026-10,radio,5,fr
2026-11,telemarketing,5,
"""
    with session_scope(roster) as session, pytest.raises(InvalidInput) as error:
        import_costs(session, rows=parse_cost_csv(text))
    message = error.value.message
    assert message.startswith("Nothing was imported:\n")
    for line, complaint in (
        (3, "`2026-13` is not a month"),
        (4, "the amount `-3` is not"),
        (5, "there is no team `xx`"),
        (6, "repeats line 2"),
        (7, "`radio` is not a lead source"),
        (8, "say which team"),
    ):
        assert f"line {line}: {complaint}" in message, (line, message)
    assert "line 2:" not in message
    assert error.value.example
    assert stored(roster) == []


def test_import_needs_the_header_and_some_rows(roster: Engine) -> None:
    with pytest.raises(InvalidInput, match="header month,source,amount"):
        parse_cost_csv("2026-10,telemarketing,24000\n")
    with pytest.raises(InvalidInput, match="amount missing"):
        parse_cost_csv("month,source\n2026-10,telemarketing\n")
    with session_scope(roster) as session, pytest.raises(InvalidInput, match="no cost rows"):
        import_costs(session, rows=parse_cost_csv("month,source,amount\n"))
    # With one team, rows need no team column.
    with session_scope(roster) as session:
        [entry] = import_costs(session, rows=[CostRow(2, "2026-10", "seminar", "100")])
    assert entry.team_slug == "fr"


# --- listing and events ------------------------------------------------------------------------


def test_list_costs_shows_what_makes_each_month(roster: Engine) -> None:
    fr = fr_id(roster)
    with session_scope(roster) as session:
        assert list_costs(session, team_id=fr) == []
        set_cost(session, team_id=fr, month=OCTOBER, source="telemarketing", amount=Decimal(24000))
        set_split(
            session,
            team_id=fr,
            month=date(2026, 8, 1),
            shares={"telemarketing": Decimal(80), "seminar": Decimal(20)},
        )
        event = create_event(
            session, team_id=fr, kind="seminar", name="Paris Summit", held_on=date(2026, 10, 14)
        )
        set_event_figures(session, event_id=event.id or 0, cost=Decimal(12000), attendees=180)
        listed = list_costs(session, team_id=fr)
        [october] = list_costs(session, team_id=fr, month=OCTOBER)
        with pytest.raises(InvalidInput, match="Attendees"):
            set_event_figures(session, event_id=event.id or 0, attendees=-1)
        with pytest.raises(NotFound):
            set_event_figures(session, event_id=(event.id or 0) + 99, cost=Decimal(1))
    assert [c.month for c in listed] == [OCTOBER, date(2026, 8, 1)]  # September had nothing
    assert october.recorded == {Source.TELEMARKETING: Decimal(24000)}
    assert october.events == {Source.SEMINAR: Decimal(12000)}
    assert (october.cost(Source.TELEMARKETING), october.cost(Source.SEMINAR)) == (
        Decimal(24000),
        Decimal(12000),
    )
    assert listed[1].share(Source.SEMINAR) == Decimal(20)


def test_costs_count_rows_not_duplicates(roster: Engine) -> None:
    """One row per (team, month, source), whatever the number of writes."""
    fr = fr_id(roster)
    with session_scope(roster) as session:
        for amount in (1, 2, 3):
            set_cost(session, team_id=fr, month=OCTOBER, source="other", amount=Decimal(amount))
        assert session.exec(select(func.count()).select_from(MonthlyCost)).one() == 1
