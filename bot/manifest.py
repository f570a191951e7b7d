"""The Slack app manifest, built from the commands leadcell registers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

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
#: Every bot scope the app's Web API calls need (the fake Slack grants exactly these):
#: commands: the slash commands; chat:write: cards, replies, direct messages, digests;
#: channels:history, groups:history: replies in cards' threads and the history check before
#: a repost; im:write, im:history: opening a direct message and checking it before a repost;
#: users:read: users.info with include_locale, for each person's language;
#: files:write: the monthly report's chart and CSV (files_upload_v2).
BOT_SCOPES = [
    "commands",
    "chat:write",
    "channels:history",
    "groups:history",
    "im:history",
    "im:write",
    "users:read",
    "files:write",
]
#: Replies in lead cards' threads arrive as message events from public and private
#: channels; app_home_opened when someone opens the app's Home tab.
BOT_EVENTS = ["message.channels", "message.groups", "app_home_opened"]
URL_EXAMPLE = "https://leadcell.example.org"
NO_URL = "Give the public base URL of `leadcell web` (for example {example}) or choose Socket Mode."
#: Why a URL cannot be the app's public address, one whole sentence each.
URL_PROBLEMS = {
    "not_https": (
        "{url} is not an https:// address with a host name: give the base address of "
        "`leadcell web`, for example {example}"
    ),
    "credentials": (
        "{url} holds a user name or password, which Slack would show to every workspace "
        "admin: give the base address of `leadcell web`, for example {example}"
    ),
    "query": (
        "{url} has a query or a fragment, which Slack would drop: give the base address of "
        "`leadcell web`, for example {example}"
    ),
    "events_path": (
        "{url} already ends in {path}, which leadcell adds itself: give the base address "
        "of `leadcell web`, for example {example}"
    ),
    "port": (
        "{url} has a port that is not a number: give the base address of `leadcell web`, "
        "for example {example}"
    ),
}


def _url_problem(url: str) -> str | None:
    """The key of what is wrong with a public base URL, or None when it is fine."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or " " in url:
        return "not_https"
    if parts.username or parts.password:
        return "credentials"
    if parts.query or parts.fragment or "?" in url or "#" in url:
        return "query"
    if parts.path.rstrip("/").endswith(EVENTS_PATH):
        return "events_path"
    try:
        parts.port  # noqa: B018 - reading it checks that the port is a number
    except ValueError:
        return "port"
    return None


def check_public_url(url: str) -> str:
    """The base URL of `leadcell web`, ``https://host[/base]``, or ValueError saying why not.

    leadcell adds /slack/events itself, so the URL must not end with it.
    """
    url = url.strip()
    problem = _url_problem(url)
    if problem:
        raise ValueError(
            URL_PROBLEMS[problem].format(url=url or "''", path=EVENTS_PATH, example=URL_EXAMPLE)
        )
    return url


def build_manifest(
    *, url: str | None = None, socket_mode: bool = False, name: str = "leadcell"
) -> dict[str, Any]:
    """The manifest for HTTP mode at `url` (checked by `check_public_url`), or for Socket Mode."""
    if not socket_mode and not url:
        raise ValueError(NO_URL.format(example=URL_EXAMPLE))
    endpoint = None if socket_mode else check_public_url(url or "").rstrip("/") + EVENTS_PATH
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
            # The Messages tab holds the app's direct messages (hand-offs, claims); it is
            # read-only because the app does not read what people write there. The Home tab
            # shows a short guide, published when someone opens it.
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
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
