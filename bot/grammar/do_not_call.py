"""What people type to put someone on the do-not-call list.

    +33 1 23 45 67 89 asked not to be called        a number (read for the team's country)
    jane.doe@acme.example no more calls please      an email
    company "Acme Corp" customer since 2019         a company (or: company Acme Corp -- reason)
    person "Jane Doe" at "Acme Corp" objected       a person, at one company or anywhere

The kind words are understood in English, French and German (`société`,
`Firma`, `personne`, `chez`, `bei`…). Whatever follows the name is the reason.
"""

from __future__ import annotations

from bot.grammar.phones import looks_like_phone, phone_at_start
from bot.grammar.problems import GrammarProblem
from bot.grammar.words import fold, regular
from models.attendees import check_email
from models.dnc import DncKind, NewDnc
from models.errors import InvalidInput, Problem

_KINDS = {
    **dict.fromkeys(("company", "societe", "entreprise", "firma", "unternehmen"), DncKind.COMPANY),
    **dict.fromkeys(("person", "personne", "contact", "kontakt"), DncKind.PERSON),
    **dict.fromkeys(("email", "e-mail", "mail", "courriel"), DncKind.EMAIL),
    **dict.fromkeys(
        ("phone", "number", "telephone", "tel", "numero", "telefon", "nummer"), DncKind.PHONE
    ),
}
_AT = {"at", "chez", "bei"}


class DncTextProblem(Problem):
    """A do-not-call request that cannot be read."""

    EMPTY = "dnc_text.empty"
    UNCLEAR = "dnc_text.unclear"


def _name_and_rest(text: str) -> tuple[str, str]:
    """A quoted name and what follows, or the words up to `--` and what follows."""
    text = text.strip()
    if text.startswith('"'):
        end = text.find('"', 1)
        if end < 0:
            raise InvalidInput(GrammarProblem.QUOTE_UNCLOSED, field="name")
        return text[1:end].strip(), text[end + 1 :].strip()
    name, _, rest = text.partition(" -- ")
    return name.strip().removesuffix("--").strip(), rest.strip()


def _reason(text: str) -> str | None:
    return text.strip().removeprefix("--").strip() or None


def parse_dnc(text: str, *, country: str | None) -> NewDnc:
    """The entry a text asks for (see the module docstring)."""
    text = regular(text).strip()
    words = text.split()
    if not words:
        raise InvalidInput(DncTextProblem.EMPTY, field="name")
    kind = _KINDS.get(fold(words[0]))
    rest = text[len(words[0]) :].strip() if kind else text
    rest_words = rest.split()
    if kind in (None, DncKind.PHONE) and rest_words and looks_like_phone(rest_words[0]):
        found = phone_at_start(rest_words, country=country)
        assert found is not None
        number, used = found
        return NewDnc(DncKind.PHONE, number, _reason(" ".join(rest_words[used:])))
    if kind in (None, DncKind.EMAIL) and rest_words and "@" in rest_words[0]:
        address = rest_words[0].strip("<>")
        if not check_email(address):
            raise InvalidInput(DncTextProblem.UNCLEAR, field="name", text=words[0])
        return NewDnc(DncKind.EMAIL, address, _reason(" ".join(rest_words[1:])))
    if kind in (DncKind.COMPANY, DncKind.PERSON):
        name, rest = _name_and_rest(rest)
        company = None
        after = rest.split(maxsplit=1)
        if kind == DncKind.PERSON and after and fold(after[0]) in _AT:
            company, rest = _name_and_rest(after[1] if len(after) > 1 else "")
        return NewDnc(kind, name, _reason(rest), company=company or None)
    raise InvalidInput(DncTextProblem.UNCLEAR, field="name", text=words[0])
