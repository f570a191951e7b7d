"""What outsourced cells read: the contract, the monthly statement, complaints and audits,
worded with a Reader from the domain's facts.

The statement is laid out once, as `StatementSheet` (titles, a table of lines, the totals
and the sections after them, every cell already worded); Slack messages, the terminal, the
PDF (bot.views.sla_pdf) and the CSV (bot.views.sla_csv) are built from it or from the same
facts. Channel posts and documents use the team's reader (bot.readers.team_reader).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tabulate import tabulate

from bot.blocks import Block, code_sections, context, header, message, section, text_sections
from bot.i18n import N_, Reader
from bot.text import escape
from models.audits import AuditFacts, AuditTask, SampleFacts
from models.complaints import Category, ComplaintFacts, ComplaintStatus
from models.contracts import ContractFacts, CriterionFacts, VersionFacts
from models.sla_metrics import CATALOGUE, Comparison, Metric, Unit
from models.statements import (
    ContestFacts,
    ContestStatus,
    LineFacts,
    LineState,
    StatementFacts,
    TerminationFacts,
)

#: What each metric is, as statements name it.
METRICS: dict[Metric, str] = {
    Metric.USEFUL_CONTACTS_PER_DAY: N_("Useful contacts per working day"),
    Metric.LEAD_RATE: N_("Lead rate of useful contacts"),
    Metric.LEADS: N_("Leads handed"),
    Metric.ACCEPTANCE_RATE: N_("Leads accepted by sales engineers"),
    Metric.COMPLETE_DATA: N_("Leads with complete data"),
    Metric.CALLBACKS_ON_TIME: N_("Callbacks made on time"),
    Metric.COMPLAINTS_PER_100_LEADS: N_("Complaints per 100 leads"),
    Metric.AUDIT_SCORE: N_("Audit score"),
}
STATES: dict[LineState, str] = {
    LineState.MET: N_("met"),
    LineState.MISSED: N_("missed"),
    LineState.NO_DATA: N_("no data"),
    LineState.NOT_MEASURED: N_("not measured yet"),
    LineState.ADJUSTMENT: N_("adjustment"),
}
CATEGORIES: dict[Category, str] = {
    Category.WRONG_CONTACT: N_("wrong contact"),
    Category.NO_PROJECT: N_("no real project"),
    Category.ALREADY_CUSTOMER: N_("already a customer"),
    Category.POOR_CALL: N_("poor call"),
    Category.DATA_MISSING: N_("data missing"),
    Category.OTHER: N_("other"),
}
COMPLAINT_STATES: dict[ComplaintStatus, str] = {
    ComplaintStatus.OPEN: N_("waiting for the provider's answer"),
    ComplaintStatus.ANSWERED: N_("answered, waiting for the complainant"),
    ComplaintStatus.ACCEPTED: N_("answer accepted"),
    ComplaintStatus.DISPUTED: N_("answer disputed"),
}
CONTEST_STATES: dict[ContestStatus, str] = {
    ContestStatus.OPEN: N_("contested, waiting for a manager"),
    ContestStatus.UPHELD: N_("contested; the line was upheld"),
    ContestStatus.WITHDRAWN: N_("contested; the line was withdrawn"),
}


def complaint_reference(number: int) -> str:
    """`C-0012`."""
    return f"C-{number:04d}"


def lead_reference(number: int) -> str:
    """`L-0042`."""
    return f"L-{number:04d}"


# --- figures ----------------------------------------------------------------------------------


def value(reader: Reader, metric: Metric | None, figure: Decimal | None) -> str:
    """A metric's value in its unit: `9.3%`, `28.6`, `42`; `—` when it has none."""
    if figure is None or metric is None:
        return "—"
    unit = CATALOGUE[metric].unit
    if unit is Unit.SHARE:
        return reader.percent(figure)
    if unit is Unit.COUNT:
        return reader.number(figure)
    return reader.number(figure, decimals=1)


def target(
    reader: Reader, metric: Metric | None, comparison: Comparison | None, figure: Decimal | None
) -> str:
    """`at least 30.0`, `at most 5.0`, `at least 9.0%`."""
    if metric is None or comparison is None or figure is None:
        return ""
    shown = value(reader, metric, figure)
    if comparison is Comparison.AT_LEAST:
        return reader._("at least {value}", value=shown)
    return reader._("at most {value}", value=shown)


