"""What the grammar refuses. `bot.views.problems` words each one with a correct example."""

from __future__ import annotations

from models.errors import Problem


class GrammarProblem(Problem):
    """Text that cannot be read as what it should be."""

    QUOTE_UNCLOSED = "grammar.quote_unclosed"
    BROADCAST_MENTION = "grammar.broadcast_mention"
    CONTROL_CHARACTER = "grammar.control_character"
    DURATION_UNREADABLE = "grammar.duration_unreadable"
    AMOUNT_UNREADABLE = "grammar.amount_unreadable"
    AMOUNT_OTHER_CURRENCY = "grammar.amount_other_currency"
    AMOUNT_OUT_OF_RANGE = "grammar.amount_out_of_range"
    AMOUNT_SUB_CENT = "grammar.amount_sub_cent"
    OUTCOME_UNKNOWN = "grammar.outcome_unknown"
    MONTH_UNREADABLE = "grammar.month_unreadable"
    MONTH_OUT_OF_RANGE = "grammar.month_out_of_range"
    DAY_UNREADABLE = "grammar.day_unreadable"
    CLOCK_UNREADABLE = "grammar.clock_unreadable"
    WEEKDAYS_UNREADABLE = "grammar.weekdays_unreadable"
    YES_NO_UNREADABLE = "grammar.yes_no_unreadable"
    WHOLE_NUMBER_UNREADABLE = "grammar.whole_number_unreadable"
    PERCENT_UNREADABLE = "grammar.percent_unreadable"
