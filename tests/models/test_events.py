"""Seminars and trade shows: unique by name and date, found by name, costs for money readers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models.actors import TERMINAL
from models.db import session_scope
from models.errors import Conflict, InvalidInput, NotAllowed, NotFound
from models.events import (
    EventProblem,
    create_event,
    find_event,
    list_events,
    set_event_figures,
    team_events,
)
from models.policy import PolicyProblem
from models.roster import TeamFields, create_team, get_team
from models.tables import Event
from tests.conftest import ADMIN, AGENT, SALES_ENGINEER, actor_of

SUMMIT_2025, SUMMIT_2026, FUTURE = date(2025, 10, 15), date(2026, 10, 14), date(2027, 10, 13)


def fr_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        return get_team(session, slug="fr").id or 0


def add(engine: Engine, name: str, held_on: date, kind: str = "seminar", **figures: object) -> int:
    with session_scope(engine) as session:
        return create_event(
            session,
            actor=TERMINAL,
            team_id=fr_id(engine),
            kind=kind,
            name=name,
            held_on=held_on,
            **figures,  # type: ignore[arg-type]
        ).id


def stored(engine: Engine) -> list[tuple[str, str, date, Decimal | None, int | None]]:
    with session_scope(engine) as session:
        rows = session.exec(select(Event).order_by(Event.held_on, Event.name)).all()
        return [(e.kind, e.name, e.held_on, e.cost, e.attendees) for e in rows]


def test_an_event_is_unique_by_kind_name_and_date(roster: Engine) -> None:
    add(roster, "Paris Summit", SUMMIT_2025)
    add(roster, "Paris Summit", SUMMIT_2026, cost=Decimal(12000), attendees=180)
    add(roster, "Paris Summit", SUMMIT_2026, kind="trade-show")
    with pytest.raises(Conflict) as refused:
        add(roster, "  paris SUMMIT ", SUMMIT_2026)
    assert refused.value.problem == EventProblem.EXISTS
    assert refused.value.facts == {
        "kind": "seminar",
        "name": "Paris Summit",
        "held_on": SUMMIT_2026,
    }
    assert len(stored(roster)) == 3


@pytest.mark.parametrize(
    ("kind", "name", "figures", "problem"),
    [
        ("webinar", "Paris Summit", {}, EventProblem.KIND_UNKNOWN),
        ("seminar", "   ", {}, EventProblem.NAME_LENGTH),
        ("seminar", "x" * 201, {}, EventProblem.NAME_LENGTH),
        ("seminar", "Paris Summit", {"attendees": -1}, EventProblem.ATTENDEES_OUT_OF_RANGE),
    ],
)
def test_bad_events_are_refused(
    roster: Engine, kind: str, name: str, figures: dict[str, object], problem: EventProblem
) -> None:
    with pytest.raises(InvalidInput) as refused:
        add(roster, name, SUMMIT_2026, kind=kind, **figures)
    assert refused.value.problem == problem
    assert stored(roster) == []


def test_set_names_the_event_by_name_alone_when_only_one_has_it(roster: Engine) -> None:
    add(roster, "Lyon Day", SUMMIT_2026)
    with session_scope(roster) as session:
        change = set_event_figures(
            session,
            actor=TERMINAL,
            team_id=fr_id(roster),
            kind="seminar",
            name="lyon day",
            cost=Decimal("4500.50"),
            attendees=90,
        )
    assert (change.cost_before, change.attendees_before) == (None, None)
    assert (change.event.cost, change.event.attendees) == (Decimal("4500.50"), 90)
    assert stored(roster) == [("seminar", "Lyon Day", SUMMIT_2026, Decimal("4500.50"), 90)]


def test_set_asks_which_one_when_several_share_the_name(roster: Engine) -> None:
    add(roster, "Paris Summit", SUMMIT_2025)
    add(roster, "Paris Summit", SUMMIT_2026)
    figures = {"actor": TERMINAL, "team_id": fr_id(roster), "kind": "seminar"}
    with session_scope(roster) as session, pytest.raises(InvalidInput) as refused:
        set_event_figures(session, name="Paris Summit", cost=Decimal(1), **figures)  # type: ignore[arg-type]
    assert refused.value.problem == EventProblem.AMBIGUOUS
    assert refused.value.facts["dates"] == [SUMMIT_2025, SUMMIT_2026]
    with session_scope(roster) as session:
        set_event_figures(
            session,
            name="Paris Summit",
            on=SUMMIT_2025,
            attendees=120,
            **figures,  # type: ignore[arg-type]
        )
    assert [e[4] for e in stored(roster)] == [120, None]
    with session_scope(roster) as session, pytest.raises(NotFound) as wrong_day:
        set_event_figures(
            session,
            name="Paris Summit",
            on=date(2026, 1, 1),
            attendees=1,
            **figures,  # type: ignore[arg-type]
        )
    assert wrong_day.value.facts["dates"] == [SUMMIT_2026, SUMMIT_2025]


def test_set_needs_a_figure(roster: Engine) -> None:
    add(roster, "Lyon Day", SUMMIT_2026)
    with session_scope(roster) as session, pytest.raises(InvalidInput) as refused:
        set_event_figures(
            session, actor=TERMINAL, team_id=fr_id(roster), kind="seminar", name="Lyon Day"
        )
    assert refused.value.problem == EventProblem.NOTHING_TO_CHANGE


def test_near_misses_get_suggestions(roster: Engine) -> None:
    add(roster, "Paris Summit", SUMMIT_2026)
    add(roster, "Lyon Day", SUMMIT_2026)
    add(roster, "Big Fair", SUMMIT_2026, kind="trade-show")
    with session_scope(roster) as session:
        for typed, suggestions in (
            ("Paris Sumit", ["Paris Summit"]),
            ("summit", ["Paris Summit"]),
            ("Big Fair", []),  # a trade show, not a seminar
            ("Webinar", []),
        ):
            with pytest.raises(NotFound) as refused:
                find_event(session, team_id=fr_id(roster), kind="seminar", name=typed)
            assert refused.value.problem == EventProblem.NOT_FOUND
            assert refused.value.facts["suggestions"] == suggestions, typed


def test_find_event_takes_the_latest_held_or_the_one_of_a_date(roster: Engine) -> None:
    old = add(roster, "Paris Summit", SUMMIT_2025)
    new = add(roster, "Paris Summit", SUMMIT_2026)
    add(roster, "Paris Summit", FUTURE)
    fr = fr_id(roster)
    with session_scope(roster) as session:
        found = find_event(
            session, team_id=fr, kind="seminar", name="PARIS summit", today=date(2026, 11, 29)
        )
        assert found.id == new
        before = find_event(
            session, team_id=fr, kind="seminar", name="Paris Summit", today=date(2026, 1, 1)
        )
        assert before.id == old
        on = find_event(session, team_id=fr, kind="seminar", name="Paris Summit", on=SUMMIT_2025)
        assert on.id == old
        with pytest.raises(Conflict) as refused:
            find_event(
                session, team_id=fr, kind="seminar", name="Paris Summit", today=date(2025, 1, 1)
            )
    assert refused.value.problem == EventProblem.NOT_HELD_YET
    assert refused.value.facts["dates"] == [SUMMIT_2025, SUMMIT_2026, FUTURE]


def test_only_admins_record_events(roster: Engine) -> None:
    with session_scope(roster) as session:
        for user in (AGENT, SALES_ENGINEER, "U0STRANGER"):
            with pytest.raises(NotAllowed):
                create_event(
                    session,
                    actor=actor_of(roster, user),
                    team_id=fr_id(roster),
                    kind="seminar",
                    name="Paris Summit",
                    held_on=SUMMIT_2026,
                )
    assert stored(roster) == []


def test_event_costs_are_shown_to_those_who_may_read_money(roster: Engine) -> None:
    add(roster, "Paris Summit", SUMMIT_2026, cost=Decimal(12000), attendees=180)
    fr = fr_id(roster)
    with session_scope(roster) as session:
        for user, shown in ((AGENT, False), (SALES_ENGINEER, False), (ADMIN, True)):
            found = team_events(session, actor=actor_of(roster, user), team_id=fr)
            assert found.costs_shown is shown
            [event] = found.events
            assert event.cost == (Decimal(12000) if shown else None)
            assert event.attendees == 180
        with pytest.raises(NotAllowed) as stranger:
            team_events(session, actor=actor_of(roster, "U0STRANGER"), team_id=fr)
        assert stranger.value.problem == PolicyProblem.NOT_ON_ROSTER
        assert [e.name for e in list_events(session, team_id=fr)] == ["Paris Summit"]


def test_another_team_s_events_are_for_its_people(roster: Engine) -> None:
    with session_scope(roster) as session:
        uk = create_team(
            session,
            actor=TERMINAL,
            slug="uk",
            fields=TeamFields(name="UK", timezone="Europe/London", currency="GBP"),
        ).id
        with pytest.raises(NotAllowed) as refused:
            team_events(session, actor=actor_of(roster, ADMIN), team_id=uk)
        assert refused.value.problem == PolicyProblem.OTHER_TEAM
