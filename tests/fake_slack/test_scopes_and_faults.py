"""Tokens and scopes enforced as Slack does, users' locales, and the faults that keep effects."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.error import URLError

import pytest
import requests
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.local.fake_slack import FakeSlack
from bot.local.fake_slack.scopes import METHOD_SCOPES
from bot.manifest import build_manifest

TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-1-A0FAKE-1-test"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeSlack) -> FakeSlack:
    server.reset()
    return server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.url, retry_handlers=[], timeout=5)


def refusal(call) -> dict:
    with pytest.raises(SlackApiError) as exc:
        call()
    return exc.value.response.data


def test_bot_tokens_hold_the_manifest_scopes(fake: FakeSlack) -> None:
    manifest = build_manifest(socket_mode=True)["oauth_config"]["scopes"]["bot"]
    assert fake.bot_scopes == frozenset(manifest)
    assert requests.get(fake.base + "_fake/scopes", timeout=5).json()["scopes"] == sorted(manifest)


def test_every_method_the_fake_answers_has_a_scope_rule() -> None:
    from bot.local.fake_slack.methods import APP_METHODS, METHODS

    assert set(METHODS) | set(APP_METHODS) == set(METHOD_SCOPES)


def test_the_manifest_covers_every_method_the_app_needs(client: WebClient) -> None:
    """With the manifest's scopes, each method the app and worker call is allowed."""
    ts = client.chat_postMessage(channel="C1", text="card")["ts"]
    client.chat_update(channel="C1", ts=ts, text="card, updated")
    client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    client.chat_getPermalink(channel="C1", message_ts=ts)
    client.conversations_history(channel="C1")
    client.conversations_history(channel="G1")
    client.conversations_replies(channel="C1", ts=ts)
    dm = client.conversations_open(users="U1")["channel"]["id"]
    client.conversations_history(channel=dm)
    client.users_info(user="U1", include_locale=True)
    client.files_upload_v2(channel="C1", content=b"a,b\n", filename="r.csv", title="Report")


