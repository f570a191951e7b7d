"""`/leadcell time log` through the real App: time spent on an event, once per request."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.grammar.command_line import CommandProblem, Topic, Verb, read_command
from models.actors import TERMINAL
from models.db import session_scope, utcnow
from models.errors import InvalidInput
from models.events import create_event
from models.periods import local_day
from models.roster import get_team
from models.tables import EventTime
from tests.conftest import ADMIN, AGENT, SALES_ENGINEER, Answer, Slack

EXAMPLE = 'Example: /leadcell time log "Paris Summit" 2026-10-14 6h'


@pytest.fixture
def summit(roster: Engine) -> Engine:
    with session_scope(roster) as session:
        create_event(
            session,
            actor=TERMINAL,
            team_id=get_team(session, slug="fr").id or 0,
            kind="seminar",
            name="Paris Summit",
            held_on=date(2026, 10, 14),
        )
    return roster


def leadcell(slack: Slack, text: str, user: str = AGENT, trigger_id: str | None = None) -> Answer:
    answer = slack.command("/leadcell", text, user=user, trigger_id=trigger_id)
    assert answer.status == 200
    return answer


def logged_seconds(engine: Engine) -> list[int]:
    with session_scope(engine) as session:
        return list(session.exec(select(EventTime.seconds).order_by(EventTime.id)))


def test_the_words_in_three_languages() -> None:
    for text in ('time log "Paris Summit" 2026-10-14 6h', 'temps noter "x" 2026-10-14 1h30'):
        command = read_command(text)
        assert (command.topic, command.verb) == (Topic.TIME, Verb.LOG)
    assert read_command("zeit erfassen x").verb == Verb.LOG
    with pytest.raises(InvalidInput) as caught:
        read_command('time "Paris Summit" 6h')
    assert caught.value.problem == CommandProblem.UNKNOWN_VERB


def test_an_agent_logs_time_once_per_request(slack: Slack, summit: Engine) -> None:
    text = 'time log "paris summit" 2026-10-14 1 h 30'
    answer = leadcell(slack, text, trigger_id="T-time-1")
    assert ":warning:" not in answer.text, answer.text
    assert "Logged 1 h 30 min on Paris Summit (seminar, 14 October 2026) for " in answer.text
    assert "you have spent 1 h 30 min on it so far." in answer.text
    again = leadcell(slack, text, trigger_id="T-time-1")  # Slack or the person sent it again
    assert ":warning:" not in again.text and "1 h 30 min on it so far" in again.text
    assert logged_seconds(summit) == [5400]
    leadcell(slack, 'time log "Paris Summit" 2026-10-14 2h', trigger_id="T-time-2")
    assert logged_seconds(summit) == [5400, 7200]


def test_the_day_worked_is_today_unless_given(slack: Slack, summit: Engine) -> None:
    today = local_day(ZoneInfo("Europe/Paris"), utcnow())
    day = today - timedelta(days=3)
    answer = leadcell(slack, f'time log "Paris Summit" 2026-10-14 6h date={day.isoformat()}')
    assert ":warning:" not in answer.text, answer.text
    with session_scope(summit) as session:
        assert list(session.exec(select(EventTime.worked_on))) == [day]
    future = (today + timedelta(days=2)).isoformat()
    refused = leadcell(slack, f'time log "Paris Summit" 2026-10-14 6h date={future}')
    assert ":warning:" in refused.text and EXAMPLE in refused.text


@pytest.mark.parametrize(
    ("text", "user", "says", "example"),
    [
        (
            'time log "Paris Sumit" 2026-10-14 6h',
            AGENT,
            "There is no event `Paris Sumit` on 2026-10-14. Known: `Paris Summit` on 2026-10-14.",
            None,
        ),
        (
            'time log "Paris Summit" 2026-10-14 6 hrz',
            AGENT,
            "`6 hrz` is not a duration.",
            EXAMPLE,
        ),
        ('time log "Paris Summit" 2026-10-14', AGENT, "Give the time spent, like 6h", EXAMPLE),
        ('time log "Paris Summit" 2026-10-14 0m', AGENT, "more than zero", EXAMPLE),
        ('time log "Paris Summit" 2026-10-14 25h', AGENT, None, EXAMPLE),
        ('time log "Paris Summit" 2026-10-14 6h', SALES_ENGINEER, "agents", None),
    ],
)
def test_refusals_say_what_was_wrong_and_change_nothing(
    slack: Slack, summit: Engine, text: str, user: str, says: str | None, example: str | None
) -> None:
    answer = leadcell(slack, text, user=user)
    assert ":warning:" in answer.text, answer.text
    if says is not None:
        assert says in answer.text, answer.text
    if example is not None:
        assert example in answer.text, answer.text
    assert logged_seconds(summit) == []


def test_an_admin_on_the_roster_may_log_time_too(slack: Slack, summit: Engine) -> None:
    answer = leadcell(slack, 'time log "Paris Summit" 2026-10-14 45m', user=ADMIN)
    assert ":warning:" not in answer.text, answer.text
    assert logged_seconds(summit) == [2700]
