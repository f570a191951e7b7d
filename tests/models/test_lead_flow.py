"""A lead's life: claim, qualify, reject, win, lose, release, reassign, and who may do each."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models import lead_flow
from models.actors import TERMINAL
from models.db import session_scope
from models.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from models.lead_flow import Transition
from models.leads import NewLead, Routing, create_lead
from models.roster import Role, TeamFields, add_member, create_team, set_active, update_team
from models.tables import Lead, Member
from tests.conftest import ADMIN, AGENT, AGENT_2, SALES_ENGINEER, SETTINGS_ADMIN

SETTINGS_ADMINS = frozenset({SETTINGS_ADMIN})
MARC, CLAIRE, THOMAS = SALES_ENGINEER, "U0DEMO05", "U0DEMO06"
MANAGER = "U0MANAGER"
T0 = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
_keys = iter(range(1, 1_000_000))


def hand(
    engine: Engine,
    *,
    assignee: str | None = None,
    value: Decimal | None = Decimal("120000"),
    user: str = AGENT,
) -> int:
    """Hand a lead at T0 and return its id."""
    with session_scope(engine) as session:
        view = create_lead(
            session,
            slack_user_id=user,
            slack_key=f"test:{next(_keys)}",
            now=T0,
            settings_admins=SETTINGS_ADMINS,
            new=NewLead(
                company="Acme Corp",
                summary="invoice capture",
                assignee=assignee,
                estimated_value=value,
            ),
        )
        return view.lead.id or 0


def lead(engine: Engine, lead_id: int) -> Lead:
    with session_scope(engine) as session:
        found = session.get(Lead, lead_id)
        assert found is not None
        return found


def member_id(engine: Engine, user: str) -> int:
    with session_scope(engine) as session:
        return session.exec(select(Member.id).where(Member.slack_user_id == user)).one() or 0


def claim(engine: Engine, lead_id: int, user: str, *, at: datetime | None = None) -> Transition:
    with session_scope(engine) as session:
        return lead_flow.claim(
            session, lead_id=lead_id, slack_user_id=user, settings_admins=SETTINGS_ADMINS, now=at
        )


def advance(
    engine: Engine,
    lead_id: int,
    user: str,
    action: str,
    *,
    reason: str | None = None,
    value: Decimal | None = None,
    at: datetime | None = None,
) -> Transition:
    with session_scope(engine) as session:
        return lead_flow.advance(
            session,
            lead_id=lead_id,
            slack_user_id=user,
            action=action,
            reason=reason,
            value=value,
            settings_admins=SETTINGS_ADMINS,
            now=at,
        )


def release(engine: Engine, lead_id: int, user: str) -> Transition:
    with session_scope(engine) as session:
        return lead_flow.release(
            session, lead_id=lead_id, slack_user_id=user, settings_admins=SETTINGS_ADMINS
        )


def reassign(engine: Engine, lead_id: int, user: str, to: str) -> Transition:
    with session_scope(engine) as session:
        return lead_flow.reassign(
            session,
            lead_id=lead_id,
            slack_user_id=user,
            to_slack_user_id=to,
            settings_admins=SETTINGS_ADMINS,
        )


def unchanged(engine: Engine, lead_id: int, before: Lead) -> None:
    after = lead(engine, lead_id)
    assert after.model_dump() == before.model_dump()


def refused(
    engine: Engine, lead_id: int, error: type[DomainError], says: str, attempt: object
) -> DomainError:
    """`attempt()` raises `error` saying `says`, and the lead is exactly as it was."""
    before = lead(engine, lead_id)
    with pytest.raises(error) as caught:
        attempt()  # type: ignore[operator]
    assert says in caught.value.message, caught.value.message
    unchanged(engine, lead_id, before)
    return caught.value


@pytest.fixture
def manager(roster: Engine) -> str:
    """A manager who is neither an admin nor a sales engineer."""
    with session_scope(roster) as session:
        add_member(
            session,
            actor=TERMINAL,
            slack_user_id=MANAGER,
            name="Mona Manager",
            team_slug="fr",
            roles={Role.MANAGER},
        )
    return MANAGER


# --- claiming ---------------------------------------------------------------------------------


def test_the_named_engineer_claims(roster: Engine) -> None:
    lead_id = hand(roster, assignee=MARC)
    at = T0 + timedelta(minutes=14)

    done = claim(roster, lead_id, MARC, at=at)

    assert not done.repeated and done.action == "claimed"
    assert done.actor.slack_user_id == MARC
    assert done.view.owner is not None and done.view.owner.slack_user_id == MARC
    assert done.view.time_to_claim == timedelta(minutes=14)
    stored = lead(roster, lead_id)
    assert (stored.status, stored.owner_id, stored.assigned_to_id) == (
        "claimed",
        member_id(roster, MARC),
        member_id(roster, MARC),
    )
    assert stored.claimed_at == at
    assert stored.version == 2


def test_someone_else_cannot_claim_a_named_lead_and_is_told_whose_it_is(roster: Engine) -> None:
    lead_id = hand(roster, assignee=MARC)
    refused(
        roster,
        lead_id,
        NotAllowed,
        f"handed to <@{MARC}>: only they can claim it",
        lambda: claim(roster, lead_id, CLAIRE),
    )
    assert claim(roster, lead_id, MARC).view.lead.status == "claimed"


def test_any_engineer_claims_a_pool_lead_and_the_next_is_told_who_won(roster: Engine) -> None:
    lead_id = hand(roster)
    assert claim(roster, lead_id, THOMAS).view.lead.owner_id == member_id(roster, THOMAS)
    error = refused(
        roster, lead_id, Conflict, "is already claimed by", lambda: claim(roster, lead_id, CLAIRE)
    )
    assert error.message == f"L-0001 is already claimed by <@{THOMAS}>."


def test_agents_cannot_claim(roster: Engine) -> None:
    lead_id = hand(roster)
    refused(
        roster,
        lead_id,
        NotAllowed,
        "Only sales engineers claim leads",
        lambda: claim(roster, lead_id, AGENT_2),
    )
    refused(
        roster,
        lead_id,
        NotAllowed,
        "not an active member",
        lambda: claim(roster, lead_id, "U0NOBODY"),
    )


def test_a_deactivated_engineer_cannot_claim(roster: Engine) -> None:
    lead_id = hand(roster)
    with session_scope(roster) as session:
        set_active(session, actor=TERMINAL, slack_user_id=CLAIRE, active=False)
    refused(
        roster, lead_id, NotAllowed, "not an active member", lambda: claim(roster, lead_id, CLAIRE)
    )


def test_a_double_claim_by_the_same_person_has_no_second_effect(roster: Engine) -> None:
    lead_id = hand(roster, assignee=MARC)
    first = claim(roster, lead_id, MARC, at=T0 + timedelta(minutes=5))
    before = lead(roster, lead_id)

    again = claim(roster, lead_id, MARC, at=T0 + timedelta(minutes=9))

    assert not first.repeated and again.repeated
    assert again.view.lead.claimed_at == T0 + timedelta(minutes=5)
    unchanged(roster, lead_id, before)


def test_an_engineer_of_another_team_cannot_claim(roster: Engine) -> None:
    lead_id = hand(roster)
    with session_scope(roster) as session:
        create_team(
            session,
            actor=TERMINAL,
            slug="de",
            fields=TeamFields(
                name="Germany", timezone="Europe/Berlin", currency="EUR", leads_channel="C0LEADSDE"
            ),
        )
        add_member(
            session,
            actor=TERMINAL,
            slack_user_id="U0DESE",
            name="Hans",
            team_slug="de",
            roles={Role.SALES_ENGINEER},
        )
    refused(
        roster,
        lead_id,
        NotAllowed,
        "belongs to another team",
        lambda: claim(roster, lead_id, "U0DESE"),
    )


def test_an_unknown_lead_is_not_found(roster: Engine) -> None:
    with pytest.raises(NotFound):
        claim(roster, 999_999, MARC)
    with pytest.raises(NotFound):
        advance(roster, 999_999, MARC, "qualify")


def test_a_closed_lead_is_not_claimed(roster: Engine) -> None:
    lead_id = hand(roster)
    claim(roster, lead_id, MARC)
    advance(roster, lead_id, MARC, "reject", reason="too small")
    refused(
        roster, lead_id, Conflict, "is already claimed by", lambda: claim(roster, lead_id, CLAIRE)
    )


# --- transitions ------------------------------------------------------------------------------


def test_claimed_qualified_won_stamps_each_step_and_bumps_the_version(roster: Engine) -> None:
    lead_id = hand(roster, assignee=MARC)
    claim(roster, lead_id, MARC, at=T0 + timedelta(hours=1))

    qualified = advance(roster, lead_id, MARC, "qualify", at=T0 + timedelta(days=1))
    assert (qualified.action, qualified.repeated) == ("qualified", False)
    stored = lead(roster, lead_id)
    assert (stored.status, stored.qualified_at, stored.version) == (
        "qualified",
        T0 + timedelta(days=1),
        3,
    )

    won = advance(roster, lead_id, MARC, "win", value=Decimal("95000"), at=T0 + timedelta(days=30))
    assert won.action == "won"
    stored = lead(roster, lead_id)
    assert (stored.status, stored.won_at, stored.final_value, stored.version) == (
        "won",
        T0 + timedelta(days=30),
        Decimal("95000"),
        4,
    )
    assert stored.claimed_at == T0 + timedelta(hours=1)
    assert stored.qualified_at == T0 + timedelta(days=1)
    assert stored.owner_id == member_id(roster, MARC)


def test_won_without_a_value_takes_the_estimate(roster: Engine) -> None:
    lead_id = hand(roster, value=Decimal("120000"))
    claim(roster, lead_id, MARC)
    advance(roster, lead_id, MARC, "win")
    assert lead(roster, lead_id).final_value == Decimal("120000")


def test_won_without_a_value_or_an_estimate_asks_for_the_value(roster: Engine) -> None:
    lead_id = hand(roster, value=None)
    claim(roster, lead_id, MARC)
    error = refused(
        roster,
        lead_id,
        InvalidInput,
        "Give the value L-0001 was won for",
        lambda: advance(roster, lead_id, MARC, "win"),
    )
    assert error.field == "value"


def test_qualified_then_lost_keeps_the_reason(roster: Engine) -> None:
    lead_id = hand(roster)
    claim(roster, lead_id, MARC)
    advance(roster, lead_id, MARC, "qualify")
    lost = advance(
        roster, lead_id, MARC, "lose", reason="  went with a competitor ", at=T0 + timedelta(days=3)
    )
    assert lost.action == "lost"
    stored = lead(roster, lead_id)
    assert (stored.status, stored.reason, stored.lost_at, stored.version) == (
        "lost",
        "went with a competitor",
        T0 + timedelta(days=3),
        4,
    )
    assert stored.final_value is None


def test_claimed_then_rejected_needs_a_reason(roster: Engine) -> None:
    lead_id = hand(roster)
    claim(roster, lead_id, MARC)
    for reason in (None, "", "   "):
        error = refused(
            roster,
            lead_id,
            InvalidInput,
            "Say why L-0001 is rejected",
            lambda reason=reason: advance(roster, lead_id, MARC, "reject", reason=reason),
        )
        assert error.field == "reason"
        assert error.example
    refused(
        roster,
        lead_id,
        InvalidInput,
        "longer than 500",
        lambda: advance(roster, lead_id, MARC, "reject", reason="x" * 501),
    )

    advance(roster, lead_id, MARC, "reject", reason="too small", at=T0 + timedelta(hours=2))
    stored = lead(roster, lead_id)
    assert (stored.status, stored.reason, stored.rejected_at, stored.version) == (
        "rejected",
        "too small",
        T0 + timedelta(hours=2),
        3,
    )


def test_a_lost_lead_needs_a_reason(roster: Engine) -> None:
    lead_id = hand(roster)
    claim(roster, lead_id, MARC)
    refused(
        roster,
        lead_id,
        InvalidInput,
        "Say why L-0001 is lost",
        lambda: advance(roster, lead_id, MARC, "lose"),
    )


WRONG_STATES: list[tuple[list[str], str, str | None]] = [
    ([], "qualify", "{ref} is new, so it can't be qualified now. Claim it first."),
    ([], "win", "{ref} is new, so it can't be won now. Claim it first."),
    ([], "reject", "{ref} is new, so it can't be rejected now. Claim it first."),
    (["claim", "qualify"], "qualify", None),  # repeated, no error
    (["claim", "win"], "qualify", "{ref} is won, so it can't be qualified now."),
    (["claim", "win"], "lose", "{ref} is won, so it can't be lost now."),
    (["claim", "reject"], "win", "{ref} is rejected, so it can't be won now."),
    (["claim", "lose"], "reject", "{ref} is lost, so it can't be rejected now."),
]


def test_a_transition_from_the_wrong_state_is_refused_clearly(roster: Engine) -> None:
    for number, (setup, action, says) in enumerate(WRONG_STATES, start=1):
        lead_id = hand(roster)
        for step in setup:
            if step == "claim":
                claim(roster, lead_id, MARC)
            else:
                advance(roster, lead_id, MARC, step, reason="because")
        if says is None:
            before = lead(roster, lead_id)
            assert advance(roster, lead_id, MARC, action).repeated
            unchanged(roster, lead_id, before)
            continue
        error = refused(
            roster,
            lead_id,
            Conflict,
            says.format(ref=f"L-{number:04d}"),
            lambda lead_id=lead_id, action=action: advance(
                roster, lead_id, MARC, action, reason="because"
            ),
        )
        assert error.message == says.format(ref=f"L-{number:04d}")


def test_only_the_holder_or_a_manager_moves_a_lead_on(roster: Engine, manager: str) -> None:
    lead_id = hand(roster)
    claim(roster, lead_id, MARC)
    refused(
        roster,
        lead_id,
        NotAllowed,
        f"Only <@{MARC}>, who holds L-0001, or a manager",
        lambda: advance(roster, lead_id, CLAIRE, "qualify"),
    )
    refused(
        roster,
        lead_id,
        NotAllowed,
        f"Only <@{MARC}>",
        lambda: advance(roster, lead_id, AGENT, "reject", reason="no"),
    )

    by_manager = advance(roster, lead_id, manager, "qualify")
    assert by_manager.actor.slack_user_id == manager and not by_manager.repeated
    by_admin = advance(roster, lead_id, ADMIN, "lose", reason="budget frozen")
    assert by_admin.view.lead.status == "lost"
    assert lead(roster, lead_id).owner_id == member_id(roster, MARC)


# --- release and reassign ---------------------------------------------------------------------


def test_the_holder_releases_a_lead_back_to_the_pool(roster: Engine) -> None:
    lead_id = hand(roster, assignee=MARC)
    claim(roster, lead_id, MARC)
    advance(roster, lead_id, MARC, "qualify")

    released = release(roster, lead_id, MARC)

    assert released.action == "released"
    assert released.previous_owner is not None and released.previous_owner.slack_user_id == MARC
    stored = lead(roster, lead_id)
    assert (stored.status, stored.owner_id, stored.assigned_to_id) == ("new", None, None)
    assert stored.claimed_at is None and stored.qualified_at is None
    assert stored.handed_at > T0
    assert stored.version == 4
    assert claim(roster, lead_id, CLAIRE).view.lead.owner_id == member_id(roster, CLAIRE)


def test_the_named_assignee_passes_an_unclaimed_lead(roster: Engine) -> None:
    lead_id = hand(roster, assignee=MARC)
    release(roster, lead_id, MARC)
    stored = lead(roster, lead_id)
    assert (stored.status, stored.assigned_to_id) == ("new", None)


def test_a_release_in_round_robin_goes_to_the_next_in_rotation(roster: Engine) -> None:
    with session_scope(roster) as session:
        update_team(
            session,
            actor=TERMINAL,
            slug="fr",
            fields=TeamFields(lead_routing=Routing.ROUND_ROBIN.value),
        )
    lead_id = hand(roster, assignee=MARC)
    claim(roster, lead_id, MARC)

    released = release(roster, lead_id, MARC)

    assert released.view.assigned_to is not None
    assert released.view.assigned_to.slack_user_id == CLAIRE
    stored = lead(roster, lead_id)
    assert (stored.status, stored.owner_id, stored.assigned_to_id) == (
        "new",
        None,
        member_id(roster, CLAIRE),
    )
    refused(
        roster, lead_id, NotAllowed, f"handed to <@{CLAIRE}>", lambda: claim(roster, lead_id, MARC)
    )
    assert not claim(roster, lead_id, CLAIRE).repeated


def test_only_the_holder_releases(roster: Engine) -> None:
    lead_id = hand(roster)
    refused(
        roster, lead_id, NotAllowed, "You don't hold L-0001", lambda: release(roster, lead_id, MARC)
    )  # a pool lead nobody holds
    claim(roster, lead_id, MARC)
    refused(
        roster,
        lead_id,
        NotAllowed,
        "You don't hold L-0001",
        lambda: release(roster, lead_id, CLAIRE),
    )
    advance(roster, lead_id, MARC, "win")
    refused(
        roster, lead_id, NotAllowed, "You don't hold L-0001", lambda: release(roster, lead_id, MARC)
    )  # closed


def test_a_manager_reassigns_a_new_or_claimed_lead_as_new_for_the_target(
    roster: Engine, manager: str
) -> None:
    pool_lead = hand(roster)
    moved = reassign(roster, pool_lead, manager, CLAIRE)
    assert moved.action == "reassigned" and moved.previous_owner is None
    stored = lead(roster, pool_lead)
    assert (stored.status, stored.owner_id, stored.assigned_to_id, stored.version) == (
        "new",
        None,
        member_id(roster, CLAIRE),
        2,
    )

    claimed = hand(roster)
    claim(roster, claimed, MARC)
    moved = reassign(roster, claimed, ADMIN, CLAIRE)
    assert moved.previous_owner is not None and moved.previous_owner.slack_user_id == MARC
    stored = lead(roster, claimed)
    assert (stored.status, stored.owner_id, stored.assigned_to_id, stored.claimed_at) == (
        "new",
        None,
        member_id(roster, CLAIRE),
        None,
    )
    refused(
        roster, claimed, NotAllowed, f"handed to <@{CLAIRE}>", lambda: claim(roster, claimed, MARC)
    )
    assert not claim(roster, claimed, CLAIRE).repeated


def test_a_qualified_lead_keeps_its_status_and_changes_owner(roster: Engine) -> None:
    lead_id = hand(roster)
    claim(roster, lead_id, MARC)
    advance(roster, lead_id, MARC, "qualify")
    qualified_at = lead(roster, lead_id).qualified_at

    reassign(roster, lead_id, ADMIN, CLAIRE)

    stored = lead(roster, lead_id)
    assert (stored.status, stored.owner_id, stored.assigned_to_id, stored.qualified_at) == (
        "qualified",
        member_id(roster, CLAIRE),
        member_id(roster, CLAIRE),
        qualified_at,
    )
    refused(
        roster,
        lead_id,
        NotAllowed,
        f"Only <@{CLAIRE}>",
        lambda: advance(roster, lead_id, MARC, "win"),
    )
    assert advance(roster, lead_id, CLAIRE, "win").view.lead.status == "won"


def test_reassigning_is_for_managers_to_active_engineers_of_open_leads(roster: Engine) -> None:
    lead_id = hand(roster)
    claim(roster, lead_id, MARC)
    refused(
        roster,
        lead_id,
        NotAllowed,
        "Only managers and admins reassign leads",
        lambda: reassign(roster, lead_id, MARC, CLAIRE),
    )
    refused(
        roster,
        lead_id,
        NotAllowed,
        "Only managers and admins reassign leads",
        lambda: reassign(roster, lead_id, AGENT, CLAIRE),
    )
    refused(
        roster,
        lead_id,
        InvalidInput,
        "is not a sales engineer",
        lambda: reassign(roster, lead_id, ADMIN, AGENT),
    )
    refused(
        roster,
        lead_id,
        NotFound,
        "is not on this team's roster",
        lambda: reassign(roster, lead_id, ADMIN, "U0NOBODY"),
    )
    with session_scope(roster) as session:
        set_active(session, actor=TERMINAL, slack_user_id=THOMAS, active=False)
    refused(
        roster,
        lead_id,
        InvalidInput,
        "is deactivated",
        lambda: reassign(roster, lead_id, ADMIN, THOMAS),
    )
    advance(roster, lead_id, MARC, "win")
    refused(
        roster,
        lead_id,
        Conflict,
        "L-0001 is won; only open leads are reassigned",
        lambda: reassign(roster, lead_id, ADMIN, CLAIRE),
    )


# --- a race -----------------------------------------------------------------------------------


def test_twenty_simultaneous_claims_have_exactly_one_winner(roster: Engine) -> None:
    if roster.dialect.name != "postgresql":
        pytest.skip("concurrent conditional UPDATEs are checked on PostgreSQL")
    engineers = [f"U0DEMO{n:02d}" for n in range(4, 19)] + [f"U0RACE{n}" for n in range(5)]
    with session_scope(roster) as session:
        for number, user in enumerate(engineers[15:]):
            add_member(
                session,
                actor=TERMINAL,
                slack_user_id=user,
                name=f"Racer {number}",
                team_slug="fr",
                roles={Role.SALES_ENGINEER},
            )
    lead_id = hand(roster)
    start = threading.Barrier(len(engineers))
    results: dict[str, Transition | BaseException] = {}
    lock = threading.Lock()

    def press(user: str) -> None:
        start.wait(timeout=10)
        try:
            outcome: Transition | BaseException = claim(roster, lead_id, user)
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
    assert not results[winner].repeated  # type: ignore[union-attr]
    losers = [r for u, r in results.items() if u != winner]
    assert all(isinstance(r, Conflict) for r in losers), losers
    assert {r.message for r in losers} == {  # type: ignore[union-attr]
        f"L-0001 is already claimed by <@{winner}>."
    }
    stored = lead(roster, lead_id)
    assert (stored.status, stored.owner_id, stored.version) == (
        "claimed",
        member_id(roster, winner),
        2,
    )
