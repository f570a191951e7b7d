"""Each metric of the catalogue on a hand-computed month (tests.sla_world.october)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from models.complaints import Category, lodge_complaint
from models.db import session_scope
from models.sla_metrics import (
    Metric,
    MonthMeasures,
    country_of,
    measure_month,
    team_calendar,
    working_days,
)
from tests.sla_world import AMY, BEN, SAM, actor, london, october, seed_uk, team

OCTOBER = date(2026, 10, 1)


def measured(engine: Engine, month: date = OCTOBER) -> MonthMeasures:
    with session_scope(engine) as session:
        return measure_month(
            session.connection(),
            team_id=team(session).id or 0,
            timezone="Europe/London",
            month=month,
        )


@pytest.fixture
def uk(engine: Engine) -> Engine:
    seed_uk(engine)
    return engine


def by_name(measures: MonthMeasures) -> dict[str, dict[Metric, Decimal | None]]:
    return {
        a.person.name.split()[0]: {m: v.value for m, v in a.measures.items()}
        for a in measures.agents
    }


def test_working_days_follow_the_team_country_holidays() -> None:
    london_calendar = team_calendar("Europe/London")
    assert country_of("Europe/London") == "GB"
    assert country_of("Europe/Paris") == "FR"
    assert working_days(london_calendar, date(2026, 10, 1)) == 22
    # December 2026 in England: 23 weekdays less Christmas and Boxing Day (on Monday 28th).
    assert working_days(london_calendar, date(2026, 12, 1)) == 21
    # November 2026 in France: 21 weekdays less All Saints' (Sunday) and 11 November (Wed).
    assert working_days(team_calendar("Europe/Paris"), date(2026, 11, 1)) == 20


def test_useful_contacts_per_working_day_for_the_cell_and_each_agent(uk: Engine) -> None:
    october(uk)
    measures = measured(uk)
    assert measures.working_days == 22
    cell = measures.cell[Metric.USEFUL_CONTACTS_PER_DAY]
    assert (cell.numerator, cell.denominator, cell.value) == (14, 22, Decimal("0.6"))
    agents = by_name(measures)
    assert agents["Amy"][Metric.USEFUL_CONTACTS_PER_DAY] == Decimal("0.5")
    assert agents["Ben"][Metric.USEFUL_CONTACTS_PER_DAY] == Decimal("0.2")
    assert measures.counts.dials == 17  # undone calls are not dials


def test_lead_rate_and_leads_count_telemarketing_leads_only(uk: Engine) -> None:
    october(uk)
    measures = measured(uk)
    assert measures.cell[Metric.LEADS].value == 3
    assert measures.cell[Metric.LEAD_RATE].value == Decimal("0.214")
    agents = by_name(measures)
    assert agents["Amy"][Metric.LEAD_RATE] == Decimal("0.200")
    assert agents["Ben"][Metric.LEAD_RATE] == Decimal("0.250")
    assert agents["Amy"][Metric.LEADS] == 2


def test_acceptance_rate_counts_the_leads_decided_in_the_month(uk: Engine) -> None:
    october(uk)
    measures = measured(uk)
    rate = measures.cell[Metric.ACCEPTANCE_RATE]
    assert (rate.numerator, rate.denominator, rate.value) == (2, 4, Decimal("0.500"))
    agents = by_name(measures)
    assert agents["Amy"][Metric.ACCEPTANCE_RATE] == Decimal("0.500")
    assert agents["Ben"][Metric.ACCEPTANCE_RATE] == Decimal("0.500")
    # September: nothing was decided, so the rate has no value.
    assert measured(uk, date(2026, 9, 1)).cell[Metric.ACCEPTANCE_RATE].value is None


def test_complete_data_needs_a_contact_person_and_a_summary(uk: Engine) -> None:
    october(uk)
    measures = measured(uk)
    assert measures.cell[Metric.COMPLETE_DATA].value == Decimal("0.667")
    agents = by_name(measures)
    assert agents["Amy"][Metric.COMPLETE_DATA] == Decimal("0.500")
    assert agents["Ben"][Metric.COMPLETE_DATA] == Decimal("1.000")


def test_callbacks_are_not_measured_yet(uk: Engine) -> None:
    october(uk)
    callbacks = measured(uk).cell[Metric.CALLBACKS_ON_TIME]
    assert callbacks.value is None and not callbacks.measured


def test_complaints_per_100_leads(uk: Engine) -> None:
    recorded = october(uk)
    with session_scope(uk) as session:
        lodge_complaint(
            session,
            actor=actor(uk, SAM),
            category=Category.DATA_MISSING,
            comment="no contact person on this lead",
            request_key="complaint-1",
            lead_id=recorded.leads["amy-2"],
            now=london(2026, 10, 12, 9, 0),
        )
    measures = measured(uk)
    assert measures.cell[Metric.COMPLAINTS_PER_100_LEADS].value == Decimal("33.3")
    agents = by_name(measures)
    assert agents["Amy"][Metric.COMPLAINTS_PER_100_LEADS] == Decimal("50.0")
    assert agents["Ben"][Metric.COMPLAINTS_PER_100_LEADS] == Decimal("0.0")


def test_an_empty_month_has_no_shares_and_zero_counts(uk: Engine) -> None:
    measures = measured(uk)
    assert measures.agents == []
    assert measures.cell[Metric.LEADS].value == 0
    assert measures.cell[Metric.USEFUL_CONTACTS_PER_DAY].value == Decimal("0.0")
    for metric in (Metric.LEAD_RATE, Metric.COMPLETE_DATA, Metric.AUDIT_SCORE):
        assert measures.cell[metric].value is None


def test_agents_are_named_in_order(uk: Engine) -> None:
    october(uk)
    assert [a.person.user_id for a in measured(uk).agents] == [AMY, BEN]
