"""An outsourced cell's contract with its provider: versions of terms, each judging the months
it is in force.

A team is outsourced when it has an operator (`set_operator`); its contract is recorded
from a file (read by bot.grammar.contract_file into `ContractTerms`), checked here, and
stored all or nothing as a new version. A version takes effect on the first day of a
month and applies until the day before the next version (or its own `until`, the last day
of a month). A month is always judged by the version in force that month; old versions
stay readable. Shares are fractions (0.12 is 12 %); money is Decimal in the contract's
currency, which is the team's.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from models.actors import Actor
from models.db import begin_write, utcnow
from models.errors import Conflict, InvalidInput, NotFound, Problem
from models.periods import add_months
from models.policy import Action, require
from models.sla_metrics import CATALOGUE, Comparison, Metric, Unit
from models.tables import Contract, ContractCriterion, ContractVersion, Statement, Team
from models.worktime import WorkingCalendar

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_OPERATOR_CHARS = 100
MAX_CRITERIA = 20
MAX_CHECKLIST_ITEMS = 20
MAX_CHECKLIST_ITEM_CHARS = 200
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_CHANNEL = re.compile(r"[CG][A-Z0-9]{2,31}")

#: Whole numbers of a contract and their ranges (file path -> (low, high)).
NUMBER_RANGES: dict[str, tuple[int, int]] = {
    "complaint_answer_days": (1, 30),
    "contest_days": (1, 30),
    "statement_day": (1, 10),
    "audit.calls_per_agent": (0, 50),
    "termination.same_criterion_months": (1, 24),
    "termination.penalty_share_months": (1, 24),
}
DEFAULT_COMPLAINT_ANSWER_DAYS = 3
DEFAULT_CONTEST_DAYS = 5
DEFAULT_STATEMENT_DAY = 2


class ContractProblem(Problem):
    """Why a contract, or an outsourcing setting, is refused."""

    TEAM_NOT_FOUND = "contract.team_not_found"
    NOT_OUTSOURCED = "contract.not_outsourced"
    OPERATOR_TOO_LONG = "contract.operator_too_long"
    CHANNEL_UNREADABLE = "contract.channel_unreadable"
    NO_CONTRACT = "contract.no_contract"
    NO_VERSION_FOR_MONTH = "contract.no_version_for_month"
    VERSION_NOT_FOUND = "contract.version_not_found"
    # The file: its form (bot.grammar.contract_file).
    FILE_SYNTAX = "contract.file_syntax"
    KEY_UNKNOWN = "contract.key_unknown"
    KEY_MISSING = "contract.key_missing"
    VALUE_TYPE = "contract.value_type"
    AMOUNT_WITHOUT_CURRENCY = "contract.amount_without_currency"
    AMOUNT_UNREADABLE = "contract.amount_unreadable"
    PERCENT_UNREADABLE = "contract.percent_unreadable"
    # The file: its terms (checked here).
    TEAM_MISMATCH = "contract.team_mismatch"
    CURRENCY_MISMATCH = "contract.currency_mismatch"
    FEE_NOT_POSITIVE = "contract.fee_not_positive"
    CAP_ABOVE_100 = "contract.cap_above_100"
    NUMBER_OUT_OF_RANGE = "contract.number_out_of_range"
    EFFECTIVE_NOT_FIRST_DAY = "contract.effective_not_first_day"
    UNTIL_NOT_LAST_DAY = "contract.until_not_last_day"
    UNTIL_BEFORE_EFFECTIVE = "contract.until_before_effective"
    CHECKLIST_ITEM_INVALID = "contract.checklist_item_invalid"
    CHECKLIST_MISSING = "contract.checklist_missing"
    NO_CRITERIA = "contract.no_criteria"
    TOO_MANY = "contract.too_many"
    CRITERION_KEY_INVALID = "contract.criterion_key_invalid"
    CRITERION_KEY_TWICE = "contract.criterion_key_twice"
    METRIC_UNKNOWN = "contract.metric_unknown"
    PER_AGENT_UNREADABLE = "contract.per_agent_unreadable"
    TARGET_MISSING = "contract.target_missing"
    TARGET_TWICE = "contract.target_twice"
    TARGET_NOT_PERCENT = "contract.target_not_percent"
    TARGET_OUT_OF_RANGE = "contract.target_out_of_range"
    PENALTY_MISSING = "contract.penalty_missing"
    PENALTY_TWICE = "contract.penalty_twice"
    PENALTY_NOT_POSITIVE = "contract.penalty_not_positive"
    WEIGHT_OUT_OF_RANGE = "contract.weight_out_of_range"
    SHARE_RULE_INCOMPLETE = "contract.share_rule_incomplete"
    SHARE_OUT_OF_RANGE = "contract.share_out_of_range"
    # The file against what is stored.
    VERSIONS_OVERLAP = "contract.versions_overlap"
    MONTH_ALREADY_JUDGED = "contract.month_already_judged"


# --- the terms, as read from a file -----------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """An amount written with its currency."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class CriterionTerms:
    """A criterion as the file writes it. `target` is as written: a percent for a share
    metric (`9 %` and `9` both mean 9 %), `percent` when it carried a `%` sign."""

    key: str
    metric: str
    per_agent: bool
    comparison: Comparison | None
    target: Decimal | None
    percent: bool = False
    penalty: Money | None = None
    weight: Decimal | None = None  # a percent of the amount at risk
    two_targets: bool = False
    index: int = 0


