"""The retention job: clear personal data older than each team's retention period, once.

`apply_retention(engine)` is a plain job function for the worker's scheduler (a
daily run is plenty): for each team it clears the personal fields of calls and
attendee rows older than the team's retention period (models.privacy), and logs
one line per team with the counts. A team that fails is logged and the others
go on. Running it again clears nothing more: cleared rows have nothing left.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import select

from models.db import session_scope, utcnow
from models.privacy import Cleared, clear_expired
from models.tables import Team

log = logging.getLogger(__name__)


def apply_retention(engine: Engine, *, now: datetime | None = None) -> list[Cleared]:
    """Clear expired personal data in every team; what was cleared, team by team."""
    now = now or utcnow()
    with session_scope(engine) as session:
        team_ids = list(session.scalars(select(Team.id).order_by(Team.slug)))
    done: list[Cleared] = []
    for team_id in team_ids:
        try:
            with session_scope(engine) as session:
                cleared = clear_expired(session, team_id=team_id or 0, now=now)
        except Exception:
            log.exception("retention: team #%s failed; the other teams go on", team_id)
            continue
        done.append(cleared)
        log.info(
            "retention: team %s cleared the personal data of %d call(s) and %d attendee row(s) "
            "older than %d months (before %s)",
            cleared.team_slug,
            cleared.calls,
            cleared.attendees,
            cleared.months,
            cleared.before.isoformat(),
        )
    return done
