"""Wordings of the outsourced cells' problems: contract files, complaints, audits, statements.

A contract file's refusal names its line, and its example is a correct line of the file.
Contracts, statements and audit samples are terminal commands (bot.cli_sla): their
examples are terminal commands. Lodging, answering and settling complaints, recording
audits and contesting statement lines have no command yet, so their refusals show no
example (none could run).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from bot.i18n import N_, Reader
from bot.text import code
from bot.views.problems import Facts, Said, mention, shown, wording
from bot.views.sla import CONTEST_STATES, STATES, complaint_reference
from models.actors import Person
from models.audits import AuditProblem as A
from models.complaints import ComplaintProblem as CP
from models.complaints import ComplaintStatus
from models.contracts import ContractProblem as C
from models.sla_metrics import Unit
from models.statements import ContestStatus, LineState
from models.statements import StatementProblem as S

IMPORT = "leadcell contract import uk contract.toml"
SLA = "leadcell sla statement uk 2026-10"
SAMPLE = "leadcell sla sample uk 2026-10"
#: A correct line of a contract file for each key, shown as the example of its refusal.
FILE_LINES = {
    "team": 'team = "uk"',
    "effective": "effective = 2026-10-01",
    "until": "until = 2027-09-30",
    "monthly_fee": 'monthly_fee = "18 000 GBP"',
    "at_risk": 'at_risk = "12 %"',
    "complaint_answer_days": "complaint_answer_days = 3",
    "contest_days": "contest_days = 5",
    "statement_day": "statement_day = 2",
    "audit": "[audit]",
    "calls_per_agent": "calls_per_agent = 5",
    "checklist": 'checklist = ["presented the company", "agreed a next step"]',
    "criterion": "[[criterion]]",
    "key": 'key = "lead-rate"',
    "metric": 'metric = "lead-rate"',
    "per": 'per = "agent"',
    "at_least": 'at_least = "9 %"',
    "at_most": "at_most = 5",
    "target": 'at_least = "9 %"',
    "penalty": 'penalty = "500 GBP"',
    "weight": 'weight = "25 %"',
    "termination": "[termination]",
    "same_criterion_months": "same_criterion_months = 3",
    "penalty_share": 'penalty_share = "10 %"',
    "penalty_share_months": "penalty_share_months = 2",
    "file": 'monthly_fee = "18 000 GBP"',
}
EXPECTED = {
    "text": N_("text in quotes"),
    "whole-number": N_("a whole number"),
    "date": N_("a date like 2026-10-01"),
    "list-of-text": N_("a list of texts in quotes"),
    "table": N_("a table"),
    "table-array": N_("tables written [[criterion]]"),
}


def _line(key: str | None) -> str:
    return FILE_LINES.get(key or "", FILE_LINES["file"])


def _percent(reader: Reader, value: Decimal) -> str:
    return reader.percent(Decimal(value) / 100, decimals=0)


# --- teams and contracts ----------------------------------------------------------------------


@wording(C.TEAM_NOT_FOUND, sample={"team": "xx", "teams": ["fr", "uk"]})
def _team(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "There is no team {team}. Teams: {teams}.",
            team=shown(facts["team"]),
            teams=reader.items([code(t) for t in facts["teams"]]) or "—",
        ),
        reader._(SLA),
    )


@wording(C.NOT_OUTSOURCED, sample={"team": "fr"})
def _in_house(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Team {team} is in-house: it has no provider, so it has no contract, complaints, "
            "audits or statements. Name its provider first.",
            team=code(facts["team"]),
        ),
        reader._('leadcell contract operator {team} "Northline Contact"', team=facts["team"]),
    )


@wording(C.OPERATOR_TOO_LONG, sample={"length": 130, "limit": 100})
def _operator(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The provider's name has {length} characters; the most is {limit}.",
            length=reader.number(facts["length"]),
            limit=reader.number(facts["limit"]),
        ),
        reader._('leadcell contract operator uk "Northline Contact"'),
    )


@wording(C.CHANNEL_UNREADABLE, sample={"text": "#northline"})
def _channel(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{text} is not a channel id; give the id Slack shows in the channel's details.",
            text=shown(facts["text"]),
        ),
        reader._('leadcell contract operator uk "Northline Contact" --channel C0123ABCD'),
    )


@wording(C.NO_CONTRACT, sample={"team": "uk", "outsourced": True})
def _no_contract(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Team {team} has no contract recorded yet.", team=code(facts["team"])),
        reader._(IMPORT),
    )


@wording(
    C.NO_VERSION_FOR_MONTH,
    sample={"team": "uk", "month": date(2026, 9, 1), "first": date(2026, 10, 1)},
)
def _no_version(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "No version of the contract of {team} was in force in {month}; the first one "
            "starts on {first}.",
            team=code(facts["team"]),
            month=reader.month_name(facts["month"]),
            first=reader.full_date(facts["first"]),
        ),
        reader._(SLA),
    )


@wording(C.VERSION_NOT_FOUND, sample={"number": 4, "versions": [1, 2]})
def _version(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The contract has no version {number}; it has {versions}.",
            number=facts["number"],
            versions=reader.items([str(v) for v in facts["versions"]]),
        ),
        reader._("leadcell contract show uk"),
    )


# --- contract files: their form ---------------------------------------------------------------


@wording(C.FILE_SYNTAX, sample={"line": 7, "column": 12})
def _syntax(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line} is not valid TOML (near column {column}): check its quotes, brackets "
            "and the = between key and value.",
            line=facts["line"],
            column=facts["column"],
        ),
        FILE_LINES["file"],
    )


@wording(C.KEY_UNKNOWN, sample={"line": 9, "key": "weigth", "allowed": ["key", "weight"]})
def _unknown_key(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: {key} is not a key of a contract file here. Keys: {allowed}.",
            line=facts["line"],
            key=shown(facts["key"]),
            allowed=reader.items([code(k) for k in facts["allowed"]]),
        ),
        _line(None),
    )


@wording(C.KEY_MISSING, sample={"line": 1, "key": "monthly_fee"})
def _missing_key(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: {key} is missing; every contract file gives it.",
            line=facts["line"],
            key=code(facts["key"]),
        ),
        _line(facts["key"]),
    )


@wording(C.VALUE_TYPE, sample={"line": 6, "key": "contest_days", "expected": "whole-number"})
def _type(reader: Reader, facts: Facts) -> Said:
    expected = EXPECTED.get(facts["expected"], EXPECTED["text"])
    return Said(
        reader._(
            "Line {line}: {key} should be {expected}.",
            line=facts["line"],
            key=code(facts["key"]),
            expected=reader._(expected),
        ),
        _line(facts["key"]),
    )


@wording(C.AMOUNT_WITHOUT_CURRENCY, sample={"line": 30, "key": "penalty", "text": "500"})
def _no_currency(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: the amount {text} has no currency; write every amount in quotes with "
            "its currency.",
            line=facts["line"],
            text=shown(facts["text"]),
        ),
        _line(facts["key"]),
    )


@wording(C.AMOUNT_UNREADABLE, sample={"line": 8, "key": "monthly_fee", "text": "lots GBP"})
def _amount(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: {text} is not an amount like 18 000 GBP or £18,000.",
            line=facts["line"],
            text=shown(facts["text"]),
        ),
        _line(facts["key"]),
    )


@wording(C.PERCENT_UNREADABLE, sample={"line": 9, "key": "at_risk", "text": "twelve"})
def _percent_text(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: {text} is not a number or a percent like 12 %.",
            line=facts["line"],
            text=shown(facts["text"]),
        ),
        _line(facts["key"]),
    )


@wording(C.PER_AGENT_UNREADABLE, sample={"line": 33, "key": "per", "text": "desk"})
def _per(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: per is {cell} (the whole cell) or {agent} (each agent), not {text}.",
            line=facts["line"],
            cell=code("cell"),
            agent=code("agent"),
            text=shown(facts["text"]),
        ),
        FILE_LINES["per"],
    )


# --- contract files: their terms --------------------------------------------------------------


@wording(C.TEAM_MISMATCH, sample={"line": 5, "given": "de", "team": "uk"})
def _team_mismatch(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: this file is for team {given}, and you are importing it for {team}.",
            line=facts["line"],
            given=shown(facts["given"]),
            team=code(facts["team"]),
        ),
        reader._("leadcell contract import {team} contract.toml", team=facts["team"]),
    )


@wording(C.CURRENCY_MISMATCH, sample={"line": 8, "given": "EUR", "currency": "GBP"})
def _currency(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: the amount is in {given}, but the team counts in {currency}.",
            line=facts["line"],
            given=facts["given"],
            currency=facts["currency"],
        ),
        f'monthly_fee = "18 000 {facts["currency"]}"',
    )


@wording(C.FEE_NOT_POSITIVE, sample={"line": 8})
def _fee(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Line {line}: the monthly fee must be more than zero.", line=facts["line"]),
        FILE_LINES["monthly_fee"],
    )


@wording(C.CAP_ABOVE_100, sample={"line": 9, "percent": Decimal(120)})
def _cap(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: at most the whole fee can be at risk, so at_risk runs from 0 to 100 %, "
            "not {percent}.",
            line=facts["line"],
            percent=_percent(reader, facts["percent"]),
        ),
        FILE_LINES["at_risk"],
    )


@wording(
    C.NUMBER_OUT_OF_RANGE,
    sample={"line": 11, "key": "contest_days", "value": 90, "low": 1, "high": 30},
)
def _number(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: {key} runs from {low} to {high}, not {value}.",
            line=facts["line"],
            key=code(facts["key"]),
            low=reader.number(facts["low"]),
            high=reader.number(facts["high"]),
            value=reader.number(facts["value"]),
        ),
        _line(facts["key"]),
    )


@wording(
    C.EFFECTIVE_NOT_FIRST_DAY,
    sample={"line": 6, "day": date(2026, 10, 15), "first": date(2026, 10, 1)},
)
def _effective(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: a version takes effect on the first day of a month, since a month is "
            "judged by one version; write {first} instead of {day}.",
            line=facts["line"],
            first=code(facts["first"].isoformat()),
            day=code(facts["day"].isoformat()),
        ),
        f"effective = {facts['first'].isoformat()}",
    )


@wording(
    C.UNTIL_NOT_LAST_DAY,
    sample={"line": 7, "day": date(2027, 9, 15), "last": date(2027, 9, 30)},
)
def _until(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: a version ends on the last day of a month; write {last} instead of "
            "{day}.",
            line=facts["line"],
            last=code(facts["last"].isoformat()),
            day=code(facts["day"].isoformat()),
        ),
        f"until = {facts['last'].isoformat()}",
    )


@wording(
    C.UNTIL_BEFORE_EFFECTIVE,
    sample={"line": 7, "until": date(2026, 9, 30), "effective": date(2026, 10, 1)},
)
def _until_before(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: the version would end on {until}, before it starts on {effective}.",
            line=facts["line"],
            until=reader.full_date(facts["until"]),
            effective=reader.full_date(facts["effective"]),
        ),
        FILE_LINES["until"],
    )


@wording(C.CHECKLIST_ITEM_INVALID, sample={"line": 15, "item": "", "limit": 200})
def _item(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: each checklist item is a text of 1 to {limit} characters.",
            line=facts["line"],
            limit=reader.number(facts["limit"]),
        ),
        FILE_LINES["checklist"],
    )


@wording(C.CHECKLIST_MISSING, sample={"line": 13})
def _checklist(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Line {line}: audits need a checklist in the [audit] table.", line=facts["line"]),
        FILE_LINES["checklist"],
    )


@wording(C.NO_CRITERIA, sample={"line": 1})
def _no_criteria(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("The file has no criterion: add at least one [[criterion]] table."),
        FILE_LINES["criterion"],
    )


@wording(C.TOO_MANY, sample={"line": 120, "what": "criterion", "limit": 20})
def _too_many(reader: Reader, facts: Facts) -> Said:
    if facts["what"] == "criterion":
        said = reader._(
            "Line {line}: a contract has at most {limit} criteria.",
            line=facts["line"],
            limit=facts["limit"],
        )
    else:
        said = reader._(
            "Line {line}: a checklist has at most {limit} items.",
            line=facts["line"],
            limit=facts["limit"],
        )
    return Said(said, FILE_LINES["criterion"])


@wording(C.CRITERION_KEY_INVALID, sample={"line": 22, "key": "Lead Rate"})
def _key(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: {key} cannot name a criterion: use lower-case letters, digits and "
            "dashes, at most 40.",
            line=facts["line"],
            key=shown(facts["key"]),
        ),
        FILE_LINES["key"],
    )


@wording(C.CRITERION_KEY_TWICE, sample={"line": 60, "key": "contacts"})
def _key_twice(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: two criteria are named {key}; each needs its own key.",
            line=facts["line"],
            key=code(facts["key"]),
        ),
        FILE_LINES["key"],
    )


@wording(
    C.METRIC_UNKNOWN,
    sample={"line": 23, "metric": "lead_rates", "metrics": ["lead-rate", "leads"]},
)
def _metric(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: {metric} is not a metric. Metrics: {metrics}.",
            line=facts["line"],
            metric=shown(facts["metric"]),
            metrics=reader.items([code(m) for m in facts["metrics"]]),
        ),
        FILE_LINES["metric"],
    )


@wording(C.TARGET_MISSING, sample={"line": 21, "key": "contacts"})
def _target_missing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: the criterion {key} needs a target, as at_least or at_most.",
            line=facts["line"],
            key=code(facts["key"]),
        ),
        FILE_LINES["at_least"],
    )


@wording(C.TARGET_TWICE, sample={"line": 25})
def _target_twice(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: a criterion has one target, at_least or at_most, not both.",
            line=facts["line"],
        ),
        FILE_LINES["at_least"],
    )


@wording(C.TARGET_NOT_PERCENT, sample={"line": 32, "metric": "useful-contacts-per-day"})
def _not_percent(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: {metric} is not a share, so its target is a plain number, without %.",
            line=facts["line"],
            metric=code(str(facts["metric"])),
        ),
        "at_least = 30",
    )


@wording(
    C.TARGET_OUT_OF_RANGE,
    sample={
        "line": 24,
        "metric": "lead-rate",
        "target": Decimal(150),
        "low": Decimal(0),
        "high": Decimal(100),
        "unit": Unit.SHARE,
    },
)
def _target_range(reader: Reader, facts: Facts) -> Said:
    share = facts["unit"] == Unit.SHARE
    show = (lambda v: _percent(reader, v)) if share else (lambda v: reader.number(Decimal(v)))
    return Said(
        reader._(
            "Line {line}: a target of {metric} runs from {low} to {high}, not {target}.",
            line=facts["line"],
            metric=code(str(facts["metric"])),
            low=show(facts["low"]),
            high=show(facts["high"]),
            target=show(facts["target"]),
        ),
        FILE_LINES["at_least"] if share else "at_least = 30",
    )


@wording(C.PENALTY_MISSING, sample={"line": 20, "key": "audit"})
def _penalty_missing(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: the criterion {key} needs a penalty per breach or a weight of the "
            "amount at risk.",
            line=facts["line"],
            key=code(facts["key"]),
        ),
        FILE_LINES["weight"],
    )


@wording(C.PENALTY_TWICE, sample={"line": 35})
def _penalty_twice(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: a criterion has a penalty per breach or a weight, not both.",
            line=facts["line"],
        ),
        FILE_LINES["penalty"],
    )


@wording(C.PENALTY_NOT_POSITIVE, sample={"line": 35})
def _penalty_zero(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Line {line}: a penalty must be more than zero.", line=facts["line"]),
        FILE_LINES["penalty"],
    )


@wording(C.WEIGHT_OUT_OF_RANGE, sample={"line": 27, "percent": Decimal(0)})
def _weight(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: a weight is more than 0 % and at most 100 % of the amount at risk, "
            "not {percent}.",
            line=facts["line"],
            percent=_percent(reader, facts["percent"]),
        ),
        FILE_LINES["weight"],
    )


@wording(C.SHARE_RULE_INCOMPLETE, sample={"line": 70, "missing": "penalty_share_months"})
def _share_rule(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: the termination rule on penalties needs both penalty_share and "
            "penalty_share_months; {missing} is missing.",
            line=facts["line"],
            missing=code(facts["missing"]),
        ),
        FILE_LINES[facts["missing"]],
    )


@wording(C.SHARE_OUT_OF_RANGE, sample={"line": 72, "percent": Decimal(0)})
def _share(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: penalty_share is more than 0 % and at most 100 % of the fee, not "
            "{percent}.",
            line=facts["line"],
            percent=_percent(reader, facts["percent"]),
        ),
        FILE_LINES["penalty_share"],
    )


@wording(
    C.VERSIONS_OVERLAP,
    sample={"line": 6, "version": 1, "effective": date(2026, 10, 1), "until": None},
)
def _overlap(reader: Reader, facts: Facts) -> Said:
    if facts.get("until"):
        said = reader._(
            "Line {line}: this version overlaps version {version}, in force from {start} to "
            "{end}. An amendment starts after the versions before it.",
            line=facts["line"],
            version=facts["version"],
            start=reader.full_date(facts["effective"]),
            end=reader.full_date(facts["until"]),
        )
    else:
        said = reader._(
            "Line {line}: this version overlaps version {version}, in force from {start}. An "
            "amendment starts after the versions before it.",
            line=facts["line"],
            version=facts["version"],
            start=reader.full_date(facts["effective"]),
        )
    return Said(said, "effective = 2027-01-01")


@wording(C.MONTH_ALREADY_JUDGED, sample={"line": 6, "month": date(2026, 11, 1)})
def _judged(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Line {line}: the statement of {month} is issued, and what it judged stays as "
            "judged; start the amendment in a later month.",
            line=facts["line"],
            month=reader.month_name(facts["month"]),
        ),
        "effective = 2027-01-01",
    )


# --- complaints -------------------------------------------------------------------------------


def _who(person: Person | None, reader: Reader) -> str:
    return mention(person) if person else reader._("an admin")


@wording(CP.NOTHING_NAMED)
def _nothing(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("Say which lead or call the complaint is about."))


@wording(CP.LEAD_NOT_FOUND, sample={"lead_id": 42})
def _lead(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("That lead no longer exists."), reader._("/lead list open"))


@wording(CP.CALL_NOT_FOUND, sample={"call_id": 42})
def _call(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("That call no longer exists."))


@wording(CP.CALL_UNDONE, sample={"company": "Acme"})
def _undone(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("That call was undone, so it counts nowhere and cannot be complained about."),
    )


@wording(CP.COMMENT_MISSING)
def _comment(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Say what is wrong after the category: the provider answers that."),
    )


@wording(CP.ANSWER_MISSING)
def _answer_missing(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("Write the answer after the complaint's reference."))


@wording(CP.REASON_MISSING)
def _dispute_reason(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._("Say why you dispute the answer: the provider and the statement show it."),
    )


@wording(CP.TEXT_TOO_LONG, sample={"length": 1200, "limit": 1000})
def _long(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The text has {length} characters; the most is {limit}.",
            length=reader.number(facts["length"]),
            limit=reader.number(facts["limit"]),
        ),
    )


@wording(CP.NOT_FOUND, sample={"number": 12})
def _complaint(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "There is no complaint {reference} in your team.",
            reference=complaint_reference(facts["number"]),
        ),
    )


@wording(
    CP.ALREADY_ANSWERED,
    sample={"number": 12, "answered_at": datetime(2026, 10, 12, 9, 0), "answered_by": None},
)
def _answered(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{reference} was answered already, by {who} on {when}.",
            reference=complaint_reference(facts["number"]),
            who=_who(facts.get("answered_by"), reader),
            when=reader.day_and_clock(facts["answered_at"]) if facts.get("answered_at") else "—",
        ),
    )


@wording(CP.NOT_ANSWERED, sample={"number": 12})
def _not_answered(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{reference} has no answer yet: accept or dispute it once the provider answers.",
            reference=complaint_reference(facts["number"]),
        ),
    )


@wording(
    CP.ALREADY_SETTLED,
    sample={"number": 12, "status": ComplaintStatus.ACCEPTED, "settled_by": None},
)
def _settled(reader: Reader, facts: Facts) -> Said:
    if facts["status"] == ComplaintStatus.ACCEPTED:
        said = reader._(
            "{who} accepted the answer to {reference} already.",
            who=_who(facts.get("settled_by"), reader),
            reference=complaint_reference(facts["number"]),
        )
    else:
        said = reader._(
            "{who} disputed the answer to {reference} already.",
            who=_who(facts.get("settled_by"), reader),
            reference=complaint_reference(facts["number"]),
        )
    return Said(said)


# --- audits -----------------------------------------------------------------------------------


@wording(A.CALL_NOT_FOUND, sample={"call_id": 42})
def _audit_call(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("That call no longer exists."), reader._(SAMPLE))


@wording(
    A.NOT_IN_SAMPLE,
    sample={"call_id": 42, "company": "Acme", "month": date(2026, 10, 1), "closes_at": None},
)
def _sample(reader: Reader, facts: Facts) -> Said:
    if facts.get("closes_at"):
        said = reader._(
            "The call with {company} is not in the audit sample yet: its window closes on "
            "{when}. Audit the calls of the sample.",
            company=shown(facts["company"]),
            when=reader.day_and_clock(facts["closes_at"]),
        )
    else:
        said = reader._(
            "The call with {company} is not in the audit sample of {month}: only sampled calls "
            "are audited, so that the score cannot be chosen. Audit the calls of the sample.",
            company=shown(facts["company"]),
            month=reader.month_name(facts["month"]),
        )
    return Said(said, reader._(SAMPLE))


@wording(
    A.ALREADY_AUDITED,
    sample={"call_id": 42, "company": "Acme", "audited_at": None, "auditor": None},
)
def _audited(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The call with {company} is audited already, by {who}.",
            company=shown(facts["company"]),
            who=_who(facts.get("auditor"), reader),
        ),
        reader._(SAMPLE),
    )


@wording(A.ANSWERS_MISMATCH, sample={"given": 3, "expected": 4})
def _answers(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader.n_(
            "The checklist has {count} item and the audit answered {given}; answer each item.",
            "The checklist has {count} items and the audit answered {given}; answer each item.",
            facts["expected"],
            given=reader.number(facts["given"]),
        ),
        reader._(SAMPLE),
    )


@wording(A.NOTE_TOO_LONG, sample={"length": 1200, "limit": 1000})
def _audit_note(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The note has {length} characters; the most is {limit}.",
            length=reader.number(facts["length"]),
            limit=reader.number(facts["limit"]),
        ),
        reader._(SAMPLE),
    )


# --- statements and contests ------------------------------------------------------------------


@wording(S.MONTH_NOT_OVER, sample={"month": date(2026, 11, 1)})
def _not_over(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "{month} is not over, so its statement cannot be issued yet; its draft can be read.",
            month=reader.month_name(facts["month"]),
        ),
        reader._(SLA),
    )


@wording(S.NOT_ISSUED, sample={"month": date(2026, 10, 1), "team": "uk"})
def _not_issued(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The statement of {month} is not issued yet: it is issued once the month is over.",
            month=reader.month_name(facts["month"]),
        ),
        reader._(SLA),
    )


@wording(
    S.LINE_NOT_FOUND,
    sample={"key": "lead_rate", "keys": ["contacts", "lead-rate"], "month": date(2026, 10, 1)},
)
def _no_line(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The statement of {month} has no line {key}. Lines: {keys}.",
            month=reader.month_name(facts["month"]),
            key=shown(facts["key"]),
            keys=reader.items([code(k) for k in facts["keys"]]),
        ),
    )


@wording(
    S.LINE_NOT_CONTESTABLE,
    sample={"key": "lead-rate", "month": date(2026, 10, 1), "state": LineState.MET},
)
def _not_contestable(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The line {key} of {month} is {state}: only missed lines are contested.",
            key=code(facts["key"]),
            month=reader.month_name(facts["month"]),
            state=reader._(STATES[LineState(facts["state"])]),
        ),
    )


@wording(
    S.CONTEST_TOO_LATE,
    sample={"month": date(2026, 10, 1), "deadline": datetime(2026, 11, 11, 0, 0)},
)
def _too_late(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The statement of {month} could be contested until {deadline}; that time is over.",
            month=reader.month_name(facts["month"]),
            deadline=reader.day_and_clock(facts["deadline"]),
        ),
        reader._(SLA),
    )


@wording(
    S.ALREADY_CONTESTED,
    sample={"key": "lead-rate", "month": date(2026, 10, 1), "status": ContestStatus.OPEN},
)
def _contested(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The line {key} of {month} is {state} already.",
            key=code(facts["key"]),
            month=reader.month_name(facts["month"]),
            state=reader._(CONTEST_STATES[ContestStatus(facts["status"])]),
        ),
        reader._(SLA),
    )


@wording(S.CONTEST_NOT_FOUND, sample={"key": "lead-rate", "month": date(2026, 10, 1)})
def _no_contest(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "Nobody contested the line {key} of {month}.",
            key=code(facts["key"]),
            month=reader.month_name(facts["month"]),
        ),
        reader._(SLA),
    )


@wording(
    S.CONTEST_DECIDED,
    sample={
        "key": "lead-rate",
        "month": date(2026, 10, 1),
        "status": ContestStatus.UPHELD,
        "decided_by": None,
    },
)
def _decided(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The line {key} of {month} is {state}, by {who}.",
            key=code(facts["key"]),
            month=reader.month_name(facts["month"]),
            state=reader._(CONTEST_STATES[ContestStatus(facts["status"])]),
            who=_who(facts.get("decided_by"), reader),
        ),
        reader._(SLA),
    )


@wording(S.REASON_MISSING)
def _reason(reader: Reader, facts: Facts) -> Said:
    return Said(reader._("Say why the line is wrong after its key."))


@wording(S.REASON_TOO_LONG, sample={"length": 1200, "limit": 1000})
def _reason_long(reader: Reader, facts: Facts) -> Said:
    return Said(
        reader._(
            "The reason has {length} characters; the most is {limit}.",
            length=reader.number(facts["length"]),
            limit=reader.number(facts["limit"]),
        ),
    )
