"""Money is Decimal from what people type to the Numeric columns: no float on the way.

Every statement's parameters are watched as leadcell hands them to SQLAlchemy
(before SQLite's driver turns Decimal into its own storage): a float anywhere
fails the test, whichever path wrote the money (Slack commands, a costs file,
the demo generator).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import select

from bot.grammar.cost_file import read_cost_file
from models.actors import TERMINAL
from models.costs import import_costs
from models.db import session_scope
from models.demo.activity import generate_activity
from models.roster import TeamSettings, list_teams
from models.tables import Event, MonthlyCost
from tests.conftest import ADMIN, Slack


class Floats:
    """Float parameters seen, with their statement."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str, float]] = []
        self.statements = 0

    def __call__(
        self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        self.statements += 1
        for row in getattr(context, "compiled_parameters", None) or []:
            for name, value in row.items():
                if isinstance(value, float):
                    self.found.append((statement.split("(")[0][:60], name, value))


@pytest.fixture
def floats(roster: Engine) -> Iterator[Floats]:
    watch = Floats()
    event.listen(roster, "before_cursor_execute", watch)
    yield watch
    event.remove(roster, "before_cursor_execute", watch)


def test_no_float_from_slack_commands(slack: Slack, roster: Engine, floats: Floats) -> None:
    for text in (
        "cost set 2026-10 telemarketing 17 500",
        "cost set 2026-10 seminar 1.5k€",
        "cost split 2026-10 telemarketing=66.67 seminar=33.33",
        'event add seminar "Paris Summit" 2026-10-14 cost=17 500,50 attendees=180',
        'event set seminar "Paris Summit" cost=17500.0',
    ):
        answer = slack.command("/leadcell", text, user=ADMIN)
        assert ":warning:" not in answer.text, (text, answer.text)
    assert floats.statements > 0 and floats.found == []
    with session_scope(roster) as session:
        [summit] = session.exec(select(Event)).all()
        amounts = sorted(c.amount for c in session.exec(select(MonthlyCost)))
    assert str(summit.cost) == "17500.00" and [str(a) for a in amounts] == ["1500.00", "17500.00"]


def test_no_float_from_a_costs_file_or_the_demo_data(roster: Engine, floats: Floats) -> None:
    with session_scope(roster) as session:
        teams = [TeamSettings.of(t) for t in list_teams(session)]
        rows = read_cost_file(
            "month,source,amount\n2026-09,telemarketing,20 000\n2026-09,other,99.99\n",
            teams=teams,
        )
        import_costs(session, actor=TERMINAL, rows=rows)
    generate_activity(roster, months=1, today=date(2026, 11, 27), replace=True)
    assert floats.statements > 10 and floats.found == []


def test_the_watch_sees_a_float(roster: Engine, floats: Floats) -> None:
    with roster.connect() as connection:
        connection.execute(select(MonthlyCost.id).where(MonthlyCost.amount == 17500.0))
    assert [name for _statement, name, _value in floats.found] == ["amount_1"]
