"""Who may do and read what: one declared table, enforced by `require` and nowhere else.

Every command, list, report, button, form and thread verb maps to one `Action`.
A rule says which roles may take it in the team the object belongs to, which
relations to the object also allow it (the agent who logged a call, the sales
engineer who holds a lead), and whether organisation admins may. Deactivated
members and people off the roster may do nothing; a member's roles count in
their own team only.

    role          | what they may do
    agent         | log calls, undo their own, hand leads, read their team's leads and activity,
                  | take companies from the follow-up queue, log time spent on events
    sales-engineer| claim leads, decide (qualify, reject, win, lose) and release the leads they hold
    manager       | what agents read, plus money (costs, cost per lead), deciding, releasing and
                  | reassigning any lead of the team
    admin         | everything in their own team: roster, settings, events, costs, contracts, a
                  | person's data (export, erasure)
    provider      | the people of the provider running an outsourced cell: log calls and hand
                  | leads like agents, read their team's contract and statements, answer
                  | complaints and contest statement lines; no costs, no other team
    everyone      | reading, and marking a company, person or number as do-not-call
    org admin     | everything in every team, and creating teams (LEADCELL_ADMINS)

Money (costs, event costs, the cost-per-lead report) is `MONEY_READ`, for managers
and admins: the cell's monthly cost is in effect the agents' pay. Team admins act
in their own team only; a France admin cannot set UK costs, an organisation admin
can. README.md states this table role by role, and a test holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.actors import Actor, Role
from models.errors import NotAllowed, Problem


class Action(StrEnum):
    """Everything a person can ask leadcell to do or show."""

    CALL_LOG = "call.log"
    CALL_UNDO = "call.undo"
    LEAD_HAND = "lead.hand"
    LEAD_READ = "lead.read"
    LEAD_CLAIM = "lead.claim"
    LEAD_DECIDE = "lead.decide"
    LEAD_RELEASE = "lead.release"
    LEAD_REASSIGN = "lead.reassign"
    ACTIVITY_READ = "activity.read"
    MONEY_READ = "money.read"
    COST_WRITE = "cost.write"
    EVENT_READ = "event.read"
    EVENT_WRITE = "event.write"
    ROSTER_READ = "roster.read"
    ROSTER_WRITE = "roster.write"
    TEAM_READ = "team.read"
    TEAM_WRITE = "team.write"
    TEAM_CREATE = "team.create"
    OWN_SETTINGS = "me.settings"
    DNC_WRITE = "dnc.write"
    TIME_LOG = "time.log"
    PERSONAL_DATA = "personal.data"
    CONTRACT_READ = "contract.read"
    CONTRACT_WRITE = "contract.write"
    COMPLAINT_LODGE = "complaint.lodge"
    COMPLAINT_READ = "complaint.read"
    COMPLAINT_ANSWER = "complaint.answer"
    COMPLAINT_SETTLE = "complaint.settle"
    AUDIT_RUN = "audit.run"
    STATEMENT_READ = "statement.read"
    STATEMENT_CONTEST = "statement.contest"
    CONTEST_DECIDE = "contest.decide"


class Relation(StrEnum):
    """How an actor may stand to the object of an action."""

    AUTHOR = "author"  # logged the call
    HOLDER = "holder"  # owns the lead (claimed it)
    NAMED = "named"  # the lead is handed to them and not claimed yet
    COMPLAINANT = "complainant"  # lodged the complaint


class PolicyProblem(Problem):
    """Why an action is refused."""

    NOT_ON_ROSTER = "policy.not_on_roster"
    DEACTIVATED = "policy.deactivated"
    OTHER_TEAM = "policy.other_team"
    ROLE_NEEDED = "policy.role_needed"


@dataclass(frozen=True)
class Rule:
    """Who may take an action: roles in the object's team, or relations to the object.

    Organisation admins may take every action in every team.
    """

    roles: frozenset[Role]
    relations: frozenset[Relation] = frozenset()


def _rule(*roles: Role, relations: tuple[Relation, ...] = ()) -> Rule:
    return Rule(frozenset(roles), frozenset(relations))


EVERYONE = (Role.AGENT, Role.SALES_ENGINEER, Role.MANAGER, Role.ADMIN, Role.PROVIDER)
A, SE, M, AD, P = Role.AGENT, Role.SALES_ENGINEER, Role.MANAGER, Role.ADMIN, Role.PROVIDER

#: The policy. Logging calls and handing leads also need a team, hence a roster entry:
#: the domain refuses them to an organisation admin who is not on the roster.
POLICY: dict[Action, Rule] = {
    Action.CALL_LOG: _rule(A, AD, P),
    Action.CALL_UNDO: _rule(AD, relations=(Relation.AUTHOR,)),
    Action.LEAD_HAND: _rule(A, M, AD, P),
    Action.LEAD_READ: _rule(*EVERYONE),
    Action.LEAD_CLAIM: _rule(SE, AD),
    Action.LEAD_DECIDE: _rule(M, AD, relations=(Relation.HOLDER,)),
    Action.LEAD_RELEASE: _rule(M, AD, relations=(Relation.HOLDER, Relation.NAMED)),
    Action.LEAD_REASSIGN: _rule(M, AD),
    Action.ACTIVITY_READ: _rule(*EVERYONE),
    Action.MONEY_READ: _rule(M, AD),
    Action.COST_WRITE: _rule(AD),
    Action.EVENT_READ: _rule(*EVERYONE),
    Action.EVENT_WRITE: _rule(AD),
    Action.ROSTER_READ: _rule(*EVERYONE),
    Action.ROSTER_WRITE: _rule(AD),
    Action.TEAM_READ: _rule(*EVERYONE),
    Action.TEAM_WRITE: _rule(AD),
    Action.TEAM_CREATE: _rule(),
    Action.OWN_SETTINGS: _rule(*EVERYONE),
    # Anyone may honour a request not to be called; seminar time is the agents' own;
    # exporting and erasing a person's data is an admin's answer to their request.
    Action.DNC_WRITE: _rule(*EVERYONE),
    Action.TIME_LOG: _rule(A, AD),
    Action.PERSONAL_DATA: _rule(AD),
    Action.CONTRACT_READ: _rule(M, AD, P),
    Action.CONTRACT_WRITE: _rule(AD),
    Action.COMPLAINT_LODGE: _rule(SE, M, AD),
    Action.COMPLAINT_READ: _rule(SE, M, AD, P),
    Action.COMPLAINT_ANSWER: _rule(P),
    Action.COMPLAINT_SETTLE: _rule(M, AD, relations=(Relation.COMPLAINANT,)),
    Action.AUDIT_RUN: _rule(M, AD),
    Action.STATEMENT_READ: _rule(M, AD, P),
    Action.STATEMENT_CONTEST: _rule(P),
    Action.CONTEST_DECIDE: _rule(M, AD),
}


def refusal(
    actor: Actor,
    action: Action,
    *,
    team_id: int | None = None,
    relations: frozenset[Relation] = frozenset(),
) -> NotAllowed | None:
    """Why `actor` may not take `action` on an object of team `team_id`, or None if they may.

    `team_id` None means an action on no particular team (creating one) or on the
    actor's own team. `relations` are how the actor stands to the object.
    """
    rule = POLICY[action]
    if actor.trusted or actor.org_admin:
        return None
    facts = {"action": action, "team_id": team_id}
    if actor.member_id is None:
        return NotAllowed(PolicyProblem.NOT_ON_ROSTER, **facts)
    if not actor.active:
        return NotAllowed(PolicyProblem.DEACTIVATED, **facts)
    if team_id is not None and team_id != actor.team_id:
        return NotAllowed(PolicyProblem.OTHER_TEAM, **facts)
    if actor.roles & rule.roles or relations & rule.relations:
        return None
    return NotAllowed(
        PolicyProblem.ROLE_NEEDED,
        roles=sorted(rule.roles),
        relations=sorted(rule.relations),
        **{**facts, "team_id": team_id if team_id is not None else actor.team_id},
    )


def allowed(
    actor: Actor,
    action: Action,
    *,
    team_id: int | None = None,
    relations: frozenset[Relation] = frozenset(),
) -> bool:
    """True when `actor` may take `action` (see `refusal`)."""
    return refusal(actor, action, team_id=team_id, relations=relations) is None


def require(
    actor: Actor,
    action: Action,
    *,
    team_id: int | None = None,
    relations: frozenset[Relation] = frozenset(),
) -> None:
    """Raise NotAllowed unless `actor` may take `action` (see `refusal`)."""
    problem = refusal(actor, action, team_id=team_id, relations=relations)
    if problem is not None:
        raise problem


def require_member(actor: Actor, action: Action) -> None:
    """Raise NotAllowed unless the actor is an active roster member (an action needs a team)."""
    require(actor, action, team_id=actor.team_id)
    if actor.member_id is None or not actor.active:
        raise NotAllowed(
            PolicyProblem.NOT_ON_ROSTER if actor.member_id is None else PolicyProblem.DEACTIVATED,
            action=action,
            team_id=actor.team_id,
        )
