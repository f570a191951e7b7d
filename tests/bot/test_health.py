"""The schema check behind `/healthz` and the start of `leadcell web` and `leadcell worker`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from bot.health import health_report, schema_problem
from models import migrate
from models.db import make_engine


def _sqlite(tmp_path: Path, revision: str | None) -> str:
    url = f"sqlite:///{tmp_path / 'health.db'}"
    if revision is not None:
        migrate.upgrade(url, revision)
    return url


@pytest.mark.parametrize(
    ("revision", "state", "problem"),
    [
        ("head", "current", None),
        ("0005", "behind", "The database schema is at revision 0005, older than the code's"),
        (None, "behind", "The database has no leadcell schema yet"),
    ],
)
def test_the_schema_is_compared_with_the_codes_head(
    tmp_path: Path, revision: str | None, state: str, problem: str | None
) -> None:
    engine = make_engine(_sqlite(tmp_path, revision))
    status = migrate.schema_status(engine)
    healthy, report = health_report(engine, None)
    engine.dispose()

    assert status.state == state
    assert status.code_revision == migrate.head_revision()
    assert healthy is (problem is None)
    if problem is None:
        assert report == {"ok": True, "database": "ok", "schema": "current"}
    else:
        assert report["problem"].startswith(problem)
        assert report["problem"].endswith("run `leadcell db upgrade`.")


def test_a_revision_the_code_does_not_know_is_reported_as_such(tmp_path: Path) -> None:
    url = _sqlite(tmp_path, "head")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    status = migrate.schema_status(engine)
    engine.dispose()

    assert (status.state, status.database_revision) == ("unknown", "9999")
    problem = schema_problem(status)
    assert problem is not None
    assert problem.startswith("The database schema is at revision 9999, which this code")


def test_a_database_that_does_not_answer_is_unhealthy(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    healthy, report = health_report(engine, None)
    engine.dispose()
    assert healthy is False
    assert report["database"] == "unreachable"
    assert report["problem"].startswith("The database does not answer")
