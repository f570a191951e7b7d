"""The daily digest and the monthly report against figures computed by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from models.actors import TERMINAL, Actor
from models.calls import NewCall, log_call
from models.cost_queries import MonthCosts
from models.costs import set_cost, set_split
from models.db import session_scope
from models.digest import DailyDigest, daily_digest
from models.errors import InvalidInput, NotAllowed, NotFound
from models.leads import Source, Status
from models.outcomes import Outcome
from models.periods import local_day
from models.policy import PolicyProblem
from models.reports import (
    MonthlyReport,
    SourceTable,
    cost_per_lead_series,
    cost_recorded,
    monthly_report,
    report_team,
    requested_team,
)
from models.roster import RosterProblem, TeamFields, create_team, get_member, get_team
from models.tables import Call, Event, Lead, Member, Team
from tests.conftest import ADMIN, AGENT, AGENT_2, SALES_ENGINEER, SETTINGS_ADMIN, actor_of

PARIS = ZoneInfo("Europe/Paris")
LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
SOPHIE = "U0DEMO03"
CLAIRE = "U0DEMO05"
_keys = count(1)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def member_id(session: Session, user: str) -> int:
    member = get_member(session, slack_user_id=user)
    assert member is not None and member.id is not None
    return member.id


def add_call(
    session: Session,
    team: Team,
    user: str,
    at: datetime,
    outcome: str,
    seconds: int,
    *,
    undone: bool = False,
) -> None:
    session.add(
        Call(
            team_id=team.id,
            agent_id=member_id(session, user),
            called_at=at,
            duration_seconds=seconds,
            company=f"Company {next(_keys)}",
            outcome=outcome,
            slack_key=f"test:{next(_keys)}",
            undone_at=at + timedelta(minutes=1) if undone else None,
            created_at=at,
        )
    )


def add_lead(
    session: Session,
    team: Team,
    user: str,
    at: datetime,
    *,
    source: Source = Source.TELEMARKETING,
    status: str = "new",
    assigned: str | None = None,
    owner: str | None = None,
    qualified: bool = False,
    handed_at: datetime | None = None,
    company: str | None = None,
) -> Lead:
    team.last_lead_number += 1
    lead = Lead(
        team_id=team.id,
        number=team.last_lead_number,
        source=source.value,
        detected_by_id=member_id(session, user),
        company=company or f"Prospect {next(_keys)}",
        summary="a project",
        currency=team.currency,
        assigned_to_id=member_id(session, assigned) if assigned else None,
        owner_id=member_id(session, owner) if owner else None,
        status=status,
        created_at=at,
        handed_at=handed_at or at,
        qualified_at=at + timedelta(days=1) if qualified else None,
        slack_key=f"test:{next(_keys)}",
    )
    session.add(team)
    session.add(lead)
    return lead


def make_team(session: Session, slug: str, zone: str, currency: str) -> Team:
    session.commit()  # what the caller added so far; the team is created in a unit of its own
    create_team(
        session,
        actor=TERMINAL,
        slug=slug,
        fields=TeamFields(
            name=slug.upper(), timezone=zone, currency=currency, daily_contact_target=20
        ),
    )
    team = get_team(session, slug=slug)
    session.add(
        Member(
            slack_user_id=f"U0{slug.upper()}AG",
            name=f"Agent {slug}",
            team_id=team.id,
            is_agent=True,
        )
    )
    session.commit()
    return team


# --- the daily digest --------------------------------------------------------------------------

DAY = date(2026, 11, 27)
NOW = paris(2026, 11, 27, 18, 0)


@pytest.fixture
def day_data(roster: Engine) -> Engine:
    """Team fr on Friday 27 November 2026 (Paris, UTC+1). See the figures in each test."""
    with session_scope(roster) as session:
        fr = get_team(session, slug="fr")
        uk = make_team(session, "uk", "Europe/London", "GBP")
        # Camille: 4 dials (one undone call does not count), 3 useful, 2 leads.
        add_call(session, fr, AGENT, paris(2026, 11, 27, 9, 0), "contact", 600)
        add_call(session, fr, AGENT, paris(2026, 11, 27, 10, 0), "callback", 900)
        add_call(session, fr, AGENT, paris(2026, 11, 27, 11, 0), "no-answer", 30)
        add_call(session, fr, AGENT, paris(2026, 11, 27, 12, 0), "lead", 1200)
        add_call(session, fr, AGENT, paris(2026, 11, 27, 13, 0), "contact", 700, undone=True)
        # Julien: calls around local midnight: 00:30 and 23:30 count, 00:30 the next day not.
        add_call(session, fr, AGENT_2, utc(2026, 11, 26, 23, 30), "contact", 400)
        add_call(session, fr, AGENT_2, paris(2026, 11, 27, 9, 30), "not-interested", 300)
        add_call(session, fr, AGENT_2, paris(2026, 11, 27, 14, 0), "wrong-contact", 60)
        add_call(session, fr, AGENT_2, paris(2026, 11, 27, 23, 30), "contact", 301)
        add_call(session, fr, AGENT_2, utc(2026, 11, 27, 23, 30), "contact", 999)
        add_call(session, fr, AGENT_2, paris(2026, 11, 26, 15, 0), "contact", 999)
        # Another team's call at the same moment counts for that team only.
        add_call(session, uk, "U0UKAG", paris(2026, 11, 27, 9, 0), "contact", 999)
        # Leads: one left from last week, still new (unclaimed for days) …
        add_lead(
            session,
            fr,
            AGENT,
            paris(2026, 11, 20, 10, 0),
            company="Old & Co",
            assigned=SALES_ENGINEER,
        )
        # … and a claimed one from last week, not listed.
        add_lead(
            session, fr, AGENT, paris(2026, 11, 20, 11, 0), status="claimed", owner=SALES_ENGINEER
        )
        # The day's: claimed telemarketing, a trade-show lead handed 3 h before 18:00,
        # and the admin's seminar lead in the pool for 5 h.
        add_lead(
            session,
            fr,
            AGENT,
            paris(2026, 11, 27, 12, 5),
            status="claimed",
            assigned=SALES_ENGINEER,
            owner=SALES_ENGINEER,
            company="Acme",
        )
        add_lead(
            session,
            fr,
            AGENT,
            paris(2026, 11, 27, 15, 0),
            source=Source.TRADE_SHOW,
            assigned=CLAIRE,
            company="Globex",
        )
        add_lead(
            session, fr, ADMIN, paris(2026, 11, 27, 13, 0), source=Source.SEMINAR, company="Initech"
        )
        # 00:10 on the 28th in Paris, still the 27th in UTC: the next day's.
        add_lead(session, fr, AGENT_2, utc(2026, 11, 27, 23, 10))
        session.commit()
    return roster


def digest(
    engine: Engine,
    day: date = DAY,
    now: datetime = NOW,
    slug: str = "fr",
    actor: Actor = TERMINAL,
) -> DailyDigest:
    with session_scope(engine) as session:
        team = get_team(session, slug=slug)
        return daily_digest(session, actor=actor, team_id=team.id or 0, day=day, now=now)


def test_digest_figures_per_agent(day_data: Engine) -> None:
    result = digest(day_data)
    rows = {a.person.name: a for a in result.agents}
    # The team's active agents; Magali handed only a seminar lead, which is no agent's.
    assert list(rows) == ["Camille Martin", "Julien Bernard", "Sophie Petit"]
    camille = rows["Camille Martin"]
    # 4 dials (the undone call does not count), 3 useful; of her two leads of the day only
    # the telemarketing one (Acme) is hers: Globex came from a trade show.
    assert (camille.dials, camille.useful_contacts, camille.leads) == (4, 3, 1)
    assert camille.person.user_id == AGENT
    assert camille.average_useful_seconds == Decimal(900)  # (600 + 900 + 1200) / 3
    assert camille.lead_rate == Decimal(1) / Decimal(3)
    julien = rows["Julien Bernard"]
    assert (julien.dials, julien.useful_contacts, julien.leads) == (4, 3, 0)
    # (400 + 300 + 301) / 3, kept exact: rounded once, where it is shown.
    assert julien.average_useful_seconds == Decimal(1001) / Decimal(3)
    assert julien.lead_rate == 0
    sophie = rows["Sophie Petit"]  # an active agent without calls
    assert (sophie.dials, sophie.useful_contacts, sophie.leads) == (0, 0, 0)
    assert sophie.lead_rate is None and sophie.average_useful_seconds is None


def test_digest_team_totals_against_the_target(day_data: Engine) -> None:
    result = digest(day_data)
    assert (result.dials, result.useful_contacts, result.agent_leads) == (8, 6, 1)
    assert result.lead_rate == Decimal(1) / Decimal(6)
    assert result.average_useful_seconds == Decimal(600 + 900 + 1200 + 400 + 300 + 301) / 6
    assert result.team.daily_contact_target == 30
    assert result.target_share == Decimal("0.2")
    assert not result.is_empty and result.is_today
    assert result.period == "2026-11-27"


def test_seminar_and_trade_show_leads_are_on_their_own_line(day_data: Engine) -> None:
    result = digest(day_data)
    assert [(s.source, s.leads) for s in result.other_leads] == [
        (Source.SEMINAR, 1),
        (Source.TRADE_SHOW, 1),
    ]
    assert result.other_lead_count == 2
    assert result.agent_leads + result.other_lead_count == len(result.leads)


def test_digest_lists_the_leads_of_the_day(day_data: Engine) -> None:
    result = digest(day_data)
    listed = [
        (d.number, d.company, d.source, d.holder.name if d.holder else None, d.status)
        for d in result.leads
    ]
    assert listed == [
        (3, "Acme", Source.TELEMARKETING, "Marc Dubois", Status.CLAIMED),
        (4, "Globex", Source.TRADE_SHOW, "Claire Moreau", Status.NEW),
        (5, "Initech", Source.SEMINAR, None, Status.NEW),
    ]
    assert result.leads[0].holder is not None and result.leads[0].holder.user_id == SALES_ENGINEER


def test_digest_lists_leads_unclaimed_for_four_hours(day_data: Engine) -> None:
    result = digest(day_data)
    # Initech waited 5 h, Globex only 3 h; Old & Co waits since last week.
    assert [d.company for d in result.unclaimed] == ["Old & Co", "Initech"]
    assert result.unclaimed_count == 2
    assert result.unclaimed[0].holder is not None
    assert result.unclaimed[0].holder.name == "Marc Dubois"
    later = digest(day_data, now=NOW + timedelta(hours=1))
    assert [d.company for d in later.unclaimed] == ["Old & Co", "Initech", "Globex"]


def test_a_day_without_calls_or_leads_is_empty(day_data: Engine) -> None:
    sunday = digest(day_data, day=date(2026, 11, 29), now=paris(2026, 11, 29, 18, 0))
    assert sunday.is_empty
    assert (sunday.dials, sunday.useful_contacts, sunday.agent_leads) == (0, 0, 0)
    assert sunday.leads == () and sunday.other_leads == ()
    assert sunday.unclaimed_count == 4  # still shown, whatever the day (the 28th's too)
    uk = digest(day_data, slug="uk")
    assert (uk.dials, uk.useful_contacts, uk.agent_leads) == (1, 1, 0)
    past = digest(day_data, day=date(2026, 11, 26), now=NOW)
    assert not past.is_today


def test_digest_needs_an_aware_now(day_data: Engine) -> None:
    with pytest.raises(ValueError):
        digest(day_data, now=datetime(2026, 11, 27, 18, 0))


def test_the_call_confirmation_and_the_digest_count_an_agent_alike(day_data: Engine) -> None:
    """models.activity is the one definition: after the same day, the `/call` confirmation
    and the digest give each agent the same dials, useful contacts and leads."""
    confirmed = {}
    for user in (AGENT, AGENT_2, SOPHIE):
        with session_scope(day_data) as session:
            logged = log_call(
                session,
                actor=actor_of(day_data, user),
                new=NewCall("Last Call SA", timedelta(minutes=5), Outcome.NO_ANSWER),
                slack_key=f"test:last:{user}",
                now=paris(2026, 11, 27, 17, 30),
            )
        confirmed[user] = (logged.today.dials, logged.today.useful_contacts, logged.today.leads)
    # By hand: Camille 4 + 1 dials, 3 useful, 1 lead (Acme; Globex is a trade-show lead);
    # Julien 4 + 1 dials, 3 useful, no lead of the 27th in Paris; Sophie only the last call.
    assert confirmed == {AGENT: (5, 3, 1), AGENT_2: (5, 3, 0), SOPHIE: (1, 0, 0)}
    rows = {a.person.user_id: a for a in digest(day_data).agents}
    assert {u: (rows[u].dials, rows[u].useful_contacts, rows[u].leads) for u in confirmed} == (
        confirmed
    )


# --- who may read what -------------------------------------------------------------------------


def refused(problem: PolicyProblem, call: Callable[[], object]) -> None:
    with pytest.raises(NotAllowed) as caught:
        call()
    assert caught.value.problem == problem


def test_the_digest_is_for_the_team_s_people(day_data: Engine) -> None:
    for user in (AGENT, SALES_ENGINEER, ADMIN):
        assert digest(day_data, actor=actor_of(day_data, user)).team.slug == "fr"
    refused(
        PolicyProblem.OTHER_TEAM,
        lambda: digest(day_data, slug="uk", actor=actor_of(day_data, AGENT)),
    )
    refused(
        PolicyProblem.NOT_ON_ROSTER, lambda: digest(day_data, actor=actor_of(day_data, "U0NOBODY"))
    )
    assert digest(day_data, slug="uk", actor=actor_of(day_data, SETTINGS_ADMIN)).team.slug == "uk"


# --- daylight saving: London and Berlin on Sunday 25 October 2026 --------------------------

# Clocks go back at 01:00 UTC in both zones: the local 25 October lasts 25 hours.
INSTANTS = (
    utc(2026, 10, 24, 22, 30),  # London 23:30 on the 24th; Berlin 00:30 on the 25th
    utc(2026, 10, 24, 23, 30),  # London 00:30 on the 25th; Berlin 01:30 on the 25th
    utc(2026, 10, 25, 23, 30),  # London 23:30 on the 25th; Berlin 00:30 on the 26th
    utc(2026, 10, 26, 0, 30),  # London 00:30 on the 26th
)


@pytest.fixture
def dst_data(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        for slug, zone, currency in (
            ("uk", "Europe/London", "GBP"),
            ("de", "Europe/Berlin", "EUR"),
        ):
            team = make_team(session, slug, zone, currency)
            for moment in INSTANTS:
                add_call(session, team, f"U0{slug.upper()}AG", moment, "contact", 600)
                add_lead(session, team, f"U0{slug.upper()}AG", moment)
        session.commit()
    return engine


DST_DAYS = (
    ("uk", date(2026, 10, 24), 1),
    ("uk", date(2026, 10, 25), 2),
    ("uk", date(2026, 10, 26), 1),
    ("de", date(2026, 10, 24), 0),
    ("de", date(2026, 10, 25), 2),
    ("de", date(2026, 10, 26), 2),
)


def test_digest_days_follow_each_team_across_the_dst_change(dst_data: Engine) -> None:
    for slug, day, expected in DST_DAYS:
        result = digest(dst_data, day=day, now=utc(2026, 10, 27), slug=slug)
        assert (result.dials, result.agent_leads, len(result.leads)) == (expected,) * 3, (slug, day)


def test_local_date_of_a_moment(dst_data: Engine) -> None:
    with session_scope(dst_data) as session:
        uk, de = get_team(session, slug="uk"), get_team(session, slug="de")
        assert local_day(ZoneInfo(uk.timezone), INSTANTS[2]) == date(2026, 10, 25)
        assert local_day(ZoneInfo(de.timezone), INSTANTS[2]) == date(2026, 10, 26)


def test_months_follow_each_team_zone(engine: Engine) -> None:
    with session_scope(engine) as session:
        for slug, zone in (("uk", "Europe/London"), ("de", "Europe/Berlin")):
            team = make_team(session, slug, zone, "EUR")
            for moment in (utc(2026, 9, 30, 22, 30), utc(2026, 10, 31, 23, 30)):
                add_lead(session, team, f"U0{slug.upper()}AG", moment)
        session.commit()
    # London: 23:30 on 30 Sep (BST) is September, 23:30 on 31 Oct (GMT) is October.
    # Berlin: 00:30 on 1 Oct (CEST) is October, 00:30 on 1 Nov (CET) is November.
    for slug, expected in (("uk", (1, 1, 0)), ("de", (0, 1, 1))):
        with session_scope(engine) as session:
            team = get_team(session, slug=slug)
            totals = tuple(
                monthly_report(
                    session, actor=TERMINAL, team_id=team.id or 0, month=month
                ).month_table.total_leads
                for month in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1))
            )
        assert totals == expected, slug


# --- the monthly report ------------------------------------------------------------------------

OCTOBER = date(2026, 10, 1)


@pytest.fixture
def month_data(roster: Engine) -> Engine:
    """Team fr: October 2026 and September 2026 costs and leads (see the tests' comments)."""
    with session_scope(roster) as session:
        fr = get_team(session, slug="fr")
        uk = make_team(session, "uk", "Europe/London", "GBP")
        team_id = fr.id or 0
        set_cost(
            session,
            actor=TERMINAL,
            team_id=team_id,
            month=OCTOBER,
            source="telemarketing",
            amount=Decimal(24000),
        )
        set_split(
            session,
            actor=TERMINAL,
            team_id=team_id,
            month=OCTOBER,
            shares={"telemarketing": Decimal(70), "seminar": Decimal(30)},
        )
        set_cost(
            session,
            actor=TERMINAL,
            team_id=team_id,
            month=OCTOBER,
            source="seminar",
            amount=Decimal(1000),
        )
        set_cost(
            session,
            actor=TERMINAL,
            team_id=team_id,
            month=OCTOBER,
            source="other",
            amount=Decimal(500),
        )
        set_cost(
            session,
            actor=TERMINAL,
            team_id=team_id,
            month=date(2026, 9, 1),
            source="telemarketing",
            amount=Decimal(20000),
        )
        set_cost(
            session,
            actor=TERMINAL,
            team_id=team_id,
            month=date(2025, 10, 1),
            source="telemarketing",
            amount=Decimal(99999),
        )
        set_cost(
            session,
            actor=TERMINAL,
            team_id=uk.id or 0,
            month=OCTOBER,
            source="telemarketing",
            amount=Decimal(7777),
        )
        for name, kind, held_on, cost in (
            ("Paris Summit", "seminar", date(2026, 10, 14), Decimal(12000)),
            ("Documation", "trade-show", date(2026, 10, 20), Decimal(30000)),
            ("Lyon Day", "seminar", date(2026, 9, 15), Decimal(5000)),
            ("Free Webinar", "seminar", date(2026, 10, 2), None),
        ):
            session.add(Event(team_id=team_id, kind=kind, name=name, held_on=held_on, cost=cost))
        session.add(
            Event(team_id=uk.id, kind="seminar", name="London", held_on=OCTOBER, cost=Decimal(999))
        )
        # October, telemarketing: 8 leads, 3 qualified (qualified, won, lost after qualifying);
        # the first at 00:30 on 1 October in Paris (22:30 UTC on 30 September).
        add_lead(session, fr, AGENT, utc(2026, 9, 30, 22, 30), status="qualified", qualified=True)
        add_lead(session, fr, AGENT, paris(2026, 10, 5, 10), status="won", qualified=True)
        add_lead(session, fr, AGENT, paris(2026, 10, 6, 10), status="lost", qualified=True)
        add_lead(session, fr, AGENT, paris(2026, 10, 7, 10), status="rejected")
        for day in range(8, 12):
            add_lead(session, fr, AGENT_2, paris(2026, 10, day, 10), status="claimed")
        # October: 2 seminar leads (1 won without a qualified_at), 1 trade-show lead.
        add_lead(session, fr, ADMIN, paris(2026, 10, 14, 18), source=Source.SEMINAR, status="won")
        add_lead(session, fr, ADMIN, paris(2026, 10, 15, 9), source=Source.SEMINAR)
        add_lead(session, fr, ADMIN, paris(2026, 10, 21, 9), source=Source.TRADE_SHOW)
        # November in Paris (00:30 on 1 November), not October.
        add_lead(session, fr, AGENT, utc(2026, 10, 31, 23, 30))
        # September: 10 telemarketing leads, 2 won.
        for day in range(1, 11):
            add_lead(
                session, fr, SOPHIE, paris(2026, 9, day, 10), status="won" if day <= 2 else "new"
            )
        # 00:30 on 1 November 2025 in Paris: the first month of the trailing year.
        add_lead(session, fr, SOPHIE, utc(2025, 10, 31, 23, 30))
        # October 2025: before the trailing year.
        add_lead(session, fr, SOPHIE, paris(2025, 10, 15, 10))
        add_lead(session, uk, "U0UKAG", paris(2026, 10, 15, 10))
        session.commit()
    return roster


def report(
    engine: Engine, month: date = OCTOBER, actor: Actor = TERMINAL, slug: str = "fr"
) -> MonthlyReport:
    with session_scope(engine) as session:
        team = get_team(session, slug=slug)
        return monthly_report(session, actor=actor, team_id=team.id or 0, month=month)


def figures(table: SourceTable, source: Source) -> tuple[object, ...]:
    row = table.row(source)
    return (
        row.cost,
        row.leads,
        row.cost_per_lead,
        row.ratio_to_telemarketing,
        row.share,
        row.qualified,
        row.cost_per_qualified,
    )


def D(numerator: int | str, denominator: int = 1) -> Decimal:
    """An exact figure as the report keeps it."""
    return Decimal(numerator) / Decimal(denominator)


def test_month_table_against_hand_computed_figures(month_data: Engine) -> None:
    table = report(month_data).month_table
    # telemarketing: 24 000 x 70 % = 16 800 for 8 leads = 2 100 per lead, 3 qualified.
    assert figures(table, Source.TELEMARKETING) == (
        Decimal("16800.00"),
        8,
        D(2100),
        D(1),
        D(8, 11),
        3,
        D(5600),
    )
    # seminar: 24 000 x 30 % + 1 000 + 12 000 (Paris Summit) = 20 200 for 2 leads:
    # 10 100 per lead, 10 100 / 2 100 = 4.8095… times telemarketing's, kept exact.
    assert figures(table, Source.SEMINAR) == (
        Decimal("20200.00"),
        2,
        D(10100),
        D(10100, 2100),
        D(2, 11),
        1,
        D(20200),
    )
    # trade show: Documation's 30 000 for 1 lead, nobody qualified yet.
    assert figures(table, Source.TRADE_SHOW) == (
        Decimal("30000.00"),
        1,
        D(30000),
        D(30000, 2100),
        D(1, 11),
        0,
        None,
    )
    # other: a cost without leads.
    assert figures(table, Source.OTHER) == (Decimal("500.00"), 0, None, None, D(0), 0, None)
    assert all(row.cost_recorded for row in table.rows)
    assert (table.total_cost, table.total_leads, table.total_qualified) == (
        Decimal("67500.00"),
        11,
        4,
    )
    assert table.cost_per_lead == D(67500, 11)
    assert table.cost_per_qualified == D(67500, 4)
    assert (table.first_month, table.last_month) == (OCTOBER, OCTOBER)


def test_trailing_twelve_months(month_data: Engine) -> None:
    table = report(month_data).trailing
    assert (table.first_month, table.last_month) == (date(2025, 11, 1), OCTOBER)
    # telemarketing: 16 800 + 20 000 = 36 800 for 8 + 10 + 1 = 19 leads, 3 + 2 qualified.
    assert figures(table, Source.TELEMARKETING) == (
        Decimal("36800.00"),
        19,
        D(36800, 19),
        D(1),
        D(19, 22),
        5,
        D(7360),
    )
    # seminar: 20 200 + 5 000 (Lyon, September) = 25 200 for 2 leads: 12 600 x 19 / 36 800.
    seminar = figures(table, Source.SEMINAR)
    assert seminar[:3] == (Decimal("25200.00"), 2, D(12600))
    assert seminar[3] == D(12600) / D(36800, 19)
    assert seminar[4:] == (D(2, 22), 1, D(25200))
    assert figures(table, Source.TRADE_SHOW)[:3] == (Decimal("30000.00"), 1, D(30000))
    assert figures(table, Source.OTHER)[:4] == (Decimal("500.00"), 0, None, None)
    assert table.total_leads == 22


def test_series_has_gaps_where_a_source_has_no_leads_or_no_cost(month_data: Engine) -> None:
    series = report(month_data).series
    assert series.months[0] == date(2025, 11, 1) and series.months[-1] == OCTOBER
    assert len(series.months) == 12
    tele = series.of(Source.TELEMARKETING)
    assert tele[0] is None  # a lead and no cost recorded: a gap, never "0 per lead"
    assert tele[1:10] == (None,) * 9
    assert tele[10:] == (D(2000), D(2100))
    assert series.of(Source.SEMINAR)[10:] == (None, D(10100))  # Lyon: no leads
    assert series.of(Source.OTHER) == (None,) * 12
    with session_scope(month_data) as session:
        team = get_team(session, slug="fr")
        three = cost_per_lead_series(
            session, actor=TERMINAL, team_id=team.id or 0, end_month=OCTOBER, months=3
        )
    assert three.months == (date(2026, 8, 1), date(2026, 9, 1), OCTOBER)
    assert three.of(Source.TELEMARKETING) == tele[-3:]


def test_a_source_with_leads_and_no_cost_has_no_cost_per_lead(month_data: Engine) -> None:
    # UK, October: 7 777 recorded for telemarketing and 1 lead; the London seminar's 999
    # and no seminar lead. The trailing year: nothing more.
    table = report(month_data, slug="uk").month_table
    assert figures(table, Source.TELEMARKETING)[:4] == (Decimal("7777.00"), 1, D(7777), D(1))
    assert table.row(Source.SEMINAR).cost_recorded
    assert figures(table, Source.SEMINAR)[:3] == (Decimal("999.00"), 0, None)
    # November 2025 in France: one telemarketing lead and nothing recorded.
    november = report(month_data, month=date(2025, 11, 1)).month_table
    tele = november.row(Source.TELEMARKETING)
    assert (tele.leads, tele.cost, tele.cost_recorded) == (1, Decimal(0), False)
    assert tele.cost_per_lead is None and tele.cost_per_qualified is None
    assert not november.cost_recorded and november.cost_per_lead is None
    assert not november.is_empty


def test_cost_recorded_follows_the_split_own_costs_and_events() -> None:
    month = date(2026, 10, 1)
    empty = MonthCosts(month, "EUR")
    assert not any(cost_recorded(empty, s) for s in Source)
    cell = MonthCosts(month, "EUR", recorded={Source.TELEMARKETING: Decimal(24000)})
    assert [cost_recorded(cell, s) for s in Source] == [True, False, False, False]
    split = MonthCosts(
        month,
        "EUR",
        recorded={Source.TELEMARKETING: Decimal(24000), Source.OTHER: Decimal(0)},
        split={Source.TELEMARKETING: Decimal(70), Source.SEMINAR: Decimal(30)},
        events={Source.TRADE_SHOW: Decimal(5000)},
    )
    assert [cost_recorded(split, s) for s in Source] == [True, True, True, True]
    all_to_seminars = MonthCosts(
        month,
        "EUR",
        recorded={Source.TELEMARKETING: Decimal(24000)},
        split={Source.SEMINAR: Decimal(100)},
    )
    # A split that gives telemarketing nothing is a recorded cost of zero, not a missing one.
    assert [cost_recorded(all_to_seminars, s) for s in Source] == [True, True, False, False]


def test_an_empty_month(month_data: Engine) -> None:
    empty = report(month_data, date(2024, 1, 1))
    assert empty.is_empty
    assert empty.month_table.cost_per_lead is None
    assert all(r.share is None for r in empty.month_table.rows)
    assert not report(month_data).is_empty
    assert report(month_data).period == "2026-10"


def test_the_cost_per_lead_report_is_for_the_team_s_managers_and_admins(
    month_data: Engine,
) -> None:
    assert report(month_data, actor=actor_of(month_data, ADMIN)).team.slug == "fr"
    for user in (AGENT, SALES_ENGINEER):
        refused(
            PolicyProblem.ROLE_NEEDED,
            lambda u=user: report(month_data, actor=actor_of(month_data, u)),
        )
    refused(
        PolicyProblem.NOT_ON_ROSTER,
        lambda: report(month_data, actor=actor_of(month_data, "U0NOBODY")),
    )
    # A member of one team cannot read another team's cost-per-lead report.
    refused(
        PolicyProblem.OTHER_TEAM,
        lambda: report(month_data, slug="uk", actor=actor_of(month_data, ADMIN)),
    )
    with session_scope(month_data) as session:
        uk = get_team(session, slug="uk")
        refused(
            PolicyProblem.OTHER_TEAM,
            lambda: cost_per_lead_series(
                session, actor=actor_of(month_data, ADMIN), team_id=uk.id or 0, end_month=OCTOBER
            ),
        )
    assert (
        report(month_data, slug="uk", actor=actor_of(month_data, SETTINGS_ADMIN)).team.slug == "uk"
    )


def test_which_team_a_request_is_about(month_data: Engine) -> None:
    with session_scope(month_data) as session:
        assert requested_team(session, actor=actor_of(month_data, AGENT), slug=None).slug == "fr"
        assert requested_team(session, actor=actor_of(month_data, AGENT), slug="UK").slug == "uk"
        with pytest.raises(InvalidInput) as needed:
            requested_team(session, actor=TERMINAL, slug=None)
        assert needed.value.problem == RosterProblem.TEAM_NOT_CHOSEN
        assert needed.value.facts["known"] == ["fr", "uk"]
        with pytest.raises(NotFound) as unknown:
            requested_team(session, actor=TERMINAL, slug="xx")
        assert unknown.value.problem == RosterProblem.TEAM_NOT_FOUND
        assert (unknown.value.facts["slug"], unknown.value.facts["known"]) == ("xx", ["fr", "uk"])
        with pytest.raises(NotFound) as gone:
            report_team(session, 999_999)
        assert gone.value.problem == RosterProblem.TEAM_NOT_FOUND


def test_the_only_team_needs_no_name(roster: Engine) -> None:
    with session_scope(roster) as session:
        assert requested_team(session, actor=TERMINAL, slug=None).slug == "fr"
