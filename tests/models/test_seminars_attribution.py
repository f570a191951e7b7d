"""Attribution: a lead counts for an event its company attended in the window, unless chosen."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine
from sqlmodel import select

from models.actors import TERMINAL
from models.attribution import How, attributed_count, lead_attributions, lead_source
from models.db import session_scope
from models.event_returns import event_return, event_year
from models.outcomes import Outcome
from models.seminar_settings import set_seminar_settings
from models.tables import Team
from tests.conftest import AGENT, AGENT_2, SALES_ENGINEER, actor_of
from tests.seminar_data import add_event, add_lead, import_list, log, person, team_id

PARIS = datetime(2026, 10, 14, 8, 0, tzinfo=UTC)
YEAR = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def attributions(engine: Engine, *, user: str | None = None) -> dict[str, tuple[str | None, str]]:
    with session_scope(engine) as session:
        actor = actor_of(engine, user) if user else TERMINAL
        found = lead_attributions(
            session, actor=actor, team_id=team_id(engine), start=YEAR[0], end=YEAR[1]
        )
    return {
        f"{a.company}#{a.number}": (a.event.name if a.event else None, a.effective_source)
        for a in found
    }


def test_a_lead_counts_for_the_latest_attended_event_in_the_window(roster: Engine) -> None:
    paris = add_event(roster, "Paris Summit", date(2026, 10, 14), cost=Decimal(12000))
    lyon = add_event(roster, "Lyon Forum", date(2026, 11, 5))
    import_list(
        roster, paris, [person("ACME Corp.", "Jane Doe"), person("Globex", "Hank", attended=False)]
    )
    import_list(roster, lyon, [person("acme corp", "Jane Doe")])
    add_lead(
        roster, "Acme Corp", datetime(2026, 10, 13, 21, 59, tzinfo=UTC)
    )  # 23:59 the day before
    add_lead(roster, "Acme Corp", datetime(2026, 10, 13, 22, 0, tzinfo=UTC))  # midnight in Paris
    add_lead(roster, "Acme Corp", datetime(2026, 11, 6, 10, 0, tzinfo=UTC))  # after Lyon too
    add_lead(roster, "Globex", datetime(2026, 10, 20, 10, 0, tzinfo=UTC))  # only registered
    add_lead(roster, "Élan SA", datetime(2026, 10, 20, tzinfo=UTC))
    assert attributions(roster) == {
        "Acme Corp#1": (None, "telemarketing"),
        "Acme Corp#2": ("Paris Summit", "seminar"),
        "Acme Corp#3": ("Lyon Forum", "seminar"),
        "Globex#4": (None, "telemarketing"),
        "Élan SA#5": (None, "telemarketing"),
    }


def test_the_window_is_the_teams_setting_in_local_days(roster: Engine) -> None:
    paris = add_event(roster)
    import_list(roster, paris, [person("Acme Corp", "Jane Doe")])
    # 12 Jan 2027 ends at 23:00 UTC (Paris is UTC+1 in winter).
    add_lead(roster, "Acme Corp", datetime(2027, 1, 12, 22, 59, tzinfo=UTC))
    add_lead(roster, "Acme Corp", datetime(2027, 1, 12, 23, 0, tzinfo=UTC))
    with session_scope(roster) as session:
        found = lead_attributions(
            session,
            actor=TERMINAL,
            team_id=team_id(roster),
            start=datetime(2027, 1, 1, tzinfo=UTC),
            end=datetime(2027, 2, 1, tzinfo=UTC),
        )
        assert [a.event.name if a.event else None for a in found] == ["Paris Summit", None]
        set_seminar_settings(session, actor=TERMINAL, team_id=team_id(roster), attribution_days=30)
        found = lead_attributions(
            session,
            actor=TERMINAL,
            team_id=team_id(roster),
            start=datetime(2027, 1, 1, tzinfo=UTC),
            end=datetime(2027, 2, 1, tzinfo=UTC),
        )
    assert [a.event for a in found] == [None, None]


def test_a_chosen_source_overrides_and_a_named_event_stays(roster: Engine) -> None:
    paris = add_event(roster)
    show = add_event(roster, "Big Expo", date(2026, 9, 1), kind="trade-show")
    import_list(roster, paris, [person("Acme Corp", "Jane Doe")])
    day = datetime(2026, 10, 20, tzinfo=UTC)
    add_lead(roster, "Acme Corp", day, chosen=True)  # source=telemarketing typed
    add_lead(roster, "Acme Corp", day, source="other")
    add_lead(roster, "Acme Corp", day, source="trade-show", event_id=show, chosen=True)
    add_lead(roster, "Acme Corp", day)
    with session_scope(roster) as session:
        found = lead_attributions(
            session, actor=TERMINAL, team_id=team_id(roster), start=YEAR[0], end=YEAR[1]
        )
        count = attributed_count(
            session, actor=TERMINAL, team_id=team_id(roster), start=YEAR[0], end=YEAR[1]
        )
        card = lead_source(session, actor=actor_of(roster, AGENT), lead_id=found[3].lead_id)
    assert [(a.event.name if a.event else None, a.how) for a in found] == [
        (None, None),
        (None, None),
        ("Big Expo", How.NAMED),
        ("Paris Summit", How.ATTENDED),
    ]
    assert count == 1
    assert card.event is not None and card.event.held_on == date(2026, 10, 14)
    assert card.effective_source == "seminar"


def test_what_an_event_returned(roster: Engine) -> None:
    paris = add_event(roster, cost=Decimal("12000"))
    import_list(
        roster,
        paris,
        [
            person("Acme Corp", "Jane Doe"),
            person("Acme Corp", "John Roe", attended=False, line=3),
            person("Globex", "Hank Scorpio", line=4),
            person("Initech", "Bill Lumbergh", attended=False, line=5),
        ],
    )
    after = PARIS + timedelta(days=2)
    log(roster, AGENT, "acme corp", now=after)
    log(roster, AGENT_2, "Acme Corp", Outcome.NO_ANSWER, now=after)
    log(roster, AGENT, "Globex", Outcome.NO_ANSWER, now=after)
    log(roster, AGENT, "Globex", Outcome.NO_ANSWER, now=PARIS - timedelta(days=2))  # before
    add_lead(roster, "Acme Corp", after, status="won", final_value=Decimal("95000"))
    add_lead(roster, "Globex", after, status="qualified")  # Globex attended too
    add_lead(roster, "Initech", after)  # registered only: not the event's
    with session_scope(roster) as session:
        manager = event_return(session, actor=TERMINAL, event_id=paris)
        agent = event_return(session, actor=actor_of(roster, AGENT), event_id=paris)
    assert (manager.registered, manager.attendees, manager.companies) == (4, 2, 3)
    assert (manager.companies_called, manager.companies_reached) == (2, 1)
    assert (manager.leads, manager.qualified) == (2, 2)
    assert manager.won_value == Decimal("95000.00") and manager.cost == Decimal("12000.00")
    assert manager.cost_per_attendee == Decimal("6000.00")
    assert manager.cost_per_lead == Decimal("6000.00")
    assert manager.cost_per_qualified == Decimal("6000.00")
    assert not agent.money_shown and agent.cost is None and agent.cost_per_lead is None
    assert agent.leads == 2


def test_the_year_compares_every_event_and_uses_recorded_attendance_without_a_list(
    roster: Engine,
) -> None:
    add_event(roster, "Lille Days", date(2026, 3, 10), cost=Decimal(8000), attendees=120)
    paris = add_event(roster, cost=Decimal(12000))
    add_event(roster, "Old", date(2025, 3, 1), cost=Decimal(1))
    import_list(roster, paris, [person("Acme Corp", "Jane Doe")])
    add_lead(roster, "Acme Corp", PARIS + timedelta(days=1))
    with session_scope(roster) as session:
        year = event_year(
            session,
            actor=TERMINAL,
            team_id=team_id(roster),
            first_day=date(2026, 1, 1),
            last_day=date(2026, 12, 31),
        )
        hidden = event_year(
            session,
            actor=actor_of(roster, SALES_ENGINEER),
            team_id=team_id(roster),
            first_day=date(2026, 1, 1),
            last_day=date(2026, 12, 31),
        )
    assert [(e.event.name, e.attendees, e.leads, e.cost_per_attendee) for e in year.events] == [
        ("Lille Days", 120, 0, Decimal("66.67")),
        ("Paris Summit", 1, 1, Decimal("12000.00")),
    ]
    assert year.total_cost == Decimal(20000) and year.total_leads == 1
    assert hidden.total_cost is None and not hidden.money_shown


def test_team_settings_are_checked(roster: Engine) -> None:
    import pytest

    from models.errors import InvalidInput, NotAllowed
    from models.seminar_settings import SettingsProblem, seminar_settings

    with session_scope(roster) as session:
        team = team_id(roster)
        assert seminar_settings(session, actor=TERMINAL, team_id=team).country == "FR"
        with pytest.raises(InvalidInput) as bad:
            set_seminar_settings(session, actor=TERMINAL, team_id=team, country="XX")
        assert bad.value.problem == SettingsProblem.COUNTRY_UNKNOWN
        with pytest.raises(InvalidInput) as bad:
            set_seminar_settings(session, actor=TERMINAL, team_id=team, retention_months=0)
        assert bad.value.facts == {"value": 0, "low": 1, "high": 120}
        with pytest.raises(NotAllowed):
            set_seminar_settings(
                session, actor=actor_of(roster, AGENT), team_id=team, attribution_days=30
            )
        changed = set_seminar_settings(session, actor=TERMINAL, team_id=team, country="uk")
        assert changed.country == "GB" and changed.country_chosen
        assert session.exec(select(Team.country)).one() == "GB"