@dataclass(frozen=True)
class ContractTerms:
    """A contract version as read from a file, with the line each value came from.

    Percents (`at_risk`, weights, `penalty_share`) are as written (12 means 12 %).
    `lines` maps a path (`monthly_fee`, `criterion.2.metric`, `audit.checklist`,
    `termination.penalty_share`) to its line in the file.
    """

    effective_from: date
    monthly_fee: Money
    at_risk: Decimal
    criteria: tuple[CriterionTerms, ...]
    team: str | None = None
    effective_until: date | None = None
    complaint_answer_days: int = DEFAULT_COMPLAINT_ANSWER_DAYS
    contest_days: int = DEFAULT_CONTEST_DAYS
    statement_day: int = DEFAULT_STATEMENT_DAY
    audit_calls_per_agent: int = 0
    audit_checklist: tuple[str, ...] = ()
    same_criterion_months: int | None = None
    penalty_share: Decimal | None = None
    penalty_share_months: int | None = None
    source: str = ""
    lines: Mapping[str, int] = field(default_factory=dict)

    def line(self, path: str) -> int:
        """The file line of a value, else of its table, else 1."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return 1


# --- what is stored, as facts -----------------------------------------------------------------


@dataclass(frozen=True)
class CriterionFacts:
    """A criterion of a stored version. `target` is in the metric's unit (shares as fractions)."""

    key: str
    metric: Metric
    per_agent: bool
    comparison: Comparison
    target: Decimal
    penalty: Decimal | None
    weight: Decimal | None

    @property
    def unit(self) -> Unit:
        return CATALOGUE[self.metric].unit


@dataclass(frozen=True)
class VersionFacts:
    """A stored contract version."""

    id: int
    number: int
    effective_from: date
    effective_until: date | None
    monthly_fee: Decimal
    currency: str
    at_risk: Decimal
    complaint_answer_days: int
    contest_days: int
    statement_day: int
    audit_calls_per_agent: int
    audit_checklist: tuple[str, ...]
    criteria: tuple[CriterionFacts, ...]
    same_criterion_months: int | None
    penalty_share: Decimal | None
    penalty_share_months: int | None
    imported_at: datetime
    #: The last day it applies: its own `until`, else the day before the next version.
    ends_on: date | None = None

    @property
    def cap(self) -> Decimal:
        """The amount at risk in a month: penalties are capped at it."""
        return (self.monthly_fee * self.at_risk).quantize(CENT, ROUND_HALF_UP)

    def covers(self, month: date) -> bool:
        return self.effective_from <= month and (self.ends_on is None or month <= self.ends_on)


