"""Request signatures over HTTP: anything not signed by Slack just now is a 401, with no effect."""

from __future__ import annotations

import time

import pytest
import requests
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.local.fake_slack import payloads
from bot.signing import sign
from models.tables import Call
from tests.conftest import AGENT, SIGNING_SECRET
from tests.e2e.conftest import Server


def _body() -> str:
    return payloads.slash_command(command="/call", text="Acme 12m", user_id=AGENT)


def _headers(body: str, **changes: str | None) -> dict[str, str]:
    headers = payloads.headers(body, signing_secret=SIGNING_SECRET)
    for name, value in changes.items():
        key = {"timestamp": "X-Slack-Request-Timestamp", "signature": "X-Slack-Signature"}[name]
        if value is None:
            headers.pop(key)
        else:
            headers[key] = value
    return headers


def _signed_at(body: str, when: int) -> dict[str, str]:
    return {
        "Content-Type": payloads.FORM,
        **sign(signing_secret=SIGNING_SECRET, body=body.encode(), timestamp=when),
    }


@pytest.mark.parametrize(
    "case",
    [
        "stale",
        "future",
        "tampered",
        "wrong secret",
        "no timestamp",
        "no signature",
        "non-numeric timestamp",
    ],
)
def test_bad_signatures_are_refused_with_401(server: Server, roster: Engine, case: str) -> None:
    body = _body()
    now = int(time.time())
    headers = {
        "stale": lambda: _signed_at(body, now - 330),
        "future": lambda: _signed_at(body, now + 330),
        "tampered": lambda: _headers(body),
        "wrong secret": lambda: payloads.headers(body, signing_secret="not-the-secret"),
        "no timestamp": lambda: _headers(body, timestamp=None),
        "no signature": lambda: _headers(body, signature=None),
        "non-numeric timestamp": lambda: _headers(body, timestamp="soon"),
    }[case]()
    sent = body.replace("Acme", "Evil") if case == "tampered" else body

    response = server.post(sent, headers)

    assert response.status_code == 401
    assert response.json() == {"error": "invalid request signature"}
    with Session(roster) as session:
        assert session.exec(select(Call)).all() == []


def test_a_fresh_signature_is_accepted(server: Server, roster: Engine) -> None:
    body = _body()
    assert server.post(body, _signed_at(body, int(time.time()) - 290)).status_code == 200


def test_healthz_reports_the_database(web_server: Server) -> None:
    response = requests.get(web_server.url + "/healthz", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": "ok", "schema": "current", "slack": "ok"}


def test_other_paths_are_not_found(web_server: Server) -> None:
    assert requests.get(web_server.url + "/slack/events", timeout=5).status_code == 404
    assert requests.post(web_server.url + "/elsewhere", timeout=5).status_code == 404
