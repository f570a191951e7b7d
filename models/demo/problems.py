"""What the demo generator refuses. bot.views.problems words each one with a correct example."""

from __future__ import annotations

from models.errors import Problem


class DemoProblem(Problem):
    """Why demo activity cannot be generated as asked."""

    MONTHS_OUT_OF_RANGE = "demo.months_out_of_range"
    AGENTS_OUT_OF_RANGE = "demo.agents_out_of_range"
    RATE_OUT_OF_RANGE = "demo.rate_out_of_range"
    NO_AGENT = "demo.no_agent"
    TEAM_HAS_ACTIVITY = "demo.team_has_activity"
