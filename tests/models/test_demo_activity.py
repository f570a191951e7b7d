"""Demo activity: the customer's story in numbers, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from models.calls import NewCall, log_call
from models.db import session_scope
from models.demo.activity import ActivitySummary, generate_activity
from models.demo.clock import Clock, add_working_days, demo_months
from models.demo.problems import DemoProblem
from models.errors import Conflict, InvalidInput, NotFound
from models.leads import Source, Status
from models.outcomes import USEFUL_OUTCOMES, Outcome
from models.roster import RosterProblem
from models.tables import Call, CostSplit, Event, Lead, Member, MonthlyCost, Team
from tests.conftest import AGENT, actor_of

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 11, 27)  # a Friday
USEFUL = [o.value for o in USEFUL_OUTCOMES]


def generate(engine: Engine, **options: object) -> ActivitySummary:
    options = {"months": 3, "today": TODAY, **options}
    return generate_activity(engine, **options)  # type: ignore[arg-type]


def bounds(months: int) -> tuple[datetime, datetime]:
    first = demo_months(TODAY, months)[0]
    start = datetime.combine(first, time.min, PARIS).astimezone(UTC)
    end = datetime.combine(TODAY + timedelta(days=1), time.min, PARIS).astimezone(UTC)
    return start, end


def weekdays(months: int) -> int:
    first = demo_months(TODAY, months)[0]
    days = (first + timedelta(days=n) for n in range((TODAY - first).days + 1))
    return sum(day.weekday() < 5 for day in days)


def counted(session: Session) -> tuple[int, int, Counter[str]]:
    live = col(Call.undone_at).is_(None)
    calls = session.exec(select(func.count()).select_from(Call).where(live)).one()
    useful = session.exec(
        select(func.count()).select_from(Call).where(live, col(Call.outcome).in_(USEFUL))
    ).one()
    query = select(Lead.source, func.count()).group_by(Lead.source)
    leads = Counter(dict(session.exec(query).all()))
    return calls, useful, leads


def test_a_few_months_look_like_the_customer_s_cell(roster: Engine) -> None:
    summary = generate(roster, months=2)
    with session_scope(roster) as session:
        calls, useful, leads = counted(session)
        assert (summary.calls, summary.useful_contacts) == (calls, useful)
        assert summary.leads_by_source == {s.value: leads[s.value] for s in Source}
        assert 0.8 * 30 <= useful / weekdays(2) <= 1.2 * 30
        assert 0.07 <= leads["telemarketing"] / useful <= 0.13
        assert abs(leads["telemarketing"] / sum(leads.values()) - 2 / 3) <= 0.08
        assert useful < calls < 3 * useful  # unanswered dials too
        average = session.exec(
            select(func.avg(Call.duration_seconds)).where(col(Call.outcome).in_(USEFUL))
        ).one()
        assert 10 * 60 <= float(average) <= 15 * 60
        unanswered = session.exec(
            select(func.max(Call.duration_seconds)).where(col(Call.outcome).not_in(USEFUL))
        ).one()
        assert unanswered <= 150
        seminars = session.exec(select(Event).where(Event.kind == "seminar")).all()
        assert 5 <= len(seminars) <= 11  # September to November: 8 planned
        assert all(100 <= (s.attendees or 0) <= 300 and s.cost and s.cost > 0 for s in seminars)
        shows = session.exec(select(Event).where(Event.kind == "trade-show")).all()
        assert [s.held_on.month for s in shows] == [10]  # October's show, a few leads
        assert 1 <= leads["trade-show"] <= 25
        agents = session.exec(select(func.count(func.distinct(Call.agent_id)))).one()
        assert agents == 3
        owners = session.exec(select(func.count(func.distinct(Lead.owner_id)))).one()
        assert owners == 15
    assert summary.working_days in (weekdays(2), weekdays(2) - 1)  # Christmas is off


def test_timestamps_are_aware_utc_within_the_range_and_in_office_hours(roster: Engine) -> None:
    generate(roster, months=2)
    start, end = bounds(2)
    with session_scope(roster) as session:
        calls = session.exec(select(Call)).all()
        leads = session.exec(select(Lead)).all()
        events = session.exec(select(Event)).all()
        costs = session.exec(select(MonthlyCost)).all()
    stamps = [c.called_at for c in calls] + [c.created_at for c in calls]
    stamps += [c.undone_at for c in calls if c.undone_at]
    for lead in leads:
        stamps += [lead.created_at, lead.handed_at]
        stamps += [t for t in (lead.claimed_at, lead.qualified_at, lead.rejected_at) if t]
        stamps += [t for t in (lead.won_at, lead.lost_at) if t]
    stamps += [e.created_at for e in events] + [c.updated_at for c in costs]
    assert all(t.tzinfo is not None and t.utcoffset() == timedelta(0) for t in stamps)
    assert start <= min(stamps) and max(stamps) < end
    for call in calls:
        local = call.called_at.astimezone(PARIS)
        assert local.weekday() < 5 and time(9) <= local.time() < time(19), local
    for lead in leads:
        local = lead.created_at.astimezone(PARIS)
        assert local.weekday() < 5 and time(9) <= local.time() < time(19), local
    assert all(start.date() <= e.held_on <= TODAY for e in events)
    assert {c.month for c in costs} == set(demo_months(TODAY, 2))


def test_leads_link_their_call_or_event_and_live_plausible_lives(roster: Engine) -> None:
    generate(roster)
    with session_scope(roster) as session:
        leads = session.exec(select(Lead).order_by(Lead.number)).all()
        calls = {c.id: c for c in session.exec(select(Call).where(Call.outcome == "lead"))}
        events = {e.id: e for e in session.exec(select(Event))}
        team = session.exec(select(Team)).one()
        engineers = set(session.exec(select(Member.id).where(col(Member.is_sales_engineer))))
    assert [lead.number for lead in leads] == list(range(1, len(leads) + 1))
    assert team.last_lead_number == len(leads)
    assert [lead.created_at for lead in leads] == sorted(lead.created_at for lead in leads)
    telemarketing = [lead for lead in leads if lead.source == "telemarketing"]
    assert sorted(lead.call_id or 0 for lead in telemarketing) == sorted(calls)
    for lead in leads:
        if lead.source == "telemarketing":
            call = calls[lead.call_id]
            assert (call.outcome, call.agent_id, call.company) == (
                "lead",
                lead.detected_by_id,
                lead.company,
            )
            assert call.called_at < lead.created_at and lead.event_id is None
        else:
            assert lead.call_id is None and events[lead.event_id].kind == lead.source
            assert events[lead.event_id].held_on < lead.created_at.astimezone(PARIS).date()
        assert lead.card_version == lead.version and lead.currency == "EUR"
        assert lead.slack_key and lead.summary
        steps = [lead.handed_at, lead.claimed_at, lead.qualified_at]
        steps += [lead.rejected_at or lead.won_at or lead.lost_at]
        present = [t for t in steps if t is not None]
        assert present == sorted(present) and lead.created_at <= lead.handed_at
        assert lead.version == len(present) + (lead.handed_at != lead.created_at)
        if lead.status == Status.NEW:
            assert lead.owner_id is None and lead.claimed_at is None
        else:
            assert lead.owner_id == lead.assigned_to_id and lead.owner_id in engineers
        assert (lead.reason is not None) == (lead.status in (Status.REJECTED, Status.LOST))
        assert (lead.final_value is not None) == (lead.status == Status.WON)
        assert lead.status != Status.WON or lead.qualified_at is not None
    statuses = Counter(lead.status for lead in leads)
    claimed = [lead for lead in leads if lead.claimed_at]
    assert len(claimed) >= 0.95 * len(leads)
    quick = [lead for lead in claimed if lead.claimed_at - lead.handed_at < timedelta(hours=4)]
    assert len(quick) >= 0.75 * len(claimed)
    assert statuses[Status.QUALIFIED] + statuses[Status.CLAIMED] > 0.2 * len(leads)
    assert statuses[Status.REJECTED] > 0.2 * len(leads)
    last_week = [lead for lead in leads if lead.created_at > bounds(1)[1] - timedelta(days=7)]
    assert last_week and all(
        lead.status in ("new", "claimed", "qualified", "rejected") for lead in last_week
    )


def snapshot(engine: Engine) -> tuple[list[tuple[object, ...]], ...]:
    with session_scope(engine) as session:
        calls = session.exec(
            select(
                Call.called_at,
                Call.duration_seconds,
                Call.company,
                Call.outcome,
                Call.note,
                Call.slack_key,
                Call.undone_at,
            ).order_by(Call.slack_key)
        ).all()
        leads = session.exec(
            select(
                Lead.number,
                Lead.source,
                Lead.company,
                Lead.status,
                Lead.created_at,
                Lead.claimed_at,
                Lead.estimated_value,
                Call.slack_key,
            )
            .outerjoin(Call, col(Call.id) == col(Lead.call_id))
            .order_by(Lead.number)
        ).all()
        events = session.exec(
            select(Event.name, Event.held_on, Event.cost, Event.attendees).order_by(Event.name)
        ).all()
        costs = session.exec(
            select(MonthlyCost.month, MonthlyCost.amount).order_by(MonthlyCost.month)
        ).all()
    return (
        [tuple(r) for r in calls],
        [tuple(r) for r in leads],
        [tuple(r) for r in events],
        [tuple(r) for r in costs],
    )


def test_a_seed_always_gives_the_same_data_and_refuses_to_add_twice(roster: Engine) -> None:
    first = generate(roster, months=2)
    data = snapshot(roster)
    with pytest.raises(Conflict) as refused:
        generate(roster, months=2)
    assert refused.value.problem == DemoProblem.TEAM_HAS_ACTIVITY
    assert refused.value.facts["team_slug"] == "fr"
    assert (
        refused.value.facts["counts"]["event"]
        == first.events_by_kind["seminar"] + (first.events_by_kind["trade-show"])
    )
    again = generate(roster, months=2, replace=True)
    assert again == first
    assert snapshot(roster) == data
    other = generate(roster, months=2, seed=8, replace=True)
    assert other != first
    assert snapshot(roster)[0] != data[0]
    with session_scope(roster) as session:
        assert session.exec(select(Team.last_lead_number)).one() == other.leads
        splits = session.exec(select(CostSplit.source, CostSplit.percent)).all()
    assert sorted(set(splits)) == [("seminar", Decimal(30)), ("telemarketing", Decimal(70))]
    assert len(splits) == 6  # two sources, three months (September to November)


def test_a_single_logged_call_is_enough_to_refuse(roster: Engine) -> None:
    with session_scope(roster) as session:
        log_call(
            session,
            actor=actor_of(roster, AGENT),
            slack_key="real:1",
            new=NewCall(company="Acme", duration=timedelta(minutes=5), outcome=Outcome.CONTACT),
        )
    with pytest.raises(Conflict) as refused:
        generate(roster, months=1)
    assert refused.value.facts["counts"] == {"call": 1}
    summary = generate(roster, months=1, replace=True)
    with session_scope(roster) as session:
        assert session.exec(select(Call).where(Call.slack_key == "real:1")).first() is None
        assert session.exec(select(func.count()).select_from(Call)).one() == (
            summary.calls + summary.undone_calls
        )


def test_more_agents_join_the_roster_with_five_sales_engineers_each(roster: Engine) -> None:
    summary = generate(roster, months=1, agents=5)
    assert (summary.agents, summary.sales_engineers) == (5, 25)
    assert 0.8 * 50 <= summary.useful_per_working_day <= 1.2 * 50
    generate(roster, months=1, agents=5, replace=True)
    with session_scope(roster) as session:
        agents = session.exec(select(Member).where(col(Member.is_agent))).all()
        engineers = session.exec(select(Member).where(col(Member.is_sales_engineer))).all()
        callers = session.exec(select(func.count(func.distinct(Call.agent_id)))).one()
    assert (len(agents), len(engineers), callers) == (5, 25, 5)
    assert {a.slack_user_id for a in agents} >= {"U0DEMO01", "U0DEMO02", "U0DEMO03"}


def test_bad_requests_are_refused(roster: Engine) -> None:
    with pytest.raises(InvalidInput) as months:
        generate(roster, months=0)
    assert (months.value.problem, months.value.facts["low"]) == (
        DemoProblem.MONTHS_OUT_OF_RANGE,
        1,
    )
    with pytest.raises(InvalidInput) as agents:
        generate(roster, agents=0)
    assert agents.value.problem == DemoProblem.AGENTS_OUT_OF_RANGE
    with pytest.raises(NotFound) as team:
        generate(roster, team_slug="uk")
    assert (team.value.problem, team.value.facts["known"]) == (RosterProblem.TEAM_NOT_FOUND, ["fr"])


def test_a_year_costs_what_the_story_says(roster: Engine) -> None:
    """Calibration on SQLite: ratios checked against the reporting rule computed by hand."""
    if roster.dialect.name != "sqlite":
        pytest.skip("one 12-month calibration run is enough")
    summary = generate(roster, months=12)
    assert summary.seconds < 10
    assert 25 <= summary.events_by_kind["seminar"] <= 35
    assert summary.events_by_kind["trade-show"] == 2
    assert 0.9 * 30 <= summary.useful_per_working_day <= 1.1 * 30
    assert abs(summary.lead_share - 0.10) <= 0.02
    assert abs(summary.telemarketing_share - 2 / 3) <= 0.05
    months = demo_months(TODAY, 12)[:-1]  # the October report's trailing 12 whole months
    assert summary.cost_months == (date(2025, 11, 1), date(2026, 10, 1))
    end = datetime.combine(date(2026, 11, 1), time.min, PARIS)
    cost: Counter[str] = Counter()
    with session_scope(roster) as session:
        for month in months:
            cell = session.exec(
                select(MonthlyCost.amount).where(
                    MonthlyCost.month == month, MonthlyCost.source == "telemarketing"
                )
            ).one()
            for source, percent in session.exec(
                select(CostSplit.source, CostSplit.percent).where(CostSplit.month == month)
            ):
                cost[source] += cell * percent / 100
        for event in session.exec(select(Event).where(col(Event.held_on) < end.date())):
            cost[event.kind] += event.cost
        leads = Counter(
            dict(
                session.exec(
                    select(Lead.source, func.count())
                    .where(
                        col(Lead.created_at) >= datetime.combine(months[0], time.min, PARIS),
                        col(Lead.created_at) < end,
                    )
                    .group_by(Lead.source)
                ).all()
            )
        )
    per_lead = {s: cost[s] / leads[s] for s in ("telemarketing", "seminar", "trade-show")}
    seminar = per_lead["seminar"] / per_lead["telemarketing"]
    show = per_lead["trade-show"] / per_lead["telemarketing"]
    assert 4 <= seminar <= 6 and 8 <= show <= 12
    assert summary.seminar_ratio == pytest.approx(float(seminar), rel=1e-3)
    assert summary.trade_show_ratio == pytest.approx(float(show), rel=1e-3)
    assert 150 <= per_lead["telemarketing"] <= 400  # euros, for 100 000-euro projects


def test_office_time_skips_nights_weekends_and_holidays() -> None:
    clock = Clock(PARIS)
    friday_evening = datetime(2026, 11, 27, 17, 50, tzinfo=PARIS)
    monday = clock.add_office_time(friday_evening, 30 * 60)
    assert monday.astimezone(PARIS) == datetime(2026, 11, 30, 9, 20, tzinfo=PARIS)
    lunch = clock.add_office_time(datetime(2026, 3, 27, 12, 0, tzinfo=PARIS), 45 * 60)
    assert lunch.astimezone(PARIS).time() == time(14, 15)
    after_dst = clock.office_at(date(2026, 3, 30), 0)  # summer time since Sunday
    assert after_dst == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    assert demo_months(date(2026, 2, 10), 2) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
