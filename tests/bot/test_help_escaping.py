"""Text the bot writes never holds a raw `<…>`, which Slack reads as a link or a mention."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ADMIN, Slack

#: `<` starts a control sequence in Slack mrkdwn: only mentions, channels, dates and links
#: are meant.
_RAW = re.compile(r"<(?![@#!]|https?:|mailto:|tel:)")


def _texts(body: dict) -> list[str]:
    texts = [body.get("text", "")]
    for block in body.get("blocks", []):
        if isinstance(block.get("text"), dict):
            texts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if isinstance(element, dict) and "text" in element:
                texts.append(element["text"] if isinstance(element["text"], str) else "")
    return texts


@pytest.mark.parametrize(
    ("command", "topic"),
    [
        ("/call", "help"),
        ("/lead", "help"),
        ("/leadcell", "help"),
        ("/leadcell", "team help"),
        ("/leadcell", "member help"),
        ("/leadcell", "cost help"),
    ],
)
def test_help_texts_escape_angle_brackets(slack: Slack, command: str, topic: str) -> None:
    answer = slack.command(command, topic, user=ADMIN)
    assert answer.status == 200
    for text in _texts(answer.body):
        assert not _RAW.search(text), text[:200]
