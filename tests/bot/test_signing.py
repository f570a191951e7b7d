"""Slack request signatures, with Slack's published example and a pinned clock."""

from __future__ import annotations

import pytest

from bot.signing import sign, signature_problem

# https://api.slack.com/authentication/verifying-requests-from-slack (also slack-sdk's tests)
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TIMESTAMP = 1531420618
SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
    b"&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
    b"&command=%2Fwebhook-collect&text="
    b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554"
    b"%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)


def _problem(*, body=BODY, timestamp=str(TIMESTAMP), signature=SIGNATURE, now=TIMESTAMP):
    return signature_problem(
        signing_secret=SECRET,
        body=body,
        timestamp=timestamp,
        signature=signature,
        now=lambda: now,
    )


def test_slacks_published_example_is_accepted():
    assert _problem() is None


def test_sign_reproduces_slacks_published_signature():
    assert sign(signing_secret=SECRET, body=BODY, timestamp=TIMESTAMP) == {
        "X-Slack-Request-Timestamp": "1531420618",
        "X-Slack-Signature": SIGNATURE,
    }


def test_signed_headers_are_accepted():
    body = b"command=%2Fcall&text=Acme+12m"
    headers = sign(signing_secret="another-secret", body=body, timestamp=1_700_000_000)
    assert (
        signature_problem(
            signing_secret="another-secret",
            body=body,
            timestamp=headers["X-Slack-Request-Timestamp"],
            signature=headers["X-Slack-Signature"],
            now=lambda: 1_700_000_000 + 12.5,
        )
        is None
    )


@pytest.mark.parametrize("skew", [-300, 300])
def test_five_minutes_either_way_is_still_accepted(skew):
    assert _problem(now=TIMESTAMP + skew) is None


def _assert_reason(reason):
    assert isinstance(reason, str)
    assert reason
    for secret_part in ("token=", "xyzz0WbapA4vBCDEFasx0q6G", "hooks.slack.com", "roadrunner"):
        assert secret_part not in reason
    assert SIGNATURE.removeprefix("v0=") not in reason
    assert SECRET not in reason


def test_stale_request_is_refused():
    reason = _problem(now=TIMESTAMP + 301)
    _assert_reason(reason)
    assert "timestamp" in reason


def test_request_from_the_future_is_refused():
    reason = _problem(now=TIMESTAMP - 301)
    _assert_reason(reason)
    assert "timestamp" in reason


def test_tampered_body_is_refused():
    reason = _problem(body=BODY.replace(b"roadrunner", b"coyote"))
    _assert_reason(reason)
    assert reason == "signature mismatch"


def test_wrong_signature_is_refused():
    reason = _problem(signature="v0=" + "0" * 64)
    _assert_reason(reason)
    assert reason == "signature mismatch"


def test_wrong_secret_is_refused():
    reason = signature_problem(
        signing_secret=SECRET + "x",
        body=BODY,
        timestamp=str(TIMESTAMP),
        signature=SIGNATURE,
        now=lambda: TIMESTAMP,
    )
    _assert_reason(reason)


def test_signature_for_another_timestamp_is_refused():
    # The timestamp is signed with the body: moving it by one second breaks the signature.
    reason = _problem(timestamp=str(TIMESTAMP + 1))
    _assert_reason(reason)
    assert reason == "signature mismatch"


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [
        (None, SIGNATURE),
        (str(TIMESTAMP), None),
        (None, None),
        ("", SIGNATURE),
        (str(TIMESTAMP), ""),
    ],
)
def test_missing_headers_are_refused(timestamp, signature):
    reason = _problem(timestamp=timestamp, signature=signature)
    _assert_reason(reason)
    assert "missing" in reason


@pytest.mark.parametrize("timestamp", ["abc", "1531420618.0", "-1531420618", " 1531420618"])
def test_non_numeric_timestamp_is_refused(timestamp):
    reason = _problem(timestamp=timestamp)
    _assert_reason(reason)
    assert "timestamp" in reason
