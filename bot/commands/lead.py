"""`/lead`: agents hand leads to sales engineers; everyone lists and follows them.

Hand-offs, releases and reassignments are written inside the acknowledgement
(local database work). Posting and updating cards, thread replies and direct
messages are Web API calls, carried out by a lazy listener afterwards.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.commands.lead_modal import HANDOFF_CALLBACK, handoff_modal, read_handoff
from bot.commands.lead_parse import parse_lead_text
from bot.commands.lead_views import HELP, card, handed_message, list_message
from bot.deps import Deps
from bot.errors import refusal
from bot.lead_cards import Publication, new_lead_publication, publish, transition_publication
from bot.text import user_mention
from models import lead_flow
from models.errors import DomainError, InvalidInput
from models.events import list_events
from models.leads import (
    ListScope,
    acting_member,
    create_lead,
    find_lead,
    list_leads,
    view_lead,
)
from models.tables import Member

PUBLICATION = "leadcell_publication"
OPEN_MODAL = "leadcell_open_lead_modal"
_LIST_TITLES = {
    ListScope.MINE: "Your open leads",
    ListScope.OPEN: "Open leads of your team",
    ListScope.POOL: "Leads in the pool",
    ListScope.HANDED_TODAY: "Leads you handed today",
}


def _scope(member: Member, word: str | None) -> ListScope:
    if word is None:
        return (
            ListScope.MINE
            if member.is_sales_engineer or not member.is_agent
            else (ListScope.HANDED_TODAY)
        )
    try:
        return ListScope(word.lower())
    except ValueError:
        raise InvalidInput(
            f"Lists are: {', '.join(s.value for s in ListScope)}.", example="/lead list open"
        ) from None


def _subcommand(
    session: Any, deps: Deps, user_id: str, words: list[str], context: BoltContext
) -> dict[str, Any]:
    """list, show, release and reassign; returns the ephemeral answer."""
    admins = deps.settings.admins
    member, _admin = acting_member(session, slack_user_id=user_id, settings_admins=admins)
    verb = words[0].lower()
    if verb == "list":
        scope = _scope(member, words[1] if len(words) > 1 else None)
        return list_message(_LIST_TITLES[scope], list_leads(session, member=member, scope=scope))
    if len(words) < 2:
        raise InvalidInput(f"Name the lead to {verb}.", example=f"/lead {verb} L-0042")
    lead = find_lead(session, team_id=member.team_id, text=words[1])
    if verb == "show":
        shown = card(view_lead(session, lead_id=lead.id or 0))
        return {"response_type": "ephemeral", "text": shown["text"], "blocks": shown["blocks"]}
    if verb == "release":
        transition = lead_flow.release(
            session, lead_id=lead.id or 0, slack_user_id=user_id, settings_admins=admins
        )
    else:
        target = user_mention(words[2]) if len(words) > 2 else None
        if target is None:
            raise InvalidInput(
                "Mention the sales engineer who takes the lead over.",
                example="/lead reassign L-0042 @claire",
            )
        transition = lead_flow.reassign(
            session,
            lead_id=lead.id or 0,
            slack_user_id=user_id,
            to_slack_user_id=target[0],
            settings_admins=admins,
        )
    publication = transition_publication(transition)
    context[PUBLICATION] = publication.as_dict()
    text = publication.reply or f"{transition.view.reference} is unchanged."
    return {"response_type": "ephemeral", "text": text}


def register(app: App, deps: Deps) -> None:
    """Attach `/lead` and its form to `app`."""
    admins = deps.settings.admins

    def on_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        text = (command.get("text") or "").strip()
        words = text.split()
        user_id = command["user_id"]
        if words and words[0].lower() in ("help", "?", "-h", "--help"):
            ack(response_type="ephemeral", text=HELP)
            return
        try:
            with deps.session() as session:
                if words and words[0].lower() in ("list", "show", "release", "reassign"):
                    ack(**_subcommand(session, deps, user_id, words, context))
                    return
                if not text:
                    member, _ = acting_member(
                        session, slack_user_id=user_id, settings_admins=admins
                    )
                    context[OPEN_MODAL] = member.team_id
                    ack()
                    return
                view = create_lead(
                    session,
                    slack_user_id=user_id,
                    new=parse_lead_text(text),
                    slack_key=f"command:{command['trigger_id']}",
                    settings_admins=admins,
                )
        except DomainError as exc:
            ack(**refusal(exc))
            return
        if not view.repeated:
            context[PUBLICATION] = new_lead_publication(view).as_dict()
        ack(**handed_message(view))

    def after_command(command: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if context.get(OPEN_MODAL) is not None:
            with deps.session() as session:
                events = list_events(session, team_id=context[OPEN_MODAL])
            client.views_open(
                trigger_id=command["trigger_id"],
                view=handoff_modal(channel_id=command["channel_id"], events=events),
            )
        if context.get(PUBLICATION):
            publish(client, deps, Publication.from_dict(context[PUBLICATION]))

    def on_submit(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        new, errors = read_handoff(view)
        if new is None:
            ack(response_action="errors", errors=errors)
            return
        try:
            with deps.session() as session:
                created = create_lead(
                    session,
                    slack_user_id=body["user"]["id"],
                    new=new,
                    slack_key=f"view:{view['id']}",
                    settings_admins=admins,
                )
        except DomainError as exc:
            ack(response_action="errors", errors={exc.field or "company": exc.message})
            return
        if not created.repeated:
            publication = new_lead_publication(created)
            context[PUBLICATION] = publication.as_dict()
            context["leadcell_confirm"] = {
                "channel": json.loads(view.get("private_metadata") or "{}").get("channel_id"),
                **handed_message(created),
            }
        ack()

    def after_submit(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if context.get(PUBLICATION):
            publish(client, deps, Publication.from_dict(context[PUBLICATION]))
        confirm = context.get("leadcell_confirm")
        if confirm and confirm.get("channel"):
            client.chat_postEphemeral(
                channel=confirm["channel"],
                user=body["user"]["id"],
                text=confirm["text"],
                blocks=confirm["blocks"],
            )

    app.command("/lead")(ack=on_command, lazy=[after_command])
    app.view(HANDOFF_CALLBACK)(ack=on_submit, lazy=[after_submit])
