"""Wordings of the `/leadcell` command line (words that make no command) and of the demo data.

A refusal names the command it is about when the dispatcher added `topic` and
`verb` to its facts, and shows that command's example, for Slack or for the
terminal (`surface`).
"""

from __future__ import annotations

from bot.grammar.command_line import CommandProblem as C
from bot.grammar.command_line import Missing, Topic, Verb
from bot.i18n import N_, Reader
from bot.views.admin_help import example
from bot.views.leadcell import style_of
from bot.views.problems import Facts, Said, shown, wording
from models.demo.problems import DemoProblem as D

#: What each missing word is, as a whole sentence.
MISSING: dict[Missing, str] = {
    Missing.TEAM_SLUG: N_("Say which team, by its short name such as fr."),
    Missing.TEAM_NAME: N_("Give the team's name after its short name."),
    Missing.MEMBER: N_("Say who: mention them with @ in Slack, or give their Slack user id."),
    Missing.ROLES: N_("Give the roles: agent, sales-engineer, manager or admin."),
    Missing.EVENT_KIND: N_("Say which kind of event: seminar or trade-show."),
    Missing.EVENT_NAME: N_("Give the event's name, in quotes when it has several words."),
    Missing.EVENT_DATE: N_("Give the day the event is held, like 2026-10-14."),
    Missing.MONTH: N_("Give the month, like 2026-10."),
    Missing.DAY: N_("Give the day, like 2026-11-27."),
    Missing.SOURCE: N_("Say which lead source: telemarketing, seminar, trade-show or other."),
    Missing.AMOUNT: N_("Give the amount, like 24000 or 24 000."),
    Missing.SHARES: N_("Give each source's share of the cell's cost, in percent."),
    Missing.DURATION: N_("Give the time spent, like 6h or 1h30."),
}
COMMAND = {"topic": Topic.TEAM, "verb": Verb.ADD}


def _example(reader: Reader, facts: Facts) -> str:
    style = style_of(facts)
    topic, verb = facts.get("topic"), facts.get("verb")
    if topic is None:
        return style.help_command()
    return example(Topic(topic), Verb(verb or Verb.LIST), style)


@wording(C.UNKNOWN_TOPIC, sample={"word": "teams-list", "topics": [t.value for t in Topic]})
def _unknown_topic(reader: Reader, facts: Facts) -> Said:
    style = style_of(facts)
    topics = reader.items([f"`{t}`" for t in facts["topics"] if t != Topic.HELP])
    if facts.get("suggestion"):
        text = reader._(
            "{word} is not a leadcell command. Did you mean {suggestion}? Commands: {topics}.",
            word=shown(facts["word"]),
            suggestion=f"`{facts['suggestion']}`",
            topics=topics,
        )
        return Said(text, example(Topic(facts["suggestion"]), Verb.LIST, style))
    text = reader._(
        "{word} is not a leadcell command. Commands: {topics}.",
        word=shown(facts["word"]),
        topics=topics,
    )
    return Said(text, style.help_command())


@wording(
    C.UNKNOWN_VERB,
    sample={"topic": Topic.TEAM, "word": "remove", "verbs": ["list", "add", "set", "help"]},
)
def _unknown_verb(reader: Reader, facts: Facts) -> Said:
    style, topic = style_of(facts), Topic(facts["topic"])
    verbs = reader.items([f"`{v}`" for v in facts["verbs"]], style="or")
    suggestion = facts.get("suggestion")
    if suggestion:
        text = reader._(
            "{word} is not a {topic} command. Did you mean {suggestion}? Use {verbs}.",
            word=shown(facts["word"]),
            topic=f"`{topic}`",
            suggestion=f"`{suggestion}`",
            verbs=verbs,
        )
        return Said(text, example(topic, Verb(suggestion), style))
    text = reader._(
        "{word} is not a {topic} command. Use {verbs}.",
        word=shown(facts["word"]),
        topic=f"`{topic}`",
        verbs=verbs,
    )
    return Said(text, example(topic, Verb(facts["verbs"][0]), style))


@wording(C.MISSING, sample={"missing": Missing.MONTH, "topic": Topic.COST, "verb": Verb.SET})
def _missing(reader: Reader, facts: Facts) -> Said:
    return Said(reader._(MISSING[Missing(facts["missing"])]), _example(reader, facts))


@wording(C.LEFTOVER, sample={"words": ["everything"], "topic": Topic.TEAM, "verb": Verb.LIST})
def _leftover(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "I don't know what to do with {words}: this command takes no such word.",
            words=shown(" ".join(facts["words"])),
        ),
        _example(reader, facts),
    )


@wording(C.OPTION_TWICE, sample={"key": "team", **COMMAND})
def _twice(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{key} is given twice; give it once.", key=shown(facts["key"] + "=")),
        _example(reader, facts),
    )


# --- the demo data ----------------------------------------------------------------------------


def _demo(words: str) -> str:
    return "leadcell demo-data " + words


@wording(D.MONTHS_OUT_OF_RANGE, sample={"given": 500, "low": 1, "high": 240})
def _months(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Demo data covers {low} to {high} months, not {given}.",
            low=facts["low"],
            high=facts["high"],
            given=facts["given"],
        ),
        _demo("--months 12"),
    )


@wording(D.AGENTS_OUT_OF_RANGE, sample={"given": 900, "low": 1, "high": 500})
def _agents(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Demo data is made for {low} to {high} agents, not {given}.",
            low=facts["low"],
            high=facts["high"],
            given=facts["given"],
        ),
        _demo("--months 12 --agents 50"),
    )


@wording(D.RATE_OUT_OF_RANGE, sample={"given": 0})
def _rate(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("An agent makes more than 0 and at most 100 useful contacts a day."),
        _demo("--months 12"),
    )


@wording(D.NO_AGENT, sample={"team_slug": "fr"})
def _no_agent(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Team {team} has no active agent to make calls; --agents adds some.",
            team=f"`{facts['team_slug']}`",
        ),
        _demo(f"--team {facts['team_slug']} --agents 3"),
    )


def _activity(reader: Reader, name: str, count: int) -> str:
    """A count of one kind of a team's activity."""
    if name == "call":
        return reader.n_("{count} call", "{count} calls", count)
    if name == "lead":
        return reader.n_("{count} lead", "{count} leads", count)
    if name == "event":
        return reader.n_("{count} event", "{count} events", count)
    if name == "monthly_cost":
        return reader.n_("{count} monthly cost", "{count} monthly costs", count)
    return reader.n_("{count} cost split", "{count} cost splits", count)


@wording(D.TEAM_HAS_ACTIVITY, sample={"team_slug": "fr", "counts": {"call": 1, "lead": 2}})
def _has_activity(reader: Reader, facts: Facts) -> Said:
    counts = [_activity(reader, name, count) for name, count in facts["counts"].items()]
    return Said(
        reader._(
            "Team {team} already has activity ({counts}); demo data only goes into a team "
            "without any. Add --replace to delete it and generate anew.",
            team=f"`{facts['team_slug']}`",
            counts=reader.items(counts),
        ),
        _demo(f"--team {facts['team_slug']} --replace"),
    )
