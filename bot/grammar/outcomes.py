"""Call outcomes in French, English and German, with the phrases people type for them.

Every language's words are accepted whatever the reader's language. Phrases
may be written with spaces or hyphens, with or without accents (`pas intéressé`,
`pas-interesse`). Words that describe an unanswered dial (`voicemail`, `busy`,
`engaged`, `left message`, `répondeur`, `besetzt`…) are read as `no-answer`, so
they never count as a useful contact. A word close to an outcome but not one
(`no-anwser`) is questioned rather than taken as the start of the note.
"""

from __future__ import annotations

import difflib

from bot.grammar.problems import GrammarProblem
from bot.grammar.words import fold
from models.errors import InvalidInput
from models.outcomes import Outcome

#: The word each language shows for an outcome (help texts, forms, confirmations).
OUTCOME_WORDS: dict[str, dict[Outcome, str]] = {
    "en": {
        Outcome.CONTACT: "contact",
        Outcome.CALLBACK: "callback",
        Outcome.LEAD: "lead",
        Outcome.NOT_INTERESTED: "not-interested",
        Outcome.NO_ANSWER: "no-answer",
        Outcome.WRONG_CONTACT: "wrong-contact",
    },
    "fr": {
        Outcome.CONTACT: "contact",
        Outcome.CALLBACK: "rappel",
        Outcome.LEAD: "lead",
        Outcome.NOT_INTERESTED: "pas-intéressé",
        Outcome.NO_ANSWER: "injoignable",
        Outcome.WRONG_CONTACT: "mauvais-contact",
    },
    "de": {
        Outcome.CONTACT: "Kontakt",
        Outcome.CALLBACK: "Rückruf",
        Outcome.LEAD: "Lead",
        Outcome.NOT_INTERESTED: "kein-Interesse",
        Outcome.NO_ANSWER: "nicht-erreicht",
        Outcome.WRONG_CONTACT: "falscher-Kontakt",
    },
}

#: Further phrases for each outcome, in any language (folded when matched).
_ALIASES: dict[Outcome, tuple[str, ...]] = {
    Outcome.CONTACT: ("contacted", "reached"),
    Outcome.CALLBACK: (
        "call back",
        "call-back",
        "call me back",
        "rappeler",
        "à rappeler",
        "rappel demandé",
        "rueckruf",
        "zurückrufen",
        "wiedervorlage",
    ),
    Outcome.NOT_INTERESTED: (
        "not interested",
        "no interest",
        "uninterested",
        "pas intéressé",
        "pas interessé",
        "pas intéressée",
        "non intéressé",
        "aucun intérêt",
        "kein interesse",
        "nicht interessiert",
        "kein bedarf",
    ),
    Outcome.NO_ANSWER: (
        "no answer",
        "noanswer",
        "unanswered",
        "no reply",
        "voicemail",
        "voice mail",
        "left message",
        "left a message",
        "busy",
        "engaged",
        "pas de réponse",
        "ne répond pas",
        "messagerie",
        "répondeur",
        "occupé",
        "absent",
        "nicht erreicht",
        "keine antwort",
        "mailbox",
        "anrufbeantworter",
        "besetzt",
    ),
    Outcome.WRONG_CONTACT: (
        "wrong contact",
        "wrong number",
        "wrong person",
        "mauvais contact",
        "mauvais numéro",
        "faux numéro",
        "mauvais interlocuteur",
        "falscher kontakt",
        "falsche nummer",
        "falscher ansprechpartner",
    ),
}


def _phrases() -> dict[str, Outcome]:
    table: dict[str, Outcome] = {}
    for outcome in Outcome:
        table[fold(outcome.value)] = outcome
    for words in OUTCOME_WORDS.values():
        for outcome, word in words.items():
            table[fold(word)] = outcome
    for outcome, aliases in _ALIASES.items():
        for alias in aliases:
            table[fold(alias)] = outcome
    return table


PHRASES = _phrases()
#: The longest phrase, in words.
MAX_WORDS = max(phrase.count("-") + 1 for phrase in PHRASES)


def parse_outcome(text: str) -> Outcome | None:
    """The outcome a word or phrase names, in any language, or None."""
    return PHRASES.get(fold(text))


def outcome_at(words: list[str], start: int) -> tuple[Outcome, int] | None:
    """The longest outcome phrase made of `words[start:start + n]`: (outcome, n), or None."""
    for count in range(min(MAX_WORDS, len(words) - start), 0, -1):
        if not any(ch.isalpha() for ch in words[start + count - 1]):
            continue  # punctuation after an outcome belongs to the note
        found = parse_outcome(" ".join(words[start : start + count]))
        if found is not None:
            return found, count
    return None


def check_not_misspelt(word: str, *, language: str) -> None:
    """Refuse a word that looks like an outcome but is none (`no-anwser`), naming the nearest."""
    folded = fold(word)
    if len(folded) < 4:
        return
    close = difflib.get_close_matches(folded, list(PHRASES), n=1, cutoff=0.8)
    if close:
        outcome = PHRASES[close[0]]
        raise InvalidInput(
            GrammarProblem.OUTCOME_UNKNOWN,
            field="outcome",
            word=word,
            suggestion=outcome_word(outcome, language),
        )


def outcome_word(outcome: Outcome, language: str) -> str:
    """The word a language shows for an outcome."""
    return OUTCOME_WORDS.get(language, OUTCOME_WORDS["en"])[outcome]
