"""Typed text made regular: quotes, dashes, spaces, and words folded for matching.

What phones and Macs type is read like what a keyboard types: typographic
quotes (“ ” „ « » ‘ ’) are quotes, `—` (what macOS makes of `--`) and a spaced
`–` are the `--` separator, and no-break spaces are spaces. A lone `’` stays an
apostrophe (`l’usine`).
"""

from __future__ import annotations

import re
import shlex
import unicodedata

from bot.grammar.problems import GrammarProblem
from models.errors import InvalidInput

_DOUBLE_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‟": '"'})
_SINGLE_PAIR = re.compile(r"[‘‚]([^‘’‚]*)’")
_SPACES = re.compile(r"[\u00a0\u202f\u2007\u2009\t]")
_DASH = re.compile(r"\s*—\s*|\s+–\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def regular(text: str, *, dashes: bool = True) -> str:
    """The text with quotes, dashes and spaces made plain (see the module docstring).

    With `dashes=False` every character keeps its place, so positions found in the
    result can cut the original text (a note is kept exactly as typed).
    """
    text = _SPACES.sub(" ", text).translate(_DOUBLE_QUOTES)
    text = _SINGLE_PAIR.sub(lambda m: '"' + m.group(1) + '"', text)
    return _DASH.sub(" -- ", text) if dashes else text


def check_characters(text: str, *, field: str) -> str:
    """Refuse control characters (a NUL byte included); return the text unchanged."""
    if _CONTROL.search(text):
        raise InvalidInput(GrammarProblem.CONTROL_CHARACTER, field=field)
    return text


def split_words(text: str) -> list[str]:
    """Words, honouring quotes: `name="Marie Curie" team=fr` gives two words."""
    try:
        lexer = shlex.shlex(regular(text), posix=True)
        lexer.whitespace_split = True
        lexer.commenters = ""
        return list(lexer)
    except ValueError:
        raise InvalidInput(GrammarProblem.QUOTE_UNCLOSED) from None


def unquote(text: str) -> str:
    """The text without the quotes around it, if it has them."""
    text = regular(text).strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text


def fold(text: str) -> str:
    """A word for matching: lower case, no accents, `_` and spaces as `-` (`Pas intéressé` ->
    `pas-interesse`, `Rückruf` -> `ruckruf`, `ß` -> `ss`)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s_]+", "-", bare.strip()).strip("-.,;:!?")


def quoted_shlex(words: list[str]) -> str:
    """Words joined back into a command line, quoted where needed."""
    return shlex.join(words)
