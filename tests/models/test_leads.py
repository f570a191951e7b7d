"""Handing leads and reading them back: problem codes and facts, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models.calls import NewCall, log_call
from models.db import session_scope
from models.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from models.events import EventProblem
from models.leads import (
    PAGE_SIZE,
    LeadAction,
    LeadProblem,
    LeadQuery,
    ListScope,
    Routing,
    Source,
    Status,
    find_lead,
    lead_by_card,
    list_leads,
    parse_reference,
    source_events,
)
from models.outbox import Kind
from models.outcomes import Outcome
from models.policy import PolicyProblem
from models.tables import Call, Lead
from tests.conftest import ADMIN, AGENT, AGENT_2, SETTINGS_ADMIN, actor_of
from tests.lead_helpers import (
    CLAIRE,
    MARC,
    THOMAS,
    acme,
    add_event,
    add_person,
    add_team,
    hand,
    leads,
    member_id,
    move,
    rows,
    set_member,
    set_team,
    stored,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 6, 15, 11, 0, tzinfo=PARIS)


def refused(error: type[DomainError], problem: object, call: object) -> DomainError:
    """Run `call`, expect a refusal with that problem code, return it for its facts."""
    with pytest.raises(error) as raised:
        call()  # type: ignore[operator]
    assert raised.value.problem == problem, raised.value
    return raised.value


def log(engine: Engine, company: str = "Acme Corp", *, at: datetime, user: str = AGENT) -> Call:
    with session_scope(engine) as session:
        new = NewCall(company=company, duration=timedelta(minutes=12), outcome=Outcome.CONTACT)
        logged = log_call(
            session, actor=actor_of(engine, user), new=new, slack_key=f"c:{at}:{company}", now=at
        )
    with session_scope(engine) as session:
        return session.get_one(Call, logged.call.id)


# --- the hand-off -----------------------------------------------------------------------------


def test_a_named_hand_off_stores_every_field_and_queues_its_card_and_dm(roster: Engine) -> None:
    handed = hand(roster, acme(engineer=MARC, contact_name="Jane Doe, CFO"), now=NOW)

    lead = stored(roster, handed.lead.id)
    assert (lead.number, lead.company, lead.company_key, lead.summary) == (
        1,
        "Acme Corp",
        "acme corp",
        "invoice capture",
    )
    assert (lead.estimated_value, lead.currency, lead.status, lead.version) == (
        Decimal("120000.00"),
        "EUR",
        "new",
        1,
    )
    assert (lead.assigned_to_id, lead.owner_id, lead.detected_by_id) == (
        member_id(roster, MARC),
        None,
        member_id(roster, AGENT),
    )
    assert lead.contact_name == "Jane Doe, CFO"
    assert handed.lead.reference == "L-0001"
    assert handed.lead.assigned_to is not None and handed.lead.assigned_to.user_id == MARC
    assert not handed.repeated
    card, dm = rows(roster)
    assert (card.key, card.kind, card.version, card.status) == (
        f"card:{lead.id}",
        "card",
        1,
        "pending",
    )
    assert (dm.kind, dm.facts) == (
        Kind.DM.value,
        {"action": LeadAction.HAND.value, "actor": AGENT, "recipient": MARC},
    )
    assert handed.outbox == (card.id, dm.id)


def test_a_pool_hand_off_queues_only_its_card(roster: Engine) -> None:
    handed = hand(roster)
    assert handed.lead.assigned_to is None
    assert [row.kind for row in rows(roster)] == ["card"]


def test_the_same_key_twice_makes_one_lead_and_no_second_message(roster: Engine) -> None:
    first = hand(roster, acme(engineer=MARC), key="command:T1")
    again = hand(roster, acme(engineer=MARC), key="command:T1")
    assert again.repeated and again.lead.id == first.lead.id
    assert again.outbox == ()
    assert len(leads(roster)) == 1
    assert len(rows(roster)) == 2


def test_references_count_per_team_and_read_in_several_forms(roster: Engine) -> None:
    add_team(roster, "uk", leads_channel="C0LEADSUK", currency="GBP")
    add_person(roster, "U0UKAGENT", "Uma Agent", team="uk", is_agent=True)
    assert [hand(roster).lead.reference for _ in range(2)] == ["L-0001", "L-0002"]
    assert hand(roster, user="U0UKAGENT").lead.reference == "L-0001"
    for text, number in (("L-0042", 42), ("l-42", 42), ("L42", 42), ("42", 42), ("x", None)):
        assert parse_reference(text) == number


def test_sales_engineers_cannot_hand_leads_but_managers_and_admins_can(roster: Engine) -> None:
    refused(NotAllowed, PolicyProblem.ROLE_NEEDED, lambda: hand(roster, user=MARC))
    refused(NotAllowed, PolicyProblem.NOT_ON_ROSTER, lambda: hand(roster, user="U0STRANGER"))
    assert hand(roster, user=ADMIN).lead.reference == "L-0001"
    set_member(roster, AGENT, active=False)
    refused(NotAllowed, PolicyProblem.DEACTIVATED, lambda: hand(roster, user=AGENT))
    assert len(leads(roster)) == 1


def test_a_team_without_a_leads_channel_refuses(roster: Engine) -> None:
    set_team(roster, leads_channel=None)
    error = refused(InvalidInput, LeadProblem.NO_LEADS_CHANNEL, lambda: hand(roster))
    assert error.facts["team"].slug == "fr"
    assert leads(roster) == [] and rows(roster) == []


@pytest.mark.parametrize(
    ("fields", "problem", "field"),
    [
        ({"company": "  "}, LeadProblem.COMPANY_MISSING, "company"),
        ({"company": "x" * 201}, LeadProblem.COMPANY_TOO_LONG, "company"),
        ({"summary": ""}, LeadProblem.SUMMARY_MISSING, "summary"),
        ({"summary": "x" * 2001}, LeadProblem.SUMMARY_TOO_LONG, "summary"),
        ({"contact_name": "x" * 201}, LeadProblem.CONTACT_TOO_LONG, "contact"),
        ({"estimated_value": Decimal("1E+26")}, LeadProblem.VALUE_OUT_OF_RANGE, "value"),
        ({"estimated_value": Decimal(10**12)}, LeadProblem.VALUE_OUT_OF_RANGE, "value"),
        ({"estimated_value": Decimal("-1")}, LeadProblem.VALUE_OUT_OF_RANGE, "value"),
        ({"estimated_value": Decimal("1.005")}, LeadProblem.VALUE_OUT_OF_RANGE, "value"),
        ({"source": Source.SEMINAR}, LeadProblem.EVENT_MISSING, "event"),
    ],
)
def test_bad_fields_are_refused_on_their_field_and_nothing_is_written(
    roster: Engine, fields: dict[str, object], problem: LeadProblem, field: str
) -> None:
    error = refused(InvalidInput, problem, lambda: hand(roster, acme(**fields)))
    assert error.field == field
    assert leads(roster) == [] and rows(roster) == []


def test_the_largest_value_is_stored_exactly_on_both_databases(roster: Engine) -> None:
    largest = Decimal("999999999999.99")
    handed = hand(roster, acme(estimated_value=largest))
    assert stored(roster, handed.lead.id).estimated_value == largest
    assert handed.lead.estimated_value == largest


# --- who the lead is for ----------------------------------------------------------------------


def test_the_named_engineer_must_be_an_active_engineer_of_the_team(roster: Engine) -> None:
    error = refused(
        InvalidInput,
        LeadProblem.ENGINEER_NOT_ON_ROSTER,
        lambda: hand(roster, acme(engineer="U0NOBODY")),
    )
    assert error.field == "engineer"
    assert len(error.facts["engineers"]) == 15
    assert MARC in {p.user_id for p in error.facts["engineers"]}
    error = refused(
        InvalidInput, LeadProblem.NOT_A_SALES_ENGINEER, lambda: hand(roster, acme(engineer=AGENT_2))
    )
    assert error.facts["engineer"].user_id == AGENT_2
    set_member(roster, THOMAS, active=False)
    error = refused(
        InvalidInput, LeadProblem.ENGINEER_DEACTIVATED, lambda: hand(roster, acme(engineer=THOMAS))
    )
    assert error.facts["engineer"].user_id == THOMAS
    assert THOMAS not in {p.user_id for p in error.facts["engineers"]}
    add_team(roster, "uk", leads_channel="C0LEADSUK")
    add_person(roster, "U0UKSE", "Uma Engineer", team="uk", is_sales_engineer=True)
    refused(
        InvalidInput,
        LeadProblem.ENGINEER_NOT_ON_ROSTER,
        lambda: hand(roster, acme(engineer="U0UKSE")),
    )
    assert leads(roster) == []


def test_a_leading_word_slack_did_not_resolve_names_an_engineer_or_is_refused(
    roster: Engine,
) -> None:
    # `/lead @nobdy Acme -- test`: never `@nobdy Acme` as the company, never the pool.
    error = refused(
        InvalidInput,
        LeadProblem.ENGINEER_UNKNOWN,
        lambda: hand(roster, acme(engineer_name="nobdy")),
    )
    assert error.facts["name"] == "nobdy"
    assert [p.name for p in error.facts["engineers"]][:2] == ["Antoine Dupont", "Celine Fournier"]
    refused(
        InvalidInput,
        LeadProblem.NOT_A_SALES_ENGINEER,
        lambda: hand(roster, acme(engineer_name="camille")),
    )
    set_member(roster, THOMAS, active=False)
    refused(
        InvalidInput,
        LeadProblem.ENGINEER_DEACTIVATED,
        lambda: hand(roster, acme(engineer_name="Thomas")),
    )
    assert leads(roster) == []
    by_name = hand(roster, acme(engineer_name="Marc"))
    by_full_name = hand(roster, acme(engineer_name="claire-moreau"))
    assert by_name.lead.assigned_to is not None and by_name.lead.assigned_to.user_id == MARC
    assert by_full_name.lead.assigned_to is not None
    assert by_full_name.lead.assigned_to.user_id == CLAIRE


def test_round_robin_hands_successive_leads_in_turn_and_skips_inactive_engineers(
    roster: Engine,
) -> None:
    set_team(roster, lead_routing=Routing.ROUND_ROBIN.value)
    set_member(roster, CLAIRE, active=False)
    first, second = hand(roster), hand(roster)
    assert first.lead.assigned_to is not None and first.lead.assigned_to.user_id == MARC
    assert second.lead.assigned_to is not None and second.lead.assigned_to.user_id == THOMAS
    named = hand(roster, acme(engineer=MARC))  # a named engineer does not move the rotation
    assert named.lead.assigned_to is not None and named.lead.assigned_to.user_id == MARC
    third = hand(roster)
    assert third.lead.assigned_to is not None and third.lead.assigned_to.user_id == "U0DEMO07"
    assert [r.kind for r in rows(roster)].count("dm") == 4


# --- the call it came from --------------------------------------------------------------------


def test_a_lead_links_the_agents_call_with_that_company_today(roster: Engine) -> None:
    log(roster, "ACME corp", at=NOW - timedelta(days=1))
    earlier = log(roster, "Acme Corp", at=NOW - timedelta(hours=3))
    latest = log(roster, "acme  CORP", at=NOW - timedelta(hours=1))
    log(roster, "Acme Corp", at=NOW - timedelta(minutes=30), user=AGENT_2)
    handed = hand(roster, now=NOW)
    assert handed.linked_call and handed.lead.call_at == latest.called_at
    with session_scope(roster) as session:
        assert session.get_one(Call, latest.id).outcome == "lead"
        assert session.get_one(Call, earlier.id).outcome == "contact"
    other_source = hand(roster, acme(source=Source.OTHER), now=NOW)
    assert not other_source.linked_call


# --- events -----------------------------------------------------------------------------------


def test_a_seminar_lead_takes_the_latest_past_event_of_that_name(roster: Engine) -> None:
    older = add_event(roster, "seminar", "Paris Summit", date(2025, 10, 15))
    latest = add_event(roster, "seminar", "Paris Summit", date(2026, 5, 20))
    add_event(roster, "seminar", "Paris Summit", date(2026, 10, 14))  # not held yet on 15 June
    add_event(roster, "trade-show", "Paris Summit", date(2026, 6, 1))  # another kind
    handed = hand(roster, acme(source=Source.SEMINAR, event_name="paris  SUMMIT"), now=NOW)
    assert handed.lead.event is not None and handed.lead.event.id == latest
    on_day = hand(
        roster,
        acme(source=Source.SEMINAR, event_name="Paris Summit", event_day=date(2025, 10, 15)),
        now=NOW,
    )
    assert on_day.lead.event is not None and on_day.lead.event.id == older
    assert not handed.linked_call


def test_an_event_still_to_come_is_refused_and_a_wrong_day_names_the_days(roster: Engine) -> None:
    # Leads come from events already held (models.events.find_event).
    add_event(roster, "trade-show", "Big Fair", date(2026, 9, 1))
    add_event(roster, "trade-show", "Big Fair", date(2027, 9, 1))
    error = refused(
        Conflict,
        EventProblem.NOT_HELD_YET,
        lambda: hand(roster, acme(source=Source.TRADE_SHOW, event_name="Big Fair"), now=NOW),
    )
    assert error.facts["dates"] == [date(2026, 9, 1), date(2027, 9, 1)]
    assert error.facts["for_lead"] is True
    error = refused(
        NotFound,
        EventProblem.NOT_FOUND,
        lambda: hand(
            roster,
            acme(source=Source.TRADE_SHOW, event_name="Big Fair", event_day=date(2026, 9, 2)),
            now=NOW,
        ),
    )
    assert error.field == "date" and len(error.facts["dates"]) == 2
    assert leads(roster) == []


def test_an_unknown_event_gets_suggestions(roster: Engine) -> None:
    add_event(roster, "seminar", "Paris Summit", date(2026, 5, 20))
    add_event(roster, "seminar", "Lyon Day", date(2026, 4, 2))
    error = refused(
        NotFound,
        EventProblem.NOT_FOUND,
        lambda: hand(roster, acme(source=Source.SEMINAR, event_name="Paris Sumit"), now=NOW),
    )
    assert error.facts["suggestions"] == ["Paris Summit"]
    assert error.field == "event"
    error = refused(
        NotFound,
        EventProblem.NOT_FOUND,
        lambda: hand(roster, acme(source=Source.TRADE_SHOW, event_name="Big Fair"), now=NOW),
    )
    assert error.facts["suggestions"] == []


def test_the_form_names_its_event_by_id_of_the_right_kind_and_team(roster: Engine) -> None:
    summit = add_event(roster, "seminar", "Paris Summit", date(2026, 5, 20))
    fair = add_event(roster, "trade-show", "Big Fair", date(2026, 3, 2))
    add_team(roster, "uk", leads_channel="C0LEADSUK")
    theirs = add_event(roster, "seminar", "London Day", date(2026, 3, 2), team="uk")
    handed = hand(roster, acme(source=Source.SEMINAR, event_id=summit))
    assert handed.lead.event is not None and handed.lead.event.name == "Paris Summit"
    for event_id in (fair, theirs, 999_999):
        refused(
            InvalidInput,
            LeadProblem.EVENT_NOT_OFFERED,
            lambda event_id=event_id: hand(roster, acme(source=Source.SEMINAR, event_id=event_id)),
        )
    with session_scope(roster) as session:
        picker = source_events(session, actor=actor_of(roster, AGENT))
    assert [(e.name, e.held_on) for e in picker] == [
        ("Paris Summit", date(2026, 5, 20)),
        ("Big Fair", date(2026, 3, 2)),
    ]


# --- an open lead for the same company --------------------------------------------------------


def test_a_second_open_lead_for_the_same_company_names_the_first(roster: Engine) -> None:
    first = hand(roster, acme(engineer=MARC))
    move(roster, MARC, first.lead.id, LeadAction.CLAIM)
    closed = hand(roster, acme(company="ACME  corp."))
    move(roster, MARC, closed.lead.id, LeadAction.CLAIM)
    move(roster, MARC, closed.lead.id, LeadAction.LOSE, reason="went elsewhere")
    second = hand(roster, acme(company="Acmé Corp"))
    assert [lead.reference for lead in second.open_duplicates] == ["L-0001"]
    [duplicate] = second.open_duplicates
    assert duplicate.owner is not None and duplicate.owner.user_id == MARC
    assert stored(roster, second.lead.id).status == Status.NEW  # handed all the same
    assert hand(roster, acme(company="Globex")).open_duplicates == ()


# --- reading leads ----------------------------------------------------------------------------


def test_a_lead_is_found_by_reference_in_the_actors_team_only(roster: Engine) -> None:
    hand(roster)
    with session_scope(roster) as session:
        assert find_lead(session, actor=actor_of(roster, MARC), text="l-1").reference == "L-0001"
    add_team(roster, "uk", leads_channel="C0LEADSUK")
    add_person(roster, "U0UKSE", "Uma Engineer", team="uk", is_sales_engineer=True)
    with session_scope(roster) as session:
        uk = actor_of(roster, "U0UKSE")
        error = refused(
            NotFound, LeadProblem.NOT_FOUND, lambda: find_lead(session, actor=uk, text="L-0001")
        )
        assert error.facts["text"] == "L-0001"
        refused(
            InvalidInput,
            LeadProblem.REFERENCE_MISSING,
            lambda: find_lead(session, actor=uk, text=""),
        )
        stranger = actor_of(roster, "U0STRANGER")
        refused(
            NotAllowed,
            PolicyProblem.NOT_ON_ROSTER,
            lambda: find_lead(session, actor=stranger, text="L-0001"),
        )


def test_a_lead_is_found_by_its_card(roster: Engine) -> None:
    handed = hand(roster)
    with roster.begin() as connection:
        connection.execute(
            Lead.__table__.update().values(card_channel="C0LEADSFR", card_ts="1.000100")  # type: ignore[attr-defined]
        )
    with session_scope(roster) as session:
        found = lead_by_card(session, channel="C0LEADSFR", ts="1.000100")
        assert found is not None and found.id == handed.lead.id
        assert lead_by_card(session, channel="C0LEADSFR", ts="1.000200") is None


def listed(engine: Engine, user: str, **query: object) -> list[str]:
    with session_scope(engine) as session:
        page = list_leads(session, actor=actor_of(engine, user), query=LeadQuery(**query))  # type: ignore[arg-type]
    return [lead.reference for lead in page.leads]


def test_lists_by_scope_status_engineer_and_source(roster: Engine) -> None:
    add_event(roster, "seminar", "Paris Summit", date(2026, 5, 20))
    hand(roster, acme(engineer=MARC))  # L-0001
    hand(roster)  # L-0002, pool
    third = hand(
        roster,
        acme(engineer=CLAIRE, source=Source.SEMINAR, event_name="Paris Summit"),
        user=AGENT_2,
    )
    move(roster, CLAIRE, third.lead.id, LeadAction.CLAIM)
    fourth = hand(roster, acme(engineer=MARC))
    move(roster, MARC, fourth.lead.id, LeadAction.CLAIM)
    move(roster, MARC, fourth.lead.id, LeadAction.WIN)

    assert listed(roster, MARC) == ["L-0001"]  # a sales engineer's own open leads
    assert listed(roster, AGENT) == ["L-0004", "L-0002", "L-0001"]  # an agent's of today
    assert listed(roster, AGENT_2) == ["L-0003"]
    assert listed(roster, MARC, scope=ListScope.OPEN) == ["L-0003", "L-0002", "L-0001"]
    assert listed(roster, MARC, scope=ListScope.POOL) == ["L-0002"]
    assert listed(roster, MARC, scope=ListScope.CLOSED) == ["L-0004"]
    assert listed(roster, MARC, scope=ListScope.ALL) == ["L-0004", "L-0003", "L-0002", "L-0001"]
    assert listed(roster, MARC, status=Status.WON) == ["L-0004"]
    assert listed(roster, MARC, engineer=MARC) == ["L-0001"]
    assert listed(roster, MARC, engineer=MARC, scope=ListScope.ALL) == ["L-0004", "L-0001"]
    assert listed(roster, MARC, engineer_name="claire") == ["L-0003"]
    assert listed(roster, MARC, source=Source.SEMINAR) == ["L-0003"]
    assert listed(roster, MARC, source=Source.TELEMARKETING, scope=ListScope.OPEN) == [
        "L-0002",
        "L-0001",
    ]
    with session_scope(roster) as session:
        refused(
            InvalidInput,
            LeadProblem.ENGINEER_UNKNOWN,
            lambda: list_leads(
                session, actor=actor_of(roster, MARC), query=LeadQuery(engineer_name="nobody")
            ),
        )


def test_a_long_list_is_paged_and_says_how_many_there_are(roster: Engine) -> None:
    for _ in range(PAGE_SIZE * 2 + 3):
        hand(roster)
    with session_scope(roster) as session:
        actor = actor_of(roster, MARC)
        first = list_leads(session, actor=actor, query=LeadQuery(scope=ListScope.OPEN))
        second = list_leads(session, actor=actor, query=LeadQuery(scope=ListScope.OPEN, page=2))
        last = list_leads(session, actor=actor, query=LeadQuery(scope=ListScope.OPEN, page=3))
        error = refused(
            InvalidInput,
            LeadProblem.PAGE_OUT_OF_RANGE,
            lambda: list_leads(session, actor=actor, query=LeadQuery(scope=ListScope.OPEN, page=4)),
        )
    assert (first.total, first.pages, first.first, first.last, first.has_next) == (
        83,
        3,
        1,
        40,
        True,
    )
    assert first.leads[0].reference == "L-0083"
    assert (second.first, second.last) == (41, 80)
    assert second.leads[0].reference == "L-0043"
    assert (last.first, last.last, last.has_next) == (81, 83, False)
    assert [lead.reference for lead in last.leads] == ["L-0003", "L-0002", "L-0001"]
    assert error.facts == {"page": 4, "pages": 3}


def test_lists_keep_to_the_actors_team(roster: Engine) -> None:
    add_team(roster, "uk", leads_channel="C0LEADSUK")
    add_person(roster, "U0UKAGENT", "Uma Agent", team="uk", is_agent=True)
    hand(roster)
    hand(roster, user="U0UKAGENT")
    assert listed(roster, MARC, scope=ListScope.ALL) == ["L-0001"]
    assert len(listed(roster, "U0UKAGENT", scope=ListScope.ALL)) == 1
    with session_scope(roster) as session:
        refused(
            NotAllowed,
            PolicyProblem.NOT_ON_ROSTER,
            lambda: list_leads(session, actor=actor_of(roster, SETTINGS_ADMIN), query=LeadQuery()),
        )


def test_the_outbox_rows_of_a_hand_off_are_in_its_transaction(roster: Engine) -> None:
    handed = hand(roster, acme(engineer=MARC))
    with pytest.raises(InvalidInput):
        hand(roster, acme(engineer="U0NOBODY"))
    assert [row.lead_id for row in rows(roster)] == [handed.lead.id, handed.lead.id]
    with session_scope(roster) as session:
        assert session.exec(select(Lead.id)).all() == [handed.lead.id]
