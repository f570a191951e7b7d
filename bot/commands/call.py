"""`/call`: agents log calls with the quick form or the form, and may undo within 10 minutes.

The quick form is parsed, stored and confirmed inside the acknowledgement (a
local database write; no Slack Web API call). Opening the form and posting the
form's confirmation are Web API calls, so they run in lazy listeners after ack.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.deps import deps_of, requester_of
from bot.grammar.call_text import parse_call_text
from bot.grammar.durations import parse_duration
from bot.grammar.words import check_characters
from bot.payloads import ButtonPress, FormSubmission, SlashCommand
from bot.refusals import refuse, refuse_on_form
from bot.runtime.slack_client import respond
from bot.text import plain_text
from bot.views.calls import (
    FORM_CALLBACK,
    FORM_FIELDS,
    UNDO_ACTION,
    call_form,
    confirmation,
    help_message,
    undone_message,
)
from models.calls import CallProblem, NewCall, check_new_call, find_logged_call, log_call, undo_call
from models.errors import DomainError, InvalidInput
from models.outcomes import Outcome
from models.policy import Action, require_member

HELP_WORDS = ("help", "?", "-h", "--help", "aide", "hilfe")
OPEN_FORM = "leadcell_open_call_form"
NEW_CALL = "leadcell_new_call"


def without_text(command: dict[str, Any]) -> bool:
    """`/call` typed alone."""
    return not (command.get("text") or "").strip()


def log_from_text(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """`/call <company> <duration> …`: store the call and confirm it in the acknowledgement."""
    command = SlashCommand.of(body)
    requester = requester_of(context, command.user_id)
    if command.text.lower() in HELP_WORDS:
        ack(**help_message(requester.reader))
        return
    try:
        new = parse_call_text(command.text, language=requester.reader.language)
        with deps_of(context).session() as session:
            logged = log_call(
                session,
                actor=requester.actor,
                new=new,
                slack_key=f"command:{command.trigger_id}",
            )
    except DomainError as error:
        ack(**refuse(error, context))
        return
    ack(**confirmation(logged, requester.reader))


def check_form_opener(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """`/call` alone: refuse at once if the user may not log calls, else open the form after."""
    command = SlashCommand.of(body)
    requester = requester_of(context, command.user_id)
    try:
        require_member(requester.actor, Action.CALL_LOG)
    except DomainError as error:
        ack(**refuse(error, context))
        return
    context[OPEN_FORM] = True
    ack()


def open_form(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Open the `/call` form (a Web API call, after the acknowledgement)."""
    if context.get(OPEN_FORM):
        command = SlashCommand.of(body)
        reader = requester_of(context, command.user_id).reader
        client.views_open(
            trigger_id=command.trigger_id,
            view=call_form(channel_id=command.channel_id, reader=reader),
        )


def read_form(form: FormSubmission) -> NewCall:
    """The call a submitted form describes; the form offers its outcomes, nothing else."""
    texts = {
        field: plain_text(check_characters(form.text(field), field=field), field=field)
        for field in ("company", "contact", "phone", "note")
    }
    duration = parse_duration(form.text("duration"))
    if duration is None:
        raise InvalidInput(CallProblem.DURATION_MISSING, field="duration")
    try:
        outcome = Outcome(form.choice("outcome"))
    except ValueError:
        raise InvalidInput(
            CallProblem.OUTCOME_NOT_OFFERED, field="outcome", given=form.choice("outcome")
        ) from None
    new = NewCall(
        company=texts["company"],
        duration=duration,
        outcome=outcome,
        note=texts["note"] or None,
        contact_name=texts["contact"] or None,
        phone=texts["phone"] or None,
    )
    check_new_call(new)
    return new


def log_from_form(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """A submitted form: errors stay on its fields; a stored call closes it."""
    form = FormSubmission.of(body)
    requester = requester_of(context, form.user_id)
    try:
        new = read_form(form)
        with deps_of(context).session() as session:
            logged = log_call(
                session, actor=requester.actor, new=new, slack_key=f"view:{form.view_id}"
            )
    except DomainError as error:
        errors = refuse_on_form(error, context, fields=set(FORM_FIELDS), default="company")
        ack(response_action="errors", errors=errors)
        return
    if not logged.repeated:
        context[NEW_CALL] = f"view:{form.view_id}"
    ack()


def confirm_form(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Post the confirmation of a call logged from the form, where the form was opened."""
    slack_key = context.get(NEW_CALL)
    form = FormSubmission.of(body)
    channel = form.meta_text("channel_id")
    if not slack_key or not channel:
        return
    with deps_of(context).session() as session:
        logged = find_logged_call(session, slack_key=slack_key)
    if logged is not None:
        answer = confirmation(logged, requester_of(context, form.user_id).reader)
        client.chat_postEphemeral(
            channel=channel, user=form.user_id, text=answer["text"], blocks=answer["blocks"]
        )


def acknowledge(ack: Ack) -> None:
    """Acknowledge at once; the work follows in a lazy listener."""
    ack()


def undo(body: dict[str, Any], context: BoltContext) -> None:
    """Undo the call of a confirmation, and replace the confirmation with what happened."""
    press = ButtonPress.of(body)
    requester = requester_of(context, press.user_id)
    try:
        with deps_of(context).session() as session:
            undone = undo_call(session, actor=requester.actor, call_id=press.number or 0)
    except DomainError as error:
        respond(press.response_url, {**refuse(error, context), "replace_original": False})
        return
    respond(press.response_url, undone_message(undone, requester.reader))


def register(app: App) -> None:
    """Attach `/call`, its form and its Undo button to `app`."""
    # `/call` alone opens the form (a Web API call, after ack); the quick form needs no
    # lazy listener, which spares it Bolt's per-request copy for one.
    app.command("/call", matchers=[without_text])(ack=check_form_opener, lazy=[open_form])
    app.command("/call")(log_from_text)
    app.view(FORM_CALLBACK)(ack=log_from_form, lazy=[confirm_form])
    app.action(UNDO_ACTION)(ack=acknowledge, lazy=[undo])