def penalty_terms(reader: Reader, criterion: CriterionFacts | LineFacts, currency: str) -> str:
    """`150 GBP per breach` or `25% of the amount at risk`."""
    flat = criterion.penalty if isinstance(criterion, CriterionFacts) else criterion.flat_penalty
    if flat is not None:
        return reader._("{amount} per breach", amount=reader.money(flat, currency))
    if criterion.weight is not None:
        return reader._(
            "{share} of the amount at risk", share=reader.percent(criterion.weight, decimals=0)
        )
    return ""


# --- the statement, laid out once -------------------------------------------------------------


@dataclass(frozen=True)
class StatementSheet:
    """A statement worded for one reader: what every rendering shows, in order."""

    title: str
    subtitle: str
    status: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[tuple[str, str], ...]
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    trend_headers: tuple[str, ...]
    trend_rows: tuple[tuple[str, ...], ...]


def _result(reader: Reader, line: LineFacts) -> str:
    state = reader._(STATES[line.state])
    if line.per_agent and line.breaches:
        state = reader.n_(
            "{state}: {count} agent", "{state}: {count} agents", line.breaches, state=state
        )
    if line.contest is not None:
        state = reader._(
            "{state} ({contest})",
            state=state,
            contest=reader._(CONTEST_STATES[line.contest.status]),
        )
    return state


def _criterion_name(reader: Reader, line: LineFacts) -> str:
    name = reader._(METRICS[line.metric]) if line.metric else line.key
    if line.per_agent:
        return reader._("{metric}, each agent", metric=name)
    return name


def _termination(reader: Reader, termination: TerminationFacts) -> tuple[str, ...]:
    said = []
    if termination.same_criterion_months is not None:
        if termination.missed_key is None:
            said.append(
                reader.n_(
                    "No criterion is missed this month; termination needs the same one "
                    "missed {count} month running.",
                    "No criterion is missed this month; termination needs the same one "
                    "missed {count} months running.",
                    termination.same_criterion_months,
                )
            )
        else:
            said.append(
                reader.n_(
                    "{key} is missed {count} month running; termination comes at {limit}.",
                    "{key} is missed {count} months running; termination comes at {limit}.",
                    termination.missed_run,
                    key=termination.missed_key,
                    limit=reader.number(termination.same_criterion_months),
                )
            )
    if termination.penalty_share is not None and termination.penalty_share_months is not None:
        said.append(
            reader.n_(
                "Penalties have been over {share} of the fee for {count} month running; "
                "termination comes at {limit}.",
                "Penalties have been over {share} of the fee for {count} months running; "
                "termination comes at {limit}.",
                termination.share_run,
                share=reader.percent(termination.penalty_share, decimals=0),
                limit=reader.number(termination.penalty_share_months),
            )
        )
    if termination.reached:
        said.append(reader._("The termination trigger is reached."))
    elif said:
        said.append(reader._("The termination trigger is not reached."))
    return tuple(said)


