"""A lead's transitions, each defined once in `RULES`, with its refusals derived from the rule.

    action    from               who (models.policy)                  sets
    claim     new                LEAD_CLAIM: sales engineers, admins;  owner and assignee = the
                                 a lead handed to someone is theirs    claimer, status claimed,
                                 to claim (managers and admins, who    claimed_at
                                 may reassign it, too)
    qualify   claimed            LEAD_DECIDE: its holder, managers,    status qualified,
                                 admins                                qualified_at
    reject    claimed, qualified LEAD_DECIDE                           status rejected, the reason
    win       claimed, qualified LEAD_DECIDE                           status won, the value won
                                                                       (default: the estimate)
    lose      claimed, qualified LEAD_DECIDE                           status lost, the reason
    release   new, claimed       LEAD_RELEASE: its holder, the sales   status new, no owner; handed
                                 engineer it is handed to, managers,   to the next sales engineer
                                 admins                                in rotation (round-robin
                                                                       teams) or to the pool
    reassign  new, claimed,      LEAD_REASSIGN: managers, admins       to a sales engineer: status
              qualified                                                new for them to claim (a
                                                                       qualified lead keeps its
                                                                       status, they hold it); to
                                                                       the pool: status new, no
                                                                       assignee

A qualified lead is not released: it stays with its holder until a manager
reassigns it to another sales engineer (never to the pool), so its qualification
is not lost. Rejected, won and lost leads are closed: nothing moves them.

Refusals come from the rule, in this order: another team's lead (policy); a
claim on a lead someone holds (who holds it); a closed lead (its status); a
status the action does not start from (the statuses it does); a lead handed to
someone else (to whom); someone without the right (who holds the lead, or the
policy's refusal); then the arguments (a reason, a value, a sales engineer).
Asking again for what is already so (a double click, claiming a lead one holds,
reassigning to its holder) changes nothing and is reported as unchanged.

Every transition is one conditional UPDATE whose conditions are the rule's, so
among simultaneous requests exactly one wins and the others get the refusal the
new state calls for. The same transaction bumps the lead's version, re-arms its
card and queues the thread reply and direct messages (models.outbox), and
records the Slack event that caused it, if any (models.deliveries).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, update
from sqlmodel import Session, col, select

from models import outbox
from models.actors import Actor, Person
from models.db import begin_write, utcnow
from models.deliveries import record_delivery
from models.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from models.leads import (
    CLOSED_STATUSES,
    MAX_REASON_CHARS,
    LeadAction,
    LeadFacts,
    LeadProblem,
    Routing,
    Status,
    check_value,
    engineer_by_name,
    engineer_by_user,
    lead_facts,
    next_in_rotation,
    reference,
)
from models.policy import POLICY, Action, PolicyProblem, Relation, allowed, refusal, require
from models.tables import Lead, Member, Team


@dataclass(frozen=True)
class Rule:
    """One transition: the statuses it starts from, the policy action, what it sets.

    `target` None: the transition decides (release and reassign). `needs`: the
    argument it takes, `reason` or `value`.
    """

    policy: Action
    sources: frozenset[Status]
    target: Status | None
    stamp: str | None = None
    needs: str | None = None


OPEN_WORK = frozenset({Status.CLAIMED, Status.QUALIFIED})

#: The transitions. The card's buttons, the thread words and the help are read from here.
RULES: dict[LeadAction, Rule] = {
    LeadAction.CLAIM: Rule(
        Action.LEAD_CLAIM, frozenset({Status.NEW}), Status.CLAIMED, "claimed_at"
    ),
    LeadAction.QUALIFY: Rule(
        Action.LEAD_DECIDE, frozenset({Status.CLAIMED}), Status.QUALIFIED, "qualified_at"
    ),
    LeadAction.REJECT: Rule(
        Action.LEAD_DECIDE, OPEN_WORK, Status.REJECTED, "rejected_at", needs="reason"
    ),
    LeadAction.WIN: Rule(Action.LEAD_DECIDE, OPEN_WORK, Status.WON, "won_at", needs="value"),
    LeadAction.LOSE: Rule(Action.LEAD_DECIDE, OPEN_WORK, Status.LOST, "lost_at", needs="reason"),
    LeadAction.RELEASE: Rule(
        Action.LEAD_RELEASE, frozenset({Status.NEW, Status.CLAIMED}), Status.NEW, "handed_at"
    ),
    LeadAction.REASSIGN: Rule(
        Action.LEAD_REASSIGN, frozenset({Status.NEW, *OPEN_WORK}), None, "handed_at"
    ),
}


def actions_from(status: Status) -> list[LeadAction]:
    """The transitions a lead in `status` allows, in the rule table's order."""
    return [action for action, rule in RULES.items() if status in rule.sources]


