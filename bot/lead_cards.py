"""Lead cards in Slack: posting, refreshing, thread replies and direct messages.

The database is the truth. A card shows one version of its lead; when an update
fails (rate limit, server error after retries) the lead stays marked stale and
the next change, or `leadcell leads refresh-cards`, brings the card up to date.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.commands.lead_views import card, transition_reply
from bot.deps import Deps
from bot.text import escape
from models.lead_flow import Transition
from models.leads import LeadView, mark_card_shown, record_card, stale_cards, view_lead

log = logging.getLogger(__name__)


@dataclass
class Publication:
    """What to show in Slack after a lead changed: refresh its card, reply, notify people.

    Plain data, so an ack function can plan it and a lazy listener can carry it out.
    """

    lead_id: int
    reply: str | None = None
    direct_messages: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lead_id": self.lead_id,
            "reply": self.reply,
            "direct_messages": [list(pair) for pair in self.direct_messages],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Publication:
        return cls(
            lead_id=data["lead_id"],
            reply=data.get("reply"),
            direct_messages=[(user, text) for user, text in data["direct_messages"]],
        )


def new_lead_publication(view: LeadView) -> Publication:
    """A new lead: post its card, and tell the named sales engineer (with a link, added later)."""
    messages = []
    if view.assigned_to is not None:
        messages.append(
            (
                view.assigned_to.slack_user_id,
                f"<@{view.detected_by.slack_user_id}> handed you {view.reference} · "
                f"*{escape(view.lead.company)}*: {escape(view.lead.summary[:200])}",
            )
        )
    return Publication(lead_id=view.lead.id or 0, direct_messages=messages)


def transition_publication(transition: Transition) -> Publication:
    """A transition: refresh the card, reply in its thread, and tell whoever it concerns."""
    view, actor = transition.view, transition.actor
    publication = Publication(lead_id=view.lead.id or 0, reply=transition_reply(transition))
    if transition.repeated:
        return Publication(lead_id=view.lead.id or 0)
    subject = f"{view.reference} · *{escape(view.lead.company)}*"
    if transition.action == "claimed" and view.detected_by.slack_user_id != actor.slack_user_id:
        publication.direct_messages.append(
            (view.detected_by.slack_user_id, f"<@{actor.slack_user_id}> claimed {subject}.")
        )
    if transition.action in ("released", "reassigned") and view.assigned_to is not None:
        publication.direct_messages.append(
            (
                view.assigned_to.slack_user_id,
                f"{subject} is now handed to you by <@{actor.slack_user_id}>.",
            )
        )
    return publication


def _safely(what: str, lead_id: int, call: Any) -> Any:
    try:
        return call()
    except (SlackApiError, SlackClientError, OSError) as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
        log.warning("could not %s for lead #%s: %s", what, lead_id, error)
        return None


def refresh_card(client: WebClient, deps: Deps, lead_id: int) -> bool:
    """Post the card if it never was, else update it in place. True when Slack took it."""
    with deps.session() as session:
        view = view_lead(session, lead_id=lead_id)
    lead, message = view.lead, card(view)
    if lead.card_ts and lead.card_channel:
        done = _safely(
            "update the card",
            lead_id,
            lambda: client.chat_update(channel=lead.card_channel, ts=lead.card_ts, **message),
        )
        if done is not None:
            with deps.session() as session:
                mark_card_shown(session, lead_id=lead_id, version=lead.version)
        return done is not None
    posted = _safely(
        "post the card",
        lead_id,
        lambda: client.chat_postMessage(channel=view.team.leads_channel, **message),
    )
    if posted is None:
        return False
    with deps.session() as session:
        record_card(
            session,
            lead_id=lead_id,
            channel=posted["channel"],
            ts=posted["ts"],
            version=lead.version,
        )
    return True


def publish(client: WebClient, deps: Deps, publication: Publication) -> None:
    """Carry out a publication; one failing Slack call does not stop the others."""
    lead_id = publication.lead_id
    refresh_card(client, deps, lead_id)
    with deps.session() as session:
        lead = view_lead(session, lead_id=lead_id).lead
    link = ""
    if lead.card_channel and lead.card_ts:
        if publication.reply:
            _safely(
                "reply in the card's thread",
                lead_id,
                lambda: client.chat_postMessage(
                    channel=lead.card_channel, thread_ts=lead.card_ts, text=publication.reply
                ),
            )
        found = _safely(
            "link the card",
            lead_id,
            lambda: client.chat_getPermalink(channel=lead.card_channel, message_ts=lead.card_ts),
        )
        link = f" <{found['permalink']}|Open the card>" if found else ""
    for user, text in publication.direct_messages:
        _safely(
            "send a direct message",
            lead_id,
            lambda user=user, text=text: client.chat_postMessage(channel=user, text=text + link),
        )


def refresh_stale_cards(client: WebClient, deps: Deps) -> tuple[int, int]:
    """Bring every stale or missing card up to date: (refreshed, still failing)."""
    with deps.session() as session:
        lead_ids = stale_cards(session)
    refreshed = sum(refresh_card(client, deps, lead_id) for lead_id in lead_ids)
    return refreshed, len(lead_ids) - refreshed
