"""Refusals answered in the requester's language, naming whom to ask when it is about rights."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.deps import deps_of, requester_of
from bot.views.problems import field_errors, refusal
from models.errors import DomainError
from models.policy import PolicyProblem
from models.roster import helpers_for


def _extra(error: DomainError, context: BoltContext) -> dict[str, Any]:
    if not isinstance(error.problem, PolicyProblem):
        return {}
    deps = deps_of(context)
    with deps.session() as session:
        helpers = helpers_for(
            session, team_id=error.facts.get("team_id"), org_admins=deps.settings.admins
        )
    return {"helpers": helpers}


def refuse(error: DomainError, context: BoltContext) -> dict[str, Any]:
    """The ephemeral answer to a refused request."""
    return refusal(error, requester_of(context).reader, **_extra(error, context))


def refuse_on_form(
    error: DomainError, context: BoltContext, *, fields: set[str], default: str
) -> dict[str, str]:
    """A refused form submission: the message shown on the field at fault."""
    reader = requester_of(context).reader
    return field_errors(error, reader, fields=fields, default=default, **_extra(error, context))
