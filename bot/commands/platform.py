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

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps

HOME_LINES = (
    "*leadcell* keeps the cell's calls and leads in Slack.",
    "Log each call with `/call`, for example `/call Acme Corp 12m contact spoke to the CFO`.",
    "Hand a lead to a sales engineer with `/lead`, for example "
    "`/lead @marc Acme Corp -- invoice capture value=120k`.",
    "Claim and follow a lead with the buttons on its card, or by replying in its thread.",
    "Type `/call help`, `/lead help` or `/leadcell help` for every command, with examples.",
)
ANY_CALLBACK = re.compile(".*")


def home_view() -> dict[str, Any]:
    """The App Home: what leadcell does and where to start."""
    return {
        "type": "home",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": line}} for line in HOME_LINES
        ],
    }


def acknowledge(ack: Ack) -> None:
    """Acknowledge at once; nothing is written and nothing is posted."""
    ack()


def publish_home(event: dict[str, Any], client: WebClient) -> None:
    """After the acknowledgement: show the guide when the Home tab (not Messages) opens."""
    if event.get("tab") == "home" and event.get("user"):
        client.views_publish(user_id=event["user"], view=home_view())


def register(app: App, deps: Deps) -> None:
    """Attach the App Home and view_closed listeners to `app`."""
    app.event("app_home_opened")(ack=acknowledge, lazy=[publish_home])
    app.view_closed(ANY_CALLBACK)(acknowledge)
