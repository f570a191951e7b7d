"""What every `/leadcell` subcommand gets: who asks, how to speak to them, and their words.

The same request is built by the Slack listener (the requester's actor and
reader, Slack's style) and by the terminal (`models.actors.TERMINAL`, the
terminal's reader and style), so both run the same words through the same code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlmodel import Session

from bot.deps import Deps
from bot.grammar.command_line import Words
from bot.i18n import Reader
from bot.views.leadcell import Style
from models.actors import Actor
from models.policy import Action, require
from models.roster import TeamSettings, resolve_team


@dataclass(frozen=True)
class AdminRequest:
    """One subcommand to run: its words, who asks, and how to answer them."""

    deps: Deps
    actor: Actor
    reader: Reader
    style: Style
    words: Words
    #: The Slack id of the request (`command:<trigger_id>`): a write keyed by it happens once,
    #: however often Slack or the person sends it. None in the terminal.
    key: str | None = None

    @property
    def org_admins(self) -> frozenset[str]:
        """The organisation admins (LEADCELL_ADMINS): a team always keeps an admin."""
        return self.deps.settings.admins

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.deps.session() as session:
            yield session

    def team(self, session: Session, action: Action, slug: str | None = None) -> TeamSettings:
        """The team the command is about: `team=`, else `slug`, else the requester's own.

        Someone who may not take `action` even in their own team (off the roster,
        deactivated, without the role) is told so first, whatever team they name.
        """
        require(self.actor, action, team_id=self.actor.team_id)
        return resolve_team(session, actor=self.actor, slug=self.words.option("team") or slug)