def statement_sheet(facts: StatementFacts, reader: Reader) -> StatementSheet:
    """The statement worded for `reader` (channel posts and documents: the team's reader)."""
    money = lambda amount: reader.money(amount, facts.currency)  # noqa: E731
    month = reader.month_name(facts.month)
    title = reader._(
        "Statement of {provider} for {team}, {month}",
        provider=facts.team.operator or "—",
        team=facts.team.name,
        month=month,
    )
    subtitle = reader._(
        "Contract version {number}, in force since {date}; {days} working days.",
        number=facts.version.number,
        date=reader.full_date(facts.version.effective_from),
        days=reader.number(facts.working_days),
    )
    if facts.issued_at is None:
        status = reader._(
            "Draft: this statement is not issued yet, and its figures may still change."
        )
    else:
        status = reader._(
            "Issued on {issued}. The provider may contest a missed line until {deadline}.",
            issued=reader.full_date(facts.issued_at.astimezone(reader.zone).date()),
            deadline=reader.day_and_clock(facts.contest_until) if facts.contest_until else "—",
        )
    headers = (
        reader._("Criterion"),
        reader._("Key"),
        reader._("Target"),
        reader._("Measured"),
        reader._("Result"),
        reader._("Penalty"),
    )
    rows = [
        (
            _criterion_name(reader, line),
            line.key,
            target(reader, line.metric, line.comparison, line.target),
            value(reader, line.metric, line.measured),
            _result(reader, line),
            money(line.penalty),
        )
        for line in facts.lines
    ]
    for line in facts.adjustment_lines:
        rows.append(
            (
                reader._(
                    "Adjustment: {key} of {month} withdrawn",
                    key=line.key,
                    month=reader.month_name(line.refers_month) if line.refers_month else "—",
                ),
                line.key,
                "",
                "",
                reader._(STATES[LineState.ADJUSTMENT]),
                money(line.penalty),
            )
        )
    totals = (
        (reader._("Penalties before the cap"), money(facts.penalties_before_cap)),
        (
            reader._(
                "Cap: {share} of the fee", share=reader.percent(facts.version.at_risk, decimals=0)
            ),
            money(facts.cap),
        ),
        (reader._("Penalties after the cap"), money(facts.penalties_after_cap)),
        (reader._("Adjustments"), money(facts.adjustments)),
        (reader._("Monthly fee"), money(facts.monthly_fee)),
        (reader._("Fee less penalties"), money(facts.fee_less_penalties)),
    )
    complaints = facts.complaints
    audits = (
        reader.n_(
            "{count} call audited, scoring {score}.",
            "{count} calls audited, scoring {score}.",
            facts.audits_done,
            score=reader.percent(facts.audit_score),
        )
        if facts.audit_score is not None
        else reader._("No call was audited.")
    )
    sections = (
        (
            reader._("Complaints"),
            (
                reader._(
                    "{lodged} lodged, {late} not answered in time, {disputed} disputed.",
                    lodged=reader.number(complaints.lodged),
                    late=reader.number(complaints.late),
                    disputed=reader.number(complaints.disputed),
                ),
            ),
        ),
        (reader._("Audits"), (audits,)),
        (
            reader._("Termination"),
            _termination(reader, facts.termination)
            or (reader._("The contract sets no termination trigger."),),
        ),
    )
    months = facts.trend[0].points if facts.trend else ()
    trend_headers = (reader._("Key"), *(reader.short_month(p.month) for p in months))
    trend_rows = tuple(
        (trend.key, *(value(reader, trend.metric, p.value) for p in trend.points))
        for trend in facts.trend
    )
    return StatementSheet(
        title, subtitle, status, headers, tuple(rows), totals, sections, trend_headers, trend_rows
    )


def statement_text(facts: StatementFacts, reader: Reader) -> str:
    """The statement as plain text (the terminal)."""
    sheet = statement_sheet(facts, reader)
    parts = [sheet.title, "=" * len(sheet.title), sheet.subtitle, sheet.status, ""]
    parts.append(tabulate(sheet.rows, headers=sheet.headers, disable_numparse=True))
    parts.append("")
    parts.append(
        tabulate(sheet.totals, tablefmt="plain", disable_numparse=True, colalign=("left", "right"))
    )
    for name, lines in sheet.sections:
        parts += ["", name, *lines]
    if sheet.trend_rows:
        parts += [
            "",
            reader._("Trend"),
            tabulate(sheet.trend_rows, headers=sheet.trend_headers, disable_numparse=True),
        ]
    return "\n".join(parts) + "\n"


def statement_messages(facts: StatementFacts, reader: Reader) -> list[dict[str, Any]]:
    """The statement as a Slack message (its PDF and CSV go in the thread)."""
    sheet = statement_sheet(facts, reader)
    table = tabulate(
        [(row[1], row[3], row[2], row[4], row[5]) for row in sheet.rows],
        headers=(
            sheet.headers[1],
            sheet.headers[3],
            sheet.headers[2],
            sheet.headers[4],
            sheet.headers[5],
        ),
        disable_numparse=True,
    )
    totals = [f"*{escape(name)}:* {amount}" for name, amount in sheet.totals]
    blocks: list[Block] = [
        header(sheet.title),
        context(escape(sheet.subtitle), escape(sheet.status)),
    ]
    blocks += code_sections(table)
    blocks += text_sections(totals)
    for name, lines in sheet.sections:
        blocks.append(section(f"*{escape(name)}*\n" + "\n".join(escape(line) for line in lines)))
    if sheet.trend_rows:
        blocks += code_sections(
            tabulate(sheet.trend_rows, headers=sheet.trend_headers, disable_numparse=True)
        )
    fallback = reader._(
        "{title}: penalties {penalties}, fee less penalties {net}.",
        title=sheet.title,
        penalties=reader.money(facts.penalties, facts.currency),
        net=reader.money(facts.fee_less_penalties, facts.currency),
    )
    return [message(fallback, blocks)]


# --- the contract -----------------------------------------------------------------------------


def _version_lines(version: VersionFacts, reader: Reader) -> list[str]:
    currency = version.currency
    ends = (
        reader._("until {date}", date=reader.full_date(version.ends_on))
        if version.ends_on
        else reader._("until further notice")
    )
    lines = [
        reader._(
            "*Version {number}*, from {start} {ends}",
            number=version.number,
            start=reader.full_date(version.effective_from),
            ends=ends,
        ),
        reader._(
            "Monthly fee {fee}; {share} at risk ({cap} a month at most).",
            fee=reader.money(version.monthly_fee, currency),
            share=reader.percent(version.at_risk, decimals=0),
            cap=reader.money(version.cap, currency),
        ),
        reader._(
            "Complaints are answered within {answer} working days; statement lines can be "
            "contested within {contest} working days; statements go out on working day {day} "
            "of the month.",
            answer=version.complaint_answer_days,
            contest=version.contest_days,
            day=version.statement_day,
        ),
    ]
    for criterion in version.criteria:
        name = reader._(METRICS[criterion.metric])
        if criterion.per_agent:
            name = reader._("{metric}, each agent", metric=name)
        lines.append(
            reader._(
                "• `{key}`: {metric}, {target}; {penalty}.",
                key=criterion.key,
                metric=name,
                target=target(reader, criterion.metric, criterion.comparison, criterion.target),
                penalty=penalty_terms(reader, criterion, currency),
            )
        )
    if version.audit_calls_per_agent:
        lines.append(
            reader.n_(
                "Audits: {count} call per agent a month, checked against: {items}.",
                "Audits: {count} calls per agent a month, checked against: {items}.",
                version.audit_calls_per_agent,
                items=reader.items([escape(item) for item in version.audit_checklist]),
            )
        )
    return lines


def contract_message(facts: ContractFacts, reader: Reader) -> dict[str, Any]:
    """`/leadcell contract show uk`: every version, the newest first."""
    title = reader._(
        "Contract of {team} with {provider}",
        team=facts.team.name,
        provider=facts.team.operator or "—",
    )
    lines: list[str] = []
    for version in reversed(facts.versions):
        lines += [*_version_lines(version, reader), ""]
    blocks = [header(title), *text_sections(lines)]
    return {"response_type": "ephemeral", **message(title, blocks)}


def contract_text(facts: ContractFacts, reader: Reader) -> str:
    """The contract in the terminal."""
    title = reader._(
        "Contract of {team} with {provider}",
        team=facts.team.name,
        provider=facts.team.operator or "—",
    )
    lines = [title, ""]
    for version in reversed(facts.versions):
        lines += [
            line.replace("*", "").replace("`", "") for line in _version_lines(version, reader)
        ] + [""]
    return "\n".join(lines)


# --- complaints, contests, audits -------------------------------------------------------------


def complaint_notice(facts: ComplaintFacts, reader: Reader) -> dict[str, Any]:
    """What the provider's channel reads when a complaint is lodged."""
    about = (
        reader._(
            "lead {lead} ({company})",
            lead=lead_reference(facts.lead_number),
            company=escape(facts.company),
        )
        if facts.lead_number is not None
        else reader._("a call with {company}", company=escape(facts.company))
    )
    text = reader._(
        "{reference}: {who} lodged a complaint ({category}) about {about} by {agent}: {comment}",
        reference=complaint_reference(facts.number),
        who=f"<@{facts.lodged_by.user_id}>" if facts.lodged_by else reader._("an admin"),
        category=reader._(CATEGORIES[facts.category]),
        about=about,
        agent=f"<@{facts.agent.user_id}>",
        comment=escape(facts.comment),
    )
    due = reader._(
        "Answer by {deadline} with /leadcell complaint answer {reference} followed by your answer.",
        deadline=reader.day_and_clock(facts.answer_due_at),
        reference=complaint_reference(facts.number),
    )
    return message(text, [section(text), context(due)])


