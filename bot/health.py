"""What `GET /healthz` and the start of `leadcell web` and `leadcell worker` say about
the database, its schema and Slack."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from bot.runtime.slack_identity import BotIdentity
from models.migrate import SchemaStatus, schema_status

UPGRADE = "run `leadcell db upgrade`"


def schema_problem(status: SchemaStatus) -> str | None:
    """A sentence for a schema that does not match the code, or None when it does."""
    if status.state == "behind" and status.database_revision is None:
        return (
            f"The database has no leadcell schema yet (the code needs revision "
            f"{status.code_revision}): {UPGRADE}."
        )
    if status.state == "behind":
        return (
            f"The database schema is at revision {status.database_revision}, older than the "
            f"code's {status.code_revision}: {UPGRADE}."
        )
    if status.state == "unknown":
        return (
            f"The database schema is at revision {status.database_revision}, which this code "
            f"does not know (it ends at {status.code_revision}): deploy the leadcell version "
            "that wrote it, or restore a matching database."
        )
    if status.state == "unreachable":
        return "The database does not answer: check DATABASE_URL and that the server is up."
    return None


def health_report(engine: Engine, identity: BotIdentity | None) -> tuple[bool, dict[str, Any]]:
    """(healthy, body) of `/healthz`.

    Unhealthy (503) when the database does not answer or its schema does not
    match the code. Slack not answering yet is reported but stays healthy:
    acknowledging `/call` needs no Slack, and the app keeps asking in the background.
    """
    status = schema_status(engine)
    problem = schema_problem(status)
    report: dict[str, Any] = {
        "ok": problem is None,
        "database": "unreachable" if status.state == "unreachable" else "ok",
        "schema": status.state,
    }
    if problem:
        report["problem"] = problem
    if identity is not None:
        report.update(identity.health())
    return problem is None, report