@dataclass(frozen=True)
class OutsourcedTeam:
    """A team as contracts and statements need it."""

    id: int
    slug: str
    name: str
    timezone: str
    currency: str
    language: str
    operator: str | None
    provider_channel: str | None
    digest_channel: str | None

    @classmethod
    def of(cls, team: Team) -> OutsourcedTeam:
        return cls(
            team.id or 0,
            team.slug,
            team.name,
            team.timezone,
            team.currency,
            team.language,
            team.operator,
            team.provider_channel,
            team.digest_channel,
        )


@dataclass(frozen=True)
class ContractFacts:
    """A team's contract: every version, oldest first."""

    team: OutsourcedTeam
    versions: tuple[VersionFacts, ...]

    def in_force(self, month: date) -> VersionFacts | None:
        """The version that judges a month (its first day), if any."""
        return next((v for v in reversed(self.versions) if v.covers(month)), None)


def plain(value: Decimal) -> Decimal:
    """A stored Decimal without trailing zeros or an exponent: 30, 0.09, 0.12."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


# --- teams ------------------------------------------------------------------------------------


def team_by_slug(session: Session, slug: str) -> Team:
    """The team with this slug, or NotFound naming the teams there are."""
    team = session.exec(select(Team).where(Team.slug == slug.strip().lower())).first()
    if team is None:
        teams = list(session.exec(select(Team.slug).order_by(Team.slug)))
        raise NotFound(ContractProblem.TEAM_NOT_FOUND, field="team", team=slug, teams=teams)
    return team


def set_operator(
    session: Session,
    *,
    actor: Actor,
    team_slug: str,
    operator: str | None,
    provider_channel: str | None = None,
) -> OutsourcedTeam:
    """Mark a team as run by a provider (`operator`), with the provider's contact channel;
    `operator=None` makes it in-house again (its contract and statements stay)."""
    begin_write(session)
    team = team_by_slug(session, team_slug)
    require(actor, Action.TEAM_WRITE, team_id=team.id)
    name = (operator or "").strip() or None
    if name is not None and len(name) > MAX_OPERATOR_CHARS:
        raise InvalidInput(
            ContractProblem.OPERATOR_TOO_LONG,
            field="operator",
            length=len(name),
            limit=MAX_OPERATOR_CHARS,
        )
    if provider_channel is not None and not _CHANNEL.fullmatch(provider_channel):
        raise InvalidInput(
            ContractProblem.CHANNEL_UNREADABLE, field="channel", text=provider_channel
        )
    team.operator = name
    if name is None:
        team.provider_channel = None
    elif provider_channel is not None:
        team.provider_channel = provider_channel
    session.add(team)
    session.commit()
    return OutsourcedTeam.of(team)


# --- checking terms ---------------------------------------------------------------------------


def _percent_share(value: Decimal) -> Decimal:
    return value / HUNDRED


def _check_number(terms: ContractTerms, path: str, value: int | None) -> None:
    if value is None:
        return
    low, high = NUMBER_RANGES[path]
    if not low <= value <= high:
        raise InvalidInput(
            ContractProblem.NUMBER_OUT_OF_RANGE,
            field=path,
            line=terms.line(path),
            key=path.rpartition(".")[2],
            value=value,
            low=low,
            high=high,
        )


def check_terms(terms: ContractTerms, team: Team) -> None:
    """Raise InvalidInput, naming the file's line, unless the terms make a valid version."""
    currency = team.currency.upper()
    if terms.team is not None and terms.team.strip().lower() != team.slug:
        raise InvalidInput(
            ContractProblem.TEAM_MISMATCH,
            field="team",
            line=terms.line("team"),
            given=terms.team,
            team=team.slug,
        )
    _check_money(terms, "monthly_fee", terms.monthly_fee, currency)
    if terms.monthly_fee.amount <= 0:
        raise InvalidInput(
            ContractProblem.FEE_NOT_POSITIVE, field="monthly_fee", line=terms.line("monthly_fee")
        )
    if not Decimal(0) <= terms.at_risk <= HUNDRED:
        raise InvalidInput(
            ContractProblem.CAP_ABOVE_100,
            field="at_risk",
            line=terms.line("at_risk"),
            percent=terms.at_risk,
        )
    _check_dates(terms)
    for path, value in (
        ("complaint_answer_days", terms.complaint_answer_days),
        ("contest_days", terms.contest_days),
        ("statement_day", terms.statement_day),
        ("audit.calls_per_agent", terms.audit_calls_per_agent),
        ("termination.same_criterion_months", terms.same_criterion_months),
        ("termination.penalty_share_months", terms.penalty_share_months),
    ):
        _check_number(terms, path, value)
    _check_checklist(terms)
    _check_share_rule(terms)
    if not terms.criteria:
        raise InvalidInput(ContractProblem.NO_CRITERIA, field="criterion", line=terms.line(""))
    if len(terms.criteria) > MAX_CRITERIA:
        raise InvalidInput(
            ContractProblem.TOO_MANY,
            field="criterion",
            line=terms.line(f"criterion.{MAX_CRITERIA}"),
            what="criterion",
            limit=MAX_CRITERIA,
        )
    seen: set[str] = set()
    for criterion in terms.criteria:
        _check_criterion(terms, criterion, currency)
        if criterion.key in seen:
            raise InvalidInput(
                ContractProblem.CRITERION_KEY_TWICE,
                field="key",
                line=terms.line(f"criterion.{criterion.index}.key"),
                key=criterion.key,
            )
        seen.add(criterion.key)


