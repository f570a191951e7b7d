"""The Slack app manifest, built from the commands leadcell registers."""

from __future__ import annotations

from typing import Any

from bot.web import EVENTS_PATH

#: (command, description, usage hint) of every slash command the app registers.
SLASH_COMMANDS = [
    ("/call", "Log a phone call", "<company> <duration> [outcome] [note] | help"),
    (
        "/lead",
        "Hand a lead to a sales engineer, list and follow leads",
        "[@engineer] <company> -- <summary> [value=120k] | list | show L-0042 | help",
    ),
    ("/leadcell", "Teams, roster and settings (admins)", "team … | member … | help"),
]
BOT_SCOPES = ["commands", "chat:write", "channels:history", "groups:history"]
#: Replies in lead cards' threads arrive as message events from public and private channels.
BOT_EVENTS = ["message.channels", "message.groups"]


def build_manifest(
    *, url: str | None = None, socket_mode: bool = False, name: str = "leadcell"
) -> dict[str, Any]:
    """The manifest for HTTP mode at `url`, or for Socket Mode."""
    if not socket_mode and not url:
        raise ValueError("give the public base URL (https://…) or choose Socket Mode")
    endpoint = None if socket_mode else url.rstrip("/") + EVENTS_PATH  # type: ignore[union-attr]
    commands = []
    for command, description, hint in SLASH_COMMANDS:
        entry: dict[str, Any] = {
            "command": command,
            "description": description,
            "usage_hint": hint,
            "should_escape": True,
        }
        if endpoint:
            entry["url"] = endpoint
        commands.append(entry)
    interactivity: dict[str, Any] = {"is_enabled": True}
    events: dict[str, Any] = {"bot_events": BOT_EVENTS}
    if endpoint:
        interactivity["request_url"] = endpoint
        events["request_url"] = endpoint
    return {
        "display_information": {
            "name": name,
            "description": "Telemarketing calls, leads and cost-per-lead reports in Slack",
        },
        "features": {
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": BOT_SCOPES}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }
