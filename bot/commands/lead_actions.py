"""Following a lead on its card: its buttons, the forms behind some, and replies in its thread.

Each change is one conditional database write inside the acknowledgement, with
its outbox rows (and, for a thread reply, the Slack event id) in the same
transaction; the card, the thread reply and the direct messages are delivered
right after by the lazy listener (bot.publisher). Reject, Won and Lost first
check that the person may take that step, and only then open their form.
Explanations to someone refused, or whose thread reply is not quite a command,
go to that person only.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.commands.lead import OUTBOX
from bot.commands.lead_modal import amount, read_outcome, read_reason
from bot.deps import deps_of, requester_of
from bot.grammar.verbs import TAKES, Questioned, read_reply
from bot.grammar.words import check_characters
from bot.payloads import ButtonPress, FormSubmission, ThreadMessage
from bot.publisher import deliver
from bot.refusals import refuse, refuse_on_form
from bot.runtime.slack_client import respond
from bot.text import plain_text
from bot.views.lead_forms import OUTCOME_CALLBACK, OUTCOME_FORMS, outcome_form
from bot.views.leads import BUTTONS
from models.deliveries import first_delivery
from models.errors import DomainError, InvalidInput
from models.lead_flow import act, check
from models.leads import LeadAction, LeadFacts, lead_by_card, read_lead

REFUSAL = "leadcell_refusal"
FORM = "leadcell_outcome_form"
THREAD = "leadcell_thread"
#: Which transition each card button asks for.
ACTION_OF_BUTTON = {action_id: action for action, action_id in BUTTONS.items()}


def on_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """A card button: the change it asks for, or (Reject, Won, Lost) the check before its form."""
    press = ButtonPress.of(body)
    action = ACTION_OF_BUTTON[press.action_id]
    requester = requester_of(context, press.user_id)
    try:
        with deps_of(context).session() as session:
            if action in OUTCOME_FORMS:
                check(session, actor=requester.actor, lead_id=press.number or 0, action=action)
                context[FORM] = {"lead_id": press.number, "action": action.value}
            else:
                transition = act(
                    session, actor=requester.actor, lead_id=press.number or 0, action=action
                )
                context[OUTBOX] = list(transition.outbox)
    except DomainError as error:
        context[REFUSAL] = refuse(error, context)
    ack()


def after_button(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Open the form, explain a refusal, or deliver the change."""
    press = ButtonPress.of(body)
    deps = deps_of(context)
    if context.get(FORM):
        requester = requester_of(context, press.user_id)
        with deps.session() as session:
            lead = read_lead(session, actor=requester.actor, lead_id=context[FORM]["lead_id"])
        client.views_open(
            trigger_id=press.trigger_id,
            view=outcome_form(
                lead=lead, action=LeadAction(context[FORM]["action"]), reader=requester.reader
            ),
        )
    if context.get(REFUSAL) and press.response_url:
        respond(press.response_url, {**context[REFUSAL], "replace_original": False})
    if context.get(OUTBOX):
        deliver(deps.engine, client, context[OUTBOX])


def on_outcome(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """A submitted Reject, Won or Lost form: errors stay on its field; the change closes it."""
    form = FormSubmission.of(body)
    lead_id, action = read_outcome(form)
    asks = OUTCOME_FORMS[action][0]
    requester = requester_of(context, form.user_id)
    try:
        with deps_of(context).session() as session:
            lead = read_lead(session, actor=requester.actor, lead_id=lead_id)
            transition = act(
                session,
                actor=requester.actor,
                lead_id=lead_id,
                action=action,
                reason=read_reason(form) if asks == "reason" else None,
                value=amount(form.text("value"), currency=lead.currency)
                if asks == "value"
                else None,
            )
    except DomainError as error:
        errors = refuse_on_form(error, context, fields={asks}, default=asks)
        ack(response_action="errors", errors=errors)
        return
    context[OUTBOX] = list(transition.outbox)
    ack()


def after_outcome(client: WebClient, context: BoltContext) -> None:
    """Deliver the change an outcome form made."""
    if context.get(OUTBOX):
        deliver(deps_of(context).engine, client, context[OUTBOX])


def _argument(lead: LeadFacts, action: LeadAction, rest: str) -> dict[str, Any]:
    """The reason or the value a thread command carries."""
    takes = TAKES.get(action)
    if takes == "reason":
        return {"reason": plain_text(check_characters(rest, field="reason"), field="reason")}
    if takes == "value":
        return {"value": amount(rest, currency=lead.currency)}
    return {}


def on_message(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """A reply in a lead card's thread: a command acts on the lead (the event id recorded with
    the change), a near miss is questioned, anything else is discussion and left alone."""
    message = ThreadMessage.of(body)
    said = read_reply(message.text) if message.is_reply_by_a_person else None
    if said is None:
        ack()
        return
    deps = deps_of(context)
    with deps.session() as session:
        lead = lead_by_card(session, channel=message.channel_id, ts=message.thread_ts)
    if lead is None:
        ack()
        return
    requester = requester_of(context, message.user_id)
    context[THREAD] = {"channel": message.channel_id, "thread_ts": message.thread_ts}
    try:
        if isinstance(said, Questioned):
            raise InvalidInput(
                said.problem,
                reference=lead.reference,
                status=lead.status,
                word=said.word,
                suggestion=said.suggestion,
                rest=said.rest,
            )
        with deps.session() as session:
            transition = act(
                session,
                actor=requester.actor,
                lead_id=lead.id,
                action=said.action,
                delivery=message.event_id,
                **_argument(lead, said.action, said.rest),
            )
        context[OUTBOX] = list(transition.outbox)
    except DomainError as error:
        with deps.session() as session:
            if first_delivery(session, event_id=message.event_id):
                context[REFUSAL] = refuse(error, context)
    ack()


def after_message(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Explain to its author a reply that did nothing; deliver the change one made."""
    where = context.get(THREAD)
    if where and context.get(REFUSAL):
        answer = context[REFUSAL]
        client.chat_postEphemeral(
            channel=where["channel"],
            user=ThreadMessage.of(body).user_id,
            thread_ts=where["thread_ts"],
            text=answer["text"],
            blocks=answer["blocks"],
        )
    if context.get(OUTBOX):
        deliver(deps_of(context).engine, client, context[OUTBOX])


def register(app: App) -> None:
    """Attach the card's buttons, the outcome forms and the thread listener to `app`."""
    for action_id in BUTTONS.values():
        app.action(action_id)(ack=on_button, lazy=[after_button])
    app.view(OUTCOME_CALLBACK)(ack=on_outcome, lazy=[after_outcome])
    app.event("message")(ack=on_message, lazy=[after_message])
