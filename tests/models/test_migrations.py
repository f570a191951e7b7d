"""The Alembic migrations build exactly the schema the SQLModel tables describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from models import migrate
from models.db import make_engine


def schema_differences(engine: Engine) -> list[object]:
    """What `leadcell db revision` would autogenerate (same options as migrations/env.py)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))


def head_revision(url: str) -> str:
    head = ScriptDirectory.from_config(migrate.alembic_config(url)).get_current_head()
    assert head is not None
    return head


def test_upgrade_builds_the_tables_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        assert {"team", "member", "call", "alembic_version"} <= set(
            inspect(engine).get_table_names()
        )
        assert schema_differences(engine) == []
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert [v for (v,) in versions] == [head_revision(url)]
    finally:
        engine.dispose()


def test_upgrade_twice_is_harmless_and_keeps_the_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO team (slug, name, timezone, currency, daily_contact_target, "
                    "created_at) VALUES ('fr', 'France', 'Europe/Paris', 'EUR', 30, "
                    "'2026-01-01 00:00:00')"
                )
            )
        migrate.upgrade(url)
        with engine.connect() as connection:
            teams = connection.execute(text("SELECT slug FROM team")).all()
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert teams == [("fr",)]
        assert [v for (v,) in versions] == [head_revision(url)]
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def test_the_test_databases_match_the_tables(engine: Engine) -> None:
    """The schema every other test runs on (SQLite and PostgreSQL) is the migrated one."""
    assert schema_differences(engine) == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wal.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    finally:
        engine.dispose()