def _check_money(terms: ContractTerms, path: str, money: Money, currency: str) -> None:
    if money.currency.upper() != currency:
        raise InvalidInput(
            ContractProblem.CURRENCY_MISMATCH,
            field=path,
            line=terms.line(path),
            given=money.currency,
            currency=currency,
        )


def _check_dates(terms: ContractTerms) -> None:
    if terms.effective_from.day != 1:
        raise InvalidInput(
            ContractProblem.EFFECTIVE_NOT_FIRST_DAY,
            field="effective",
            line=terms.line("effective"),
            day=terms.effective_from,
            first=terms.effective_from.replace(day=1),
        )
    until = terms.effective_until
    if until is None:
        return
    if until < terms.effective_from:
        raise InvalidInput(
            ContractProblem.UNTIL_BEFORE_EFFECTIVE,
            field="until",
            line=terms.line("until"),
            until=until,
            effective=terms.effective_from,
        )
    if (until + timedelta(days=1)).day != 1:
        raise InvalidInput(
            ContractProblem.UNTIL_NOT_LAST_DAY,
            field="until",
            line=terms.line("until"),
            day=until,
            last=add_months(until.replace(day=1), 1) - timedelta(days=1),
        )


def _check_checklist(terms: ContractTerms) -> None:
    if len(terms.audit_checklist) > MAX_CHECKLIST_ITEMS:
        raise InvalidInput(
            ContractProblem.TOO_MANY,
            field="audit.checklist",
            line=terms.line("audit.checklist"),
            what="checklist",
            limit=MAX_CHECKLIST_ITEMS,
        )
    for item in terms.audit_checklist:
        if not item.strip() or len(item) > MAX_CHECKLIST_ITEM_CHARS:
            raise InvalidInput(
                ContractProblem.CHECKLIST_ITEM_INVALID,
                field="audit.checklist",
                line=terms.line("audit.checklist"),
                item=item,
                limit=MAX_CHECKLIST_ITEM_CHARS,
            )
    audited = any(c.metric == Metric.AUDIT_SCORE for c in terms.criteria)
    if (terms.audit_calls_per_agent or audited) and not terms.audit_checklist:
        raise InvalidInput(
            ContractProblem.CHECKLIST_MISSING,
            field="audit.checklist",
            line=terms.line("audit"),
        )
    if audited and not terms.audit_calls_per_agent:
        raise InvalidInput(
            ContractProblem.NUMBER_OUT_OF_RANGE,
            field="audit.calls_per_agent",
            line=terms.line("audit.calls_per_agent"),
            key="calls_per_agent",
            value=0,
            low=1,
            high=NUMBER_RANGES["audit.calls_per_agent"][1],
        )


