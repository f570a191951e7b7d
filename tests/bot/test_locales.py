"""Each person's Slack locale: asked after the answer, kept a week, used for their language."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, update
from sqlmodel import select

from bot.local.fake_slack import FakeSlack
from bot.readers import person_language, reader_of
from models.db import session_scope, utcnow
from models.tables import Member
from tests.conftest import AGENT, Slack, actor_of


def member(engine: Engine, user: str) -> Member:
    with session_scope(engine) as session:
        return session.exec(select(Member).where(Member.slack_user_id == user)).one()


def test_the_locale_is_asked_after_the_first_request_and_kept(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    fake_slack.set_user(AGENT, locale="de-DE")
    slack.command("/call", "Acme 12m", user=AGENT)

    [asked] = fake_slack.calls("users.info")
    assert asked["args"]["user"] == AGENT
    assert asked["args"]["include_locale"] in (True, "true", "1")
    stored = member(roster, AGENT)
    assert stored.slack_locale == "de-DE"
    assert stored.locale_checked_at is not None
    assert reader_of(actor_of(roster, AGENT)).language == "de"

    fake_slack.clear_calls()
    slack.command("/call", "Globex 5m", user=AGENT)
    assert fake_slack.calls("users.info") == []  # fresh for a week


def test_a_week_old_locale_is_asked_again(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    with session_scope(roster) as session:
        session.execute(
            update(Member)
            .where(Member.slack_user_id == AGENT)
            .values(slack_locale="fr-FR", locale_checked_at=utcnow() - timedelta(days=8))
        )
        session.commit()
    fake_slack.set_user(AGENT, locale="en-GB")
    slack.command("/call", "Acme 12m", user=AGENT)
    assert member(roster, AGENT).slack_locale == "en-GB"


def test_a_locale_slack_could_not_give_changes_nothing(
    slack: Slack, fake_slack: FakeSlack, roster: Engine
) -> None:
    fake_slack.add_fault("users.info", "server_error", count=10)
    answer = slack.command("/call", "Acme 12m", user=AGENT)
    assert "Logged a call" in answer.text
    assert member(roster, AGENT).slack_locale is None


def test_the_language_of_a_person() -> None:
    assert person_language("de", "fr-FR", "en") == "de"  # chosen wins
    assert person_language(None, "fr-CA", "en") == "fr"  # then Slack's locale
    assert person_language(None, "es-ES", "de") == "de"  # a locale we don't speak: the team's
    assert person_language(None, None, None) == "en"
