"""The `leadcell` terminal commands that share `/leadcell`'s words: who speaks, and how.

The terminal is the trusted actor `models.actors.TERMINAL`. It speaks the
language of LEADCELL_LANGUAGE, else of the LANG locale variable (`fr_FR.UTF-8`),
else English. An answer goes to standard output; a refusal is one line on
standard error, worded by bot.views.problems for the terminal (its example is a
terminal command), and the exit code is 1, or 2 when the words make no command
(a usage error, as argparse's own).
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from bot.deps import Deps
from bot.grammar.command_line import CommandProblem
from bot.i18n import Reader, reader_for
from bot.runtime.settings import Settings
from bot.text import unescape
from bot.views.leadcell import TERMINAL as TERMINAL_STYLE
from bot.views.problems import describe
from models.errors import DomainError

REFUSED, USAGE = 1, 2


def typed_command(words: Sequence[str]) -> str:
    """`leadcell` and the words typed, quoted for a shell, without `--team X`."""
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word == "--team":
            skip = True
        elif not word.startswith("--team="):
            kept.append(word)
    return shlex.join(["leadcell", *kept])


def terminal_reader(environ: Mapping[str, str] | None = None) -> Reader:
    """The terminal's reader: LEADCELL_LANGUAGE, else LANG, else English."""
    environ = os.environ if environ is None else environ
    chosen = environ.get("LEADCELL_LANGUAGE") or environ.get("LANG")
    return reader_for(chosen)


def refusal_line(error: DomainError, reader: Reader) -> str:
    """A refusal as the terminal prints it: one line, with its example."""
    said = describe(error, reader, **TERMINAL_STYLE.facts())
    text = " ".join(said.message.split())
    if said.example:
        text += " " + reader._("Example: {example}", example=said.example)
    return unescape(text)


def exit_code(error: DomainError) -> int:
    """2 when the words make no command, 1 for any other refusal."""
    return USAGE if isinstance(error.problem, CommandProblem) else REFUSED


@contextmanager
def terminal_deps(settings: Settings) -> Iterator[Deps]:
    """The database, migrated, for one terminal command."""
    import logging

    from models import migrate
    from models.db import make_engine

    logging.getLogger("alembic").setLevel(logging.WARNING)
    migrate.upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        yield Deps(engine=engine, settings=settings)
    finally:
        engine.dispose()


class Declined(Exception):
    """The person at the terminal did not confirm; the message says what was left undone."""


def run_in_terminal(
    settings: Settings,
    work: Callable[[Deps, Reader], str],
    *,
    facts: Mapping[str, Any] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run `work` and print its text; a refusal goes to standard error as one line.

    `facts` name the command at fault (`topic`, `verb`, …), so a refusal's example is
    that command. A file that cannot be read is said in one line too (exit 1).
    """
    out, err = out or sys.stdout, err or sys.stderr
    reader = terminal_reader()
    try:
        with terminal_deps(settings) as deps:
            text = work(deps, reader)
    except DomainError as error:
        for key, value in (facts or {}).items():
            error.facts.setdefault(key, value)
        print(f"leadcell: {refusal_line(error, reader)}", file=err)
        return exit_code(error)
    except Declined as declined:
        print(str(declined), file=err)
        return REFUSED
    except OSError as error:
        print(f"leadcell: {error}", file=err)
        return REFUSED
    print(text, end="" if text.endswith("\n") else "\n", file=out)
    return 0


def run_words(settings: Settings, text: str) -> int:
    """Run `/leadcell` words from the terminal, as the terminal."""
    from bot.commands.admin import execute
    from models.actors import TERMINAL

    def work(deps: Deps, reader: Reader) -> str:
        return execute(text, deps=deps, actor=TERMINAL, reader=reader, style=TERMINAL_STYLE).text()

    return run_in_terminal(settings, work)
