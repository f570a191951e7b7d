"""Every reports problem is worded in every language, and every example it shows runs."""

from __future__ import annotations

import pytest

from bot.i18n import LANGUAGES, reader_for
from bot.views.problems import registry
from models.reports import ReportProblem
from tests.conftest import ADMIN, Slack


@pytest.mark.parametrize("problem", list(ReportProblem))
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_problem_is_worded(problem: ReportProblem, language: str) -> None:
    registered = registry()[problem]
    said = registered.wording(reader_for(language), registered.sample)
    assert said.message.strip() and "{" not in said.message
    assert said.example is None or said.example.startswith("/leadcell report ")


def examples() -> list[str]:
    found = set()
    for problem in ReportProblem:
        registered = registry()[problem]
        said = registered.wording(reader_for("en"), registered.sample)
        if said.example:
            found.add(said.example)
    return sorted(found)


def test_every_example_runs(slack: Slack) -> None:
    assert examples()
    for example in examples():
        command, text = example.split(" ", 1)
        answer = slack.command(command, text, user=ADMIN)
        assert answer.status == 200
        assert answer.body.get("text") is None, (example, answer.text)  # acknowledged, no refusal
        [posted] = [c["args"] for c in slack.fake.calls("response_url")]
        assert ":warning:" not in str(posted), (example, posted)
        slack.fake.clear_calls()
