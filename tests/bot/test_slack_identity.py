"""The bot's identity: auth.test once, background retries, and Bolt's authorize never waiting."""

from __future__ import annotations

import time

import pytest

from bot.local.fake_slack import FakeSlack
from bot.runtime.settings import Settings
from bot.runtime.slack_client import make_web_client
from bot.runtime.slack_identity import BotIdentity, TokenRefused
from tests.conftest import BOT_TOKEN


def _identity(settings: Settings, **kwargs) -> BotIdentity:
    client = make_web_client(settings, timeout=2, retries=0)
    return BotIdentity(client, token=BOT_TOKEN, **kwargs)


@pytest.mark.parametrize(
    ("kind", "error"),
    [("server_error", "HTTP 500"), ("ratelimit", "HTTP 429"), ("drop", None)],
)
def test_slack_not_answering_leaves_the_identity_unknown_with_the_reason(
    settings: Settings, fake_slack: FakeSlack, kind: str, error: str | None
) -> None:
    fake_slack.add_fault("auth.test", kind, count=None, status=500)
    identity = _identity(settings)

    assert identity.check_once() == "unknown"

    assert identity.last_error is not None
    if error:
        assert identity.last_error == error
    assert identity.health() == {
        "slack": "not reached yet, retrying",
        "slack_error": identity.last_error,
    }


def test_authorize_never_calls_slack_and_uses_what_it_knows(
    settings: Settings, fake_slack: FakeSlack
) -> None:
    fake_slack.add_fault("auth.test", "server_error", count=None)
    identity = _identity(settings)
    identity.check_once()
    fake_slack.clear_calls()

    before = identity.authorize(None, "T0FROMREQUEST")

    assert fake_slack.calls() == []
    assert (before.bot_token, before.team_id, before.bot_user_id) == (
        BOT_TOKEN,
        "T0FROMREQUEST",
        None,
    )
    fake_slack.clear_faults()
    assert identity.check_once() == "known"
    after = identity.authorize(None, "T0FROMREQUEST")
    assert (after.team_id, after.bot_user_id, after.bot_id) == ("T0FAKE", "U0BOT", "B0BOT")


def test_learn_retries_in_the_background_until_slack_answers(
    settings: Settings, fake_slack: FakeSlack
) -> None:
    fake_slack.add_fault("auth.test", "server_error", count=2)
    identity = _identity(settings, first_pause=0.05, longest_pause=0.1).learn()
    try:
        deadline = time.monotonic() + 5
        while identity.state != "known" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert identity.state == "known"
        assert len(fake_slack.calls("auth.test")) == 3
    finally:
        identity.stop()


def test_a_refusal_in_the_background_is_reported_once(settings: Settings) -> None:
    """A made-up refusal: the client answers invalid_auth once Slack is back."""
    refused: list[TokenRefused] = []

    class Client:
        calls = 0

        def auth_test(self, token: str) -> dict[str, str]:
            from slack_sdk.errors import SlackApiError
            from slack_sdk.web import SlackResponse

            Client.calls += 1
            data = {"ok": False, "error": "fatal_error" if Client.calls == 1 else "invalid_auth"}
            status = 500 if Client.calls == 1 else 200
            raise SlackApiError(
                "refused",
                SlackResponse(
                    client=None,
                    http_verb="POST",
                    api_url="auth.test",
                    req_args={},
                    data=data,
                    headers={},
                    status_code=status,
                ),
            )

    identity = BotIdentity(
        Client(),  # type: ignore[arg-type]
        token=BOT_TOKEN,
        on_refused=refused.append,
        first_pause=0.01,
    ).learn()
    deadline = time.monotonic() + 5
    while not refused and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [r.error for r in refused] == ["invalid_auth"]
    assert identity.state == "refused"
    assert identity.health() == {"slack": "token refused", "slack_error": "invalid_auth"}
    assert str(refused[0]).startswith("Slack refuses SLACK_BOT_TOKEN (invalid_auth): ")
