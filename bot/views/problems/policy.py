"""Wordings of permission refusals: what the action is for, and whom to ask."""

from __future__ import annotations

from bot.i18n import N_, Reader
from bot.views.problems import Facts, Said, mention, wording
from models.actors import Person, Role
from models.policy import Action, Relation
from models.policy import PolicyProblem as P

#: What each action is, as a refusal names it ("Logging calls is for …").
ACTIONS: dict[Action, str] = {
    Action.CALL_LOG: N_("Logging calls"),
    Action.CALL_UNDO: N_("Undoing a call"),
    Action.LEAD_HAND: N_("Handing leads"),
    Action.LEAD_READ: N_("Reading leads"),
    Action.LEAD_CLAIM: N_("Claiming leads"),
    Action.LEAD_DECIDE: N_("Qualifying, rejecting, winning or losing a lead"),
    Action.LEAD_RELEASE: N_("Passing a lead on"),
    Action.LEAD_REASSIGN: N_("Reassigning leads"),
    Action.ACTIVITY_READ: N_("Reading the team's activity"),
    Action.MONEY_READ: N_("Reading costs and cost per lead"),
    Action.COST_WRITE: N_("Recording costs"),
    Action.EVENT_READ: N_("Reading events"),
    Action.EVENT_WRITE: N_("Recording events"),
    Action.ROSTER_READ: N_("Reading the roster"),
    Action.ROSTER_WRITE: N_("Changing the roster"),
    Action.TEAM_READ: N_("Reading team settings"),
    Action.TEAM_WRITE: N_("Changing team settings"),
    Action.TEAM_CREATE: N_("Creating teams"),
    Action.OWN_SETTINGS: N_("Changing your own settings"),
    Action.DNC_WRITE: N_("Marking someone as do-not-call"),
    Action.TIME_LOG: N_("Logging time spent on events"),
    Action.PERSONAL_DATA: N_("Exporting or erasing a person's data"),
    Action.CONTRACT_READ: N_("Reading the provider's contract"),
    Action.CONTRACT_WRITE: N_("Recording the provider's contract"),
    Action.COMPLAINT_LODGE: N_("Lodging complaints about the provider"),
    Action.COMPLAINT_READ: N_("Reading complaints"),
    Action.COMPLAINT_ANSWER: N_("Answering complaints"),
    Action.COMPLAINT_SETTLE: N_("Accepting or disputing a complaint's answer"),
    Action.AUDIT_RUN: N_("Auditing calls"),
    Action.STATEMENT_READ: N_("Reading the provider's statements"),
    Action.STATEMENT_CONTEST: N_("Contesting a statement line"),
    Action.CONTEST_DECIDE: N_("Deciding on a contested line"),
}
#: Who may, as a refusal names them.
ROLES: dict[Role, str] = {
    Role.AGENT: N_("agents"),
    Role.SALES_ENGINEER: N_("sales engineers"),
    Role.MANAGER: N_("managers"),
    Role.ADMIN: N_("admins"),
    Role.PROVIDER: N_("the provider's people"),
}
RELATIONS: dict[Relation, str] = {
    Relation.AUTHOR: N_("the agent who logged it"),
    Relation.HOLDER: N_("the sales engineer who holds it"),
    Relation.NAMED: N_("the sales engineer it is handed to"),
    Relation.COMPLAINANT: N_("the person who lodged it"),
}
#: What someone may still do instead, shown as the example of a refusal.
INSTEAD = {
    Action.MONEY_READ: N_("/leadcell report today"),
    Action.LEAD_CLAIM: N_("/lead list pool"),
    Action.LEAD_DECIDE: N_("/lead list"),
    Action.LEAD_RELEASE: N_("/lead list"),
    Action.LEAD_REASSIGN: N_("/lead list open"),
}
SAMPLE = {"action": Action.COST_WRITE, "team_id": 1}


def _ask(reader: Reader, facts: Facts) -> str:
    helpers: list[Person] = facts.get("helpers") or []
    if not helpers:
        return reader._("No admin is set yet: list Slack user ids in LEADCELL_ADMINS.")
    return reader._("Ask {people}.", people=reader.items([mention(p) for p in helpers], style="or"))


def _instead(reader: Reader, facts: Facts) -> str:
    return reader._(INSTEAD.get(facts["action"], N_("/leadcell help")))


@wording(P.NOT_ON_ROSTER, sample=SAMPLE)
def _not_on_roster(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "You are not on the leadcell roster, so you can't do that yet. {ask}",
            ask=_ask(reader, facts),
        ),
        reader._("/leadcell help"),
    )


@wording(P.DEACTIVATED, sample=SAMPLE)
def _deactivated(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Your leadcell roster entry is deactivated. {ask}", ask=_ask(reader, facts)),
        reader._("/leadcell help"),
    )


@wording(P.OTHER_TEAM, sample=SAMPLE)
def _other_team(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{action} of another team is for that team's people. You can act in your own team.",
            action=reader._(ACTIONS[facts["action"]]),
        ),
        _instead(reader, facts),
    )


@wording(P.ROLE_NEEDED, sample={**SAMPLE, "roles": [Role.ADMIN], "relations": []})
def _role(reader: Reader, facts: Facts) -> Said:
    who = [reader._(ROLES[role]) for role in facts.get("roles") or []]
    who += [reader._(RELATIONS[relation]) for relation in facts.get("relations") or []]
    return Said(
        reader._(
            "{action} is for {who}. {ask}",
            action=reader._(ACTIONS[facts["action"]]),
            who=reader.items(who, style="or") if who else reader._("organisation admins"),
            ask=_ask(reader, facts),
        ),
        _instead(reader, facts),
    )