def _check_share_rule(terms: ContractTerms) -> None:
    given = (terms.penalty_share is not None, terms.penalty_share_months is not None)
    if any(given) and not all(given):
        missing = "penalty_share" if terms.penalty_share is None else "penalty_share_months"
        raise InvalidInput(
            ContractProblem.SHARE_RULE_INCOMPLETE,
            field=f"termination.{missing}",
            line=terms.line("termination"),
            missing=missing,
        )
    if terms.penalty_share is not None and not Decimal(0) < terms.penalty_share <= HUNDRED:
        raise InvalidInput(
            ContractProblem.SHARE_OUT_OF_RANGE,
            field="termination.penalty_share",
            line=terms.line("termination.penalty_share"),
            percent=terms.penalty_share,
        )


def _check_criterion(terms: ContractTerms, criterion: CriterionTerms, currency: str) -> None:
    path = f"criterion.{criterion.index}"
    if not _KEY.fullmatch(criterion.key):
        raise InvalidInput(
            ContractProblem.CRITERION_KEY_INVALID,
            field="key",
            line=terms.line(f"{path}.key"),
            key=criterion.key,
        )
    try:
        metric = Metric(criterion.metric.strip().lower())
    except ValueError:
        raise InvalidInput(
            ContractProblem.METRIC_UNKNOWN,
            field="metric",
            line=terms.line(f"{path}.metric"),
            metric=criterion.metric,
            metrics=[m.value for m in Metric],
        ) from None
    spec = CATALOGUE[metric]
    if criterion.two_targets:
        raise InvalidInput(
            ContractProblem.TARGET_TWICE, field="target", line=terms.line(f"{path}.at_most")
        )
    if criterion.target is None or criterion.comparison is None:
        raise InvalidInput(
            ContractProblem.TARGET_MISSING, field="target", line=terms.line(path), key=criterion.key
        )
    target_path = f"{path}.{criterion.comparison.value.replace('-', '_')}"
    if criterion.percent and spec.unit is not Unit.SHARE:
        raise InvalidInput(
            ContractProblem.TARGET_NOT_PERCENT,
            field="target",
            line=terms.line(target_path),
            metric=metric,
        )
    if not Decimal(0) <= target_of(metric, criterion.target) <= spec.high:
        high = spec.high * HUNDRED if spec.unit is Unit.SHARE else spec.high
        raise InvalidInput(
            ContractProblem.TARGET_OUT_OF_RANGE,
            field="target",
            line=terms.line(target_path),
            metric=metric,
            target=criterion.target,
            low=Decimal(0),
            high=high,
            unit=spec.unit,
        )
    _check_penalty(terms, criterion, path, currency)


def _check_penalty(
    terms: ContractTerms, criterion: CriterionTerms, path: str, currency: str
) -> None:
    if criterion.penalty is not None and criterion.weight is not None:
        raise InvalidInput(
            ContractProblem.PENALTY_TWICE, field="penalty", line=terms.line(f"{path}.weight")
        )
    if criterion.penalty is None and criterion.weight is None:
        raise InvalidInput(
            ContractProblem.PENALTY_MISSING,
            field="penalty",
            line=terms.line(path),
            key=criterion.key,
        )
    if criterion.penalty is not None:
        _check_money(terms, f"{path}.penalty", criterion.penalty, currency)
        if criterion.penalty.amount <= 0:
            raise InvalidInput(
                ContractProblem.PENALTY_NOT_POSITIVE,
                field="penalty",
                line=terms.line(f"{path}.penalty"),
            )
    if criterion.weight is not None and not Decimal(0) < criterion.weight <= HUNDRED:
        raise InvalidInput(
            ContractProblem.WEIGHT_OUT_OF_RANGE,
            field="weight",
            line=terms.line(f"{path}.weight"),
            percent=criterion.weight,
        )


def target_of(metric: Metric, written: Decimal) -> Decimal:
    """A target as written, in the metric's unit: percents of share metrics become fractions."""
    return _percent_share(written) if CATALOGUE[metric].unit is Unit.SHARE else written


# --- storing and reading versions -------------------------------------------------------------


