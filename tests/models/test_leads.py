"""Handing leads: references, the call they came from, named engineers, routing, events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from models.actors import TERMINAL
from models.calls import NewCall, log_call, undo_call
from models.db import session_scope
from models.errors import DomainError, InvalidInput, NotAllowed, NotFound
from models.events import EventProblem, create_event, first_delivery
from models.leads import (
    LeadView,
    ListScope,
    NewLead,
    Routing,
    Source,
    create_lead,
    find_lead,
    lead_by_card,
    list_leads,
    mark_card_shown,
    parse_reference,
    record_card,
    stale_cards,
    view_lead,
)
from models.outcomes import Outcome
from models.roster import Role, TeamFields, add_member, create_team, get_member, set_active
from models.roster import update_team as roster_update_team
from models.tables import Call, Event, Lead, Team
from tests.conftest import ADMIN, AGENT, AGENT_2, SALES_ENGINEER, SETTINGS_ADMIN, actor_of

PARIS = ZoneInfo("Europe/Paris")
SETTINGS_ADMINS = frozenset({SETTINGS_ADMIN})
#: 15 June 2026, 11:00 in Paris (UTC+2): "today" for the call-linking tests.
NOW = datetime(2026, 6, 15, 11, 0, tzinfo=PARIS)
_keys = iter(range(1, 1_000_000))


def se(number: int) -> str:
    """The demo sales engineers are U0DEMO04 to U0DEMO18."""
    return f"U0DEMO{number:02d}"


def acme(**fields: object) -> NewLead:
    values: dict[str, object] = {
        "company": "Acme Corp",
        "summary": "invoice capture",
        "estimated_value": Decimal("120000"),
    }
    values.update(fields)
    return NewLead(**values)  # type: ignore[arg-type]


def hand(
    engine: Engine,
    new: NewLead | None = None,
    *,
    user: str = AGENT,
    key: str | None = None,
    now: datetime | None = None,
) -> LeadView:
    """Hand a lead in its own unit of work, as a listener does."""
    with session_scope(engine) as session:
        return create_lead(
            session,
            slack_user_id=user,
            new=new or acme(),
            slack_key=key or f"test:{next(_keys)}",
            settings_admins=SETTINGS_ADMINS,
            now=now,
        )


def call(
    engine: Engine,
    company: str = "Acme Corp",
    *,
    user: str = AGENT,
    at: datetime = NOW - timedelta(hours=1),
) -> Call:
    with session_scope(engine) as session:
        return log_call(
            session,
            actor=actor_of(engine, user),
            slack_key=f"call:{next(_keys)}",
            now=at,
            new=NewCall(company=company, duration=timedelta(minutes=12), outcome=Outcome.CONTACT),
        ).call


def leads(engine: Engine) -> list[Lead]:
    with session_scope(engine) as session:
        return list(session.exec(select(Lead).order_by(Lead.id)))


def calls(engine: Engine) -> list[Call]:
    with session_scope(engine) as session:
        return list(session.exec(select(Call).order_by(Call.id)))


def team(engine: Engine, slug: str = "fr") -> Team:
    with session_scope(engine) as session:
        return session.exec(select(Team).where(Team.slug == slug)).one()


def set_routing(engine: Engine, routing: Routing) -> None:
    with session_scope(engine) as session:
        roster_update_team(
            session, actor=TERMINAL, slug="fr", fields=TeamFields(lead_routing=routing.value)
        )


def deactivate(engine: Engine, user: str) -> None:
    with session_scope(engine) as session:
        set_active(session, actor=TERMINAL, slack_user_id=user, active=False)


def add_team(engine: Engine, slug: str, *, leads_channel: str | None, agent: str) -> None:
    with session_scope(engine) as session:
        create_team(
            session,
            actor=TERMINAL,
            slug=slug,
            fields=TeamFields(
                name=slug.upper(),
                timezone="Europe/Berlin",
                currency="EUR",
                leads_channel=leads_channel,
            ),
        )
        add_member(
            session,
            actor=TERMINAL,
            slack_user_id=agent,
            name=f"Agent {slug}",
            team_slug=slug,
            roles={Role.AGENT},
        )
        add_member(
            session,
            actor=TERMINAL,
            slack_user_id=agent + "SE",
            name=f"Engineer {slug}",
            team_slug=slug,
            roles={Role.SALES_ENGINEER},
        )


# --- the hand-off -----------------------------------------------------------------------------


def test_a_named_hand_off_stores_every_field(roster: Engine) -> None:
    view = hand(
        roster,
        acme(
            assignee=SALES_ENGINEER,
            contact_name="Jane Doe, CFO",
            summary="invoice capture for 3 plants, decision in Q2",
        ),
    )

    assert not view.repeated
    assert view.reference == "L-0001"
    [lead] = leads(roster)
    assert lead.id == view.lead.id
    assert (lead.company, lead.contact_name, lead.summary) == (
        "Acme Corp",
        "Jane Doe, CFO",
        "invoice capture for 3 plants, decision in Q2",
    )
    assert (lead.estimated_value, lead.currency) == (Decimal("120000"), "EUR")
    assert (lead.source, lead.event_id, lead.status) == ("telemarketing", None, "new")
    assert lead.owner_id is None and lead.claimed_at is None
    assert lead.version == 1 and lead.card_version == 0
    assert lead.card_channel is None and lead.card_ts is None
    assert lead.handed_at == lead.created_at
    assert view.detected_by.slack_user_id == AGENT
    assert view.assigned_to is not None and view.assigned_to.slack_user_id == SALES_ENGINEER
    assert view.assigned_to.name == "Marc Dubois"
    assert view.owner is None and view.call is None and view.event is None


def test_references_count_per_team_and_a_second_team_starts_at_one(roster: Engine) -> None:
    assert [hand(roster).reference for _ in range(3)] == ["L-0001", "L-0002", "L-0003"]
    add_team(roster, "de", leads_channel="C0LEADSDE", agent="U0DEAGENT")

    german = hand(roster, acme(company="Siemens"), user="U0DEAGENT")
    assert german.reference == "L-0001"
    assert german.lead.currency == "EUR"
    assert hand(roster).reference == "L-0004"
    assert hand(roster, user="U0DEAGENT").reference == "L-0002"
    assert (team(roster).last_lead_number, team(roster, "de").last_lead_number) == (4, 2)


def test_the_same_slack_key_twice_makes_one_lead(roster: Engine) -> None:
    first = hand(roster, key="command:trigger-1")
    again = hand(roster, acme(company="Other"), key="command:trigger-1")

    assert not first.repeated and again.repeated
    assert again.lead.id == first.lead.id and again.reference == "L-0001"
    assert again.lead.company == "Acme Corp"
    assert len(leads(roster)) == 1
    assert team(roster).last_lead_number == 1


def test_sales_engineers_cannot_hand_leads_but_managers_can(roster: Engine) -> None:
    with pytest.raises(NotAllowed):
        hand(roster, user=SALES_ENGINEER)
    with pytest.raises(NotAllowed):
        hand(roster, user="U0NOBODY")
    deactivate(roster, AGENT_2)
    with pytest.raises(NotAllowed):
        hand(roster, user=AGENT_2)
    assert leads(roster) == []
    assert hand(roster, user=ADMIN).detected_by.slack_user_id == ADMIN


def test_a_team_without_a_leads_channel_refuses(roster: Engine) -> None:
    add_team(roster, "de", leads_channel=None, agent="U0DEAGENT")
    with pytest.raises(InvalidInput) as caught:
        hand(roster, user="U0DEAGENT")
    assert "no leads channel" in caught.value.message
    assert caught.value.example == "/leadcell team set de leads=#leads-de"
    assert leads(roster) == []
    assert team(roster, "de").last_lead_number == 0


# --- the call a lead comes from ---------------------------------------------------------------


def test_a_lead_links_the_agents_latest_call_with_that_company_today(roster: Engine) -> None:
    early = call(roster, "Acme Corp", at=NOW - timedelta(hours=2))
    latest = call(roster, "ACME corp", at=NOW - timedelta(hours=1))
    call(roster, "Globex", at=NOW - timedelta(minutes=30))
    undone = call(roster, "Acme Corp", at=NOW - timedelta(minutes=20))
    with session_scope(roster) as session:
        undo_call(
            session,
            actor=actor_of(roster, AGENT),
            call_id=undone.id or 0,
            now=NOW - timedelta(minutes=19),
        )

    view = hand(roster, acme(company="  acme CORP "), now=NOW)

    assert view.call is not None and view.call.id == latest.id
    assert view.lead.call_id == latest.id
    assert view.lead.company == "acme CORP"
    stored = {c.id: c for c in calls(roster)}
    assert len(stored) == 4  # no call was added
    assert stored[latest.id].outcome == "lead"
    assert stored[early.id].outcome == "contact"
    assert stored[undone.id].outcome == "contact"


def test_the_day_is_the_teams_day(roster: Engine) -> None:
    just_after_midnight = call(roster, at=datetime(2026, 6, 15, 0, 30, tzinfo=PARIS))
    assert just_after_midnight.called_at.astimezone(UTC).date() == date(2026, 6, 14)
    view = hand(roster, now=NOW)
    assert view.lead.call_id == just_after_midnight.id


def test_no_link_to_another_agents_call_or_yesterdays(roster: Engine) -> None:
    others = call(roster, user=AGENT_2, at=NOW - timedelta(minutes=10))
    yesterday = call(roster, at=datetime(2026, 6, 14, 23, 50, tzinfo=PARIS))

    view = hand(roster, now=NOW)

    assert view.call is None and view.lead.call_id is None
    assert [c.outcome for c in calls(roster)] == ["contact", "contact"]
    assert {c.id for c in calls(roster)} == {others.id, yesterday.id}


def test_only_telemarketing_leads_link_a_call(roster: Engine) -> None:
    acme_call = call(roster, at=NOW - timedelta(minutes=10))
    view = hand(roster, acme(source=Source.OTHER), now=NOW)
    assert view.lead.call_id is None
    assert calls(roster)[0].outcome == "contact"
    assert hand(roster, now=NOW).lead.call_id == acme_call.id


def test_a_refused_hand_off_leaves_the_call_as_it_was(roster: Engine) -> None:
    call(roster, at=NOW - timedelta(minutes=10))
    with pytest.raises(NotFound):
        hand(roster, acme(assignee="U0NOBODY"), now=NOW)
    assert [c.outcome for c in calls(roster)] == ["contact"]
    assert leads(roster) == []


# --- naming a sales engineer ------------------------------------------------------------------


NOT_ENGINEERS: list[tuple[str, type[DomainError], str]] = [
    ("U0NOBODY", NotFound, "is not on this team's roster"),
    (AGENT_2, InvalidInput, "is not a sales engineer"),
    (ADMIN, InvalidInput, "is not a sales engineer"),
    (se(5), InvalidInput, "is deactivated"),
    ("U0DEAGENTSE", NotFound, "is not on this team's roster"),  # another team's engineer
]


def test_the_named_engineer_must_be_an_active_engineer_of_the_team(roster: Engine) -> None:
    deactivate(roster, se(5))
    add_team(roster, "de", leads_channel="C0LEADSDE", agent="U0DEAGENT")
    for assignee, error, says in NOT_ENGINEERS:
        with pytest.raises(error) as caught:
            hand(roster, acme(assignee=assignee))
        assert type(caught.value) is error, assignee
        assert f"<@{assignee}> {says}" in caught.value.message
        assert caught.value.example and caught.value.field == "engineer"
    assert leads(roster) == []
    assert team(roster).last_lead_number == 0


# --- routing ----------------------------------------------------------------------------------


def test_pool_routing_leaves_the_lead_to_any_engineer(roster: Engine) -> None:
    assert team(roster).lead_routing == "pool"
    view = hand(roster)
    assert view.assigned_to is None and view.lead.assigned_to_id is None
    assert view.lead.status == "new"


def test_round_robin_hands_successive_leads_to_each_engineer_in_turn(roster: Engine) -> None:
    set_routing(roster, Routing.ROUND_ROBIN)
    assignees = [hand(roster).assigned_to for _ in range(17)]
    assert [a.slack_user_id for a in assignees if a] == [se(n) for n in range(4, 19)] + [
        se(4),
        se(5),
    ]


def test_round_robin_skips_inactive_engineers(roster: Engine) -> None:
    set_routing(roster, Routing.ROUND_ROBIN)
    deactivate(roster, se(5))
    deactivate(roster, se(18))
    assignees = [hand(roster).assigned_to for _ in range(15)]
    expected = [se(4)] + [se(n) for n in range(6, 18)] + [se(4), se(6)]
    assert [a.slack_user_id for a in assignees if a] == expected


def test_a_named_engineer_does_not_move_the_rotation(roster: Engine) -> None:
    set_routing(roster, Routing.ROUND_ROBIN)
    first = hand(roster).assigned_to
    named = hand(roster, acme(assignee=se(10))).assigned_to
    second = hand(roster).assigned_to
    assert (
        first and first.slack_user_id,
        named and named.slack_user_id,
        second and second.slack_user_id,
    ) == (se(4), se(10), se(5))


def test_round_robin_with_no_active_engineer_falls_back_to_the_pool(roster: Engine) -> None:
    set_routing(roster, Routing.ROUND_ROBIN)
    for number in range(4, 19):
        deactivate(roster, se(number))
    assert hand(roster).assigned_to is None


# --- seminars and trade shows -----------------------------------------------------------------


def add_event(engine: Engine, kind: str, name: str, team_slug: str = "fr") -> Event:
    with session_scope(engine) as session:
        team_id = session.exec(select(Team.id).where(Team.slug == team_slug)).one()
        return create_event(
            session,
            actor=TERMINAL,
            team_id=team_id,
            kind=kind,
            name=name,
            held_on=date(2026, 10, 14),
        )


def test_a_seminar_lead_names_an_existing_event(roster: Engine) -> None:
    summit = add_event(roster, "seminar", "Paris Summit")
    call(roster, at=NOW - timedelta(minutes=5))

    view = hand(roster, acme(source=Source.SEMINAR, event_name="paris summit"), now=NOW)

    assert view.lead.source == "seminar"
    assert view.event is not None and view.event.id == summit.id
    assert view.lead.event_id == summit.id
    assert view.lead.call_id is None
    assert calls(roster)[0].outcome == "contact"


def test_a_trade_show_lead_names_a_trade_show(roster: Engine) -> None:
    fair = add_event(roster, "trade-show", "Big Fair")
    view = hand(roster, acme(source=Source.TRADE_SHOW, event_name="Big Fair"))
    assert view.lead.event_id == fair.id and view.lead.source == "trade-show"


def test_an_unknown_event_is_not_found_and_the_known_ones_are_listed(roster: Engine) -> None:
    add_event(roster, "seminar", "Paris Summit")
    add_event(roster, "seminar", "Lyon Day")
    add_event(roster, "trade-show", "Big Fair")

    with pytest.raises(NotFound) as caught:
        hand(roster, acme(source=Source.SEMINAR, event_name="Big Fair"))

    assert caught.value.problem == EventProblem.NOT_FOUND
    assert (caught.value.facts["kind"], caught.value.facts["name"]) == ("seminar", "Big Fair")
    assert caught.value.facts["suggestions"] == []  # no seminar is called anything like it
    assert leads(roster) == []
    assert team(roster).last_lead_number == 0


def test_an_event_without_any_known_event_says_so(roster: Engine) -> None:
    with pytest.raises(NotFound) as caught:
        hand(roster, acme(source=Source.SEMINAR, event_name="Paris Summit"))
    assert caught.value.problem == EventProblem.NOT_FOUND
    assert caught.value.facts["suggestions"] == []


def test_the_form_names_its_event_by_id(roster: Engine) -> None:
    summit = add_event(roster, "seminar", "Paris Summit")
    view = hand(roster, acme(source=Source.SEMINAR, event_id=summit.id))
    assert view.event is not None and view.event.name == "Paris Summit"
    assert view.lead.event_id == summit.id


def test_the_form_cannot_name_another_kind_or_another_teams_event(roster: Engine) -> None:
    fair = add_event(roster, "trade-show", "Big Fair")
    add_team(roster, "de", leads_channel="C0LEADSDE", agent="U0DEAGENT")
    berlin = add_event(roster, "seminar", "Berlin Forum", team_slug="de")
    for event_id in (fair.id, berlin.id, 999_999):
        with pytest.raises(InvalidInput) as caught:
            hand(roster, acme(source=Source.SEMINAR, event_id=event_id))
        assert caught.value.field == "event"
    assert leads(roster) == []


# --- reading leads back -----------------------------------------------------------------------


def test_references_are_read_in_several_forms(roster: Engine) -> None:
    assert [parse_reference(t) for t in ("L-0042", "l-42", "L42", "42", " L-0001 ")] == [
        42,
        42,
        42,
        42,
        1,
    ]
    assert parse_reference("M-1") is None and parse_reference("L-") is None
    view = hand(roster)
    add_team(roster, "de", leads_channel="C0LEADSDE", agent="U0DEAGENT")
    with session_scope(roster) as session:
        fr_id = view.lead.team_id
        assert find_lead(session, team_id=fr_id, text="l-1").id == view.lead.id
        de_id = session.exec(select(Team.id).where(Team.slug == "de")).one()
        with pytest.raises(NotFound):
            find_lead(session, team_id=de_id, text="L-0001")
        with pytest.raises(NotFound):
            find_lead(session, team_id=fr_id, text="L-0002")


def test_lists_by_scope(roster: Engine) -> None:
    mine = hand(roster, acme(company="Mine", assignee=SALES_ENGINEER), now=NOW)
    pool = hand(roster, acme(company="Pool"), user=AGENT_2, now=NOW - timedelta(days=1))
    other = hand(roster, acme(company="Claire's", assignee=se(5)), now=NOW)
    with session_scope(roster) as session:
        engineer = get_member(session, slack_user_id=SALES_ENGINEER)
        agent = get_member(session, slack_user_id=AGENT)
        assert engineer is not None and agent is not None

        def refs(member: object, scope: ListScope) -> list[str]:
            return [v.reference for v in list_leads(session, member=member, scope=scope, now=NOW)]

        assert refs(engineer, ListScope.MINE) == [mine.reference]
        assert refs(engineer, ListScope.OPEN) == [other.reference, pool.reference, mine.reference]
        assert refs(engineer, ListScope.POOL) == [pool.reference]
        assert refs(agent, ListScope.HANDED_TODAY) == [other.reference, mine.reference]
        assert refs(agent, ListScope.MINE) == []


def test_a_lead_is_stale_until_its_card_shows_its_version(roster: Engine) -> None:
    first, second = hand(roster), hand(roster)
    with session_scope(roster) as session:
        assert stale_cards(session) == [first.lead.id, second.lead.id]
        record_card(
            session, lead_id=first.lead.id or 0, channel="C0LEADSFR", ts="1.000100", version=1
        )
        assert stale_cards(session) == [second.lead.id]
        found = lead_by_card(session, channel="C0LEADSFR", ts="1.000100")
        assert found is not None and found.id == first.lead.id
        assert lead_by_card(session, channel="C0OTHER", ts="1.000100") is None
        mark_card_shown(session, lead_id=second.lead.id or 0, version=1)
        assert stale_cards(session) == []
        mark_card_shown(session, lead_id=second.lead.id or 0, version=0)  # never backwards
        assert view_lead(session, lead_id=second.lead.id or 0).lead.card_version == 1


def test_an_event_id_is_handled_once(roster: Engine) -> None:
    with session_scope(roster) as session:
        assert first_delivery(session, event_id="Ev0001")
        assert not first_delivery(session, event_id="Ev0001")
        assert first_delivery(session, event_id="Ev0002")


def test_view_of_an_unknown_lead_is_not_found(roster: Engine) -> None:
    with session_scope(roster) as session, pytest.raises(NotFound):
        view_lead(session, lead_id=999_999)


def test_no_lead_is_written_twice_for_one_key_across_sessions(roster: Engine) -> None:
    hand(roster, key="view:V1")
    hand(roster, key="view:V1")
    with session_scope(roster) as session:
        assert session.exec(select(func.count()).select_from(Lead)).one() == 1