@dataclass(frozen=True)
class Transition:
    """What a transition did. `changed` is False when the lead was already so.

    `actor` is the Slack user id of who acted; `previous_holder` who held the lead
    before (release, reassign); `outbox` the rows to deliver right away.
    """

    action: LeadAction
    lead: LeadFacts
    actor: str
    changed: bool
    previous_holder: Person | None = None
    to_pool: bool = False
    outbox: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Asked:
    """What was asked beyond the action: a reason, a value, whom to reassign to."""

    reason: str | None = None
    value: Decimal | None = None
    to: Member | None = None
    to_pool: bool = False


def relations_of(lead: Lead, actor: Actor) -> frozenset[Relation]:
    """How the actor stands to the lead: its holder, or the one it is handed to."""
    me = actor.member_id
    if me is None:
        return frozenset()
    found = set()
    if lead.owner_id == me:
        found.add(Relation.HOLDER)
    if lead.status == Status.NEW and lead.owner_id is None and lead.assigned_to_id == me:
        found.add(Relation.NAMED)
    return frozenset(found)


def _person(session: Session, member_id: int | None) -> Person | None:
    if member_id is None:
        return None
    member = session.get(Member, member_id)
    return None if member is None else Person(member.id or 0, member.slack_user_id, member.name)


def _holder(session: Session, lead: Lead) -> Person | None:
    if lead.owner_id is not None:
        return _person(session, lead.owner_id)
    return _person(session, lead.assigned_to_id) if lead.status == Status.NEW else None


def _refusal(
    session: Session,
    action: LeadAction,
    lead: Lead,
    actor: Actor,
    asked: _Asked,
    *,
    arguments: bool = True,
) -> DomainError | None:
    """Why `actor` may not take `action` on `lead` as it stands now (see the module docstring)."""
    rule = RULES[action]
    status = Status(lead.status)
    facts: dict[str, Any] = {"reference": reference(lead.number), "lead_id": lead.id}
    if action == LeadAction.CLAIM and lead.owner_id is not None and status not in CLOSED_STATUSES:
        return Conflict(LeadProblem.ALREADY_CLAIMED, holder=_holder(session, lead), **facts)
    if status not in rule.sources:
        if status in CLOSED_STATUSES:
            return Conflict(LeadProblem.CLOSED, status=status, action=action, **facts)
        return Conflict(
            LeadProblem.WRONG_STATUS,
            status=status,
            action=action,
            allowed=[s for s in Status if s in rule.sources],
            **facts,
        )
    relations = relations_of(lead, actor)
    policy = refusal(actor, rule.policy, team_id=lead.team_id, relations=relations)
    if policy is not None:
        if policy.problem == PolicyProblem.ROLE_NEEDED and POLICY[rule.policy].relations:
            return NotAllowed(
                LeadProblem.NOT_YOURS,
                action=action,
                holder=_holder(session, lead),
                team_id=lead.team_id,
                **facts,
            )
        return policy
    if (
        action == LeadAction.CLAIM
        and lead.assigned_to_id not in (None, actor.member_id)
        and not allowed(actor, Action.LEAD_REASSIGN, team_id=lead.team_id)
    ):
        return NotAllowed(
            LeadProblem.HANDED_TO_OTHER,
            engineer=_person(session, lead.assigned_to_id),
            **facts,
        )
    if action == LeadAction.CLAIM and actor.member_id is None:
        return NotAllowed(PolicyProblem.NOT_ON_ROSTER, action=rule.policy, team_id=lead.team_id)
    if action == LeadAction.REASSIGN and asked.to_pool and status == Status.QUALIFIED:
        return InvalidInput(LeadProblem.QUALIFIED_NOT_TO_POOL, field="engineer", **facts)
    return _argument_refusal(rule, lead, asked, facts) if arguments else None