def import_contract(
    session: Session,
    *,
    actor: Actor,
    team_slug: str,
    terms: ContractTerms,
    now: datetime | None = None,
) -> VersionFacts:
    """Store the terms as the team's next contract version, all or nothing.

    The version must start after every stored version's start, must not reach into a
    version that has an end date, nor into a month already judged by a statement.
    """
    now = now or utcnow()
    begin_write(session)
    team = team_by_slug(session, team_slug)
    require(actor, Action.CONTRACT_WRITE, team_id=team.id)
    if team.operator is None:
        raise Conflict(ContractProblem.NOT_OUTSOURCED, team=team.slug)
    check_terms(terms, team)
    contract = session.exec(select(Contract).where(Contract.team_id == team.id)).first()
    if contract is None:
        contract = Contract(team_id=team.id or 0, audit_seed=secrets.token_hex(16), created_at=now)
        session.add(contract)
        session.flush()
    _check_overlap(session, contract, terms)
    number = (
        session.exec(
            select(func.max(ContractVersion.number)).where(
                ContractVersion.contract_id == contract.id
            )
        ).one()
        or 0
    ) + 1
    version = ContractVersion(
        contract_id=contract.id or 0,
        team_id=team.id or 0,
        number=number,
        effective_from=terms.effective_from,
        effective_until=terms.effective_until,
        monthly_fee=terms.monthly_fee.amount,
        currency=team.currency.upper(),
        at_risk=_percent_share(terms.at_risk),
        complaint_answer_days=terms.complaint_answer_days,
        contest_days=terms.contest_days,
        statement_day=terms.statement_day,
        audit_calls_per_agent=terms.audit_calls_per_agent,
        audit_checklist=[item.strip() for item in terms.audit_checklist],
        same_criterion_months=terms.same_criterion_months,
        penalty_share=(
            _percent_share(terms.penalty_share) if terms.penalty_share is not None else None
        ),
        penalty_share_months=terms.penalty_share_months,
        source_text=terms.source,
        imported_at=now,
    )
    session.add(version)
    session.flush()
    for position, criterion in enumerate(terms.criteria):
        metric = Metric(criterion.metric.strip().lower())
        assert criterion.target is not None and criterion.comparison is not None  # checked
        session.add(
            ContractCriterion(
                version_id=version.id or 0,
                position=position,
                key=criterion.key,
                metric=metric.value,
                per_agent=criterion.per_agent,
                comparison=criterion.comparison.value,
                target=target_of(metric, criterion.target),
                penalty=criterion.penalty.amount if criterion.penalty else None,
                weight=_percent_share(criterion.weight) if criterion.weight is not None else None,
            )
        )
    try:
        session.commit()
    except IntegrityError:  # a concurrent import took the number or the date
        session.rollback()
        raise Conflict(
            ContractProblem.VERSIONS_OVERLAP,
            field="effective",
            line=terms.line("effective"),
            version=number - 1,
            effective=terms.effective_from,
            until=None,
        ) from None
    facts = contract_facts(session, team)
    return next(v for v in facts.versions if v.number == number)


def _check_overlap(session: Session, contract: Contract, terms: ContractTerms) -> None:
    versions = session.exec(
        select(ContractVersion)
        .where(ContractVersion.contract_id == contract.id)
        .order_by(col(ContractVersion.effective_from))
    ).all()
    for version in versions:
        ends = version.effective_until
        if version.effective_from >= terms.effective_from or (
            ends is not None and ends >= terms.effective_from
        ):
            raise Conflict(
                ContractProblem.VERSIONS_OVERLAP,
                field="effective",
                line=terms.line("effective"),
                version=version.number,
                effective=version.effective_from,
                until=ends,
            )
    judged = session.exec(
        select(func.max(Statement.month)).where(
            Statement.team_id == contract.team_id, Statement.month >= terms.effective_from
        )
    ).one()
    if judged is not None:
        raise Conflict(
            ContractProblem.MONTH_ALREADY_JUDGED,
            field="effective",
            line=terms.line("effective"),
            month=judged,
        )


