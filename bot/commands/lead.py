"""`/lead`: agents hand leads to sales engineers; everyone lists and follows them.

Hand-offs, releases and reassignments are stored inside the acknowledgement
(local database work, with their outbox rows in the same transaction); the
card, thread replies and direct messages they announce are delivered by the
lazy listener right after (bot.publisher), and by the worker's sweep if that
fails. Opening the form is a Web API call, so it runs in the lazy listener too.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.commands.lead_modal import field_for, form_fields, read_handoff
from bot.deps import deps_of, requester_of
from bot.grammar.lead_text import (
    is_hand_off,
    parse_hand_off,
    parse_list,
    parse_target,
    subcommand,
)
from bot.grammar.words import split_words
from bot.payloads import FormSubmission, SlashCommand
from bot.publisher import deliver
from bot.refusals import refuse, refuse_on_form
from bot.views.lead_forms import HANDOFF_CALLBACK, handoff_form
from bot.views.leads import (
    handed_answer,
    help_answer,
    list_answer,
    show_answer,
    transition_answer,
)
from models.actors import Actor
from models.errors import DomainError
from models.lead_flow import act
from models.leads import LeadAction, find_lead, hand_lead, list_leads, source_events
from models.policy import Action, require_member

#: Context keys handed from the acknowledgement to the lazy listener.
OUTBOX = "leadcell_outbox"
OPEN_FORM = "leadcell_open_lead_form"
CONFIRM = "leadcell_lead_confirmation"


def _currency(actor: Actor) -> str:
    return actor.team.currency if actor.team else "EUR"


def _subcommand(command: str, words: list[str], context: BoltContext) -> dict[str, Any]:
    """`list`, `show`, `release` and `reassign`: the ephemeral answer (and what to deliver)."""
    requester = requester_of(context)
    actor, reader = requester.actor, requester.reader
    with deps_of(context).session() as session:
        if command == "list":
            return list_answer(list_leads(session, actor=actor, query=parse_list(words)), reader)
        lead = find_lead(session, actor=actor, text=words[0] if words else "")
        if command == "show":
            return show_answer(lead, reader)
        if command == "release":
            transition = act(session, actor=actor, lead_id=lead.id, action=LeadAction.RELEASE)
        else:
            target = parse_target(words[1] if len(words) > 1 else None)
            transition = act(
                session,
                actor=actor,
                lead_id=lead.id,
                action=LeadAction.REASSIGN,
                to=target.user_id,
                to_name=target.name,
                to_pool=target.pool,
            )
    context[OUTBOX] = list(transition.outbox)
    return transition_answer(transition, reader)


def on_command(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """`/lead …`: a hand-off, a subcommand, the help, or (alone) the form."""
    command = SlashCommand.of(body)
    requester = requester_of(context, command.user_id)
    words = command.text.split()
    named = subcommand(words[0]) if words and not is_hand_off(command.text) else None
    try:
        if named == "help":
            ack(**help_answer(requester.reader))
            return
        if named is not None:
            ack(**_subcommand(named, split_words(" ".join(words[1:])), context))
            return
        if not command.text:
            require_member(requester.actor, Action.LEAD_HAND)
            context[OPEN_FORM] = True
            ack()
            return
        new = parse_hand_off(command.text, currency=_currency(requester.actor))
        with deps_of(context).session() as session:
            handed = hand_lead(
                session,
                actor=requester.actor,
                new=new,
                slack_key=f"command:{command.trigger_id}",
            )
    except DomainError as error:
        ack(**refuse(error, context))
        return
    context[OUTBOX] = list(handed.outbox)
    ack(**handed_answer(handed, requester.reader))


def after_command(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Open the form, or deliver what the command changed (Web API calls, after the answer)."""
    deps = deps_of(context)
    if context.get(OPEN_FORM):
        command = SlashCommand.of(body)
        requester = requester_of(context, command.user_id)
        with deps.session() as session:
            events = source_events(session, actor=requester.actor)
        client.views_open(
            trigger_id=command.trigger_id,
            view=handoff_form(
                channel_id=command.channel_id, events=events, reader=requester.reader
            ),
        )
    if context.get(OUTBOX):
        deliver(deps.engine, client, context[OUTBOX])


def on_handoff_form(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """A submitted hand-off form: errors stay on its fields; a handed lead closes it."""
    form = FormSubmission.of(body)
    requester = requester_of(context, form.user_id)
    try:
        new = read_handoff(form, currency=_currency(requester.actor))
        with deps_of(context).session() as session:
            handed = hand_lead(
                session, actor=requester.actor, new=new, slack_key=f"view:{form.view_id}"
            )
    except DomainError as error:
        fields = form_fields(form)
        errors = refuse_on_form(error, context, fields=fields, default=field_for(error, fields))
        ack(response_action="errors", errors=errors)
        return
    if not handed.repeated:
        context[OUTBOX] = list(handed.outbox)
        context[CONFIRM] = {
            "channel": form.meta_text("channel_id"),
            **handed_answer(handed, requester.reader),
        }
    ack()


def after_handoff_form(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Deliver the card and the direct message; confirm where the form was opened."""
    if context.get(OUTBOX):
        deliver(deps_of(context).engine, client, context[OUTBOX])
    confirm = context.get(CONFIRM)
    if confirm and confirm.get("channel"):
        client.chat_postEphemeral(
            channel=confirm["channel"],
            user=FormSubmission.of(body).user_id,
            text=confirm["text"],
            blocks=confirm["blocks"],
        )


def register(app: App) -> None:
    """Attach `/lead` and its form to `app`."""
    app.command("/lead")(ack=on_command, lazy=[after_command])
    app.view(HANDOFF_CALLBACK)(ack=on_handoff_form, lazy=[after_handoff_form])
