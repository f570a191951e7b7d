"""The words of `/leadcell` and of the `leadcell` terminal commands that share them.

A command is a topic (`team`, `member`, `event`, `cost`, `report`, `time`, `me`, `help`),
a verb (`add`, `set`, `list`, …), positional words and `key=value` options, in
any order after the verb. Topics, verbs and option keys are looked up in tables
of aliases in English, French and German, whatever the reader's language
(`équipe`, `mitglied`, `fuseau=`); case, accents, `_` and `-` do not count. Quotes
(typographic ones too) group words, and `—` is `--`. An amount option may be
written with spaces (`cost=12 000`): the groups after it belong to it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.grammar.words import fold, split_words
from models.errors import InvalidInput, Problem


class CommandProblem(Problem):
    """Words that do not make a command (a usage error)."""

    UNKNOWN_TOPIC = "command.unknown_topic"
    UNKNOWN_VERB = "command.unknown_verb"
    MISSING = "command.missing"
    LEFTOVER = "command.leftover"
    OPTION_TWICE = "command.option_twice"


class Topic(StrEnum):
    """What a command is about."""

    HELP = "help"
    TEAM = "team"
    MEMBER = "member"
    EVENT = "event"
    COST = "cost"
    REPORT = "report"
    TIME = "time"
    ME = "me"


class Verb(StrEnum):
    """What a command does."""

    HELP = "help"
    ADD = "add"
    SET = "set"
    LIST = "list"
    ROLES = "roles"
    DEACTIVATE = "deactivate"
    ACTIVATE = "activate"
    SPLIT = "split"
    TODAY = "today"
    DAY = "day"
    MONTH = "month"
    IMPORT = "import"  # the terminal's `leadcell costs import`
    LOG = "log"


class Missing(StrEnum):
    """A word a command needs, as a MISSING refusal names it."""

    TEAM_SLUG = "team_slug"
    TEAM_NAME = "team_name"
    MEMBER = "member"
    ROLES = "roles"
    EVENT_KIND = "event_kind"
    EVENT_NAME = "event_name"
    EVENT_DATE = "event_date"
    MONTH = "month"
    DAY = "day"
    SOURCE = "source"
    AMOUNT = "amount"
    SHARES = "shares"
    DURATION = "duration"


HELP_WORDS = ("help", "?", "-h", "--help", "aide", "hilfe")

TOPIC_WORDS: dict[Topic, tuple[str, ...]] = {
    Topic.HELP: HELP_WORDS,
    Topic.TEAM: ("team", "teams", "equipe", "equipes"),
    Topic.MEMBER: ("member", "members", "membre", "membres", "mitglied", "mitglieder"),
    Topic.EVENT: ("event", "events", "evenement", "evenements", "veranstaltung"),
    Topic.COST: ("cost", "costs", "cout", "couts", "kosten"),
    Topic.REPORT: ("report", "reports", "rapport", "bericht"),
    Topic.TIME: ("time", "temps", "zeit"),
    Topic.ME: ("me", "moi", "ich"),
}
VERB_WORDS: dict[Verb, tuple[str, ...]] = {
    Verb.HELP: HELP_WORDS,
    Verb.ADD: ("add", "new", "ajouter", "hinzufugen", "neu"),
    Verb.SET: ("set", "change", "modifier", "andern", "setzen"),
    Verb.LIST: ("list", "ls", "liste", "lister", "auflisten"),
    Verb.ROLES: ("roles", "role", "rollen", "rolle"),
    Verb.DEACTIVATE: ("deactivate", "disable", "desactiver", "deaktivieren"),
    Verb.ACTIVATE: ("activate", "enable", "reactivate", "activer", "reactiver", "aktivieren"),
    Verb.SPLIT: ("split", "repartir", "repartition", "aufteilen"),
    Verb.TODAY: ("today", "aujourd'hui", "aujourdhui", "heute"),
    Verb.DAY: ("day", "jour", "tag"),
    Verb.MONTH: ("month", "mois", "monat"),
    Verb.LOG: ("log", "noter", "erfassen"),
}
#: The verbs of each topic; the first is what the topic alone means.
VERBS: dict[Topic, tuple[Verb, ...]] = {
    Topic.HELP: (),
    Topic.TEAM: (Verb.LIST, Verb.ADD, Verb.SET, Verb.HELP),
    Topic.MEMBER: (
        Verb.LIST,
        Verb.ADD,
        Verb.ROLES,
        Verb.DEACTIVATE,
        Verb.ACTIVATE,
        Verb.HELP,
    ),
    Topic.EVENT: (Verb.LIST, Verb.ADD, Verb.SET, Verb.HELP),
    Topic.COST: (Verb.LIST, Verb.SET, Verb.SPLIT, Verb.HELP),
    Topic.REPORT: (Verb.TODAY, Verb.DAY, Verb.MONTH, Verb.HELP),
    Topic.TIME: (Verb.LOG, Verb.HELP),
    Topic.ME: (Verb.SET, Verb.HELP),
}
#: Option keys and their aliases (folded).
OPTION_WORDS: dict[str, tuple[str, ...]] = {
    "team": ("team", "equipe"),
    "name": ("name", "nom"),
    "timezone": ("tz", "timezone", "time-zone", "zone", "fuseau", "zeitzone"),
    "currency": ("currency", "devise", "wahrung"),
    "digest": ("digest", "digest-channel", "canal-digest"),
    "leads": ("leads", "leads-channel", "canal-leads"),
    "target": ("target", "objectif", "ziel"),
    "routing": ("routing", "routage", "verteilung"),
    "digest_time": ("digest-time", "heure-digest"),
    "digest_days": ("digest-days", "jours-digest"),
    "skip_empty": ("skip-empty", "digest-skip-empty"),
    "report_time": ("report-time", "heure-rapport"),
    "language": ("language", "lang", "langue", "sprache"),
    "roles": ("roles", "role", "rollen", "rolle"),
    "cost": ("cost", "cout", "kosten"),
    "attendees": ("attendees", "participants", "teilnehmer"),
    "date": ("date", "on", "le", "datum"),
}
#: Options whose value is an amount, which may run over several words (`cost=12 000`).
AMOUNT_OPTIONS = frozenset({"cost"})

_TOPICS = {fold(word): topic for topic, words in TOPIC_WORDS.items() for word in words}
_VERBS = {fold(word): verb for verb, words in VERB_WORDS.items() for word in words}
_OPTIONS = {fold(word): key for key, words in OPTION_WORDS.items() for word in words}
_OPTION = re.compile(r"(?P<key>[^\W\d][\w-]*)=(?P<value>.*)", re.DOTALL)
_AMOUNT_TAIL = re.compile(r"\d{3}(?:[.,]\d{1,2})?\s*(?:[€£$]|[A-Za-z]{3})?|[€£$]|[A-Za-z]{3}")


def topic_of(word: str) -> Topic | None:
    """The topic a word names, in any language, or None."""
    return _TOPICS.get(fold(word))


def option_key(word: str) -> str:
    """The option a key names (`tz`, `Fuseau` -> `timezone`), or the word folded."""
    folded = fold(word)
    return _OPTIONS.get(folded, folded)


@dataclass
class _Token:
    text: str
    key: str | None = None
    value: str = ""
    used: bool = False


@dataclass
class Words:
    """A command's words after its topic and verb, consumed as the command reads them."""

    tokens: list[_Token] = field(default_factory=list)

    @classmethod
    def of(cls, words: list[str]) -> Words:
        tokens = []
        for word in words:
            match = _OPTION.fullmatch(word)
            if match:
                tokens.append(_Token(word, option_key(match["key"]), match["value"]))
            else:
                tokens.append(_Token(word))
        return cls(tokens)

    def _positionals(self) -> list[_Token]:
        return [t for t in self.tokens if t.key is None and not t.used]

    def has_more(self) -> bool:
        """True while a positional word is left."""
        return bool(self._positionals())

    def next(self, missing: Missing) -> str:
        """The next positional word, or a refusal saying what is missing."""
        left = self._positionals()
        if not left:
            raise InvalidInput(CommandProblem.MISSING, field=missing.value, missing=missing)
        left[0].used = True
        return left[0].text

    def next_or_none(self) -> str | None:
        """The next positional word, if any."""
        left = self._positionals()
        if not left:
            return None
        left[0].used = True
        return left[0].text

    def rest(self) -> list[str]:
        """Every positional word left, in order."""
        left = self._positionals()
        for token in left:
            token.used = True
        return [t.text for t in left]

    def option(self, key: str) -> str | None:
        """The value of an option (by its name in OPTION_WORDS), if given once."""
        found = [t for t in self.tokens if t.key == key and not t.used]
        if len(found) > 1:
            raise InvalidInput(
                CommandProblem.OPTION_TWICE, field=key, key=found[0].text.split("=")[0]
            )
        if not found:
            return None
        found[0].used = True
        value = found[0].value
        if key in AMOUNT_OPTIONS:
            index = self.tokens.index(found[0]) + 1
            while index < len(self.tokens):
                after = self.tokens[index]
                if after.key is not None or after.used or not _AMOUNT_TAIL.fullmatch(after.text):
                    break
                after.used = True
                value += " " + after.text
                index += 1
        return value

    def other_options(self) -> list[tuple[str, str]]:
        """Every option not read yet, as (key as typed, value)."""
        left = [t for t in self.tokens if t.key is not None and not t.used]
        for token in left:
            token.used = True
        return [(t.text.split("=", 1)[0], t.value) for t in left]

    def done(self) -> None:
        """Refuse anything left unread."""
        left = [t.text for t in self.tokens if not t.used]
        if left:
            raise InvalidInput(CommandProblem.LEFTOVER, words=left)


