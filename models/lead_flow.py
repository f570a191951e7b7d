"""A lead's transitions: claim, qualify, reject, win, lose, release, reassign.

Every transition is one conditional UPDATE: it only applies when the lead is
still in a state that allows it, so among simultaneous requests exactly one
wins and the others are told why they did not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, or_, update
from sqlmodel import Session, col

from models.db import begin_write, utcnow
from models.errors import Conflict, InvalidInput, NotAllowed, NotFound
from models.leads import (
    MAX_REASON_CHARS,
    LeadView,
    Person,
    Routing,
    Status,
    acting_member,
    next_in_rotation,
    reference,
    sales_engineer,
    view_lead,
)
from models.tables import Lead, Member, Team


@dataclass(frozen=True)
class Transition:
    """What a transition did. `repeated` is True when the lead was already in that state."""

    view: LeadView
    action: str
    actor: Person
    repeated: bool = False
    previous_owner: Person | None = None


@dataclass(frozen=True)
class _Rule:
    sources: frozenset[Status]
    target: Status
    stamp: str
    verb: str


RULES = {
    "qualify": _Rule(frozenset({Status.CLAIMED}), Status.QUALIFIED, "qualified_at", "qualified"),
    "reject": _Rule(
        frozenset({Status.CLAIMED, Status.QUALIFIED}), Status.REJECTED, "rejected_at", "rejected"
    ),
    "win": _Rule(frozenset({Status.CLAIMED, Status.QUALIFIED}), Status.WON, "won_at", "won"),
    "lose": _Rule(frozenset({Status.CLAIMED, Status.QUALIFIED}), Status.LOST, "lost_at", "lost"),
}


def _person(member: Member) -> Person:
    return Person(member.slack_user_id, member.name)


def _begin(
    session: Session, slack_user_id: str, settings_admins: frozenset[str]
) -> tuple[Member, bool]:
    """Open the write transaction of a transition and find who acts (and if they are admin)."""
    begin_write(session)
    return acting_member(session, slack_user_id=slack_user_id, settings_admins=settings_admins)


def _load(session: Session, lead_id: int, actor: Member, admin: bool) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(f"There is no lead #{lead_id}.", example="/lead list open")
    if lead.team_id != actor.team_id and not admin:
        raise NotAllowed(f"{reference(lead)} belongs to another team.", example="/lead list open")
    return lead


def _apply(
    session: Session, lead_id: int, conditions: list[ColumnElement[bool]], values: dict[str, Any]
) -> bool:
    result = session.execute(
        update(Lead)
        .where(col(Lead.id) == lead_id, *conditions)
        .values(version=col(Lead.version) + 1, **values)
    )
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def claim(
    session: Session,
    *,
    lead_id: int,
    slack_user_id: str,
    settings_admins: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> Transition:
    """Take ownership of a new lead: the named sales engineer, or anyone for a pool lead."""
    actor, admin = _begin(session, slack_user_id, settings_admins)
    if not (actor.is_sales_engineer or admin):
        raise NotAllowed(
            "Only sales engineers claim leads; an admin can give you the role.",
            example=f"/leadcell member roles <@{slack_user_id}> sales-engineer",
        )
    lead = _load(session, lead_id, actor, admin)
    conditions = [col(Lead.status) == Status.NEW.value, col(Lead.owner_id).is_(None)]
    if not admin:
        conditions.append(
            or_(col(Lead.assigned_to_id).is_(None), col(Lead.assigned_to_id) == actor.id)
        )
    won = _apply(
        session,
        lead_id,
        conditions,
        {
            "owner_id": actor.id,
            "assigned_to_id": actor.id,
            "status": Status.CLAIMED.value,
            "claimed_at": now or utcnow(),
        },
    )
    session.refresh(lead)
    view = view_lead(session, lead_id=lead_id)
    if won:
        return Transition(view=view, action="claimed", actor=_person(actor))
    ref = reference(lead)
    if lead.owner_id == actor.id:
        return Transition(view=view, action="claimed", actor=_person(actor), repeated=True)
    if view.owner is not None:
        raise Conflict(
            f"{ref} is already claimed by <@{view.owner.slack_user_id}>.", example="/lead list pool"
        )
    if view.assigned_to is not None and lead.status == Status.NEW.value:
        raise NotAllowed(
            f"{ref} is handed to <@{view.assigned_to.slack_user_id}>: only they can "
            "claim it, until they pass it.",
            example="/lead list pool",
        )
    raise Conflict(
        f"{ref} is {lead.status}; only new leads are claimed.", example="/lead list pool"
    )


def advance(
    session: Session,
    *,
    lead_id: int,
    slack_user_id: str,
    action: str,
    reason: str | None = None,
    value: Decimal | None = None,
    settings_admins: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> Transition:
    """Qualify, reject (reason), win (value) or lose (reason) a lead the actor holds."""
    rule = RULES[action]
    actor, admin = _begin(session, slack_user_id, settings_admins)
    lead = _load(session, lead_id, actor, admin)
    ref = reference(lead)
    values: dict[str, Any] = {"status": rule.target.value, rule.stamp: now or utcnow()}
    if action in ("reject", "lose"):
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput(
                f"Say why {ref} is {rule.verb}.",
                example=f"{action if action != 'lose' else 'lost'} no budget before 2027",
                field="reason",
            )
        if len(reason) > MAX_REASON_CHARS:
            raise InvalidInput(
                f"The reason is longer than {MAX_REASON_CHARS} characters.",
                example="reject no project this year",
                field="reason",
            )
        values["reason"] = reason
    if action == "win":
        final = value if value is not None else lead.estimated_value
        if final is None:
            raise InvalidInput(
                f"Give the value {ref} was won for.", example="won 120k", field="value"
            )
        values["final_value"] = final
    conditions = [col(Lead.status).in_([s.value for s in rule.sources])]
    if not (admin or actor.is_manager):
        conditions.append(col(Lead.owner_id) == actor.id)
    done = _apply(session, lead_id, conditions, values)
    session.refresh(lead)
    view = view_lead(session, lead_id=lead_id)
    if done:
        return Transition(view=view, action=rule.verb, actor=_person(actor))
    may_act = admin or actor.is_manager or lead.owner_id == actor.id
    if lead.status == rule.target.value and may_act:
        return Transition(view=view, action=rule.verb, actor=_person(actor), repeated=True)
    if lead.status not in {s.value for s in rule.sources}:
        hint = " Claim it first." if lead.status == Status.NEW.value else ""
        raise Conflict(
            f"{ref} is {lead.status}, so it can't be {rule.verb} now.{hint}",
            example=f"/lead show {ref}",
        )
    holder = f"<@{view.owner.slack_user_id}>" if view.owner else "its holder"
    raise NotAllowed(
        f"Only {holder}, who holds {ref}, or a manager can do that.", example="/lead list"
    )


def release(
    session: Session,
    *,
    lead_id: int,
    slack_user_id: str,
    settings_admins: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> Transition:
    """The holder (or the named assignee of a new lead) passes it on: pool or next in rotation."""
    actor, admin = _begin(session, slack_user_id, settings_admins)
    lead = _load(session, lead_id, actor, admin)
    team = session.get_one(Team, lead.team_id)
    successor = None
    if team.lead_routing == Routing.ROUND_ROBIN:
        successor = next_in_rotation(session, team, after=actor.id)
        if successor is not None and successor.id == actor.id:
            successor = None
    held = [
        (col(Lead.owner_id) == actor.id)
        & col(Lead.status).in_([Status.CLAIMED.value, Status.QUALIFIED.value]),
        (col(Lead.status) == Status.NEW.value) & (col(Lead.assigned_to_id) == actor.id),
    ]
    done = _apply(
        session,
        lead_id,
        [or_(*held)],
        {
            "owner_id": None,
            "assigned_to_id": successor.id if successor else None,
            "status": Status.NEW.value,
            "claimed_at": None,
            "qualified_at": None,
            "handed_at": now or utcnow(),
        },
    )
    view = view_lead(session, lead_id=lead_id)
    if not done:
        raise NotAllowed(
            f"You don't hold {reference(lead)}, so you can't pass it on.", example="/lead list"
        )
    return Transition(
        view=view, action="released", actor=_person(actor), previous_owner=_person(actor)
    )


def reassign(
    session: Session,
    *,
    lead_id: int,
    slack_user_id: str,
    to_slack_user_id: str,
    settings_admins: frozenset[str] = frozenset(),
    now: datetime | None = None,
) -> Transition:
    """A manager hands an open lead to another sales engineer.

    A new or claimed lead goes back to `new`, for the new assignee to claim; a
    qualified lead keeps its status and changes owner directly.
    """
    actor, admin = _begin(session, slack_user_id, settings_admins)
    if not (actor.is_manager or admin):
        raise NotAllowed(
            "Only managers and admins reassign leads.",
            example="/lead release L-0042 (to pass on a lead you hold)",
        )
    lead = _load(session, lead_id, actor, admin)
    target = sales_engineer(session, slack_user_id=to_slack_user_id, team_id=lead.team_id)
    previous = view_lead(session, lead_id=lead_id).owner
    if lead.status == Status.QUALIFIED.value:
        values: dict[str, Any] = {"owner_id": target.id, "assigned_to_id": target.id}
        conditions = [col(Lead.status) == Status.QUALIFIED.value]
    else:
        values = {
            "owner_id": None,
            "assigned_to_id": target.id,
            "status": Status.NEW.value,
            "claimed_at": None,
            "handed_at": now or utcnow(),
        }
        conditions = [col(Lead.status).in_([Status.NEW.value, Status.CLAIMED.value])]
    if not _apply(session, lead_id, conditions, values):
        raise Conflict(
            f"{reference(lead)} is {lead.status}; only open leads are reassigned.",
            example="/lead list open",
        )
    return Transition(
        view=view_lead(session, lead_id=lead_id),
        action="reassigned",
        actor=_person(actor),
        previous_owner=previous,
    )