def _argument_refusal(
    rule: Rule, lead: Lead, asked: _Asked, facts: dict[str, Any]
) -> DomainError | None:
    if rule.needs == "reason":
        reason = (asked.reason or "").strip()
        if not reason:
            return InvalidInput(
                LeadProblem.REASON_MISSING, field="reason", status=rule.target, **facts
            )
        if len(reason) > MAX_REASON_CHARS:
            return InvalidInput(
                LeadProblem.REASON_TOO_LONG,
                field="reason",
                length=len(reason),
                limit=MAX_REASON_CHARS,
                **facts,
            )
    if rule.needs == "value":
        if asked.value is None and lead.estimated_value is None:
            return InvalidInput(
                LeadProblem.VALUE_MISSING, field="value", currency=lead.currency, **facts
            )
        try:
            check_value(asked.value, field="value", currency=lead.currency)
        except InvalidInput as error:
            return error
    return None


def _unchanged(action: LeadAction, lead: Lead, actor: Actor, asked: _Asked) -> bool:
    """True when the lead already is what the action would make it (nothing to do)."""
    rule = RULES[action]
    status = Status(lead.status)
    if action == LeadAction.CLAIM:
        return actor.member_id is not None and lead.owner_id == actor.member_id
    if action == LeadAction.REASSIGN:
        if asked.to_pool:
            return status == Status.NEW and lead.assigned_to_id is None
        holder = lead.owner_id if lead.owner_id is not None else lead.assigned_to_id
        return asked.to is not None and holder == asked.to.id and status in rule.sources
    relations = relations_of(lead, actor)
    if action == LeadAction.RELEASE:  # a lead in the pool is released already
        in_pool = status == Status.NEW and lead.assigned_to_id is None and lead.owner_id is None
        return in_pool and allowed(actor, rule.policy, team_id=lead.team_id, relations=relations)
    if rule.target is None or status != rule.target:
        return False
    return allowed(actor, rule.policy, team_id=lead.team_id, relations=relations)


def _relation_condition(action: LeadAction, lead: Lead, actor: Actor) -> list[Any]:
    """The UPDATE conditions that keep the actor's right to act: none when their roles give
    it, else the relation that does (they still hold the lead, it is still handed to them)."""
    rule = RULES[action]
    if allowed(actor, rule.policy, team_id=lead.team_id):
        return []
    relations = relations_of(lead, actor)
    if Relation.HOLDER in relations:
        return [col(Lead.owner_id) == actor.member_id]
    return [
        col(Lead.status) == Status.NEW.value,
        col(Lead.owner_id).is_(None),
        col(Lead.assigned_to_id) == actor.member_id,
    ]


