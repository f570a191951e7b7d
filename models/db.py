"""Engine and session factory, with SQLite and PostgreSQL both first-class."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, event, text
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000
#: The database of a process that names none: an SQLite file in the working directory.
DATABASE_DEFAULT = "sqlite:///leadcell.db"


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite has no time zones, so values are stored there as naive UTC; PostgreSQL
    stores `timestamptz`. Naive datetimes are refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: leadcell stores only aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver for every PostgreSQL URL (`postgres://` included)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Build the one engine of a process for `url` (sqlite:/// or postgresql://)."""
    url = normalize_database_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _tune_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


WRITE = "leadcell_write"


def begin_write(session: Session) -> None:
    """Make the session's current transaction a write transaction; call it before writing.

    On SQLite this is `BEGIN IMMEDIATE`: the write lock is taken at once, so two
    writers that read first queue for the lock instead of one failing when its read
    lock cannot be upgraded ("database is locked"). Read-only work keeps a plain
    `BEGIN` and never blocks writers (WAL). When the session already read in a
    read transaction (a permission check, say), that transaction is ended first and
    a write transaction begins: what the unit of work reads from here on is read
    under the write lock. A read transaction holding unflushed changes is a bug,
    refused with RuntimeError.
    """
    if session.in_transaction():
        if session.connection().get_execution_options().get(WRITE):
            return
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() with unflushed changes in a read transaction")
        session.commit()
    session.connection(execution_options={WRITE: True})


def _tune_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and explicit transactions.

    pysqlite's own transaction handling is turned off and leadcell emits BEGIN
    itself (SQLAlchemy's documented recipe), IMMEDIATE for write transactions.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(WRITE):
            _begin_immediate(connection.connection.driver_connection)
        else:
            connection.exec_driver_sql("BEGIN")


def _begin_immediate(dbapi_connection: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock in short steps.

    SQLite's own busy handler sleeps up to 100 ms between tries, which turns a
    lock held for a millisecond into a 100 ms wait under concurrent writes. Here
    the wait polls every 0.5 to 5 ms instead, up to the same overall timeout.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    pause = 0.0005
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 1.5, 0.005)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: a session that is closed (and rolled back if uncommitted) at exit."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def database_answers(engine: Engine) -> bool:
    """True when the database answers a trivial query (used by /healthz)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
