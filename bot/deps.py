"""What listeners need besides Bolt's arguments: the database engine and the settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from bot.runtime.settings import Settings
from models.db import session_scope


@dataclass(frozen=True)
class Deps:
    """Handed to every `register(app, deps)`."""

    engine: Engine
    settings: Settings

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work against the database."""
        with session_scope(self.engine) as session:
            yield session