def _change(
    session: Session, action: LeadAction, lead: Lead, actor: Actor, asked: _Asked, now: datetime
) -> tuple[list[ColumnElement[bool]], dict[str, Any]]:
    """The conditions and values of the transition's UPDATE."""
    rule = RULES[action]
    conditions: list[ColumnElement[bool]] = [col(Lead.status).in_([s.value for s in rule.sources])]
    values: dict[str, Any] = {}
    if rule.stamp:
        values[rule.stamp] = now
    if action == LeadAction.CLAIM:
        conditions += [col(Lead.owner_id).is_(None)]
        if not allowed(actor, Action.LEAD_REASSIGN, team_id=lead.team_id):
            conditions.append(
                (col(Lead.assigned_to_id).is_(None)) | (col(Lead.assigned_to_id) == actor.member_id)
            )
        values.update(owner_id=actor.member_id, assigned_to_id=actor.member_id)
    elif action == LeadAction.RELEASE:
        conditions += _relation_condition(action, lead, actor)
        successor = _successor(session, lead, actor)
        values.update(owner_id=None, assigned_to_id=successor.id if successor else None)
        values.update(claimed_at=None)
    elif action == LeadAction.REASSIGN:
        conditions += [
            col(Lead.status) == lead.status,
            _same(Lead.owner_id, lead.owner_id),
            _same(Lead.assigned_to_id, lead.assigned_to_id),
        ]
        to = asked.to.id if asked.to is not None else None
        if lead.status == Status.QUALIFIED and to is not None:
            values = {"owner_id": to, "assigned_to_id": to}
        else:
            values.update(owner_id=None, assigned_to_id=to, status=Status.NEW.value)
            values.update(claimed_at=None)
    else:
        conditions += _relation_condition(action, lead, actor)
        if rule.needs == "reason":
            values["reason"] = (asked.reason or "").strip()
        if rule.needs == "value":
            values["final_value"] = asked.value if asked.value is not None else lead.estimated_value
    if rule.target is not None:
        values["status"] = rule.target.value
    return conditions, values


def _same(column: Any, value: int | None) -> ColumnElement[bool]:
    return col(column).is_(None) if value is None else col(column) == value


def _successor(session: Session, lead: Lead, actor: Actor) -> Member | None:
    """Who a released lead goes to: the next in rotation (never the one passing it on), or
    nobody (the pool)."""
    team = session.get_one(Team, lead.team_id)
    if team.lead_routing != Routing.ROUND_ROBIN:
        return None
    leaving = {lead.owner_id, lead.assigned_to_id, actor.member_id} - {None}
    after = lead.owner_id or lead.assigned_to_id or actor.member_id
    successor = next_in_rotation(session, team_id=team.id or 0, after=after)
    return None if successor is None or successor.id in leaving else successor


def _messages(
    session: Session,
    action: LeadAction,
    before: Lead,
    after: LeadFacts,
    actor: Actor,
    asked: _Asked,
    now: datetime,
) -> list[int]:
    """The outbox rows of a change: the card, the thread reply, the direct messages."""
    common = {"team_id": after.team.id, "lead_id": after.id, "version": after.version, "now": now}
    rows = [outbox.arm_card(session, **common)]
    facts: dict[str, Any] = {"action": action.value, "actor": actor.user_id}
    new_holder = after.holder
    if action == LeadAction.CLAIM and after.time_to_claim is not None:
        facts["elapsed"] = int(after.time_to_claim.total_seconds())
    if after.reason and action in (LeadAction.REJECT, LeadAction.LOSE):
        facts["reason"] = after.reason
    if action == LeadAction.WIN and after.final_value is not None:
        facts.update(value=str(after.final_value), currency=after.currency)
    if action in (LeadAction.RELEASE, LeadAction.REASSIGN):
        facts["to"] = new_holder.user_id if new_holder else None
    rows.append(outbox.add_message(session, kind=outbox.Kind.REPLY, facts=facts, **common))
    recipients: dict[str, dict[str, Any]] = {}
    if action == LeadAction.CLAIM:
        recipients[after.detected_by.user_id] = {"role": "agent"}
    if action in (LeadAction.RELEASE, LeadAction.REASSIGN) and new_holder is not None:
        recipients[new_holder.user_id] = {"role": "new"}
    if action == LeadAction.REASSIGN:
        previous = _holder(session, before)
        if previous is not None and previous.user_id not in recipients:
            recipients[previous.user_id] = {"role": "previous"}
    for user_id, extra in recipients.items():
        if user_id != actor.user_id:
            rows.append(
                outbox.add_message(
                    session,
                    kind=outbox.Kind.DM,
                    facts={**facts, **extra},
                    recipient=user_id,
                    **common,
                )
            )
    return rows