def _criterion_facts(row: ContractCriterion) -> CriterionFacts:
    return CriterionFacts(
        key=row.key,
        metric=Metric(row.metric),
        per_agent=row.per_agent,
        comparison=Comparison(row.comparison),
        target=plain(Decimal(row.target)) if row.target is not None else Decimal(0),
        penalty=Decimal(row.penalty) if row.penalty is not None else None,
        weight=plain(Decimal(row.weight)) if row.weight is not None else None,
    )


def _version_facts(
    row: ContractVersion, criteria: list[ContractCriterion], ends_on: date | None
) -> VersionFacts:
    return VersionFacts(
        id=row.id or 0,
        number=row.number,
        effective_from=row.effective_from,
        effective_until=row.effective_until,
        monthly_fee=Decimal(row.monthly_fee),
        currency=row.currency,
        at_risk=plain(Decimal(row.at_risk)),
        complaint_answer_days=row.complaint_answer_days,
        contest_days=row.contest_days,
        statement_day=row.statement_day,
        audit_calls_per_agent=row.audit_calls_per_agent,
        audit_checklist=tuple(row.audit_checklist or ()),
        criteria=tuple(_criterion_facts(c) for c in sorted(criteria, key=lambda c: c.position)),
        same_criterion_months=row.same_criterion_months,
        penalty_share=plain(Decimal(row.penalty_share)) if row.penalty_share is not None else None,
        penalty_share_months=row.penalty_share_months,
        imported_at=row.imported_at,
        ends_on=ends_on,
    )


def contract_facts(session: Session, team: Team) -> ContractFacts:
    """Every version of a team's contract (none when it has no contract), oldest first."""
    rows = session.exec(
        select(ContractVersion)
        .where(ContractVersion.team_id == team.id)
        .order_by(col(ContractVersion.effective_from))
    ).all()
    ids = [row.id for row in rows]
    criteria: dict[int, list[ContractCriterion]] = {}
    if ids:
        for criterion in session.exec(
            select(ContractCriterion).where(col(ContractCriterion.version_id).in_(ids))
        ):
            criteria.setdefault(criterion.version_id, []).append(criterion)
    versions = []
    for index, row in enumerate(rows):
        ends_on = row.effective_until
        if index + 1 < len(rows):
            before_next = rows[index + 1].effective_from - timedelta(days=1)
            ends_on = min(ends_on, before_next) if ends_on else before_next
        versions.append(_version_facts(row, criteria.get(row.id or 0, []), ends_on))
    return ContractFacts(OutsourcedTeam.of(team), tuple(versions))


def show_contract(session: Session, *, actor: Actor, team_slug: str) -> ContractFacts:
    """A team's contract for reading: refused when the team has none."""
    team = team_by_slug(session, team_slug)
    require(actor, Action.CONTRACT_READ, team_id=team.id)
    facts = contract_facts(session, team)
    if not facts.versions:
        raise NotFound(ContractProblem.NO_CONTRACT, team=team.slug, outsourced=bool(team.operator))
    return facts


def version_in_force(session: Session, team: Team, month: date) -> VersionFacts:
    """The version that judges a month, or NotFound saying which months have one."""
    facts = contract_facts(session, team)
    if not facts.versions:
        raise NotFound(ContractProblem.NO_CONTRACT, team=team.slug, outsourced=bool(team.operator))
    version = facts.in_force(month)
    if version is None:
        raise NotFound(
            ContractProblem.NO_VERSION_FOR_MONTH,
            team=team.slug,
            month=month,
            first=facts.versions[0].effective_from,
        )
    return version


# --- working-day deadlines --------------------------------------------------------------------


def working_deadline(calendar: WorkingCalendar, moment: datetime, days: int) -> datetime:
    """The end (local midnight) of the `days`-th working day after the local day of `moment`."""
    day = moment.astimezone(calendar.zone).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return datetime.combine(day + timedelta(days=1), time.min, calendar.zone).astimezone(UTC)


def nth_working_day(calendar: WorkingCalendar, month: date, n: int) -> date:
    """The `n`-th working day of a month (the month's last one when it has fewer)."""
    last_day = add_months(month, 1) - timedelta(days=1)
    days = list(calendar.working_days(month, last_day))
    if not days:
        return month
    return days[min(n, len(days)) - 1]
