"""Wordings of the leads problems: the domain's (models.leads), the `/lead` text's and the
thread words' (bot.grammar.lead_text, bot.grammar.verbs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.grammar.lead_text import LeadTextProblem as T
from bot.grammar.verbs import VerbProblem as V
from bot.grammar.verbs import verb_word
from bot.i18n import N_, Reader
from bot.text import escape
from bot.views.leads import STATUS_NAMES, verb_hint
from bot.views.problems import Facts, Said, mention, shown, wording
from models.actors import Person, TeamFacts
from models.keys import name_key
from models.leads import LeadAction, Source, Status
from models.leads import LeadProblem as L

#: What each transition does, as refusals name it ("only claimed leads can be {done}").
DONE: dict[LeadAction, str] = {
    LeadAction.CLAIM: N_("claimed"),
    LeadAction.QUALIFY: N_("qualified"),
    LeadAction.REJECT: N_("rejected"),
    LeadAction.WIN: N_("marked won"),
    LeadAction.LOSE: N_("marked lost"),
    LeadAction.RELEASE: N_("passed on"),
    LeadAction.REASSIGN: N_("reassigned"),
}
#: What each transition does, as an infinitive ("only they can {verb} it").
TO_DO: dict[LeadAction, str] = {
    LeadAction.CLAIM: N_("claim"),
    LeadAction.QUALIFY: N_("qualify"),
    LeadAction.REJECT: N_("reject"),
    LeadAction.WIN: N_("mark won"),
    LeadAction.LOSE: N_("mark lost"),
    LeadAction.RELEASE: N_("pass on"),
    LeadAction.REASSIGN: N_("reassign"),
}
KINDS = {Source.SEMINAR.value: N_("seminar"), Source.TRADE_SHOW.value: N_("trade show")}
EXAMPLE_EVENTS = {Source.SEMINAR.value: "Paris Summit", Source.TRADE_SHOW.value: "Big Fair"}

MARC = Person(4, "U0DEMO04", "Marc Dubois")
CLAIRE = Person(5, "U0DEMO05", "Claire Moreau")
LEAD = {"reference": "L-0042", "lead_id": 42}
ENGINEERS = {"engineers": [MARC, CLAIRE]}


def _hand_off(reader: Reader) -> str:
    return reader._("/lead @marc Acme Corp -- invoice capture for 3 plants value=120k")


def _kind(reader: Reader, kind: str) -> str:
    return reader._(KINDS.get(kind, N_("seminar")))


def with_event(reader: Reader, kind: str, name: str) -> str:
    """A hand-off naming the event the lead comes from (models.events' refusals show it too)."""
    return reader._(
        '/lead Acme Corp -- invoice capture source={kind}:"{name}"', kind=kind, name=name
    )


def _length(reader: Reader, facts: Facts, what: str) -> str:
    return reader._(
        what, length=reader.number(facts["length"]), limit=reader.number(facts["limit"])
    )


@wording(L.COMPANY_MISSING)
def _company(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("The company is missing: write it before `--`."), _hand_off(reader))


@wording(L.COMPANY_TOO_LONG, sample={"length": 230, "limit": 200})
def _company_long(reader: Reader, facts: Facts) -> Said:
    text = N_("The company name has {length} characters; the most is {limit}.")
    return Said(_length(reader, facts, text), _hand_off(reader))


@wording(L.SUMMARY_MISSING)
def _summary(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("Say what the project is, after `--`."), _hand_off(reader))


@wording(L.SUMMARY_TOO_LONG, sample={"length": 2150, "limit": 2000})
def _summary_long(reader: Reader, facts: Facts) -> Said:
    text = N_("The project summary has {length} characters; the most is {limit}.")
    return Said(_length(reader, facts, text), _hand_off(reader))


@wording(L.CONTACT_TOO_LONG, sample={"length": 230, "limit": 200})
def _contact_long(reader: Reader, facts: Facts) -> Said:
    text = N_("The contact's name has {length} characters; the most is {limit}.")
    return Said(
        _length(reader, facts, text),
        reader._('/lead Acme Corp -- invoice capture contact="Jane Doe, CFO"'),
    )


@wording(
    L.VALUE_OUT_OF_RANGE,
    sample={"value": Decimal("1E+26"), "limit": Decimal(10**12), "currency": "EUR"},
)
def _value_range(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{value} is out of range: a value is from 0 to less than {limit}, to the cent.",
            value=shown(facts["value"]),
            limit=reader.money(Decimal(facts["limit"]), facts["currency"]),
        ),
        _hand_off(reader),
    )