def _load(session: Session, lead_id: int, actor: Actor) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(LeadProblem.NOT_FOUND, lead_id=lead_id)
    require(actor, Action.LEAD_READ, team_id=lead.team_id)
    return lead


def check(session: Session, *, actor: Actor, lead_id: int, action: LeadAction) -> LeadFacts:
    """The lead, if `actor` may take `action` on it as it stands (its arguments aside).

    Run before opening the form of an action (a reason, a value), so someone who may
    not act is told at once rather than when submitting it.
    """
    lead = _load(session, lead_id, actor)
    if not _unchanged(action, lead, actor, _Asked()):
        problem = _refusal(session, action, lead, actor, _Asked(), arguments=False)
        if problem is not None:
            raise problem
    return lead_facts(session, lead_id=lead_id)


#: How many times a transition is tried when others change the lead between its read and
#: its UPDATE (only reassign can be retried: the others' conditions are final).
TRIES = 3


def act(
    session: Session,
    *,
    actor: Actor,
    lead_id: int,
    action: LeadAction,
    reason: str | None = None,
    value: Decimal | None = None,
    to: str | None = None,
    to_name: str | None = None,
    to_pool: bool = False,
    delivery: str | None = None,
    now: datetime | None = None,
) -> Transition:
    """Take `action` on a lead, by its rule (see the module docstring). One write transaction.

    `reason` for reject and lose; `value` for win (default: the estimate); `to` (a
    Slack user id), `to_name` (a member's first or full name) or `to_pool` for
    reassign. `delivery` is the Slack event id that asked for it: a second delivery
    of the same event changes nothing.
    """
    if action not in RULES:
        raise ValueError(f"{action} is not a transition")
    now = now or utcnow()
    begin_write(session)
    if delivery is not None and not record_delivery(session, event_id=delivery):
        return Transition(action, lead_facts(session, lead_id=lead_id), actor.user_id, False)
    lead = _load(session, lead_id, actor)
    asked = _Asked(reason=reason, value=value, to_pool=to_pool)
    if action == LeadAction.REASSIGN:
        require(actor, Action.LEAD_REASSIGN, team_id=lead.team_id)
        if to is None and to_name is None and not to_pool:
            raise InvalidInput(LeadProblem.TARGET_MISSING, field="engineer")
        if to is not None:
            asked = _Asked(to=engineer_by_user(session, user_id=to, team_id=lead.team_id))
        elif to_name is not None:
            asked = _Asked(to=engineer_by_name(session, name=to_name, team_id=lead.team_id))
    for _ in range(TRIES):
        if _unchanged(action, lead, actor, asked):
            session.commit()  # the delivery, if any: a redelivery is not answered again
            facts = lead_facts(session, lead_id=lead_id)
            return Transition(action, facts, actor.user_id, False, to_pool=asked.to_pool)
        problem = _refusal(session, action, lead, actor, asked)
        if problem is not None:
            session.rollback()
            raise problem
        before = Lead.model_validate(lead.model_dump())
        conditions, values = _change(session, action, lead, actor, asked, now)
        result = session.execute(
            update(Lead)
            .where(col(Lead.id) == lead_id, *conditions)
            .values(version=col(Lead.version) + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            after = lead_facts(session, lead_id=lead_id)
            rows = _messages(session, action, before, after, actor, asked, now)
            session.commit()
            return Transition(
                action,
                after,
                actor.user_id,
                True,
                previous_holder=_holder(session, before),
                to_pool=asked.to_pool,
                outbox=tuple(rows),
            )
        # Someone else changed the lead first: judge again on what it is now.
        lead = session.exec(
            select(Lead).where(col(Lead.id) == lead_id).execution_options(populate_existing=True)
        ).one()
    session.rollback()
    raise Conflict(LeadProblem.CHANGED_MEANWHILE, reference=reference(lead.number), lead_id=lead_id)
