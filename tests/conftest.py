"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from LEADCELL_TEST_POSTGRES_URL (default: the local server's
`test` database). When it cannot be reached the PostgreSQL half is skipped
locally, and fails under CI (CI=true), where it is required.
"""

from __future__ import annotations

import json
import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from slack_bolt import App, BoltRequest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from bot.app import InlineExecutor, create_app
from bot.local.fake_slack import FakeSlack, payloads
from bot.runtime.settings import Settings
from models import migrate
from models.actors import Actor, resolve_actor
from models.db import make_engine, session_scope
from models.demo.roster import demo_user_id, seed_demo_roster

POSTGRES_URL = os.environ.get(
    "LEADCELL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
# Shaped as Slack issues them (settings refuse anything else), made at run time: never real.
SIGNING_SECRET = secrets.token_hex(16)
BOT_TOKEN = "-".join(("xoxb", "0", "test"))
#: Demo roster ids (see models.demo.roster): 3 agents, 15 sales engineers, then the admin.
AGENT, AGENT_2, SALES_ENGINEER, ADMIN = (demo_user_id(n) for n in (1, 2, 4, 19))
SETTINGS_ADMIN = "U0SETADMIN"


def _postgres_database() -> Iterator[str]:
    """A fresh database on the PostgreSQL server, dropped afterwards."""
    name = f"leadcell_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and cannot be reached: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database of each kind, for the whole session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'leadcell.db'}"
        migrate.upgrade(url)
        yield url
        return
    for url in _postgres_database():
        migrate.upgrade(url)
        yield url


def empty_tables(engine: Engine) -> None:
    """Delete every row, children first, so each test starts from an empty schema."""
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(text(f'DELETE FROM "{table.name}"'))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    empty_tables(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def roster(engine: Engine) -> Engine:
    """The demo roster: team `fr` (Europe/Paris, EUR), 3 agents, 15 sales engineers, 1 admin."""
    with session_scope(engine) as session:
        seed_demo_roster(session)
    return engine


@pytest.fixture(scope="session")
def fake_slack_server() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def fake_slack(fake_slack_server: FakeSlack) -> FakeSlack:
    fake_slack_server.reset()
    return fake_slack_server


def make_settings(database_url: str, fake: FakeSlack) -> Settings:
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.url,
        database_url=database_url,
        admins=frozenset({SETTINGS_ADMIN}),
    )


@pytest.fixture
def settings(database_url: str, fake_slack: FakeSlack) -> Settings:
    return make_settings(database_url, fake_slack)


@dataclass
class Answer:
    """What the app answered to one request."""

    status: int
    body: dict[str, Any]

    @property
    def text(self) -> str:
        """The fallback text and every block's text, joined, for content assertions."""
        parts = [self.body.get("text", "")]
        for block in self.body.get("blocks", []):
            parts.append(json.dumps(block, ensure_ascii=False))
        return "\n".join(parts)


class Slack:
    """Plays Slack's servers against an App: builds payloads, dispatches them, reads answers."""

    def __init__(self, app: App, fake: FakeSlack) -> None:
        self.app, self.fake = app, fake

    def send(self, body: str) -> Answer:
        response = self.app.dispatch(BoltRequest(body=body, headers=payloads.headers(body)))
        parsed = json.loads(response.body) if response.body.startswith("{") else {}
        return Answer(response.status, parsed)

    def command(
        self,
        command: str,
        text: str,
        *,
        user: str,
        trigger_id: str | None = None,
        channel: str = "C0GENERAL",
    ) -> Answer:
        return self.send(
            payloads.slash_command(
                command=command,
                text=text,
                user_id=user,
                trigger_id=trigger_id,
                channel_id=channel,
                response_url=self.fake.response_url(uuid.uuid4().hex),
            )
        )

    def click(self, action_id: str, value: str, *, user: str) -> Answer:
        return self.send(
            payloads.block_action(
                user_id=user,
                action_id=action_id,
                value=value,
                response_url=self.fake.response_url(uuid.uuid4().hex),
            )
        )

    def submit(
        self, view: dict[str, Any], values: dict[str, str], *, user: str, view_id: str = "V0TEST"
    ) -> Answer:
        return self.send(
            payloads.view_submission(user_id=user, view=view, view_id=view_id, values=values)
        )


@pytest.fixture
def slack(settings: Settings, roster: Engine, fake_slack: FakeSlack) -> Slack:
    """The real Bolt App on the test database, lazy listeners run inline, Slack faked."""
    app = create_app(settings, roster, listener_executor=InlineExecutor())
    fake_slack.clear_calls()
    return Slack(app, fake_slack)


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def actor_of(
    engine: Engine, user_id: str, admins: frozenset[str] = frozenset({SETTINGS_ADMIN})
) -> Actor:
    """The Actor behind a Slack user id, as the bot resolves it for a request."""
    with engine.connect() as connection:
        return resolve_actor(connection, user_id=user_id, org_admins=admins)
