"""The words of `/lead`: the hand-off quick form, the subcommands, and the filters of lists.

Hand-off: `/lead [@engineer] <company> -- <summary> [value=…] [source=…] [contact=…]`.
The options may stand anywhere. `value=` is an amount in the team's currency
(bot.grammar.amounts: `120k`, `120 000`, `€120k`, `1.2M`). `source=` is
`telemarketing` (the default), `seminar:<event>`, `trade-show:<event>` or `other`;
an event is a quoted name or the words up to the next option, and may end with
the date of the one meant (`seminar:"Paris Summit 2026-10-14"`). `contact=` is a
quoted name or one word. A leading `@word` that Slack did not turn into a mention
is a name for the domain to look up, never part of the company. Typographic
quotes and `—` read as `"` and `--` (bot.grammar.words). Option names and
sources are understood in French, English and German (`valeur=`, `Quelle=`,
`séminaire`, `Messe`).

Subcommands: `help`, `list`, `show`, `release`, `reassign` (and their French and
German words). Lists: `/lead list [mine|open|pool|today|closed|all] [new|claimed|
qualified|rejected|won|lost] [@engineer] [source=<source>] [page=N]`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.grammar.amounts import parse_amount
from bot.grammar.dates import parse_day
from bot.grammar.words import check_characters, fold, regular, unquote
from bot.text import plain_text, user_mention
from models.errors import DomainError, InvalidInput, Problem
from models.leads import LeadQuery, ListScope, NewLead, Source, Status, check_new_lead


class LeadTextProblem(Problem):
    """`/lead` text that cannot be read."""

    SEPARATOR_MISSING = "lead_text.separator_missing"
    SOURCE_UNKNOWN = "lead_text.source_unknown"
    LIST_WORD_UNKNOWN = "lead_text.list_word_unknown"
    PAGE_UNREADABLE = "lead_text.page_unreadable"
    TARGET_UNREADABLE = "lead_text.target_unreadable"


#: Subcommands, by every word that names them.
SUBCOMMANDS: dict[str, str] = {
    fold(word): command
    for command, words in {
        "help": ("help", "?", "-h", "--help", "aide", "hilfe"),
        "list": ("list", "liste", "ls"),
        "show": ("show", "voir", "afficher", "zeigen", "anzeigen"),
        "release": ("release", "libérer", "freigeben"),
        "reassign": ("reassign", "réattribuer", "réaffecter", "zuweisen", "neu-zuweisen"),
    }.items()
    for word in words
}
#: Lead sources by every word that names them.
SOURCES: dict[str, Source] = {
    fold(word): source
    for source, words in {
        Source.TELEMARKETING: ("telemarketing", "phone", "téléprospection", "téléphone", "telefon"),
        Source.SEMINAR: ("seminar", "séminaire", "webinar"),
        Source.TRADE_SHOW: ("trade-show", "tradeshow", "trade_show", "salon", "messe"),
        Source.OTHER: ("other", "autre", "andere", "sonstige"),
    }.items()
    for word in words
}
_OPTION_NAMES: dict[str, str] = {
    fold(word): option
    for option, words in {
        "value": ("value", "valeur", "montant", "wert", "betrag"),
        "source": ("source", "quelle", "herkunft"),
        "contact": ("contact", "kontakt", "ansprechpartner"),
    }.items()
    for word in words
}
_KEY = re.compile(r"(?<!\S)([A-Za-zÀ-ÿ_-]+)=")
_QUOTED = r'"[^"]*"'
_WORD_OR_QUOTED = re.compile(_QUOTED + r"|\S+")
_AMOUNT_TEXT = re.compile(
    r"(?:[€£$]\s?)?(?:\d{1,3}(?:[ ]\d{3})+(?:[.,]\d{1,2})?|\d[\d.,]*)(?:\s?[kKmM](?![A-Za-z]))?"
    r"(?:\s?(?:[€£$]|(?:EUR|GBP|USD|eur|gbp|usd)\b))?"
)
_SOURCE_TEXT = re.compile(
    r"[\w-]+(?::\s*(?:" + _QUOTED + r"(?:\s+\d{4}-\d{2}-\d{2})?|.*?(?=\s+[\w-]+=|\s+--\s|$)))?"
)
_TRAILING_DAY = re.compile(
    r"^(?P<name>.*?)\s+(?P<day>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4})$"
)


def parse_source(text: str) -> tuple[Source, str | None, date | None]:
    """`telemarketing`, `other`, `seminar:<event>` or `trade-show:<event>`: the source, the
    event's name and, when it ends with one, the event's date."""
    kind, _, event = text.partition(":")
    source = SOURCES.get(fold(kind))
    if source is None:
        raise InvalidInput(LeadTextProblem.SOURCE_UNKNOWN, field="source", text=kind.strip())
    name = unquote(event.strip()) or None
    day = None
    if name:
        found = _TRAILING_DAY.match(name)
        if found:
            name, day = unquote(found["name"]) or None, parse_day(found["day"])
    return source, name, day


def _take_options(text: str) -> tuple[dict[str, str], str]:
    """Pull `value=`, `source=` and `contact=` out of the text, wherever they stand."""
    options: dict[str, str] = {}
    kept: list[str] = []
    position = 0
    for key in _KEY.finditer(text):
        name = _OPTION_NAMES.get(fold(key.group(1)))
        if name is None or key.start() < position:
            continue
        kept.append(text[position : key.start()])
        start = key.end()
        pattern = {"value": _AMOUNT_TEXT, "source": _SOURCE_TEXT}.get(name, _WORD_OR_QUOTED)
        found = pattern.match(text, start)
        if text.startswith('"', start) or found is None or found.end() == start:
            found = _WORD_OR_QUOTED.match(text, start)
        elif name == "value" and re.match(r"[^\s,;]", text[found.end() : found.end() + 1]):
            found = _WORD_OR_QUOTED.match(text, start)  # `value=12k3`: the whole word, refused
        end = found.end() if found else start
        options[name] = text[start:end].strip()
        position = end
    kept.append(text[position:])
    return options, " ".join(part.strip() for part in kept if part.strip())


def _engineer(rest: str) -> tuple[str | None, str | None, str]:
    """A leading mention (user id), or a leading `@word` (a name), and the text after it."""
    first, _, after = rest.partition(" ")
    mention = user_mention(first) if first.startswith("<@") else None  # never a bare `U…` id
    if mention is not None:
        return mention[0], None, after.strip()
    if first.startswith("<@") and first.endswith(">"):  # a mention that names nobody
        return None, first[2:-1].split("|")[-1] or first, after.strip()
    if first.startswith("@") and len(first) > 1:
        return None, first[1:].rstrip(",:;"), after.strip()
    return None, None, rest


def _company_and_summary(rest: str) -> tuple[str, str]:
    """Split at the first `--` outside the company's quotes."""
    start = 0
    if rest.startswith('"') and rest.find('"', 1) > 0:
        start = rest.find('"', 1) + 1
    separator = rest.find("--", start)
    if separator < 0:
        raise InvalidInput(LeadTextProblem.SEPARATOR_MISSING, field="summary")
    return rest[:separator].strip(), rest[separator + 2 :].strip()


