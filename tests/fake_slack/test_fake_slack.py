"""Tests of the fake Slack Web API, through slack_sdk and plain HTTP."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.error import URLError

import pytest
import requests
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

from bot.local.fake_slack import FakeSlack, limits

TOKEN = "xoxb-test-token"
FAST = FixedValueRetryIntervalCalculator(0.01)
ROOT = Path(__file__).resolve().parents[2]


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


def error_of(exc: pytest.ExceptionInfo[SlackApiError]) -> str:
    return exc.value.response["error"]


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def modal(
    title: str = "Log a call", blocks: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": blocks if blocks is not None else [section("hi")],
        **extra,
    }


def button(text: str = "Go", value: str = "v", action_id: str = "go") -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "value": value,
        "action_id": action_id,
    }


# -- basics -------------------------------------------------------------------------------


def test_urls(fake: FakeSlack) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", fake.base)
    assert fake.url == fake.base + "api/"
    assert fake.response_url("abc") == fake.base + "_fake/response/abc"


def test_auth_test_and_token_never_recorded(fake: FakeSlack, client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == "T0FAKE"
    assert answer["user_id"] == "U0BOT"
    assert answer["bot_id"] == "B0BOT"
    assert answer["team"] == "Fake Workspace"
    assert answer["url"] == "https://leadcell-fake.slack.com/"
    assert answer["is_enterprise_install"] is False
    (call,) = fake.calls("auth.test")
    assert call["authed"] is True and call["status"] == 200 and call["fault"] is None
    assert call["response"]["ok"] is True
    assert TOKEN not in repr(fake.calls())


def test_token_as_param_and_get_request(fake: FakeSlack) -> None:
    posted = requests.post(fake.url + "auth.test", data={"token": TOKEN}, timeout=5)
    fetched = requests.get(fake.url + "auth.test", params={"token": TOKEN}, timeout=5)
    assert posted.status_code == fetched.status_code == 200
    assert posted.json()["ok"] and fetched.json()["ok"]
    assert all("token" not in c["args"] and c["authed"] for c in fake.calls())


def test_not_authed(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as exc:
        WebClient(base_url=fake.url, retry_handlers=[]).chat_postMessage(channel="C1", text="x")
    assert error_of(exc) == "not_authed"
    assert exc.value.response.status_code == 200
    assert fake.calls()[0]["authed"] is False
    assert fake.messages("C1") == []


def test_unknown_method(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.api_call("chat.nope")
    assert error_of(exc) == "unknown_method"
    assert fake.calls("chat.nope")[0]["response"]["error"] == "unknown_method"


def test_invalid_json_body(fake: FakeSlack) -> None:
    answer = requests.post(
        fake.url + "chat.postMessage",
        data=b"{not json",
        timeout=5,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert answer.json() == {"ok": False, "error": "invalid_json"}


def test_form_body_json_decodes_blocks(fake: FakeSlack) -> None:
    blocks = '[{"type": "divider"}]'
    answer = requests.post(
        fake.url + "chat.postMessage",
        timeout=5,
        headers={"Authorization": f"Bearer {TOKEN}"},
        data={"channel": "C1", "blocks": blocks, "metadata": '{"a": 1}'},
    )
    assert answer.json()["ok"] is True
    args = fake.calls("chat.postMessage")[0]["args"]
    assert args["blocks"] == [{"type": "divider"}]
    assert args["metadata"] == {"a": 1}


# -- chat -----------------------------------------------------------------------------------


def test_post_message_stores_messages_and_threads(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C1", text="hello", blocks=[section("hello")])
    assert first["channel"] == "C1"
    assert re.fullmatch(r"\d{10}\.\d{6}", first["ts"])
    message = first["message"]
    assert (message["text"], message["ts"], message["user"], message["bot_id"]) == (
        "hello",
        first["ts"],
        "U0BOT",
        "B0BOT",
    )
    assert message["blocks"] == [section("hello")]
    reply = client.chat_postMessage(
        channel="C1",
        text="in thread",
        thread_ts=first["ts"],
        metadata={"event_type": "e", "event_payload": {"k": 1}},
    )
    assert reply["ts"] > first["ts"]
    assert reply["message"]["thread_ts"] == first["ts"]
    assert reply["message"]["metadata"]["event_payload"] == {"k": 1}
    stored = fake.messages("C1")
    assert [m["text"] for m in stored] == ["hello", "in thread"]
    assert stored[1]["thread_ts"] == first["ts"]
    assert stored[0]["reply_count"] == 1


def test_post_message_to_dm_and_user_ids(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="D0123", text="dm")
    client.chat_postMessage(channel="U0456", text="to a user")
    assert fake.messages("D0123")[0]["text"] == "dm"
    assert fake.messages("U0456")[0]["text"] == "to a user"


def test_ts_values_unique_under_concurrency(fake: FakeSlack, client: WebClient) -> None:
    results: list[str] = []

    def post() -> None:
        results.append(client.chat_postMessage(channel="C1", text="x")["ts"])

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 20
    assert [m["ts"] for m in fake.messages("C1")] == sorted(results)


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"channel": "", "text": "x"}, "channel_not_found"),
        ({"channel": "C1", "text": ""}, "no_text"),
        ({"channel": "C1", "blocks": []}, "no_text"),
    ],
)
def test_post_message_refusals(client: WebClient, kwargs: dict[str, Any], error: str) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(**kwargs)
    assert error_of(exc) == error


def test_post_ephemeral(fake: FakeSlack, client: WebClient) -> None:
    answer = client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    assert re.fullmatch(r"\d{10}\.\d{6}", answer["message_ts"])
    assert fake.messages("C1") == []
    assert fake.calls("chat.postEphemeral")[0]["args"]["user"] == "U1"
    with pytest.raises(SlackApiError) as exc:
        client.chat_postEphemeral(channel="C1", user="", text="x")
    assert error_of(exc) == "user_not_in_channel"


def test_chat_update(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="old", blocks=[section("old")])["ts"]
    answer = client.chat_update(channel="C1", ts=ts, text="new", blocks=[section("new")])
    assert (answer["channel"], answer["ts"], answer["text"]) == ("C1", ts, "new")
    (stored,) = fake.messages("C1")
    assert stored["text"] == "new" and stored["blocks"] == [section("new")]
    with pytest.raises(SlackApiError) as exc:
        client.chat_update(channel="C1", ts="1.000001", text="x")
    assert error_of(exc) == "message_not_found"


def test_long_text_is_truncated_not_refused(fake: FakeSlack, client: WebClient) -> None:
    answer = client.chat_postMessage(channel="C1", text="a" * 40_001)
    assert answer["warning"] == "message_truncated"
    assert len(answer["message"]["text"]) == 40_000
    assert len(fake.calls("chat.postMessage")[0]["args"]["text"]) == 40_000
    exact = client.chat_postMessage(channel="C1", text="a" * 40_000)
    assert "warning" not in exact.data


# -- conversations and users --------------------------------------------------------------


def test_history_and_replies(client: WebClient) -> None:
    meta = {"event_type": "call_logged", "event_payload": {"id": 7}}
    a = client.chat_postMessage(channel="C1", text="a", metadata=meta)["ts"]
    client.chat_postMessage(channel="C1", text="a-reply", thread_ts=a)
    b = client.chat_postMessage(channel="C1", text="b")["ts"]
    history = client.conversations_history(channel="C1")
    assert [m["text"] for m in history["messages"]] == ["b", "a"]
    assert history["has_more"] is False
    assert "metadata" not in history["messages"][1]
    with_meta = client.conversations_history(channel="C1", include_all_metadata=True)
    assert with_meta["messages"][1]["metadata"] == meta
    assert [m["ts"] for m in client.conversations_history(channel="C1", oldest=a)["messages"]] == [
        b
    ]
    page = client.conversations_history(channel="C1", limit=1)
    assert page["has_more"] is True and [m["text"] for m in page["messages"]] == ["b"]
    cursor = page["response_metadata"]["next_cursor"]
    rest = client.conversations_history(channel="C1", limit=1, cursor=cursor)
    assert [m["text"] for m in rest["messages"]] == ["a"] and rest["has_more"] is False
    replies = client.conversations_replies(channel="C1", ts=a)
    assert [m["text"] for m in replies["messages"]] == ["a", "a-reply"]
    with pytest.raises(SlackApiError) as exc:
        client.conversations_replies(channel="C1", ts="1.000001")
    assert error_of(exc) == "thread_not_found"


def test_conversations_open_is_stable(client: WebClient) -> None:
    one = client.conversations_open(users="U1")["channel"]["id"]
    assert one.startswith("D")
    assert client.conversations_open(users=["U1"])["channel"]["id"] == one
    assert client.conversations_open(users="U2")["channel"]["id"] != one
    with pytest.raises(SlackApiError) as exc:
        client.api_call("conversations.open", json={})
    assert error_of(exc) == "users_list_not_supplied"


def test_users_info(fake: FakeSlack, client: WebClient) -> None:
    user = client.users_info(user="U0ABC")["user"]
    assert user["id"] == "U0ABC" and user["name"] == "u0abc"
    assert user["tz"] == "Europe/Paris" and user["is_bot"] is False and user["real_name"]
    fake.set_user("W0XYZ", real_name="Ada Lovelace")
    assert client.users_info(user="W0XYZ")["user"]["real_name"] == "Ada Lovelace"
    with pytest.raises(SlackApiError) as exc:
        client.users_info(user="nobody")
    assert error_of(exc) == "user_not_found"


# -- views ----------------------------------------------------------------------------------


def test_views_open_update_publish(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(
        trigger_id="t-1", view=modal(callback_id="log", external_id="ext-1")
    )["view"]
    assert opened["id"].startswith("V") and opened["hash"]
    assert opened["callback_id"] == "log" and opened["title"]["text"] == "Log a call"
    updated = client.views_update(view_id=opened["id"], view=modal("Done"))["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    by_external = client.views_update(external_id="ext-1", view=modal("Again"))["view"]
    assert by_external["id"] == opened["id"]
    with pytest.raises(SlackApiError) as exc:
        client.views_update(view_id="V404", view=modal())
    assert error_of(exc) == "not_found"
    with pytest.raises(SlackApiError) as exc:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal())
    assert error_of(exc) == "hash_conflict"
    home = {"type": "home", "blocks": [section("home")]}
    published = client.views_publish(user_id="U1", view=home)["view"]
    assert published["type"] == "home"
    assert client.views_publish(user_id="U1", view=home)["view"]["id"] == published["id"]
    with pytest.raises(SlackApiError) as exc:
        client.views_publish(user_id="U1", view=modal())
    assert error_of(exc) == "invalid_arguments"
    assert {v["id"] for v in fake.views()} == {opened["id"], published["id"]}


def test_trigger_id_is_single_use(client: WebClient) -> None:
    client.views_open(trigger_id="t-once", view=modal())
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id="t-once", view=modal())
    assert error_of(exc) == "expired_trigger_id"


@pytest.mark.parametrize("field", ["title", "submit", "close"])
def test_modal_labels_limited_to_24_chars(client: WebClient, field: str) -> None:
    view = modal()
    view[field] = {"type": "plain_text", "text": "x" * 25}
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id=f"t-{field}", view=view)
    assert error_of(exc) == "invalid_arguments"
    assert any(f"/view/{field}" in m for m in exc.value.response["response_metadata"]["messages"])
    view[field] = {"type": "plain_text", "text": "x" * 24}
    assert client.views_open(trigger_id=f"t-{field}-ok", view=view)["ok"]


def test_view_block_limit(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.views_open(trigger_id="t-101", view=modal(blocks=[{"type": "divider"}] * 101))
    assert error_of(exc) == "invalid_blocks"
    assert client.views_open(trigger_id="t-100", view=modal(blocks=[{"type": "divider"}] * 100))


# -- limits ---------------------------------------------------------------------------------


def test_fifty_blocks_accepted_fifty_one_refused(client: WebClient) -> None:
    assert client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "divider"}] * 50)
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="x", blocks=[{"type": "divider"}] * 51)
    assert error_of(exc) == "invalid_blocks"
    assert exc.value.response["errors"]


def test_section_text_limit_through_api(client: WebClient) -> None:
    assert client.chat_postMessage(channel="C1", text="x", blocks=[section("a" * 3000)])
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="x", blocks=[section("a" * 3001)])
    assert error_of(exc) == "invalid_blocks"
    assert "/blocks/0/text" in exc.value.response["errors"][0]


def test_duplicate_block_id_refused(client: WebClient) -> None:
    blocks = [section("a", block_id="b1"), section("b", block_id="b1")]
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="x", blocks=blocks)
    assert error_of(exc) == "invalid_blocks"
    assert "b1" in exc.value.response["errors"][0]


def _fields(n: int, size: int = 5) -> dict[str, Any]:
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * size}] * n}


def _header(n: int) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": "h" * n}}


def _context(n: int) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * n}


def _actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


@pytest.mark.parametrize(
    ("ok_block", "bad_block"),
    [
        (_fields(10), _fields(11)),
        (_fields(1, 2000), _fields(1, 2001)),
        (_header(150), _header(151)),
        (_context(10), _context(11)),
        (
            _actions(*[button(action_id=f"a{i}") for i in range(25)]),
            _actions(*[button(action_id=f"a{i}") for i in range(26)]),
        ),
        (_actions(button(text="t" * 75)), _actions(button(text="t" * 76))),
        (_actions(button(value="v" * 2000)), _actions(button(value="v" * 2001))),
        (_actions(button(action_id="a" * 255)), _actions(button(action_id="a" * 256))),
        (section("x", block_id="b" * 255), section("x", block_id="b" * 256)),
        ({"type": "markdown", "text": "**x**"}, {"type": "carousel"}),
        (section("x", accessory=button()), section("x", accessory=button(text="t" * 76))),
    ],
    ids=[
        "fields",
        "field-text",
        "header",
        "context",
        "actions",
        "button-text",
        "button-value",
        "action-id",
        "block-id",
        "block-type",
        "accessory",
    ],
)
def test_block_limits(ok_block: dict[str, Any], bad_block: dict[str, Any]) -> None:
    assert limits.check_message_blocks([ok_block]) == []
    errors = limits.check_message_blocks([bad_block])
    assert errors and all("[json-pointer:/blocks/0" in e for e in errors)


@pytest.mark.parametrize(
    ("ok_view", "bad_view", "field"),
    [
        (
            modal(private_metadata="m" * 3000),
            modal(private_metadata="m" * 3001),
            "private_metadata",
        ),
        (modal(callback_id="c" * 255), modal(callback_id="c" * 256), "callback_id"),
        (modal(), {**modal(), "type": "sheet"}, "type"),
        (
            modal(
                blocks=[
                    {
                        "type": "input",
                        "label": {"type": "plain_text", "text": "L"},
                        "element": {"type": "plain_text_input", "action_id": "i"},
                    }
                ],
                submit={"type": "plain_text", "text": "Save"},
            ),
            modal(
                blocks=[
                    {
                        "type": "input",
                        "label": {"type": "plain_text", "text": "L"},
                        "element": {"type": "plain_text_input", "action_id": "i"},
                    }
                ]
            ),
            "submit",
        ),
    ],
)
def test_view_limits(ok_view: dict[str, Any], bad_view: dict[str, Any], field: str) -> None:
    assert limits.check_view(ok_view) == []
    errors = limits.check_view(bad_view)
    assert errors and f"/view/{field}" in errors[0]


def test_ephemeral_and_update_blocks_are_validated(client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="x")["ts"]
    too_many = [{"type": "divider"}] * 51
    for call in (
        lambda: client.chat_update(channel="C1", ts=ts, text="x", blocks=too_many),
        lambda: client.chat_postEphemeral(channel="C1", user="U1", text="x", blocks=too_many),
    ):
        with pytest.raises(SlackApiError) as exc:
            call()
        assert error_of(exc) == "invalid_blocks"


# -- faults ---------------------------------------------------------------------------------


def test_ratelimit_retried_by_rate_limit_handler(fake: FakeSlack) -> None:
    fake.add_fault("chat.postMessage", "ratelimit", retry_after=1)
    client = WebClient(
        token=TOKEN,
        base_url=fake.url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    started = time.monotonic()
    assert client.chat_postMessage(channel="C1", text="after limit")["ok"]
    assert time.monotonic() - started >= 1.0
    first, second = fake.calls("chat.postMessage")
    assert (first["fault"], first["status"]) == ("ratelimit", 429)
    assert first["response"] == {"ok": False, "error": "ratelimited"}
    assert (second["fault"], second["status"]) == (None, 200)
    assert len(fake.messages("C1")) == 1


def test_ratelimit_without_handler(fake: FakeSlack, client: WebClient) -> None:
    fake.add_fault("chat.postMessage", "ratelimit", retry_after=7)
    with pytest.raises(SlackApiError) as exc:
        client.chat_postMessage(channel="C1", text="x")
    assert exc.value.response.status_code == 429
    assert exc.value.response.headers["Retry-After"] in ("7", ["7"])
    assert error_of(exc) == "ratelimited"
    assert fake.messages("C1") == []


def test_server_error_retried_by_server_error_handler(fake: FakeSlack) -> None:
    fake.add_fault("chat.postMessage", "server_error", status=503)
    client = WebClient(
        token=TOKEN,
        base_url=fake.url,
        retry_handlers=[ServerErrorRetryHandler(max_retry_count=1, interval_calculator=FAST)],
    )
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert [(c["fault"], c["status"]) for c in fake.calls()] == [("server_error", 503), (None, 200)]


def test_server_error_without_handler(fake: FakeSlack, client: WebClient) -> None:
    fake.add_fault("users.info", "server_error")
    with pytest.raises(SlackApiError) as exc:
        client.users_info(user="U1")
    assert exc.value.response.status_code == 500
    assert error_of(exc) == "internal_error"


def test_delay(fake: FakeSlack, client: WebClient) -> None:
    fake.add_fault("auth.test", "delay", seconds=0.3)
    started = time.monotonic()
    assert client.auth_test()["ok"]
    assert time.monotonic() - started >= 0.3
    assert fake.calls("auth.test")[0]["fault"] == "delay"


def test_drop_raises_then_recovers_with_connection_handler(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.add_fault("chat.postMessage", "drop")
    with pytest.raises((ConnectionError, URLError)):
        client.chat_postMessage(channel="C1", text="lost")
    fake.add_fault("chat.postMessage", "drop")
    retrying = WebClient(
        token=TOKEN,
        base_url=fake.url,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1, interval_calculator=FAST)],
    )
    assert retrying.chat_postMessage(channel="C1", text="kept")["ok"]
    calls = fake.calls("chat.postMessage")
    assert [(c["fault"], c["status"]) for c in calls] == [("drop", 0), ("drop", 0), (None, 200)]
    assert calls[0]["response"] is None
    assert [m["text"] for m in fake.messages("C1")] == ["kept"]


def test_wildcard_fault_until_cleared(fake: FakeSlack, client: WebClient) -> None:
    fake.add_fault("*", "server_error", count=None)
    for call in (client.auth_test, lambda: client.users_info(user="U1")):
        with pytest.raises(SlackApiError):
            call()
    fake.clear_faults()
    assert client.auth_test()["ok"]
    assert [c["fault"] for c in fake.calls()] == ["server_error", "server_error", None]


def test_fault_count(fake: FakeSlack, client: WebClient) -> None:
    fake.add_fault("auth.test", "server_error", count=2)
    for _ in range(2):
        with pytest.raises(SlackApiError):
            client.auth_test()
    assert client.auth_test()["ok"]


def test_add_fault_rejects_nonsense(fake: FakeSlack) -> None:
    with pytest.raises(ValueError, match="kind"):
        fake.add_fault("auth.test", "explode")
    with pytest.raises(ValueError, match="count"):
        fake.add_fault("auth.test", "drop", count=0)


# -- files ----------------------------------------------------------------------------------


def test_files_upload_v2_round_trip(fake: FakeSlack, client: WebClient) -> None:
    answer = client.files_upload_v2(
        channel="C1",
        content=b"a,b\n1,2\n",
        filename="x.csv",
        title="Report",
        initial_comment="here",
    )
    assert answer["file"]["name"] == "x.csv" and answer["file"]["title"] == "Report"
    assert answer["file"]["size"] == 8
    (stored,) = fake.files()
    assert stored["content"] == b"a,b\n1,2\n" and stored["channel_id"] == "C1"
    completed = fake.calls("files.completeUploadExternal")[0]["args"]
    assert completed["files"][0]["id"] == stored["id"]
    assert completed["initial_comment"] == "here"
    url = fake.calls("files.getUploadURLExternal")[0]["response"]["upload_url"]
    assert url == f"{fake.base}_fake/upload/{stored['id']}"


def test_files_refusals(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as exc:
        client.api_call("files.getUploadURLExternal", params={"filename": "x.csv"})
    assert error_of(exc) == "invalid_arguments"
    file_id = client.files_getUploadURLExternal(filename="x.csv", length=3)["file_id"]
    with pytest.raises(SlackApiError) as exc:
        client.files_completeUploadExternal(files=[{"id": file_id, "title": "never sent"}])
    assert error_of(exc) == "file_not_found"
    assert requests.post(f"{fake.base}_fake/upload/F404", data=b"x", timeout=5).status_code == 404


def test_multipart_upload_keeps_first_part(fake: FakeSlack, client: WebClient) -> None:
    reserved = client.files_getUploadURLExternal(filename="x.txt", length=5)
    answer = requests.post(reserved["upload_url"], files={"file": ("x.txt", b"hello")}, timeout=5)
    assert answer.text == "OK - 5"
    assert fake.files()[0]["content"] == b"hello"


# -- response_url ---------------------------------------------------------------------------


def test_response_url_recorded(fake: FakeSlack) -> None:
    webhook = WebhookClient(fake.response_url("cmd-1"))
    answer = webhook.send(text="done", response_type="ephemeral", replace_original=True)
    assert (answer.status_code, answer.body) == (200, "ok")
    (call,) = fake.calls("response_url")
    assert call["args"] == {
        "text": "done",
        "response_type": "ephemeral",
        "replace_original": True,
        "key": "cmd-1",
    }
    bad = webhook.send(text="x", blocks=[{"type": "divider"}] * 51)
    assert (bad.status_code, bad.body) == (400, "invalid_blocks")


def test_response_url_faults(fake: FakeSlack) -> None:
    fake.add_fault("response_url", "server_error")
    webhook = WebhookClient(fake.response_url("k"), retry_handlers=[])
    assert webhook.send(text="x").status_code == 500
    assert webhook.send(text="x").status_code == 200
    assert [c["fault"] for c in fake.calls("response_url")] == ["server_error", None]


# -- control endpoints and helpers ----------------------------------------------------------


def test_control_endpoints_over_http(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    client.chat_postMessage(channel="C1", text="x")
    calls = requests.get(f"{fake.base}_fake/calls", timeout=5).json()["calls"]
    assert [c["method"] for c in calls] == ["auth.test", "chat.postMessage"]
    only = requests.get(f"{fake.base}_fake/calls", params={"method": "auth.test"}, timeout=5)
    assert [c["method"] for c in only.json()["calls"]] == ["auth.test"]
    assert requests.delete(f"{fake.base}_fake/calls", timeout=5).json() == {"ok": True}
    assert fake.calls() == [] and len(fake.messages("C1")) == 1

    fault = {"method": "auth.test", "kind": "ratelimit", "count": None, "retry_after": 3}
    assert requests.post(f"{fake.base}_fake/faults", json=fault, timeout=5).json()["ok"]
    bad = requests.post(f"{fake.base}_fake/faults", json={"method": "x", "kind": "boom"}, timeout=5)
    assert bad.status_code == 400
    for _ in range(2):
        limited = requests.post(fake.url + "auth.test", data={"token": TOKEN}, timeout=5)
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "3"
    assert requests.delete(f"{fake.base}_fake/faults", timeout=5).json()["ok"]
    assert requests.post(fake.url + "auth.test", data={"token": TOKEN}, timeout=5).ok

    client.views_open(trigger_id="t-reset", view=modal())
    assert requests.post(f"{fake.base}_fake/reset", timeout=5).json()["ok"]
    assert fake.calls() == [] and fake.messages("C1") == [] and fake.views() == []
    assert client.views_open(trigger_id="t-reset", view=modal())["ok"]
    messages = requests.get(f"{fake.base}_fake/messages", params={"channel": "C1"}, timeout=5)
    assert messages.json() == {"messages": []}


def test_wait_for_returns_when_calls_arrive(fake: FakeSlack, client: WebClient) -> None:
    timer = threading.Timer(0.1, lambda: client.chat_postMessage(channel="C1", text="late"))
    timer.start()
    try:
        (call,) = fake.wait_for("chat.postMessage", timeout=3)
    finally:
        timer.join()
    assert call["args"]["text"] == "late"


def test_wait_for_timeout_names_recorded_methods(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"views\.open.*got 0.*auth\.test"):
        fake.wait_for("views.open", timeout=0.2)
    assert 0.2 <= time.monotonic() - started < 2


def test_clear_calls_keeps_state(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="x")
    fake.clear_calls()
    assert fake.calls() == [] and len(fake.messages("C1")) == 1


def test_stop_and_restart() -> None:
    fake = FakeSlack().start()
    first_url = fake.url
    fake.stop()
    fake.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(first_url + "auth.test", timeout=1)
    with fake:
        assert WebClient(token=TOKEN, base_url=fake.url).auth_test()["ok"]


def test_serve_forever_prints_url_and_stops_on_ctrl_c() -> None:
    code = "from bot.local.fake_slack import serve_forever; serve_forever('127.0.0.1', 0)"
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/", url)
        assert WebClient(token=TOKEN, base_url=url).auth_test()["ok"]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_get_permalink_links_a_stored_message(client):
    posted = client.chat_postMessage(channel="C1", text="card")
    link = client.chat_getPermalink(channel="C1", message_ts=posted["ts"])
    assert link["permalink"] == (
        f"https://leadcell-fake.slack.com/archives/C1/p{posted['ts'].replace('.', '')}"
    )
    with pytest.raises(SlackApiError) as refused:
        client.chat_getPermalink(channel="C1", message_ts="1.000001")
    assert refused.value.response["error"] == "message_not_found"
