"""What people reply in a lead card's thread to act on it, in French, English and German.

Every language's words are accepted whatever the reader's language, with or
without accents (`qualifie`, `gagne 95k`, `ubernehme`), in any case:

    action    English             French                   German
    claim     claim               je prends                übernehme
    qualify   qualify             qualifié                 qualifiziert
    reject    reject <reason>     rejeté <raison>          abgelehnt <Grund>
    win       won <value>         gagné <montant>          gewonnen <Betrag>
    lose      lost <reason>       perdu <raison>           verloren <Grund>
    release   release             je passe                 freigeben

(and a few more, see `VERBS`). A reason is everything after the word; a value
is an amount (the lead's currency), and without one the estimate counts. A word
that takes nothing acts when it stands alone or is followed by punctuation and
a comment (`qualify: budget confirmed`, `je prends !`); followed by one or two
other words (`claim it`) it is questioned, since the reply may not mean it;
followed by more it is discussion (`je passe le voir demain`).

A reply whose first word is close to a verb but not one (`wonn 10k`,
`qualifed`) is questioned with "did you mean" when the rest fits the verb: nothing
after a word that takes nothing, an amount after `won`, anything after a word
that takes a reason unless the first word is the verb with an ending added
(`Rejected by the client` is discussion). Anything else is ordinary discussion
and gets no answer.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from bot.grammar.words import fold, regular
from models.errors import Problem
from models.leads import LeadAction

#: The words of each action, by language; the first is the one hints and help show.
VERBS: dict[str, dict[LeadAction, tuple[str, ...]]] = {
    "en": {
        LeadAction.CLAIM: ("claim",),
        LeadAction.QUALIFY: ("qualify", "qualified"),
        LeadAction.REJECT: ("reject",),
        LeadAction.WIN: ("won", "win"),
        LeadAction.LOSE: ("lost", "lose"),
        LeadAction.RELEASE: ("release", "pass"),
    },
    "fr": {
        LeadAction.CLAIM: ("je prends", "je le prends"),
        LeadAction.QUALIFY: ("qualifié", "qualifier"),
        LeadAction.REJECT: ("rejeté", "rejeter"),
        LeadAction.WIN: ("gagné",),
        LeadAction.LOSE: ("perdu",),
        LeadAction.RELEASE: ("je passe", "libérer", "je libère"),
    },
    "de": {
        LeadAction.CLAIM: ("übernehme", "ich übernehme", "uebernehme"),
        LeadAction.QUALIFY: ("qualifiziert",),
        LeadAction.REJECT: ("abgelehnt", "ablehnen"),
        LeadAction.WIN: ("gewonnen",),
        LeadAction.LOSE: ("verloren",),
        LeadAction.RELEASE: ("freigeben", "gebe ab", "ich gebe ab"),
    },
}
#: What each action takes after its word.
TAKES: dict[LeadAction, str] = {
    LeadAction.REJECT: "reason",
    LeadAction.LOSE: "reason",
    LeadAction.WIN: "value",
}


class VerbProblem(Problem):
    """A thread reply that looks like a lead command but is not quite one."""

    NEAR_MISS = "verb.near_miss"
    ALONE = "verb.alone"


def _phrases() -> dict[str, tuple[LeadAction, str]]:
    table: dict[str, tuple[LeadAction, str]] = {}
    for words in VERBS.values():
        for action, phrases in words.items():
            for phrase in phrases:
                table[fold(phrase)] = (action, phrase)
    return table


#: Folded phrase -> (action, the phrase as written).
PHRASES = _phrases()
MAX_WORDS = max(len(phrase.split("-")) for phrase in PHRASES)
_AFTER = re.compile(r"[:;,.!?…]+$")
_AMOUNT = re.compile(r"[€£$]?\s*\d[\d\s.,]*\s*[kKmM]?\s*(?:[€£$]|[A-Za-z]{3})?")
_ENDINGS = ("s", "d", "ed", "es", "ing", "er", "e")


def verb_word(action: LeadAction, language: str) -> str:
    """The word a language shows for an action."""
    return VERBS.get(language, VERBS["en"])[action][0]


@dataclass(frozen=True)
class ThreadCommand:
    """A reply that acts on the lead: the action, and what follows its word."""

    action: LeadAction
    rest: str


@dataclass(frozen=True)
class Questioned:
    """A reply that looks like a command but may not be one: answered, never acted on.

    `problem` is VerbProblem.NEAR_MISS (`word` is close to `suggestion`) or ALONE (a
    word that takes nothing was followed by a few words).
    """

    problem: VerbProblem
    action: LeadAction
    word: str
    suggestion: str
    rest: str


def _tokens(text: str) -> list[tuple[str, int]]:
    return [(m.group(), m.end()) for m in re.finditer(r"\S+", text)]


def read_reply(text: str) -> ThreadCommand | Questioned | None:
    """What a thread reply asks for (see the module docstring), or None for discussion."""
    typed = regular(text).strip()
    tokens = _tokens(typed)
    for count in range(min(MAX_WORDS, len(tokens)), 0, -1):
        words = [word for word, _ in tokens[:count]]
        punctuation = _AFTER.search(words[-1])
        found = PHRASES.get(fold(" ".join(words)))
        if found is None:
            continue
        action, phrase = found
        rest = typed[tokens[count - 1][1] :].strip()
        if action in TAKES:
            return ThreadCommand(action, rest.lstrip(":;,-—– ").strip())
        if not rest or punctuation or rest[0] in ":;,.!?-—–(":
            return ThreadCommand(action, "")
        if len(rest.split()) <= 2:
            return Questioned(VerbProblem.ALONE, action, " ".join(words), phrase, rest)
        return None
    return _near_miss(typed, tokens)


def _near_miss(typed: str, tokens: list[tuple[str, int]]) -> Questioned | None:
    for count in range(min(MAX_WORDS, len(tokens)), 0, -1):
        words = [word for word, _ in tokens[:count]]
        folded = fold(" ".join(words))
        if len(folded.replace("-", "")) < 4:
            continue
        close = [key for key in _close(folded) if key[0] == folded[0]]
        if not close:
            continue
        action, phrase = PHRASES[close[0]]
        rest = typed[tokens[count - 1][1] :].strip()
        if _fits(action, folded, rest):
            return Questioned(VerbProblem.NEAR_MISS, action, " ".join(words), phrase, rest)
    return None


def _close(folded: str) -> list[str]:
    """Verb phrases close to a folded word: similar enough, or two letters swapped."""
    swapped = [
        key
        for key in PHRASES
        if len(key) == len(folded)
        and sorted(key) == sorted(folded)
        and sum(a != b for a, b in zip(key, folded, strict=True)) == 2
    ]
    return swapped + difflib.get_close_matches(folded, list(PHRASES), n=3, cutoff=0.8)


def _fits(action: LeadAction, typed: str, rest: str) -> bool:
    """Whether what follows a word close to a verb of `action` is what the verb takes."""
    rest = rest.strip(" :;,.!?")
    if not rest:
        return True
    takes = TAKES.get(action)
    if takes == "value":
        return _AMOUNT.fullmatch(rest) is not None
    if takes == "reason":  # `rejected by the client`: a verb with an ending is discussion
        return not any(typed == verb + ending for verb in PHRASES for ending in _ENDINGS)
    return False