def parse_hand_off(text: str, *, currency: str) -> NewLead:
    """Read the quick form into a NewLead, or raise InvalidInput naming what is wrong."""
    typed = regular(check_characters(text, field="summary")).strip()
    options, rest = _take_options(typed)
    engineer, engineer_name, rest = _engineer(rest)
    company, summary = _company_and_summary(rest)
    source, event, day = (
        parse_source(options["source"])
        if "source" in options
        else (Source.TELEMARKETING, None, None)
    )
    value: Decimal | None = None
    if "value" in options:
        try:
            value = parse_amount(unquote(options["value"]), currency=currency)
        except DomainError as error:
            error.field = "value"
            raise
    new = NewLead(
        company=plain_text(unquote(company), field="company"),
        summary=plain_text(summary.strip(), field="summary"),
        engineer=engineer,
        engineer_name=engineer_name,
        estimated_value=value,
        source=source,
        event_name=event,
        event_day=day,
        contact_name=(
            plain_text(unquote(options["contact"]), field="contact") or None
            if "contact" in options
            else None
        ),
    )
    check_new_lead(new, currency=currency)
    return new


def is_hand_off(text: str) -> bool:
    """True when the text is a hand-off (it has the `--` separator), whatever its first word."""
    return "--" in regular(text)


def subcommand(word: str) -> str | None:
    """The subcommand a word names (`list`, `liste`, `hilfe`…), else None."""
    return SUBCOMMANDS.get(fold(word))


