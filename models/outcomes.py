"""Call outcomes, and the one definition of what counts as a useful contact."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """How a call ended."""

    CONTACT = "contact"
    CALLBACK = "callback"
    LEAD = "lead"
    NOT_INTERESTED = "not-interested"
    NO_ANSWER = "no-answer"
    WRONG_CONTACT = "wrong-contact"


#: Outcomes where the agent spoke with a relevant person. The others are dials only.
USEFUL_OUTCOMES: frozenset[Outcome] = frozenset(
    {Outcome.CONTACT, Outcome.CALLBACK, Outcome.LEAD, Outcome.NOT_INTERESTED}
)

DEFAULT_OUTCOME = Outcome.CONTACT
