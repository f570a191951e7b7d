"""What counts in an agent's figures, defined once for the `/call` confirmation and the digest.

- A dial is a call that was not undone.
- A useful contact is a dial whose outcome is in `models.outcomes.USEFUL_OUTCOMES`.
- An agent's leads are the telemarketing leads they detected (handed with `/lead`):
  leads from seminars, trade shows and other sources are counted on their own
  line, never in an agent's lead rate.
- An agent's lead rate is their leads per useful contact (0.1: one in ten).

The expressions below are the definition; every query that counts dials, useful
contacts or an agent's leads filters with them.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ColumnElement, and_, bindparam, func, select

from models.db import UTCDateTime
from models.outcomes import USEFUL_OUTCOMES
from models.tables import Call, Lead

_CALLS, _LEADS = Call.__table__, Lead.__table__  # type: ignore[attr-defined]
TELEMARKETING = "telemarketing"

#: A call that counts as a dial.
DIAL: ColumnElement[bool] = _CALLS.c.undone_at.is_(None)
#: A call that counts as a useful contact (a dial with a useful outcome).
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


def lead_rate(leads: int, useful_contacts: int) -> Decimal | None:
    """Leads per useful contact, exact (2 of 3 is 2/3); None without a useful contact."""
    if useful_contacts <= 0:
        return None
    return Decimal(leads) / Decimal(useful_contacts)
