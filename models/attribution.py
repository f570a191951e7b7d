"""Which event a lead counts for: the one definition, in SQL, for cards, reports and returns.

A lead counts for an event when:

1. the agent named the event (`source=seminar:"Paris Summit"`: the lead's event), or
2. the agent chose no source (`source_chosen` is false, the source is the default
   telemarketing) and the lead's company attended one of the team's events in
   the attribution window: the event was held at most `attribution_days` (team
   setting, default 90) team-local days before the lead was handed, the day of
   the event included. The latest such event wins; companies are matched through
   their folded keys (models.keys), so `ACME Corp.` on the list is `Acme corp`
   on the lead.

A lead with a chosen source (`source=telemarketing`, `source=other`) is never
attributed. Nothing is stored: the attribution is worked out by the query each
time, so a list imported late, or a corrected window, counts at once. A lead's
*effective source* is its event's kind when it counts for an event, else its own.

The window of each event is computed in Python (the team's local midnights, DST
included) and handed to the database as a small table of instants, so SQLite
and PostgreSQL compare the same UTC instants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import (
    CTE,
    Date,
    Integer,
    Select,
    String,
    and_,
    case,
    func,
    literal,
    select,
    union_all,
)
from sqlmodel import Session, col

from models.actors import Actor
from models.attendees import EventRef
from models.db import UTCDateTime
from models.errors import NotFound, Problem
from models.periods import day_bounds
from models.policy import Action, require
from models.tables import Event, EventCompany, Lead, Team

_LEADS = Lead.__table__  # type: ignore[attr-defined]
_EVENTS = Event.__table__  # type: ignore[attr-defined]
_COMPANIES = EventCompany.__table__  # type: ignore[attr-defined]
TELEMARKETING = "telemarketing"


class AttributionProblem(Problem):
    """Why an attribution cannot be read."""

    LEAD_NOT_FOUND = "attribution.lead_not_found"


class How(StrEnum):
    """Why a lead counts for an event."""

    NAMED = "named"  # the agent named the event
    ATTENDED = "attended"  # its company attended the event in the window


@dataclass(frozen=True)
class Window:
    """The instants between which a lead counts for an event (end excluded)."""

    event: EventRef
    opens: datetime
    closes: datetime


@dataclass(frozen=True)
class Attribution:
    """A lead and the event it counts for (None: none)."""

    lead_id: int
    number: int
    company: str
    source: str
    created_at: datetime
    event: EventRef | None
    how: How | None

    @property
    def effective_source(self) -> str:
        return self.event.kind if self.event is not None else self.source


def window_of(event: EventRef, zone: ZoneInfo, days: int) -> Window:
    """From the start of the event's day to the end of the `days`-th day after it."""
    opens, _ = day_bounds(zone, event.held_on)
    _, closes = day_bounds(zone, event.held_on + timedelta(days=days))
    return Window(event, opens, closes)


def windows_for(session: Session, *, team: Team, start: datetime, end: datetime) -> list[Window]:
    """The windows of the team's events a lead handed between `start` and `end` may count for."""
    zone = ZoneInfo(team.timezone)
    first = start.astimezone(zone).date() - timedelta(days=team.attribution_days)
    last = end.astimezone(zone).date()
    events = session.scalars(
        select(Event).where(
            col(Event.team_id) == team.id,
            col(Event.held_on) >= first,
            col(Event.held_on) <= last,
        )
    )
    return [window_of(EventRef.of(e), zone, team.attribution_days) for e in events]


def windows_table(windows: Sequence[Window]) -> CTE | None:
    """The windows as a table (event_id, kind, held_on, opens, closes); None when empty."""
    if not windows:
        return None
    rows = [
        select(
            literal(w.event.id, Integer()).label("event_id"),
            literal(w.event.kind, String()).label("kind"),
            literal(w.event.held_on, Date()).label("held_on"),
            literal(w.opens, UTCDateTime()).label("opens"),
            literal(w.closes, UTCDateTime()).label("closes"),
        )
        for w in windows
    ]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).cte("attribution_windows")


