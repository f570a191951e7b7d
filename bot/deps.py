"""What listeners need besides Bolt's arguments, handed in by middleware, never by closures.

`attach(deps)` is a global middleware that puts the process's `Deps` (engine,
settings) into every request's Bolt context. Listeners are module-level
functions that read them back with `deps_of(context)`, and the person behind
the request with `requester_of(context)`: their `Actor` (resolved once, from the
roster) and the `Reader` that speaks their language; a member whose Slack locale
is unknown or a week old has it asked in the background (bot.locales).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import BoltContext
from sqlalchemy import Engine
from sqlmodel import Session

from bot.i18n import Reader
from bot.locales import refresh_locale, stale
from bot.readers import reader_of
from bot.runtime.settings import Settings
from models.actors import Actor, resolve_actor
from models.db import begin_write, session_scope, utcnow

DEPS_KEY = "leadcell_deps"
REQUESTER_KEY = "leadcell_requester"


@dataclass(frozen=True)
class Deps:
    """The process's database engine and settings."""

    engine: Engine
    settings: Settings
    #: Runs work that must not delay an answer (a member's locale asked of Slack).
    background: Executor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=2))

    def __deepcopy__(self, memo: dict[int, Any]) -> Deps:
        """Shared, not copied: Bolt deep-copies the context for lazy listeners."""
        return self

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One unit of work; `write=True` starts it as a write transaction (see begin_write)."""
        with session_scope(self.engine) as session:
            if write:
                begin_write(session)
            yield session


@dataclass(frozen=True)
class Requester:
    """The person behind a request: who they are, and how to speak to them."""

    actor: Actor
    reader: Reader

    def __deepcopy__(self, memo: dict[int, Any]) -> Requester:
        """Immutable, so shared rather than copied into a lazy listener's context."""
        return self


def attach(deps: Deps) -> Callable[..., Any]:
    """A Bolt global middleware that hands `deps` to every listener through the context."""

    def middleware(context: BoltContext, next: Callable[[], Any]) -> Any:
        context[DEPS_KEY] = deps
        return next()

    return middleware


def deps_of(context: BoltContext) -> Deps:
    """The Deps the middleware attached."""
    deps: Deps = context[DEPS_KEY]
    return deps


def requester_of(context: BoltContext, user_id: str | None = None) -> Requester:
    """The actor behind the request (resolved once per request) and their Reader."""
    found: Requester | None = context.get(REQUESTER_KEY)
    if found is not None:
        return found
    deps = deps_of(context)
    user = user_id or context.user_id or ""
    with deps.engine.connect() as connection:
        actor = resolve_actor(connection, user_id=user, org_admins=deps.settings.admins)
    requester = Requester(actor=actor, reader=reader_of(actor))
    context[REQUESTER_KEY] = requester
    if stale(actor, utcnow()) and context.client is not None:
        deps.background.submit(refresh_locale, deps, context.client, actor)
    return requester
