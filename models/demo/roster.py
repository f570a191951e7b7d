"""Demo data for the local shell: the customer's French cell, from its story."""

from __future__ import annotations

from sqlalchemy import insert
from sqlmodel import Session, col, select

from models.actors import TERMINAL
from models.db import utcnow
from models.demo import text as demo_text
from models.demo.problems import DemoProblem
from models.errors import InvalidInput
from models.roster import Role, TeamFields, add_member, create_team
from models.tables import Member, Team

DEMO_TEAM = "fr"
DEMO_LEADS_CHANNEL = "C0LEADSFR"
DEMO_DIGEST_CHANNEL = "C0DIGESTFR"

AGENTS = ["Camille Martin", "Julien Bernard", "Sophie Petit"]
SALES_ENGINEERS = [
    "Marc Dubois",
    "Claire Moreau",
    "Thomas Laurent",
    "Isabelle Simon",
    "Nicolas Michel",
    "Nathalie Lefebvre",
    "Pierre Leroy",
    "Sandrine Roux",
    "Laurent David",
    "Valerie Bertrand",
    "Olivier Morel",
    "Celine Fournier",
    "Philippe Girard",
    "Stephanie Bonnet",
    "Antoine Dupont",
]
ADMIN = "Magali Michel"


def demo_user_id(number: int) -> str:
    """Stable fake Slack user ids: U0DEMO01, U0DEMO02, …"""
    return f"U0DEMO{number:02d}"


def seed_demo_roster(session: Session) -> bool:
    """Create team France with 3 agents, 15 sales engineers and 1 admin, if no team exists.

    Returns False (and writes nothing) when the database already has a team.
    """
    if session.exec(select(Team)).first() is not None:
        return False
    create_team(
        session,
        actor=TERMINAL,
        slug=DEMO_TEAM,
        fields=TeamFields(
            name="France",
            timezone="Europe/Paris",
            currency="EUR",
            digest_channel=DEMO_DIGEST_CHANNEL,
            leads_channel=DEMO_LEADS_CHANNEL,
            daily_contact_target=30,
        ),
    )
    people = (
        [(name, {Role.AGENT}) for name in AGENTS]
        + [(name, {Role.SALES_ENGINEER}) for name in SALES_ENGINEERS]
        + [(ADMIN, {Role.ADMIN, Role.MANAGER})]
    )
    for number, (name, roles) in enumerate(people, start=1):
        add_member(
            session,
            actor=TERMINAL,
            slack_user_id=demo_user_id(number),
            name=name,
            team_slug=DEMO_TEAM,
            roles=roles,
        )
    return True


#: Sales engineers a generated operation has per agent (the customer: 15 for 3 agents).
SALES_ENGINEERS_PER_AGENT = 5


def _extra_name(number: int) -> str:
    first = demo_text.FIRST_NAMES[number % len(demo_text.FIRST_NAMES)]
    last = demo_text.LAST_NAMES[(number // len(demo_text.FIRST_NAMES)) % len(demo_text.LAST_NAMES)]
    return f"{first} {last}"


def demo_workforce(
    session: Session, *, team: Team, agents: int | None = None
) -> tuple[list[int], list[int]]:
    """Ids of the team's active agents and sales engineers who get demo activity.

    With `agents`, the first `agents` agents of the team (by id) and at least
    SALES_ENGINEERS_PER_AGENT sales engineers each; missing members are added to
    the roster (ids `U0DEMOT<team>A0001`, `…S0001`). Without, the team's roster as it is.
    """
    found = session.exec(
        select(Member).where(Member.team_id == team.id, col(Member.active)).order_by(Member.id)
    ).all()
    agent_ids = [m.id or 0 for m in found if m.is_agent]
    engineer_ids = [m.id or 0 for m in found if m.is_sales_engineer]
    want_agents = agents if agents is not None else len(agent_ids)
    if want_agents < 1:
        raise InvalidInput(DemoProblem.NO_AGENT, field="agents", team_slug=team.slug)
    want_engineers = max(len(engineer_ids), 1)
    if agents is not None:
        want_engineers = max(want_engineers, SALES_ENGINEERS_PER_AGENT * agents)
    taken = set(session.exec(select(Member.slack_user_id)).all())
    rows: list[dict[str, object]] = []
    for kind, have, want in (("A", agent_ids, want_agents), ("S", engineer_ids, want_engineers)):
        number = 0
        for _ in range(want - len(have)):
            number += 1
            while (user := f"U0DEMOT{team.id}{kind}{number:04d}") in taken:
                number += 1
            taken.add(user)
            rows.append(
                {
                    "slack_user_id": user,
                    "name": _extra_name(number + 500 * (kind == "S")),
                    "team_id": team.id,
                    "is_agent": kind == "A",
                    "is_sales_engineer": kind == "S",
                    "is_manager": False,
                    "is_admin": False,
                    "active": True,
                    "created_at": utcnow(),
                }
            )
    if rows:
        session.execute(insert(Member.__table__), rows)  # type: ignore[attr-defined]
        return demo_workforce(session, team=team, agents=agents)
    return agent_ids[:want_agents], engineer_ids