def attributed(team_id: int, start: datetime, end: datetime, windows: CTE | None) -> Select:
    """SQL: each lead of the team handed in [start, end) with the event it counts for.

    Columns: lead_id, source (the lead's own), event_id (None: no event), how, and
    effective_source. Reports group on it; `lead_attributions` reads it.
    """
    by_attendance: object = None
    if windows is not None:
        by_attendance = (
            select(windows.c.event_id)
            .join(_COMPANIES, _COMPANIES.c.event_id == windows.c.event_id)
            .where(
                _COMPANIES.c.company_key == _LEADS.c.company_key,
                _COMPANIES.c.attended,
                windows.c.opens <= _LEADS.c.created_at,
                _LEADS.c.created_at < windows.c.closes,
            )
            .order_by(windows.c.held_on.desc(), windows.c.event_id.desc())
            .limit(1)
            .correlate(_LEADS)
            .scalar_subquery()
        )
    may_attribute = and_(
        _LEADS.c.event_id.is_(None),
        ~_LEADS.c.source_chosen,
        _LEADS.c.source == TELEMARKETING,
    )
    event_id = case(
        (_LEADS.c.event_id.is_not(None), _LEADS.c.event_id),
        (may_attribute, by_attendance),
        else_=None,
    )
    inner = (
        select(
            _LEADS.c.id.label("lead_id"),
            _LEADS.c.source.label("source"),
            event_id.label("event_id"),
            case((_LEADS.c.event_id.is_not(None), How.NAMED.value), else_=How.ATTENDED.value).label(
                "how"
            ),
        )
        .where(
            _LEADS.c.team_id == team_id,
            _LEADS.c.created_at >= start,
            _LEADS.c.created_at < end,
        )
        .subquery("attributed_inner")
    )
    return select(
        inner.c.lead_id,
        inner.c.source,
        inner.c.event_id,
        case((inner.c.event_id.is_not(None), inner.c.how), else_=None).label("how"),
        func.coalesce(_EVENTS.c.kind, inner.c.source).label("effective_source"),
    ).outerjoin(_EVENTS, _EVENTS.c.id == inner.c.event_id)


def lead_attributions(
    session: Session, *, actor: Actor, team_id: int, start: datetime, end: datetime
) -> list[Attribution]:
    """Every lead of the team handed in [start, end) and the event it counts for, by number."""
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(AttributionProblem.LEAD_NOT_FOUND, team_id=team_id)
    require(actor, Action.LEAD_READ, team_id=team_id)
    windows = windows_for(session, team=team, start=start, end=end)
    query = attributed(team_id, start, end, windows_table(windows)).subquery("attributed")
    rows = session.execute(
        select(
            query.c.lead_id,
            _LEADS.c.number,
            _LEADS.c.company,
            query.c.source,
            _LEADS.c.created_at,
            query.c.event_id,
            query.c.how,
        )
        .join(_LEADS, _LEADS.c.id == query.c.lead_id)
        .order_by(_LEADS.c.number)
    ).all()
    events = _events(session, {row.event_id for row in rows if row.event_id is not None})
    return [
        Attribution(
            lead_id=row.lead_id,
            number=row.number,
            company=row.company,
            source=row.source,
            created_at=row.created_at,
            event=events.get(row.event_id) if row.event_id is not None else None,
            how=How(row.how) if row.how else None,
        )
        for row in rows
    ]


def _events(session: Session, ids: set[int]) -> dict[int, EventRef]:
    if not ids:
        return {}
    found = session.scalars(select(Event).where(col(Event.id).in_(sorted(ids))))
    return {event.id or 0: EventRef.of(event) for event in found}


def lead_source(session: Session, *, actor: Actor, lead_id: int) -> Attribution:
    """The event one lead counts for (the card's source line)."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(AttributionProblem.LEAD_NOT_FOUND, lead_id=lead_id)
    found = lead_attributions(
        session,
        actor=actor,
        team_id=lead.team_id,
        start=lead.created_at,
        end=lead.created_at + timedelta(microseconds=1),
    )
    return next(a for a in found if a.lead_id == lead_id)


def attributed_count(
    session: Session, *, actor: Actor, team_id: int, start: datetime, end: datetime
) -> int:
    """How many leads handed in [start, end) count for an event because their company
    attended it (what the monthly report says the rule attributed): one COUNT in SQL."""
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(AttributionProblem.LEAD_NOT_FOUND, team_id=team_id)
    require(actor, Action.LEAD_READ, team_id=team_id)
    windows = windows_for(session, team=team, start=start, end=end)
    found = attributed(team_id, start, end, windows_table(windows)).subquery("found")
    return int(
        session.execute(
            select(func.count())
            .select_from(found)
            .where(found.c.event_id.is_not(None), found.c.how == How.ATTENDED.value)
        ).scalar_one()
    )