@wording(L.EVENT_MISSING, sample={"kind": "seminar"})
def _event_missing(reader: Reader, facts: Facts) -> Said:
    kind = facts["kind"]
    return Said(
        reader._("Name the {kind} the lead comes from, after a colon.", kind=_kind(reader, kind)),
        with_event(reader, kind, EXAMPLE_EVENTS.get(kind, "Paris Summit")),
    )


@wording(L.EVENT_NOT_OFFERED, sample={"kind": "seminar"})
def _event_offered(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Pick one of your team's events of that kind ({kind}) in the list.",
            kind=_kind(reader, facts["kind"]),
        ),
        None,
    )


TEAM = TeamFacts(1, "fr", "France", "Europe/Paris", "EUR", "en", 30)


@wording(L.NO_LEADS_CHANNEL, sample={"team": TEAM})
def _no_channel(reader: Reader, facts: Facts) -> Said:
    team: TeamFacts = facts["team"]
    return Said(
        reader._(
            "Team {team} has no leads channel to post lead cards in, so no lead can be handed "
            "yet. An admin sets one.",
            team=f"*{escape(team.name)}*",
        ),
        reader._("/leadcell team set {team} leads=#leads-{team}", team=team.slug),
    )


def _engineer_example(reader: Reader, engineers: list[Person]) -> str:
    if not engineers:
        return reader._("/lead Acme Corp -- invoice capture for 3 plants")
    handle = (name_key(engineers[0].name).split() or ["marc"])[0]
    return reader._("/lead @{engineer} Acme Corp -- invoice capture for 3 plants", engineer=handle)


def _engineers(reader: Reader, facts: Facts) -> str:
    engineers: list[Person] = facts.get("engineers") or []
    if not engineers:
        return reader._(
            "Your team has no active sales engineer yet: hand the lead without a name, to the pool."
        )
    return reader._(
        "The team's sales engineers: {engineers}.",
        engineers=reader.items([mention(p) for p in engineers]),
    )


@wording(L.ENGINEER_UNKNOWN, sample={"name": "nobdy", **ENGINEERS})
def _engineer_unknown(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{name} is not a sales engineer of your team: Slack did not recognise the name, or "
            "the person is not on the roster. {engineers} If the company's name starts with @, "
            "put it in quotes.",
            name=shown("@" + facts["name"]),
            engineers=_engineers(reader, facts),
        ),
        _engineer_example(reader, facts.get("engineers") or []),
    )


@wording(L.ENGINEER_NOT_ON_ROSTER, sample={"user_id": "U0NOBODY", **ENGINEERS})
def _engineer_off(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{person} is not on your team's roster. {engineers}",
            person=f"<@{facts['user_id']}>",
            engineers=_engineers(reader, facts),
        ),
        _engineer_example(reader, facts.get("engineers") or []),
    )


@wording(L.ENGINEER_DEACTIVATED, sample={"engineer": MARC, **ENGINEERS})
def _engineer_gone(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{person} is deactivated: hand the lead to an active sales engineer. {engineers}",
            person=mention(facts["engineer"]),
            engineers=_engineers(reader, facts),
        ),
        _engineer_example(reader, facts.get("engineers") or []),
    )


@wording(L.NOT_A_SALES_ENGINEER, sample={"engineer": MARC, **ENGINEERS})
def _not_engineer(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{person} is not a sales engineer. {engineers}",
            person=mention(facts["engineer"]),
            engineers=_engineers(reader, facts),
        ),
        _engineer_example(reader, facts.get("engineers") or []),
    )


@wording(L.NOT_FOUND, sample={"text": "L-9999"})
def _not_found(reader: Reader, facts: Facts) -> Said:
    if facts.get("text"):
        said = reader._("There is no lead {lead} in your team.", lead=shown(facts["text"]))
    else:
        said = reader._("That lead no longer exists.")
    return Said(said, reader._("/lead list open"))


