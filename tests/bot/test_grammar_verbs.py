"""Thread words: the verbs of each language, near misses, and discussion left alone."""

from __future__ import annotations

import pytest

from bot.grammar.verbs import VERBS, Questioned, ThreadCommand, VerbProblem, read_reply, verb_word
from models.leads import LeadAction

A = LeadAction


@pytest.mark.parametrize(
    ("text", "action", "rest"),
    [
        ("claim", A.CLAIM, ""),
        ("Claim!", A.CLAIM, ""),
        ("qualify", A.QUALIFY, ""),
        ("Qualify: budget confirmed", A.QUALIFY, ""),
        ("reject too small", A.REJECT, "too small"),
        ("reject: too small", A.REJECT, "too small"),
        ("won 95k", A.WIN, "95k"),
        ("won", A.WIN, ""),
        ("lost went with a competitor", A.LOSE, "went with a competitor"),
        ("release", A.RELEASE, ""),
        # French, accents optional
        ("je prends", A.CLAIM, ""),
        ("Je prends !", A.CLAIM, ""),
        ("qualifié", A.QUALIFY, ""),
        ("qualifie", A.QUALIFY, ""),
        ("rejeté pas de budget", A.REJECT, "pas de budget"),
        ("gagné 95k", A.WIN, "95k"),
        ("gagne 95 000 €", A.WIN, "95 000 €"),
        ("perdu trop cher", A.LOSE, "trop cher"),
        ("je passe", A.RELEASE, ""),
        ("libérer", A.RELEASE, ""),
        # German, umlauts optional
        ("übernehme", A.CLAIM, ""),
        ("Ubernehme", A.CLAIM, ""),
        ("uebernehme", A.CLAIM, ""),
        ("qualifiziert", A.QUALIFY, ""),
        ("abgelehnt kein Budget", A.REJECT, "kein Budget"),
        ("gewonnen 95k", A.WIN, "95k"),
        ("verloren zu teuer", A.LOSE, "zu teuer"),
        ("freigeben", A.RELEASE, ""),
    ],
)
def test_verbs_in_every_language(text: str, action: LeadAction, rest: str) -> None:
    assert read_reply(text) == ThreadCommand(action, rest)


@pytest.mark.parametrize(
    ("text", "word", "action", "suggestion", "rest"),
    [
        ("wonn 10k", "wonn", A.WIN, "won", "10k"),
        ("qualifed", "qualifed", A.QUALIFY, "qualified", ""),
        ("releas", "releas", A.RELEASE, "release", ""),
        ("lsot no budget", "lsot", A.LOSE, "lost", "no budget"),
        ("je prend", "je prend", A.CLAIM, "je prends", ""),
        ("gewonen 95k", "gewonen", A.WIN, "gewonnen", "95k"),
    ],
)
def test_near_misses_are_questioned(
    text: str, word: str, action: LeadAction, suggestion: str, rest: str
) -> None:
    assert read_reply(text) == Questioned(VerbProblem.NEAR_MISS, action, word, suggestion, rest)


def test_a_verb_followed_by_a_few_words_is_questioned_not_taken() -> None:
    said = read_reply("claim it")
    assert isinstance(said, Questioned) and said.problem == VerbProblem.ALONE
    assert (said.action, said.suggestion, said.rest) == (A.CLAIM, "claim", "it")


@pytest.mark.parametrize(
    "text",
    [
        "I'll call them back tomorrow to claim it",
        "Claimed by the competitor already?",
        "Rejected by the client last year, try again",
        "see you at the demo",
        "last call was fine",
        "Most of them are here",
        "je passe le voir demain",
        "pass it to Claire when she is back",
        "",
        "ok",
        "wom 10k",
    ],
)
def test_ordinary_discussion_is_left_alone(text: str) -> None:
    assert read_reply(text) is None


def test_every_language_has_a_word_for_every_thread_action() -> None:
    actions = {A.CLAIM, A.QUALIFY, A.REJECT, A.WIN, A.LOSE, A.RELEASE}
    for language, words in VERBS.items():
        assert set(words) == actions, language
    assert [verb_word(A.WIN, language) for language in ("en", "fr", "de", "es")] == [
        "won",
        "gagné",
        "gewonnen",
        "won",
    ]