def test_a_method_without_its_scope_is_refused_as_slack_does(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.grant_scopes(["commands", "chat:write"])
    answer = refusal(lambda: client.files_upload_v2(channel="C1", content=b"x", filename="r.csv"))
    assert answer == {
        "ok": False,
        "error": "missing_scope",
        "needed": "files:write",
        "provided": "chat:write,commands",
    }
    [call] = fake.calls("files.getUploadURLExternal")
    assert call["response"]["error"] == "missing_scope"
    assert fake.files() == []
    assert refusal(lambda: client.users_info(user="U1"))["needed"] == "users:read"
    assert refusal(lambda: client.conversations_open(users="U1"))["needed"] == "im:write"
    assert refusal(lambda: client.conversations_open(users="U1,U2"))["needed"] == "mpim:write"
    assert client.chat_postMessage(channel="C1", text="still fine")["ok"]


def test_history_scope_follows_the_channel_type(fake: FakeSlack, client: WebClient) -> None:
    fake.grant_scopes(["chat:write", "channels:history"])
    assert client.conversations_history(channel="C1")["ok"]
    assert refusal(lambda: client.conversations_history(channel="G1"))["needed"] == (
        "groups:history"
    )
    assert refusal(lambda: client.conversations_history(channel="D1"))["needed"] == "im:history"
    fake.set_channel_type("C0PRIVATE", "private")
    assert refusal(lambda: client.conversations_replies(channel="C0PRIVATE", ts="1.2"))[
        "needed"
    ] == ("groups:history")


def test_scope_headers_and_a_reset_back_to_the_manifest(fake: FakeSlack) -> None:
    fake.grant_scopes(["chat:write"])
    answer = requests.post(
        fake.url + "users.info",
        data={"user": "U1"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )
    assert answer.headers["X-OAuth-Scopes"] == "chat:write"
    assert answer.headers["X-Accepted-OAuth-Scopes"] == "users:read"
    assert answer.json()["error"] == "missing_scope"
    fake.reset()
    assert fake.bot_scopes == frozenset(
        build_manifest(socket_mode=True)["oauth_config"]["scopes"]["bot"]
    )


def test_scopes_granted_over_http(fake: FakeSlack, client: WebClient) -> None:
    assert requests.post(fake.base + "_fake/scopes", json={"scopes": []}, timeout=5).ok
    assert refusal(lambda: client.chat_postMessage(channel="C1", text="x"))["needed"] == (
        "chat:write"
    )
    assert requests.post(fake.base + "_fake/scopes", json={"scopes": None}, timeout=5).ok
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    bad = requests.post(fake.base + "_fake/scopes", json={"scopes": "chat:write"}, timeout=5)
    assert bad.status_code == 400


def test_token_kinds_and_refused_tokens(fake: FakeSlack, client: WebClient) -> None:
    app = WebClient(token=APP_TOKEN, base_url=fake.url, retry_handlers=[])
    assert refusal(lambda: app.chat_postMessage(channel="C1", text="x"))["error"] == (
        "not_allowed_token_type"
    )
    assert refusal(lambda: client.apps_connections_open(app_token=TOKEN))["error"] == (
        "not_allowed_token_type"
    )
    odd = WebClient(token="not-a-slack-token", base_url=fake.url, retry_handlers=[])
    assert refusal(odd.auth_test)["error"] == "invalid_auth"
    fake.refuse_token(TOKEN)
    assert refusal(client.auth_test)["error"] == "invalid_auth"
    assert TOKEN not in repr(fake.calls())


def test_users_info_gives_the_locale_only_when_asked(fake: FakeSlack, client: WebClient) -> None:
    assert "locale" not in client.users_info(user="U1")["user"]
    assert client.users_info(user="U1", include_locale=True)["user"]["locale"] == "en-US"
    fake.set_user("U0HANS", real_name="Hans Becker", locale="de-DE")
    requests.post(
        fake.base + "_fake/users", json={"id": "U0AMY", "locale": "en-GB"}, timeout=5
    ).raise_for_status()
    hans = client.users_info(user="U0HANS", include_locale=True)["user"]
    assert (hans["real_name"], hans["locale"]) == ("Hans Becker", "de-DE")
    assert client.users_info(user="U0AMY", include_locale="true")["user"]["locale"] == "en-GB"
    assert "locale" not in client.users_info(user="U0HANS")["user"]


def test_store_then_drop_keeps_the_message_and_gives_no_answer(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.add_fault("chat.postMessage", "store_then_drop")
    with pytest.raises((ConnectionError, URLError)):
        client.chat_postMessage(channel="C1", text="the card")
    [stored] = fake.messages("C1")
    assert stored["text"] == "the card"
    [call] = fake.calls("chat.postMessage")
    assert (call["fault"], call["status"]) == ("store_then_drop", 0)
    assert call["response"]["ts"] == stored["ts"]
    # The client's retry finds the card in the channel's history, as the worker does.
    history = client.conversations_history(channel="C1")["messages"]
    assert [m["text"] for m in history] == ["the card"]


def test_a_delay_longer_than_the_client_timeout_leaves_the_effect(
    fake: FakeSlack,
) -> None:
    impatient = WebClient(token=TOKEN, base_url=fake.url, retry_handlers=[], timeout=1)
    fake.add_fault("chat.postMessage", "delay", seconds=2.5)
    started = time.monotonic()
    with pytest.raises((TimeoutError, URLError, OSError)):
        impatient.chat_postMessage(channel="C1", text="slow card")
    assert time.monotonic() - started < 2.5
    # Slack stored it although the client gave up.
    assert [m["text"] for m in fake.messages("C1")] == ["slow card"]
    [call] = fake.wait_for("chat.postMessage", timeout=5)
    assert call["fault"] == "delay" and call["response"]["ok"] is True
