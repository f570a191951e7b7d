"""Following a lead on its card: the buttons, their small forms, and replies in its thread.

Each change is one conditional database write in the acknowledgement; what
Slack must show afterwards (the card, a thread reply, a direct message, or an
explanation to someone who lost a race) is sent by a lazy listener.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.commands.lead import PUBLICATION
from bot.commands.lead_modal import OUTCOME_CALLBACK, outcome_modal, read_outcome
from bot.commands.lead_parse import parse_value
from bot.commands.lead_views import ACTIONS
from bot.deps import Deps
from bot.errors import refusal
from bot.lead_cards import Publication, publish, transition_publication
from bot.runtime.slack_client import respond
from models import lead_flow
from models.errors import DomainError
from models.events import first_delivery
from models.lead_flow import Transition
from models.leads import is_leads_channel, lead_by_card, reference, view_lead

REFUSAL = "leadcell_refusal"
FORM = "leadcell_outcome_form"
#: Words that start a lead command in a card's thread, and the transition each means.
THREAD_WORDS = {
    "claim": "claim",
    "qualify": "qualify",
    "reject": "reject",
    "won": "win",
    "win": "win",
    "lost": "lose",
    "lose": "lose",
    "release": "release",
    "pass": "release",
}

Change = Callable[[Any, int, str], Transition]


def _changes(deps: Deps) -> dict[str, Change]:
    admins = deps.settings.admins
    return {
        "claim": lambda s, lead, user: lead_flow.claim(
            s, lead_id=lead, slack_user_id=user, settings_admins=admins
        ),
        "qualify": lambda s, lead, user: lead_flow.advance(
            s, lead_id=lead, slack_user_id=user, action="qualify", settings_admins=admins
        ),
        "release": lambda s, lead, user: lead_flow.release(
            s, lead_id=lead, slack_user_id=user, settings_admins=admins
        ),
    }


def _plan(deps: Deps, context: BoltContext, change: Callable[[Any], Transition]) -> None:
    """Run one change and leave in the context what the lazy listener must show."""
    try:
        with deps.session() as session:
            context[PUBLICATION] = transition_publication(change(session)).as_dict()
    except DomainError as exc:
        context[REFUSAL] = refusal(exc)


def register(app: App, deps: Deps) -> None:
    """Attach the card buttons, the outcome form and the thread listener to `app`."""
    changes = _changes(deps)
    admins = deps.settings.admins

    def on_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
    ) -> None:
        name = next(k for k, v in ACTIONS.items() if v == action["action_id"])
        lead_id, user = int(action["value"]), body["user"]["id"]
        if name in changes:
            _plan(deps, context, lambda s: changes[name](s, lead_id, user))
        else:
            context[FORM] = {"lead_id": lead_id, "action": name}
        ack()

    def after_button(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if context.get(FORM):
            form = context[FORM]
            with deps.session() as session:
                ref = reference(view_lead(session, lead_id=form["lead_id"]).lead)
            client.views_open(
                trigger_id=body["trigger_id"],
                view=outcome_modal(lead_id=form["lead_id"], action=form["action"], reference=ref),
            )
        if context.get(REFUSAL) and body.get("response_url"):
            respond(body["response_url"], {**context[REFUSAL], "replace_original": False})
        if context.get(PUBLICATION):
            publish(client, deps, Publication.from_dict(context[PUBLICATION]))

    def on_outcome(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        lead_id, action, reason, value_text = read_outcome(view)
        try:
            value = parse_value(value_text) if value_text else None
            with deps.session() as session:
                transition = lead_flow.advance(
                    session,
                    lead_id=lead_id,
                    slack_user_id=body["user"]["id"],
                    action=action,
                    reason=reason,
                    value=value,
                    settings_admins=admins,
                )
        except DomainError as exc:
            field = "value" if action == "win" else "reason"
            ack(response_action="errors", errors={field: exc.message})
            return
        context[PUBLICATION] = transition_publication(transition).as_dict()
        ack()

    def after_outcome(client: WebClient, context: BoltContext) -> None:
        if context.get(PUBLICATION):
            publish(client, deps, Publication.from_dict(context[PUBLICATION]))

    def on_message(
        ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        words = (event.get("text") or "").strip().split(maxsplit=1)
        verb = THREAD_WORDS.get(re.sub(r"\W", "", words[0].lower())) if words else None
        thread, user = event.get("thread_ts"), event.get("user")
        if (
            verb is None
            or event.get("subtype")
            or event.get("bot_id")
            or not user
            or not thread
            or thread == event.get("ts")
        ):
            return
        with deps.session() as session:
            if not is_leads_channel(session, channel=event["channel"]):
                return
            lead = lead_by_card(session, channel=event["channel"], ts=thread)
            if lead is None or not first_delivery(session, event_id=body["event_id"]):
                return
        rest = words[1] if len(words) > 1 else ""
        context["leadcell_thread"] = {
            "channel": event["channel"],
            "thread_ts": thread,
            "user": user,
        }
        if verb in changes:
            _plan(deps, context, lambda s: changes[verb](s, lead.id or 0, user))
        else:
            _plan(
                deps,
                context,
                lambda s: _advance_from_text(s, lead.id or 0, user, verb, rest, admins),
            )

    def after_message(client: WebClient, context: BoltContext) -> None:
        where = context.get("leadcell_thread")
        if where and context.get(REFUSAL):
            message = context[REFUSAL]
            client.chat_postEphemeral(
                channel=where["channel"],
                user=where["user"],
                thread_ts=where["thread_ts"],
                text=message["text"],
                blocks=message["blocks"],
            )
        if context.get(PUBLICATION):
            publish(client, deps, Publication.from_dict(context[PUBLICATION]))

    for action_id in ACTIONS.values():
        app.action(action_id)(ack=on_button, lazy=[after_button])
    app.view(OUTCOME_CALLBACK)(ack=on_outcome, lazy=[after_outcome])
    app.event("message")(ack=on_message, lazy=[after_message])


def _advance_from_text(
    session: Any, lead_id: int, user: str, verb: str, rest: str, admins: frozenset[str]
) -> Transition:
    """`reject <reason>`, `won [<value>]`, `lost <reason>` typed in a card's thread."""
    value = parse_value(rest) if verb == "win" and rest.strip() else None
    reason = rest if verb in ("reject", "lose") else None
    return lead_flow.advance(
        session,
        lead_id=lead_id,
        slack_user_id=user,
        action=verb,
        reason=reason,
        value=value,
        settings_admins=admins,
    )
