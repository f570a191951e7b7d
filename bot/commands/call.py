"""`/call`: agents log calls with the quick form or the modal, and may undo within 10 minutes.

The quick form is parsed, stored and confirmed inside the acknowledgement (a
local database write; no Slack Web API call). Opening the modal and posting the
modal's confirmation are Web API calls, so they run in lazy listeners after ack.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.commands.call_parse import parse_call_text
from bot.commands.call_views import (
    MODAL_CALLBACK,
    UNDO_ACTION,
    call_modal,
    confirmation,
    help_message,
    modal_channel,
    read_call_modal,
    undone_message,
)
from bot.deps import Deps
from bot.errors import refusal
from bot.runtime.slack_client import respond
from models.calls import check_caller, find_logged_call, log_call, undo_call
from models.errors import DomainError
from models.tables import Team

NEW_CALL_KEY = "leadcell_new_call"


def _without_text(command: dict[str, Any]) -> bool:
    return not (command.get("text") or "").strip()


def register(app: App, deps: Deps) -> None:
    """Attach the `/call` command, its modal and its Undo button to `app`."""
    admins = deps.settings.admins

    def on_command(ack: Ack, command: dict[str, Any]) -> None:
        text = (command.get("text") or "").strip()
        if text.lower() in ("help", "?", "-h", "--help"):
            ack(**help_message())
            return
        try:
            with deps.session() as session:
                logged = log_call(
                    session,
                    slack_user_id=command["user_id"],
                    new=parse_call_text(text),
                    slack_key=f"command:{command['trigger_id']}",
                    settings_admins=admins,
                )
        except DomainError as exc:
            ack(**refusal(exc))
            return
        ack(**confirmation(logged))

    def on_empty_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        try:
            with deps.session() as session:
                check_caller(session, slack_user_id=command["user_id"], settings_admins=admins)
        except DomainError as exc:
            ack(**refusal(exc))
            return
        context["leadcell_open_modal"] = True
        ack()

    def open_modal(command: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if context.get("leadcell_open_modal"):
            client.views_open(
                trigger_id=command["trigger_id"], view=call_modal(channel_id=command["channel_id"])
            )

    def on_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        new, errors = read_call_modal(view)
        if new is None:
            ack(response_action="errors", errors=errors)
            return
        try:
            with deps.session() as session:
                logged = log_call(
                    session,
                    slack_user_id=body["user"]["id"],
                    new=new,
                    slack_key=f"view:{view['id']}",
                    settings_admins=admins,
                )
        except DomainError as exc:
            ack(response_action="errors", errors={exc.field or "company": exc.message})
            return
        if not logged.repeated:
            context[NEW_CALL_KEY] = f"view:{view['id']}"
        ack()

    def confirm_submission(
        body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        slack_key = context.get(NEW_CALL_KEY)
        channel = modal_channel(view)
        if not slack_key or not channel:
            return
        with deps.session() as session:
            logged = find_logged_call(session, slack_key=slack_key)
        if logged is not None:
            message = confirmation(logged)
            client.chat_postEphemeral(
                channel=channel,
                user=body["user"]["id"],
                text=message["text"],
                blocks=message["blocks"],
            )

    def on_undo_ack(ack: Ack) -> None:
        ack()

    def undo(body: dict[str, Any], action: dict[str, Any]) -> None:
        try:
            with deps.session() as session:
                undone = undo_call(
                    session,
                    call_id=int(action["value"]) if action["value"].isdigit() else 0,
                    slack_user_id=body["user"]["id"],
                    settings_admins=admins,
                )
                team = session.get_one(Team, undone.call.team_id)
        except DomainError as exc:
            respond(body["response_url"], {**refusal(exc), "replace_original": False})
            return
        respond(body["response_url"], undone_message(undone.call, team))

    # `/call` alone opens the form (a Web API call, after ack); the quick form needs no lazy
    # listener, which spares it Bolt's per-request copy for one.
    app.command("/call", matchers=[_without_text])(ack=on_empty_command, lazy=[open_modal])
    app.command("/call")(on_command)
    app.view(MODAL_CALLBACK)(ack=on_submit, lazy=[confirm_submission])
    app.action(UNDO_ACTION)(ack=on_undo_ack, lazy=[undo])
