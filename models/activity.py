"""What counts in an agent's figures, defined once for the `/call` confirmation and the digest.

- A dial is a call that was not undone.
- A useful contact is a dial whose outcome is in `models.outcomes.USEFUL_OUTCOMES`.
- An agent's leads are the telemarketing leads they detected (handed with `/lead`):
  leads from seminars and trade shows are counted on their own line, never in an
  agent's lead rate.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, bindparam, func, select

from models.db import UTCDateTime
from models.outcomes import USEFUL_OUTCOMES
from models.tables import Call, Lead

_CALLS, _LEADS = Call.__table__, Lead.__table__  # type: ignore[attr-defined]
TELEMARKETING = "telemarketing"

#: A call that counts as a useful contact.
USEFUL: ColumnElement[bool] = _CALLS.c.outcome.in_([o.value for o in USEFUL_OUTCOMES])
#: A lead that counts for the agent who detected it.
AGENT_LEAD: ColumnElement[bool] = _LEADS.c.source == TELEMARKETING

#: Telemarketing leads one agent detected between two instants (the `/call` confirmation).
AGENT_LEADS_BETWEEN = select(func.count()).where(
    and_(
        _LEADS.c.detected_by_id == bindparam("agent_id"),
        _LEADS.c.created_at >= bindparam("start", type_=UTCDateTime()),
        _LEADS.c.created_at < bindparam("end", type_=UTCDateTime()),
        AGENT_LEAD,
    )
)