# --- lists --------------------------------------------------------------------------------

SCOPES: dict[str, ListScope] = {
    fold(word): scope
    for scope, words in {
        ListScope.MINE: ("mine", "mes", "miens", "meine"),
        ListScope.OPEN: ("open", "ouverts", "ouvert", "offen", "offene"),
        ListScope.POOL: ("pool",),
        ListScope.TODAY: ("today", "aujourd'hui", "aujourdhui", "heute"),
        ListScope.CLOSED: ("closed", "fermés", "clos", "geschlossen", "geschlossene"),
        ListScope.ALL: ("all", "tous", "alle"),
    }.items()
    for word in words
}
STATUSES: dict[str, Status] = {
    fold(word): status
    for status, words in {
        Status.NEW: ("new", "nouveau", "nouveaux", "neu", "neue"),
        Status.CLAIMED: ("claimed", "pris", "übernommen"),
        Status.QUALIFIED: ("qualified", "qualifiés", "qualifié", "qualifiziert"),
        Status.REJECTED: ("rejected", "rejetés", "rejeté", "abgelehnt"),
        Status.WON: ("won", "gagnés", "gagné", "gewonnen"),
        Status.LOST: ("lost", "perdus", "perdu", "verloren"),
    }.items()
    for word in words
}
#: The words a list understands, as a refusal shows them.
LIST_WORDS = [s.value for s in ListScope] + [s.value for s in Status]


def parse_list(words: list[str]) -> LeadQuery:
    """The filters of `/lead list …` (see the module docstring)."""
    scope: ListScope | None = None
    status: Status | None = None
    engineer: str | None = None
    engineer_name: str | None = None
    source: Source | None = None
    page = 1
    for word in words:
        key, _, value = word.partition("=")
        option = _OPTION_NAMES.get(fold(key)) if value else None
        if option == "source":
            source = parse_source(value)[0]
        elif fold(key) in ("page", "seite") and value:
            if not value.isdigit() or not 0 < int(value) < 100_000:
                raise InvalidInput(LeadTextProblem.PAGE_UNREADABLE, field="page", text=value)
            page = int(value)
        elif word.startswith("<@") and user_mention(word):
            engineer = (user_mention(word) or ("", ""))[0]
        elif word.startswith("@") and len(word) > 1:
            engineer_name = word[1:]
        elif fold(word) in SCOPES:
            scope = SCOPES[fold(word)]
        elif fold(word) in STATUSES:
            status = STATUSES[fold(word)]
        else:
            known = list(SCOPES) + list(STATUSES)
            close = difflib.get_close_matches(fold(word), known, n=1, cutoff=0.7)
            suggestion = None
            if close:
                found = SCOPES.get(close[0]) or STATUSES.get(close[0])
                suggestion = found.value if found else None
            raise InvalidInput(
                LeadTextProblem.LIST_WORD_UNKNOWN,
                field="list",
                word=word,
                suggestion=suggestion,
                words=LIST_WORDS,
            )
    return LeadQuery(
        scope=scope,
        status=status,
        engineer=engineer,
        engineer_name=engineer_name,
        source=source,
        page=page,
    )


@dataclass(frozen=True)
class Target:
    """Whom `/lead reassign L-0042 …` hands the lead to: a mention (user id), a name typed
    after `@` that Slack did not turn into one, or the pool."""

    user_id: str | None = None
    name: str | None = None
    pool: bool = False


def parse_target(word: str | None) -> Target:
    """The target of `/lead reassign` (see Target)."""
    if word and fold(word) in ("pool", "le-pool", "den-pool"):
        return Target(pool=True)
    mention = user_mention(word) if word and word.startswith("<@") else None
    if mention is not None:
        return Target(user_id=mention[0])
    if word and word.startswith("@") and len(word) > 1:
        return Target(name=word[1:])
    raise InvalidInput(LeadTextProblem.TARGET_UNREADABLE, field="engineer", text=word or "")