@wording(L.REFERENCE_MISSING)
def _reference(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("Name the lead, like L-0042."), reader._("/lead show L-0042"))


@wording(L.PAGE_OUT_OF_RANGE, sample={"page": 12, "pages": 9})
def _page(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader.n_(
            "There is no page {page}: this list has {count} page.",
            "There is no page {page}: this list has {count} pages.",
            facts["pages"],
            page=reader.number(facts["page"]),
        ),
        reader._("/lead list open page={page}", page=facts["pages"]),
    )


def _status(reader: Reader, status: Any) -> str:
    return reader._(STATUS_NAMES[Status(status)])


@wording(L.CLOSED, sample={**LEAD, "status": Status.WON, "action": LeadAction.RELEASE})
def _closed(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{reference} is closed: {status}.",
            reference=facts["reference"],
            status=_status(reader, facts["status"]),
        ),
        reader._("/lead list open"),
    )


@wording(
    L.WRONG_STATUS,
    sample={
        **LEAD,
        "status": Status.NEW,
        "action": LeadAction.QUALIFY,
        "allowed": [Status.CLAIMED],
    },
)
def _wrong_status(reader: Reader, facts: Facts) -> Said:
    action = LeadAction(facts["action"])
    said = reader._(
        "{reference} is {status}: only {allowed} leads can be {done}.",
        reference=facts["reference"],
        status=_status(reader, facts["status"]),
        allowed=reader.items([_status(reader, s) for s in facts["allowed"]], style="or"),
        done=reader._(DONE[action]),
    )
    if facts["status"] == Status.NEW and action != LeadAction.CLAIM:
        said += " " + reader._("Claim it first.")
    if facts["status"] == Status.QUALIFIED and action == LeadAction.RELEASE:
        said += " " + reader._("A manager can reassign it to another sales engineer.")
    return Said(said, reader._("/lead show {reference}", reference=facts["reference"]))


@wording(L.HANDED_TO_OTHER, sample={**LEAD, "engineer": MARC})
def _handed_other(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{reference} is handed to {engineer}: only they can claim it, until they pass it on "
            "or a manager reassigns it.",
            reference=facts["reference"],
            engineer=mention(facts["engineer"]),
        ),
        reader._("/lead list pool"),
    )


@wording(L.ALREADY_CLAIMED, sample={**LEAD, "holder": MARC})
def _already(reader: Reader, facts: Facts) -> Said:
    holder: Person | None = facts.get("holder")
    return Said(
        reader._(
            "{reference} is already claimed by {holder}.",
            reference=facts["reference"],
            holder=mention(holder) if holder else reader._("someone else"),
        ),
        reader._("/lead list pool"),
    )


@wording(
    L.NOT_YOURS,
    sample={**LEAD, "action": LeadAction.QUALIFY, "holder": MARC, "team_id": 1},
)
def _not_yours(reader: Reader, facts: Facts) -> Said:
    holder: Person | None = facts.get("holder")
    action = LeadAction(facts["action"])
    if holder is None:
        said = reader._(
            "Nobody holds {reference}: it is in the pool, for a sales engineer to claim.",
            reference=facts["reference"],
        )
    else:
        said = reader._(
            "You don't hold {reference}: {holder} does, and only they, a manager or an admin "
            "can {verb} it.",
            reference=facts["reference"],
            holder=mention(holder),
            verb=reader._(TO_DO[action]),
        )
    return Said(said, reader._("/lead list"))


def _thread_example(reader: Reader, action: LeadAction, argument: str) -> str:
    return f"{verb_word(action, reader.language)} {argument}"


@wording(L.REASON_MISSING, sample={**LEAD, "status": Status.REJECTED})
def _reason(reader: Reader, facts: Facts) -> Said:
    status = Status(facts.get("status") or Status.REJECTED)
    action = LeadAction.LOSE if status == Status.LOST else LeadAction.REJECT
    return Said(
        reader._(
            "Say why {reference} is {status}: write the reason after the word.",
            reference=facts["reference"],
            status=_status(reader, status),
        ),
        _thread_example(reader, action, reader._("no budget before 2027")),
    )


