"""Words of the roster, events and costs: roles, languages, lead sources, event kinds,
lead routing, channels, members and names.

Every language's words are accepted whatever the reader's language (`séminaire`,
`Messe`, `ingénieur-commercial`, `deutsch`). Roles are given as a list that
replaces a member's roles (`agent,manager`), or as changes (`+agent -manager`)
that keep the others.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from bot.grammar.words import check_characters, fold
from bot.text import channel_id, plain_text, user_mention
from models.actors import Role
from models.costs import CostProblem
from models.errors import InvalidInput
from models.events import EVENT_KINDS, EventProblem
from models.leads import Source
from models.roster import LANGUAGES, ROUTINGS, RosterProblem

ROLE_WORDS: dict[Role, tuple[str, ...]] = {
    Role.AGENT: ("agent", "agents", "teleconseiller", "teleconseillere", "telemarketer"),
    Role.SALES_ENGINEER: (
        "sales-engineer",
        "sales-engineers",
        "se",
        "sales",
        "ingenieur-commercial",
        "ic",
        "vertriebsingenieur",
    ),
    Role.MANAGER: ("manager", "managers", "responsable", "leiter", "leiterin"),
    Role.ADMIN: ("admin", "admins", "administrateur", "administratrice", "administrator"),
    Role.PROVIDER: ("provider", "providers", "prestataire", "prestataires", "dienstleister"),
}
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "fr": ("fr", "french", "francais", "franzosisch"),
    "en": ("en", "english", "anglais", "englisch"),
    "de": ("de", "german", "allemand", "deutsch"),
}
#: `/leadcell me language=auto`: back to the language of one's Slack settings.
AUTO_WORDS = ("auto", "slack", "default", "defaut", "standard")
SOURCE_WORDS: dict[Source, tuple[str, ...]] = {
    Source.TELEMARKETING: (
        "telemarketing",
        "tm",
        "phone",
        "phoning",
        "teleprospection",
        "telefonmarketing",
    ),
    Source.SEMINAR: ("seminar", "seminars", "seminaire", "seminaires", "seminare"),
    Source.TRADE_SHOW: ("trade-show", "trade-shows", "tradeshow", "salon", "salons", "messe"),
    Source.OTHER: ("other", "others", "autre", "autres", "sonstige", "andere"),
}
T = TypeVar("T")

ROUTING_WORDS: dict[str, tuple[str, ...]] = {
    "pool": ("pool", "pot-commun", "pot"),
    "round-robin": ("round-robin", "roundrobin", "rotation", "tour-de-role", "reihum"),
}


def _table(words: Mapping[T, tuple[str, ...]]) -> dict[str, T]:
    """Each alias, folded, and what it means."""
    return {fold(word): meaning for meaning, aliases in words.items() for word in aliases}


_ROLES = _table(ROLE_WORDS)
_LANGUAGES = _table(LANGUAGE_WORDS)
_SOURCES = _table(SOURCE_WORDS)
_ROUTINGS = _table(ROUTING_WORDS)


def _closest(word: str, table: dict[str, T]) -> T | None:
    """What the nearest alias means, for a word close enough to one (a typing slip)."""
    close = difflib.get_close_matches(fold(word), list(table), n=1, cutoff=0.75)
    return table[close[0]] if close else None


# --- roles ------------------------------------------------------------------------------------

_MINUS = "-–−"  # a hyphen, an en dash (what phones make of it), a minus sign


@dataclass(frozen=True)
class RoleEdit:
    """A change of roles: a new list (`replace`), or roles to add and to remove."""

    replace: frozenset[Role] | None = None
    add: frozenset[Role] = frozenset()
    remove: frozenset[Role] = frozenset()


def parse_role(word: str) -> Role:
    """One role, in any language (`se`, `ingénieur-commercial`, `Admin`)."""
    role = _ROLES.get(fold(word))
    if role is None:
        suggestion = _closest(word, _ROLES)
        raise InvalidInput(
            RosterProblem.ROLE_UNKNOWN,
            field="roles",
            given=word,
            allowed=[r.value for r in Role],
            suggestion=suggestion,
        )
    return role


def parse_roles(text: str) -> frozenset[Role]:
    """A list of roles such as `agent,sales-engineer` or `agent se` (at least one)."""
    words = [w for w in text.replace(",", " ").split() if w]
    if not words:
        raise InvalidInput(RosterProblem.ROLES_MISSING, field="roles")
    return frozenset(parse_role(word) for word in words)


def parse_role_edit(words: list[str]) -> RoleEdit:
    """`agent,manager` (the member's roles from now on) or `+agent -manager` (changes)."""
    parts = [
        "-" + p[1:] if p[0] in _MINUS else p
        for word in words
        for p in word.replace(",", " ").split()
        if p
    ]
    if not parts:
        raise InvalidInput(RosterProblem.ROLES_MISSING, field="roles")
    signed = [p for p in parts if p[0] in "+-"]
    if signed and len(signed) != len(parts):
        raise InvalidInput(RosterProblem.ROLES_MIXED, field="roles", given=" ".join(parts))
    if not signed:
        return RoleEdit(replace=frozenset(parse_role(p) for p in parts))
    add = frozenset(parse_role(p[1:]) for p in parts if p[0] == "+")
    remove = frozenset(parse_role(p[1:]) for p in parts if p[0] == "-")
    return RoleEdit(add=add, remove=remove - add)


# --- other words ------------------------------------------------------------------------------


def parse_language(text: str, *, auto: bool = False) -> str | None:
    """`fr`, `en` or `de` (also `français`, `English`, `Deutsch`); with `auto`, None for `auto`."""
    word = fold(text)
    if auto and word in AUTO_WORDS:
        return None
    language = _LANGUAGES.get(word) or _LANGUAGES.get(word.split("-")[0])
    if language is None:
        raise InvalidInput(
            RosterProblem.LANGUAGE_UNKNOWN,
            field="language",
            given=text,
            allowed=list(LANGUAGES),
            auto=auto,
        )
    return language


def parse_source(word: str) -> Source:
    """A lead source: `telemarketing`, `seminar`, `trade-show`, `other`, in any language."""
    source = _SOURCES.get(fold(word))
    if source is None:
        raise InvalidInput(
            CostProblem.SOURCE_UNKNOWN,
            field="source",
            given=word,
            allowed=[s.value for s in Source],
            suggestion=_closest(word, _SOURCES),
        )
    return source


def parse_event_kind(word: str) -> str:
    """`seminar` or `trade-show` (also `séminaire`, `salon`, `Messe`, `tradeshow`)."""
    source = _SOURCES.get(fold(word))
    if source is None or source.value not in EVENT_KINDS:
        raise InvalidInput(
            EventProblem.KIND_UNKNOWN, field="kind", given=word, allowed=list(EVENT_KINDS)
        )
    return source.value


def parse_routing(word: str) -> str:
    """`pool` or `round-robin` (also `rotation`)."""
    routing = _ROUTINGS.get(fold(word))
    if routing is None:
        raise InvalidInput(
            RosterProblem.ROUTING_UNKNOWN, field="routing", given=word, allowed=list(ROUTINGS)
        )
    return routing


def parse_channel(text: str, *, field: str) -> str:
    """A channel as Slack sends it (`<#C123|sales>`) or its id (`C123`)."""
    found = channel_id(text)
    if found is None or found.startswith("D"):
        raise InvalidInput(RosterProblem.CHANNEL_INVALID, field=field, key=field, given=text)
    return found


def parse_member(text: str) -> tuple[str, str]:
    """A member named by a mention (`<@U123|marc>`) or a user id: (user id, label)."""
    found = user_mention(text)
    if found is None:
        raise InvalidInput(RosterProblem.USER_INVALID, field="member", given=text)
    return found


def parse_name(text: str, *, field: str) -> str:
    """A name as typed: no control characters nor broadcast mentions; Slack's escapes undone."""
    return plain_text(check_characters(text, field=field), field=field).strip()
