"""Platform events with no command behind them: the App Home, and modals closed unsent.

Slack sends `app_home_opened` when someone opens the app's Home or Messages tab, and
`view_closed` when someone cancels a modal opened with notify_on_close. Both are
acknowledged at once and change nothing; the Home tab shows a short static guide,
published after the acknowledgement. (Message events, edited, deleted, file shares
and channel joins included, are acknowledged by the thread listener in
`bot.commands.lead_actions`, which acts only on plain replies in a lead card's thread.)
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.blocks import section
from bot.deps import requester_of
from bot.i18n import Reader

ANY_CALLBACK = re.compile(".*")


def home_view(reader: Reader) -> dict[str, Any]:
    """The App Home: what leadcell does and where to start, in the reader's language."""
    lines = (
        reader._("*leadcell* keeps the cell's calls and leads in Slack."),
        reader._(
            "Log each call with `/call`, for example `/call Acme Corp 12m contact spoke to "
            "the CFO`."
        ),
        reader._(
            "Hand a lead to a sales engineer with `/lead`, for example `/lead @marc Acme Corp "
            "-- invoice capture value=120k`."
        ),
        reader._(
            "Claim and follow a lead with the buttons on its card, or by replying in its thread."
        ),
        reader._(
            "Type `/call help`, `/lead help` or `/leadcell help` for every command, with examples."
        ),
    )
    return {"type": "home", "blocks": [section(line) for line in lines]}


def acknowledge(ack: Ack) -> None:
    """Acknowledge at once; nothing is written and nothing is posted."""
    ack()


def publish_home(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """After the acknowledgement: show the guide when the Home tab (not Messages) opens."""
    user = event.get("user")
    if event.get("tab") == "home" and isinstance(user, str) and user:
        reader = requester_of(context, user).reader
        client.views_publish(user_id=user, view=home_view(reader))


def register(app: App) -> None:
    """Attach the App Home and view_closed listeners to `app`."""
    app.event("app_home_opened")(ack=acknowledge, lazy=[publish_home])
    app.view_closed(ANY_CALLBACK)(acknowledge)