@wording(L.REASON_TOO_LONG, sample={**LEAD, "length": 640, "limit": 500})
def _reason_long(reader: Reader, facts: Facts) -> Said:
    text = N_("The reason has {length} characters; the most is {limit}.")
    return Said(
        _length(reader, facts, text),
        _thread_example(reader, LeadAction.REJECT, reader._("no budget before 2027")),
    )


@wording(L.VALUE_MISSING, sample={**LEAD, "currency": "EUR"})
def _value_missing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{reference} has no estimated value: give the value it was won for.",
            reference=facts["reference"],
        ),
        _thread_example(reader, LeadAction.WIN, "120k"),
    )


@wording(L.TARGET_MISSING)
def _target(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Say who takes the lead over: a sales engineer, or the pool."),
        reader._("/lead reassign L-0042 @claire"),
    )


@wording(L.QUALIFIED_NOT_TO_POOL, sample=LEAD)
def _qualified_pool(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{reference} is qualified: reassign it to a sales engineer, not to the pool, so its "
            "qualification is not lost.",
            reference=facts["reference"],
        ),
        reader._("/lead reassign {reference} @claire", reference=facts["reference"]),
    )


@wording(L.CHANGED_MEANWHILE, sample=LEAD)
def _meanwhile(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{reference} changed while you asked: look at it again, then try again.",
            reference=facts["reference"],
        ),
        reader._("/lead show {reference}", reference=facts["reference"]),
    )


# --- the `/lead` text -----------------------------------------------------------------------


@wording(T.SEPARATOR_MISSING)
def _separator(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Separate the company from the project summary with `--`."), _hand_off(reader)
    )


@wording(T.SOURCE_UNKNOWN, sample={"text": "radio"})
def _source(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a lead source: use telemarketing, seminar:{event}, "
            "trade-show:{event} or other.",
            text=shown(facts["text"]),
            event="&lt;" + escape(reader._("event")) + "&gt;",
        ),
        with_event(reader, "seminar", "Paris Summit"),
    )


@wording(
    T.LIST_WORD_UNKNOWN,
    sample={"word": "opne", "suggestion": "open", "words": ["mine", "open", "pool"]},
)
def _list_word(reader: Reader, facts: Facts) -> Said:
    said = reader._("{word} is not something a list can show.", word=shown(facts["word"]))
    if facts.get("suggestion"):
        said += " " + reader._("Did you mean {word}?", word=f"`{facts['suggestion']}`")
    said += " " + reader._(
        "Lists take {words}, a sales engineer (@name), source= and page=.",
        words=reader.items([f"`{w}`" for w in facts.get("words") or []]),
    )
    return Said(said, reader._("/lead list {word}", word=facts.get("suggestion") or "open"))


@wording(T.PAGE_UNREADABLE, sample={"text": "two"})
def _page_word(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("{text} is not a page number.", text=shown(facts["text"])),
        reader._("/lead list open page=1"),
    )


@wording(T.TARGET_UNREADABLE, sample={"text": "claire"})
def _target_word(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Mention the sales engineer who takes the lead over, or write pool."),
        reader._("/lead reassign L-0042 @claire"),
    )


# --- thread words ---------------------------------------------------------------------------

VERB_SAMPLE = {
    "word": "wonn",
    "suggestion": "won",
    "rest": "10k",
    "reference": "L-0042",
    "status": Status.CLAIMED,
}


@wording(V.NEAR_MISS, sample=VERB_SAMPLE)
def _near_miss(reader: Reader, facts: Facts) -> Said:
    example = f"{facts['suggestion']} {facts.get('rest') or ''}".strip()
    return Said(
        reader._(
            "Nothing was done to {reference}: {word} is not a word leadcell knows. Did you mean "
            "{suggestion}? In this thread you can reply: {words}.",
            reference=facts["reference"],
            word=shown(facts["word"]),
            suggestion=shown(example),
            words=verb_hint(Status(facts.get("status") or Status.CLAIMED), reader),
        ),
        escape(example),
    )


@wording(V.ALONE, sample={**VERB_SAMPLE, "word": "claim", "suggestion": "claim", "rest": "it"})
def _alone(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Nothing was done to {reference}. To act on it, reply {word} on its own; a comment "
            "may follow a colon.",
            reference=facts["reference"],
            word=shown(facts["suggestion"]),
        ),
        escape(f"{facts['suggestion']}: {facts.get('rest') or ''}".strip()),
    )
