"""The message catalogs, kept in step with the code: extract, update, fill English, compile, check.

`make catalogs` runs `python -m bot.local.catalogs update`: it extracts every
message marked in bot/ and worker/ (`reader._`, `reader.n_`, `N_`), merges them
into bot/locale/{fr,en,de}/LC_MESSAGES/leadcell.po (new messages arrive
untranslated; messages gone from the code are dropped), fills the English
catalog with the English text, and compiles every catalog to its .mo file, which
is committed so that a fresh clone runs without a build step. `check` reports
what a release must not have: untranslated or fuzzy messages, placeholders that
differ from the English, catalogs out of step with the code or with their .mo.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bot", "worker")
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_][a-z0-9_]*)(?:[:!][^{}]*)?\}(?!\})")


def extract() -> Catalog:
    """Every message marked in the code, as a template catalog."""
    template = Catalog(domain=DOMAIN, project="leadcell", fuzzy=False)
    for source in SOURCES:
        found = extract_from_dir(
            ROOT / source,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("Translators:",),
            strip_comment_tags=True,
        )
        for _filename, _lineno, message, comments, context in found:
            template.add(message, context=context, auto_comments=comments)
    return template


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def load(language: str) -> Catalog:
    """A language's catalog as stored (an empty one when there is none yet)."""
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def _save(catalog: Catalog, language: str) -> None:
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        omit_header=False,
        no_location=True,
        sort_output=True,
        include_previous=False,
    )
    path.write_bytes(buffer.getvalue())
    mo_path(language).write_bytes(compile_catalog(catalog))


def update() -> None:
    """Merge the code's messages into every catalog, fill English, compile."""
    template = extract()
    for language in LANGUAGES:
        catalog = load(language)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        if language == "en":
            _fill_english(catalog)
        catalog.fuzzy = False
        _save(catalog, language)


def _fill_english(catalog: Catalog) -> None:
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string or ()):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders of a message."""
    return set(PLACEHOLDER.findall(text))


def _strings(message: Message) -> list[str]:
    value = message.string
    if isinstance(value, tuple | list):
        return list(value)
    return [value or ""]


def problems(language: str, template: Catalog | None = None) -> list[str]:
    """What is wrong with a language's catalog, one line each (empty when all is well)."""
    template = template or extract()
    catalog = load(language)
    found: list[str] = []
    wanted = {m.id for m in template if m.id}
    have = {m.id for m in catalog if m.id}
    found += [
        f"{language}: not in the catalog: {_short(i)}" for i in sorted(wanted - have, key=str)
    ]
    found += [
        f"{language}: no longer in the code: {_short(i)}" for i in sorted(have - wanted, key=str)
    ]
    for message in catalog:
        if not message.id or message.id not in wanted:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set().union(*(placeholders(text) for text in english))
        if message.fuzzy:
            found.append(f"{language}: fuzzy: {_short(message.id)}")
        for text in _strings(message):
            if not text:
                found.append(f"{language}: untranslated: {_short(message.id)}")
                break
            if placeholders(text) != expected:
                found.append(
                    f"{language}: placeholders {sorted(placeholders(text))} instead of "
                    f"{sorted(expected)}: {_short(message.id)}"
                )
    found += _compiled_problems(language, catalog)
    return found


def _compiled_problems(language: str, catalog: Catalog) -> list[str]:
    path = mo_path(language)
    if not path.exists():
        return [f"{language}: {path.name} is missing: run `make catalogs`"]
    if path.read_bytes() != compile_catalog(catalog):
        return [f"{language}: {path.name} does not match {po_path(language).name}: make catalogs"]
    return []


def compile_catalog(catalog: Catalog) -> bytes:
    """The .mo file of a catalog, as `make catalogs` writes it."""
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    return compiled.getvalue()


def _norm(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (str(value),)


def _short(message_id: object) -> str:
    text = message_id[0] if isinstance(message_id, tuple) else str(message_id)
    return repr(text if len(text) <= 70 else text[:69] + "…")


def main(argv: Iterable[str]) -> int:
    args = list(argv)
    if args == ["update"]:
        update()
        return 0
    if args == ["check"]:
        template = extract()
        found = [line for language in LANGUAGES for line in problems(language, template)]
        print("\n".join(found) or "The catalogs are complete and up to date.")
        return 1 if found else 0
    print("usage: python -m bot.local.catalogs update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