@dataclass(frozen=True)
class Command:
    """A command read: its topic, its verb, and the words after them."""

    topic: Topic
    verb: Verb
    words: Words


def _suggestion(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(fold(word), choices, n=1, cutoff=0.7)
    return close[0] if close else None


def read_command(text: str) -> Command:
    """Read `/leadcell` words: the topic, the verb (the topic's first when none), the rest.

    `help` anywhere as the topic or verb asks for help; a topic alone means its
    first verb (`team` lists teams).
    """
    words = split_words(text)
    if not words:
        return Command(Topic.HELP, Verb.HELP, Words())
    topic = topic_of(words[0])
    if topic is None:
        close = _suggestion(words[0], list(_TOPICS))
        raise InvalidInput(
            CommandProblem.UNKNOWN_TOPIC,
            word=words[0],
            topics=[t.value for t in Topic],
            suggestion=_TOPICS[close] if close else None,
        )
    if topic == Topic.HELP:
        return Command(Topic.HELP, Verb.HELP, Words.of(words[1:]))
    allowed = VERBS[topic]
    if len(words) < 2 or _OPTION.fullmatch(words[1]):
        return Command(topic, allowed[0], Words.of(words[1:]))
    verb = _VERBS.get(fold(words[1]))
    if verb is None or verb not in allowed:
        choices = {fold(w): v for v, ws in VERB_WORDS.items() if v in allowed for w in ws}
        close = _suggestion(words[1], list(choices))
        raise InvalidInput(
            CommandProblem.UNKNOWN_VERB,
            topic=topic,
            word=words[1],
            verbs=[v.value for v in allowed],
            suggestion=choices[close] if close else None,
        )
    return Command(topic, verb, Words.of(words[2:]))
