"""A lead's transitions by the rule table: what each sets, who may, and the refusals it derives."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models.db import session_scope
from models.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from models.lead_flow import RULES, Transition, actions_from, check
from models.leads import LeadAction, LeadProblem, Routing, Status
from models.policy import POLICY, Action, PolicyProblem
from models.tables import Lead, SlackEvent
from tests.conftest import ADMIN, AGENT, SETTINGS_ADMIN, actor_of
from tests.lead_helpers import (
    CLAIRE,
    MARC,
    THOMAS,
    acme,
    add_person,
    add_team,
    hand,
    member_id,
    move,
    rows,
    set_member,
    set_team,
    stored,
)

C, Q, W, L, J, R, RA = (
    LeadAction.CLAIM,
    LeadAction.QUALIFY,
    LeadAction.WIN,
    LeadAction.LOSE,
    LeadAction.REJECT,
    LeadAction.RELEASE,
    LeadAction.REASSIGN,
)


def refused(error: type[DomainError], problem: object, call: object) -> DomainError:
    with pytest.raises(error) as raised:
        call()  # type: ignore[operator]
    assert raised.value.problem == problem, raised.value
    return raised.value


def lead_for(engine: Engine, engineer: str | None = MARC, **fields: object) -> int:
    return hand(engine, acme(engineer=engineer, **fields)).lead.id


def claimed(engine: Engine, engineer: str = MARC) -> int:
    lead_id = lead_for(engine, engineer)
    move(engine, engineer, lead_id, C)
    return lead_id


def unchanged(engine: Engine, lead_id: int, call: object) -> Transition:
    """Run `call`: it reports no change, and neither the lead nor the outbox moved."""
    before, outbox = stored(engine, lead_id), len(rows(engine))
    transition = call()  # type: ignore[operator]
    assert not transition.changed and transition.outbox == ()
    assert stored(engine, lead_id).model_dump() == before.model_dump()
    assert len(rows(engine)) == outbox
    return transition


# --- the table --------------------------------------------------------------------------------


def test_the_rule_table_is_the_documented_one() -> None:
    sources = {action: sorted(rule.sources) for action, rule in RULES.items()}
    assert sources == {
        C: [Status.NEW],
        Q: [Status.CLAIMED],
        J: [Status.CLAIMED, Status.QUALIFIED],
        W: [Status.CLAIMED, Status.QUALIFIED],
        L: [Status.CLAIMED, Status.QUALIFIED],
        R: [Status.CLAIMED, Status.NEW],
        RA: [Status.CLAIMED, Status.NEW, Status.QUALIFIED],
    }
    assert {a: r.policy for a, r in RULES.items()} == {
        C: Action.LEAD_CLAIM,
        Q: Action.LEAD_DECIDE,
        J: Action.LEAD_DECIDE,
        W: Action.LEAD_DECIDE,
        L: Action.LEAD_DECIDE,
        R: Action.LEAD_RELEASE,
        RA: Action.LEAD_REASSIGN,
    }
    assert actions_from(Status.QUALIFIED) == [J, W, L, RA]
    assert actions_from(Status.WON) == []
    assert POLICY[Action.LEAD_RELEASE].roles  # managers and admins release too


# --- claim ------------------------------------------------------------------------------------


def test_the_named_engineer_claims_and_the_agent_hears_of_it(roster: Engine) -> None:
    lead_id = lead_for(roster)
    transition = move(roster, MARC, lead_id, C)
    lead = stored(roster, lead_id)
    assert (lead.status, lead.owner_id, lead.assigned_to_id, lead.version) == (
        "claimed",
        member_id(roster, MARC),
        member_id(roster, MARC),
        2,
    )
    assert lead.claimed_at is not None
    assert transition.changed and transition.actor == MARC
    card, reply, dm = (r for r in rows(roster) if r.id in transition.outbox)
    assert (card.kind, card.version, card.status) == ("card", 2, "pending")
    assert reply.kind == "reply" and reply.facts["action"] == "claim"
    assert isinstance(reply.facts["elapsed"], int)
    assert (dm.kind, dm.facts["recipient"], dm.facts["role"]) == ("dm", AGENT, "agent")


def test_someone_else_cannot_claim_a_named_lead_and_is_told_whose_it_is(roster: Engine) -> None:
    lead_id = lead_for(roster)
    error = refused(
        NotAllowed, LeadProblem.HANDED_TO_OTHER, lambda: move(roster, CLAIRE, lead_id, C)
    )
    assert error.facts["engineer"].user_id == MARC
    assert error.facts["reference"] == "L-0001"
    assert move(roster, ADMIN, lead_id, C).changed  # an admin, who may reassign it, may


def test_any_engineer_claims_a_pool_lead_and_the_next_is_told_who_has_it(roster: Engine) -> None:
    lead_id = lead_for(roster, None)
    assert move(roster, CLAIRE, lead_id, C).changed
    error = refused(Conflict, LeadProblem.ALREADY_CLAIMED, lambda: move(roster, MARC, lead_id, C))
    assert error.facts["holder"].user_id == CLAIRE


def test_claiming_a_lead_one_holds_changes_nothing(roster: Engine) -> None:
    lead_id = claimed(roster)
    unchanged(roster, lead_id, lambda: move(roster, MARC, lead_id, C))


def test_who_may_claim(roster: Engine) -> None:
    lead_id = lead_for(roster, None)
    error = refused(NotAllowed, PolicyProblem.ROLE_NEEDED, lambda: move(roster, AGENT, lead_id, C))
    assert error.facts["action"] == Action.LEAD_CLAIM
    refused(NotAllowed, PolicyProblem.NOT_ON_ROSTER, lambda: move(roster, "U0NOBODY", lead_id, C))
    set_member(roster, THOMAS, active=False)
    refused(NotAllowed, PolicyProblem.DEACTIVATED, lambda: move(roster, THOMAS, lead_id, C))
    # an organisation admin off the roster may act anywhere, but a lead is held by a member
    refused(
        NotAllowed, PolicyProblem.NOT_ON_ROSTER, lambda: move(roster, SETTINGS_ADMIN, lead_id, C)
    )
    assert stored(roster, lead_id).status == "new"


def test_the_team_scope_applies_to_every_lead_action(roster: Engine) -> None:
    # A France admin can neither claim nor read UK leads, and UK people cannot touch French ones.
    add_team(roster, "uk", leads_channel="C0LEADSUK", currency="GBP")
    add_person(roster, "U0UKAGENT", "Uma Agent", team="uk", is_agent=True)
    add_person(roster, "U0UKSE", "Ian Engineer", team="uk", is_sales_engineer=True)
    add_person(roster, "U0UKBOSS", "Ann Manager", team="uk", is_manager=True, is_admin=True)
    uk_lead = hand(roster, acme(engineer="U0UKSE"), user="U0UKAGENT").lead.id
    fr_lead = claimed(roster)
    for user, lead_id in ((ADMIN, uk_lead), ("U0UKBOSS", fr_lead)):
        for action in (C, Q, W, R):
            error = refused(
                NotAllowed,
                PolicyProblem.OTHER_TEAM,
                lambda a=action, u=user, i=lead_id: move(roster, u, i, a),
            )
            assert error.facts["action"] == Action.LEAD_READ
        refused(
            NotAllowed,
            PolicyProblem.OTHER_TEAM,
            lambda u=user, i=lead_id: move(roster, u, i, RA, to_pool=True),
        )
        with session_scope(roster) as session:
            actor = actor_of(roster, user)
            refused(
                NotAllowed,
                PolicyProblem.OTHER_TEAM,
                lambda s=session, a=actor, i=lead_id: check(s, actor=a, lead_id=i, action=W),
            )
    assert move(roster, SETTINGS_ADMIN, uk_lead, RA, to_pool=True).changed  # organisation admin


def test_an_unknown_lead_is_not_found(roster: Engine) -> None:
    refused(NotFound, LeadProblem.NOT_FOUND, lambda: move(roster, MARC, 999_999, C))


# --- qualify, reject, win, lose ---------------------------------------------------------------


def test_claimed_qualified_won_stamps_each_step_and_bumps_the_version(roster: Engine) -> None:
    lead_id = claimed(roster)
    move(roster, MARC, lead_id, Q)
    transition = move(roster, MARC, lead_id, W, value=Decimal("95000"))
    lead = stored(roster, lead_id)
    assert (lead.status, lead.final_value, lead.version) == ("won", Decimal("95000.00"), 4)
    assert lead.qualified_at is not None and lead.won_at is not None
    assert transition.lead.final_value == Decimal("95000.00")
    reply = next(r for r in rows(roster) if r.id in transition.outbox and r.kind == "reply")
    assert reply.facts == {
        "action": "win",
        "actor": MARC,
        "value": "95000.00",
        "currency": "EUR",
    }


def test_won_without_a_value_takes_the_estimate_or_asks_for_one(roster: Engine) -> None:
    lead_id = claimed(roster)
    move(roster, MARC, lead_id, W)
    assert stored(roster, lead_id).final_value == Decimal("120000.00")
    bare = hand(roster, acme(engineer=MARC, estimated_value=None)).lead.id
    move(roster, MARC, bare, C)
    error = refused(InvalidInput, LeadProblem.VALUE_MISSING, lambda: move(roster, MARC, bare, W))
    assert error.field == "value"


def test_the_won_value_is_bounded_on_both_databases(roster: Engine) -> None:
    lead_id = claimed(roster)
    for value in (Decimal("1E+26"), Decimal(10**12), Decimal("-5"), Decimal("0.001")):
        error = refused(
            InvalidInput,
            LeadProblem.VALUE_OUT_OF_RANGE,
            lambda v=value: move(roster, MARC, lead_id, W, value=v),
        )
        assert error.field == "value"
    assert stored(roster, lead_id).status == "claimed"
    move(roster, MARC, lead_id, W, value=Decimal("999999999999.99"))
    assert stored(roster, lead_id).final_value == Decimal("999999999999.99")


@pytest.mark.parametrize(("action", "status"), [(J, "rejected"), (L, "lost")])
def test_reject_and_lose_need_a_reason(roster: Engine, action: LeadAction, status: str) -> None:
    lead_id = claimed(roster)
    error = refused(
        InvalidInput,
        LeadProblem.REASON_MISSING,
        lambda: move(roster, MARC, lead_id, action, reason="  "),
    )
    assert (error.field, error.facts["status"]) == ("reason", status)
    refused(
        InvalidInput,
        LeadProblem.REASON_TOO_LONG,
        lambda: move(roster, MARC, lead_id, action, reason="x" * 501),
    )
    move(roster, MARC, lead_id, action, reason=" no budget before 2027 ")
    lead = stored(roster, lead_id)
    assert (lead.status, lead.reason) == (status, "no budget before 2027")


def test_only_the_holder_or_a_manager_decides(roster: Engine) -> None:
    lead_id = claimed(roster)
    error = refused(NotAllowed, LeadProblem.NOT_YOURS, lambda: move(roster, CLAIRE, lead_id, Q))
    assert error.facts["holder"].user_id == MARC and error.facts["action"] == Q
    refused(NotAllowed, LeadProblem.NOT_YOURS, lambda: move(roster, AGENT, lead_id, W))
    assert move(roster, ADMIN, lead_id, Q).changed  # the demo admin is a manager too
    assert stored(roster, lead_id).owner_id == member_id(roster, MARC)


def test_deciding_twice_changes_nothing(roster: Engine) -> None:
    lead_id = claimed(roster)
    move(roster, MARC, lead_id, Q)
    unchanged(roster, lead_id, lambda: move(roster, MARC, lead_id, Q))
    move(roster, MARC, lead_id, W)
    unchanged(roster, lead_id, lambda: move(roster, MARC, lead_id, W, value=Decimal(1)))
    refused(Conflict, LeadProblem.CLOSED, lambda: move(roster, CLAIRE, lead_id, W))


# --- refusals derived from the rule -----------------------------------------------------------


def test_a_closed_lead_says_it_is_closed_and_how(roster: Engine) -> None:
    lead_id = claimed(roster)
    move(roster, MARC, lead_id, W)
    # `release` on a won lead used to say "you don't hold it"
    for user, action in ((MARC, R), (CLAIRE, C), (MARC, Q), (ADMIN, L), (MARC, J)):
        error = refused(
            Conflict,
            LeadProblem.CLOSED,
            lambda u=user, a=action: move(roster, u, lead_id, a, reason="x"),
        )
        assert (error.facts["reference"], error.facts["status"]) == ("L-0001", Status.WON)
    error = refused(
        Conflict, LeadProblem.CLOSED, lambda: move(roster, ADMIN, lead_id, RA, to=CLAIRE)
    )
    assert error.facts["status"] == Status.WON


def test_a_wrong_status_names_the_statuses_the_action_starts_from(roster: Engine) -> None:
    lead_id = lead_for(roster)
    for action, allowed in ((Q, [Status.CLAIMED]), (W, [Status.CLAIMED, Status.QUALIFIED])):
        error = refused(
            Conflict, LeadProblem.WRONG_STATUS, lambda a=action: move(roster, MARC, lead_id, a)
        )
        assert error.facts["status"] == Status.NEW
        assert error.facts["allowed"] == allowed
    move(roster, MARC, lead_id, C)
    move(roster, MARC, lead_id, Q)
    error = refused(Conflict, LeadProblem.WRONG_STATUS, lambda: move(roster, MARC, lead_id, R))
    assert (error.facts["status"], error.facts["allowed"]) == (
        Status.QUALIFIED,
        [Status.NEW, Status.CLAIMED],
    )


def test_check_refuses_before_a_form_opens(roster: Engine) -> None:
    lead_id = lead_for(roster)
    with session_scope(roster) as session:
        refused(
            Conflict,
            LeadProblem.WRONG_STATUS,
            lambda: check(session, actor=actor_of(roster, MARC), lead_id=lead_id, action=J),
        )
    move(roster, MARC, lead_id, C)
    with session_scope(roster) as session:
        refused(
            NotAllowed,
            LeadProblem.NOT_YOURS,
            lambda: check(session, actor=actor_of(roster, CLAIRE), lead_id=lead_id, action=W),
        )
        facts = check(session, actor=actor_of(roster, MARC), lead_id=lead_id, action=W)
    assert facts.reference == "L-0001"
    assert stored(roster, lead_id).status == "claimed"


# --- release ----------------------------------------------------------------------------------


def test_the_holder_releases_a_claimed_lead_back_to_the_pool(roster: Engine) -> None:
    lead_id = claimed(roster)
    transition = move(roster, MARC, lead_id, R)
    lead = stored(roster, lead_id)
    assert (lead.status, lead.owner_id, lead.assigned_to_id, lead.claimed_at) == (
        "new",
        None,
        None,
        None,
    )
    assert transition.previous_holder is not None and transition.previous_holder.user_id == MARC
    reply = next(r for r in rows(roster) if r.id in transition.outbox and r.kind == "reply")
    assert reply.facts == {"action": "release", "actor": MARC, "to": None}
    assert [r.kind for r in rows(roster) if r.id in transition.outbox] == ["card", "reply"]


def test_the_named_engineer_passes_an_unclaimed_lead_on(roster: Engine) -> None:
    lead_id = lead_for(roster)
    refused(NotAllowed, LeadProblem.NOT_YOURS, lambda: move(roster, CLAIRE, lead_id, R))
    assert move(roster, MARC, lead_id, R).changed
    assert stored(roster, lead_id).assigned_to_id is None


def test_nobody_holds_a_pool_lead(roster: Engine) -> None:
    lead_id = lead_for(roster, None)
    error = refused(NotAllowed, LeadProblem.NOT_YOURS, lambda: move(roster, MARC, lead_id, R))
    assert error.facts["holder"] is None
    unchanged(roster, lead_id, lambda: move(roster, ADMIN, lead_id, R))


def test_a_release_in_round_robin_goes_to_the_next_engineer(roster: Engine) -> None:
    set_team(roster, lead_routing=Routing.ROUND_ROBIN.value)
    lead_id = claimed(roster, CLAIRE)
    transition = move(roster, CLAIRE, lead_id, R)
    assert stored(roster, lead_id).assigned_to_id == member_id(roster, THOMAS)
    dm = next(r for r in rows(roster) if r.id in transition.outbox and r.kind == "dm")
    assert (dm.facts["recipient"], dm.facts["role"]) == (THOMAS, "new")


def test_a_manager_releases_any_lead_of_the_team(roster: Engine) -> None:
    lead_id = claimed(roster)
    assert move(roster, ADMIN, lead_id, R).changed
    assert (stored(roster, lead_id).status, stored(roster, lead_id).owner_id) == ("new", None)


# --- reassign ---------------------------------------------------------------------------------


def test_a_manager_reassigns_a_claimed_lead_for_the_new_engineer_to_claim(roster: Engine) -> None:
    lead_id = claimed(roster)
    transition = move(roster, ADMIN, lead_id, RA, to=CLAIRE)
    lead = stored(roster, lead_id)
    assert (lead.status, lead.owner_id, lead.assigned_to_id) == (
        "new",
        None,
        member_id(roster, CLAIRE),
    )
    messages = [r for r in rows(roster) if r.id in transition.outbox]
    assert [(r.kind, r.facts.get("recipient"), r.facts.get("role")) for r in messages] == [
        ("card", None, None),
        ("reply", None, None),
        ("dm", CLAIRE, "new"),
        ("dm", MARC, "previous"),
    ]
    assert transition.previous_holder is not None and transition.previous_holder.user_id == MARC


def test_a_qualified_lead_keeps_its_status_and_changes_holder(roster: Engine) -> None:
    lead_id = claimed(roster)
    move(roster, MARC, lead_id, Q)
    move(roster, ADMIN, lead_id, RA, to=CLAIRE)
    lead = stored(roster, lead_id)
    assert (lead.status, lead.owner_id) == ("qualified", member_id(roster, CLAIRE))
    assert move(roster, CLAIRE, lead_id, W).changed


def test_a_lead_goes_back_to_the_pool_but_a_qualified_one_does_not(roster: Engine) -> None:
    lead_id = claimed(roster)
    transition = move(roster, ADMIN, lead_id, RA, to_pool=True)
    assert transition.to_pool and transition.changed
    lead = stored(roster, lead_id)
    assert (lead.status, lead.owner_id, lead.assigned_to_id) == ("new", None, None)
    unchanged(roster, lead_id, lambda: move(roster, ADMIN, lead_id, RA, to_pool=True))
    move(roster, CLAIRE, lead_id, C)
    move(roster, CLAIRE, lead_id, Q)
    refused(
        InvalidInput,
        LeadProblem.QUALIFIED_NOT_TO_POOL,
        lambda: move(roster, ADMIN, lead_id, RA, to_pool=True),
    )


def test_a_lead_is_reassigned_to_an_engineer_named_by_name(roster: Engine) -> None:
    lead_id = claimed(roster)
    move(roster, ADMIN, lead_id, RA, to_name="claire")
    assert stored(roster, lead_id).assigned_to_id == member_id(roster, CLAIRE)
    refused(
        InvalidInput,
        LeadProblem.ENGINEER_UNKNOWN,
        lambda: move(roster, ADMIN, lead_id, RA, to_name="nobody"),
    )


def test_reassigning_to_the_current_holder_is_unchanged_with_no_post(roster: Engine) -> None:
    lead_id = claimed(roster)
    unchanged(roster, lead_id, lambda: move(roster, ADMIN, lead_id, RA, to=MARC))
    named = lead_for(roster, CLAIRE)
    unchanged(roster, named, lambda: move(roster, ADMIN, named, RA, to=CLAIRE))


def test_reassigning_is_for_managers_to_active_engineers(roster: Engine) -> None:
    lead_id = claimed(roster)
    refused(
        NotAllowed, PolicyProblem.ROLE_NEEDED, lambda: move(roster, MARC, lead_id, RA, to=CLAIRE)
    )
    refused(InvalidInput, LeadProblem.TARGET_MISSING, lambda: move(roster, ADMIN, lead_id, RA))
    refused(
        InvalidInput,
        LeadProblem.NOT_A_SALES_ENGINEER,
        lambda: move(roster, ADMIN, lead_id, RA, to=AGENT),
    )
    refused(
        InvalidInput,
        LeadProblem.ENGINEER_NOT_ON_ROSTER,
        lambda: move(roster, ADMIN, lead_id, RA, to="U0NOBODY"),
    )
    set_member(roster, THOMAS, active=False)
    refused(
        InvalidInput,
        LeadProblem.ENGINEER_DEACTIVATED,
        lambda: move(roster, ADMIN, lead_id, RA, to=THOMAS),
    )
    assert stored(roster, lead_id).owner_id == member_id(roster, MARC)


# --- Slack events recorded with their effect --------------------------------------------------


def events(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return list(session.exec(select(SlackEvent.event_id)).all())


def test_an_event_is_recorded_with_its_effect_and_a_redelivery_changes_nothing(
    roster: Engine,
) -> None:
    lead_id = lead_for(roster, None)
    first = move(roster, MARC, lead_id, C, delivery="Ev01")
    assert first.changed and events(roster) == ["Ev01"]
    move(roster, MARC, lead_id, R)
    again = unchanged(roster, lead_id, lambda: move(roster, MARC, lead_id, C, delivery="Ev01"))
    assert again.lead.status == Status.NEW  # the redelivery did not claim it again


def test_an_event_whose_effect_failed_is_applied_when_redelivered(
    roster: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead_id = lead_for(roster)
    import models.lead_flow as flow

    def broken(*args: object, **kwargs: object) -> list[int]:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(flow, "_messages", broken)
    with pytest.raises(RuntimeError):
        move(roster, MARC, lead_id, C, delivery="Ev02")
    assert events(roster) == [] and stored(roster, lead_id).status == "new"
    monkeypatch.undo()
    assert move(roster, MARC, lead_id, C, delivery="Ev02").changed
    assert events(roster) == ["Ev02"]


def test_a_refused_event_records_nothing(roster: Engine) -> None:
    lead_id = lead_for(roster)
    with pytest.raises(NotAllowed):
        move(roster, CLAIRE, lead_id, C, delivery="Ev03")
    assert events(roster) == []


# --- races ------------------------------------------------------------------------------------


def test_twenty_simultaneous_claims_have_exactly_one_winner(roster: Engine) -> None:
    if roster.dialect.name != "postgresql":
        pytest.skip("concurrent conditional UPDATEs are checked on PostgreSQL")
    engineers = [f"U0DEMO{n:02d}" for n in range(4, 19)] + [f"U0RACE{n}" for n in range(5)]
    for number, user in enumerate(engineers[15:]):
        add_person(roster, user, f"Racer {number}", is_sales_engineer=True)
    lead_id = lead_for(roster, None)
    start = threading.Barrier(len(engineers))
    results: dict[str, Transition | BaseException] = {}
    lock = threading.Lock()

    def press(user: str) -> None:
        start.wait(timeout=10)
        try:
            outcome: Transition | BaseException = move(roster, user, lead_id, C)
        except BaseException as exc:  # counted below
            outcome = exc
        with lock:
            results[user] = outcome

    threads = [threading.Thread(target=press, args=(user,)) for user in engineers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(results) == 20
    winners = [u for u, r in results.items() if isinstance(r, Transition)]
    assert len(winners) == 1, results
    [winner] = winners
    losers = [r for u, r in results.items() if u != winner]
    assert all(
        isinstance(r, Conflict) and r.problem == LeadProblem.ALREADY_CLAIMED for r in losers
    ), losers
    assert {r.facts["holder"].user_id for r in losers} == {winner}  # type: ignore[union-attr]
    lead = stored(roster, lead_id)
    assert (lead.status, lead.owner_id, lead.version) == ("claimed", member_id(roster, winner), 2)
    assert len([r for r in rows(roster) if r.kind == "reply"]) == 1
    with session_scope(roster) as session:
        assert session.exec(select(Lead.version).where(Lead.id == lead_id)).one() == 2
