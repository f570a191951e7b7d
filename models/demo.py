"""Demo data for the local shell: the customer's French cell, from its story."""

from __future__ import annotations

from sqlmodel import Session, select

from models.roster import Role, TeamFields, add_member, create_team
from models.tables import Team

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
            session, slack_user_id=demo_user_id(number), name=name, team_slug=DEMO_TEAM, roles=roles
        )
    return True