def complaint_history(facts: ComplaintFacts, reader: Reader) -> str:
    """A complaint and its steps, as mrkdwn lines."""
    kinds = {
        "lodged": N_("lodged by {who}"),
        "answered": N_("answered by {who}"),
        "accepted": N_("answer accepted by {who}"),
        "disputed": N_("answer disputed by {who}"),
    }
    lines = [
        reader._(
            "*{reference}* ({category}), {state}",
            reference=complaint_reference(facts.number),
            category=reader._(CATEGORIES[facts.category]),
            state=reader._(COMPLAINT_STATES[facts.status]),
        )
    ]
    for step in facts.history:
        who = f"<@{step.by.user_id}>" if step.by else reader._("an admin")
        said = reader._(kinds.get(step.kind, step.kind), who=who)
        line = f"{reader.day_and_clock(step.at)} · {said}"
        if step.text:
            line += f": {escape(step.text)}"
        lines.append(line)
    if facts.answered_late:
        lines.append(
            reader._(
                "The answer came after its deadline of {deadline}.",
                deadline=reader.day_and_clock(facts.answer_due_at),
            )
        )
    return "\n".join(lines)


def contest_confirmation(facts: ContestFacts, reader: Reader) -> str:
    """What the provider or the manager reads after contesting or deciding."""
    return reader._(
        "The line {key} of {month} is {state}.",
        key=facts.key,
        month=reader.month_name(facts.month),
        state=reader._(CONTEST_STATES[facts.status]),
    )


def audit_task_text(task: AuditTask, reader: Reader) -> str:
    """The sampled call the auditor is about to score."""
    lines = [
        reader._(
            "Call of {agent} with {company} on {when}, {duration}.",
            agent=f"<@{task.agent.user_id}>",
            company=escape(task.company),
            when=reader.day_and_clock(task.called_at),
            duration=reader.duration(task.duration_seconds),
        )
    ]
    for part in (task.contact_name, task.phone):
        if part:
            lines.append(escape(part))
    if task.note:
        lines.append(reader._("Note: {note}", note=escape(task.note)))
    lines.append(
        reader.n_(
            "{count} more sampled call to audit after this one.",
            "{count} more sampled calls to audit after this one.",
            task.remaining,
        )
    )
    return "\n".join(lines)


def audit_recorded(facts: AuditFacts, reader: Reader) -> str:
    return reader._(
        "Audit of the call with {company} recorded: {met} of {total} items met ({score}).",
        company=escape(facts.company),
        met=reader.number(facts.items_met),
        total=reader.number(len(facts.answers)),
        score=reader.percent(facts.score),
    )


def sample_text(facts: SampleFacts, reader: Reader) -> str:
    """A month's audit sample in the terminal."""
    rows = [
        (
            reader.day_month(c.pick.first_day) + " – " + reader.day_month(c.pick.last_day),
            c.agent.name,
            c.company,
            reader.day_and_clock(c.called_at),
            (
                reader._("{met} of {total}", met=c.items_met, total=c.items_total)
                if c.items_total is not None
                else reader._("to audit")
                if c.final
                else reader._("window still open")
            ),
        )
        for c in facts.calls
    ]
    title = reader._(
        "Audit sample of {team}, {month}: {done} of {total} calls audited.",
        team=facts.team.name,
        month=reader.month_name(facts.month),
        done=facts.audited,
        total=len(facts.calls),
    )
    headers = (
        reader._("Window"),
        reader._("Agent"),
        reader._("Company"),
        reader._("Call"),
        reader._("Audit"),
    )
    return title + "\n" + tabulate(rows, headers=headers, disable_numparse=True) + "\n"
