"""The Slack app manifest printed by `leadcell manifest`."""

from __future__ import annotations

import json

import pytest

from bot.manifest import build_manifest

EVENTS_URL = "https://example.org/slack/events"


def _walk(value):
    """Every (key, value) pair anywhere in a nested structure."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


@pytest.mark.parametrize("url", ["https://example.org", "https://example.org/"])
def test_http_manifest_points_commands_and_interactivity_at_the_events_path(url):
    manifest = build_manifest(url=url)
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == {"/call", "/lead", "/leadcell"}
    for command in commands.values():
        assert command["should_escape"] is True
        assert command["url"] == EVENTS_URL
        assert command["description"]
    assert manifest["settings"]["interactivity"] == {"is_enabled": True, "request_url": EVENTS_URL}
    assert manifest["settings"]["socket_mode_enabled"] is False


def test_socket_mode_manifest_has_no_urls():
    manifest = build_manifest(socket_mode=True)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"] == {"is_enabled": True}
    keys = {key for key, _ in _walk(manifest)}
    assert "url" not in keys
    assert "request_url" not in keys
    assert "example.org" not in json.dumps(manifest)
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == ["/call", "/lead", "/leadcell"]
    assert all(c["should_escape"] is True for c in commands)


@pytest.mark.parametrize("kwargs", [{"url": "https://example.org"}, {"socket_mode": True}])
def test_scopes_and_bot_user(kwargs):
    manifest = build_manifest(**kwargs)
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert "commands" in scopes
    assert "chat:write" in scopes
    assert manifest["features"]["bot_user"]["display_name"] == "leadcell"
    assert manifest["display_information"]["name"] == "leadcell"
    json.dumps(manifest)  # printable as JSON


def test_call_usage_hint_shows_the_quick_form():
    manifest = build_manifest(url="https://example.org")
    call = next(c for c in manifest["features"]["slash_commands"] if c["command"] == "/call")
    assert "<company> <duration>" in call["usage_hint"]


def test_name_is_configurable():
    manifest = build_manifest(socket_mode=True, name="leadcell-uk")
    assert manifest["display_information"]["name"] == "leadcell-uk"
    assert manifest["features"]["bot_user"]["display_name"] == "leadcell-uk"


@pytest.mark.parametrize("url", [None, ""])
def test_http_mode_needs_a_url(url):
    with pytest.raises(ValueError, match="URL"):
        build_manifest(url=url)


def test_bot_scopes_cover_what_the_app_calls():
    scopes = set(build_manifest(socket_mode=True)["oauth_config"]["scopes"]["bot"])
    assert scopes == {
        "commands",
        "chat:write",
        "channels:history",
        "groups:history",
        "im:history",
        "im:write",
        "users:read",
        "files:write",
    }


def test_app_home_holds_the_direct_messages_and_app_home_opened_is_subscribed():
    manifest = build_manifest(url="https://example.org")
    assert manifest["features"]["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": True,
    }
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert "app_home_opened" in events
    assert {"message.channels", "message.groups"} <= set(events)


@pytest.mark.parametrize(
    "url",
    ["https://leadcell.example.org", "https://example.org/base", "https://example.org:8443/x/"],
)
def test_good_public_urls(url):
    manifest = build_manifest(url=url)
    assert manifest["settings"]["interactivity"]["request_url"] == (
        url.rstrip("/") + "/slack/events"
    )


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("example.org", "is not an https:// address"),
        ("http://example.org", "is not an https:// address"),
        ("https://", "is not an https:// address"),
        ("https://x/slack/events", "already ends in /slack/events"),
        ("https://x/base/slack/events/", "already ends in /slack/events"),
        ("https://example.org/?a=1", "has a query or a fragment"),
        ("https://example.org/#top", "has a query or a fragment"),
        ("https://user:pw@example.org", "holds a user name or password"),
        ("https://example.org:port", "port that is not a number"),
    ],
)
def test_broken_public_urls_are_refused_with_an_example(url, why):
    with pytest.raises(ValueError) as refused:
        build_manifest(url=url)
    message = str(refused.value)
    assert why in message
    assert "for example https://leadcell.example.org" in message
    assert "\n" not in message
