"""Contract files and versions: read, checked with the line at fault, stored all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from bot.grammar.contract_file import read_contract
from models.actors import TERMINAL
from models.contracts import (
    ContractProblem,
    import_contract,
    set_operator,
    show_contract,
    version_in_force,
)
from models.db import session_scope
from models.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from models.policy import PolicyProblem
from models.sla_metrics import Comparison, Metric
from models.tables import ContractCriterion, ContractVersion
from tests.sla_world import ADA, AMY, EXAMPLE, MONA, SAM, actor, london, seed_uk, team

TEXT = EXAMPLE.read_text(encoding="utf-8")


def changed(old: str, new: str, text: str = TEXT) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    """The line of the last occurrence of `fragment`."""
    return max(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def import_text(engine: Engine, text: str, *, user: str | None = None) -> object:
    with session_scope(engine) as session:
        return import_contract(
            session,
            actor=actor(engine, user) if user else TERMINAL,
            team_slug="uk",
            terms=read_contract(text),
            now=london(2026, 11, 5, 10, 0),
        )


def versions(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(ContractVersion)).one()


def test_the_example_contract_is_stored_with_its_terms(engine: Engine) -> None:
    seed_uk(engine)
    with session_scope(engine) as session:
        contract = show_contract(session, actor=actor(engine, MONA), team_slug="uk")
    (version,) = contract.versions
    assert contract.team.operator == "Northline Contact"
    assert (version.number, version.effective_from, version.ends_on) == (1, date(2026, 10, 1), None)
    assert (version.monthly_fee, version.currency, version.at_risk) == (
        Decimal("18000.00"),
        "GBP",
        Decimal("0.12"),
    )
    assert version.cap == Decimal("2160.00")
    assert (version.complaint_answer_days, version.contest_days, version.statement_day) == (3, 5, 2)
    assert version.audit_calls_per_agent == 5 and len(version.audit_checklist) == 4
    assert [c.key for c in version.criteria] == [
        "contacts",
        "agent-contacts",
        "lead-rate",
        "acceptance",
        "complete-data",
        "callbacks",
        "complaints",
        "audit",
    ]
    lead_rate = version.criteria[2]
    assert (lead_rate.metric, lead_rate.comparison, lead_rate.target, lead_rate.weight) == (
        Metric.LEAD_RATE,
        Comparison.AT_LEAST,
        Decimal("0.09"),
        Decimal("0.25"),
    )
    assert version.criteria[1].per_agent and version.criteria[1].penalty == Decimal("150.00")
    assert (version.same_criterion_months, version.penalty_share) == (3, Decimal("0.1"))


@pytest.mark.parametrize(
    ("old", "new", "problem", "fragment"),
    [
        (
            'metric = "lead-rate"',
            'metric = "lead_rates"',
            ContractProblem.METRIC_UNKNOWN,
            "lead_rates",
        ),
        ('at_least = "9 %"', 'at_least = "150 %"', ContractProblem.TARGET_OUT_OF_RANGE, "150 %"),
        ("at_most = 5", "at_most = -1", ContractProblem.TARGET_OUT_OF_RANGE, "at_most = -1"),
        ('penalty = "500 GBP"', "penalty = 500", ContractProblem.AMOUNT_WITHOUT_CURRENCY, "= 500"),
        (
            'penalty = "300 GBP"',
            'penalty = "300"',
            ContractProblem.AMOUNT_WITHOUT_CURRENCY,
            '"300"',
        ),
        (
            'penalty = "300 GBP"',
            'penalty = "300 EUR"',
            ContractProblem.CURRENCY_MISMATCH,
            "300 EUR",
        ),
        ('at_risk = "12 %"', 'at_risk = "120 %"', ContractProblem.CAP_ABOVE_100, "120 %"),
        (
            'monthly_fee = "18 000 GBP"',
            'monthly_fee = "18 000 €"',
            ContractProblem.CURRENCY_MISMATCH,
            "€",
        ),
        (
            "effective = 2026-10-01",
            "effective = 2026-10-15",
            ContractProblem.EFFECTIVE_NOT_FIRST_DAY,
            "2026-10-15",
        ),
        ('weight = "20 %"', 'weigth = "20 %"', ContractProblem.KEY_UNKNOWN, "weigth"),
        ('at_least = "50 %"', 'at_least = "lots"', ContractProblem.PERCENT_UNREADABLE, "lots"),
        (
            "contest_days = 5",
            "contest_days = 90",
            ContractProblem.NUMBER_OUT_OF_RANGE,
            "contest_days = 90",
        ),
        (
            'key = "audit"',
            'key = "contacts"',
            ContractProblem.CRITERION_KEY_TWICE,
            'key = "contacts"',
        ),
        ('per = "agent"', 'per = "desk"', ContractProblem.PER_AGENT_UNREADABLE, "desk"),
        ("at_least = 8", 'at_least = "8 %"', ContractProblem.TARGET_NOT_PERCENT, '"8 %"'),
        (
            'penalty = "150 GBP"',
            'penalty = "150 GBP"\nweight = "5 %"',
            ContractProblem.PENALTY_TWICE,
            '"5 %"',
        ),
        ('team = "uk"', 'team = "de"', ContractProblem.TEAM_MISMATCH, '"de"'),
        (
            "statement_day = 2",
            "statement_day = 2 2",
            ContractProblem.FILE_SYNTAX,
            "statement_day = 2 2",
        ),
    ],
)
def test_a_wrong_file_is_refused_with_its_line_and_nothing_is_stored(
    engine: Engine, old: str, new: str, problem: ContractProblem, fragment: str
) -> None:
    seed_uk(engine, contract=False)
    text = changed(old, new)
    with pytest.raises(DomainError) as refused:
        import_text(engine, text)
    assert refused.value.problem is problem
    assert refused.value.facts["line"] == line_of(text, fragment)
    assert versions(engine) == 0


def test_a_criterion_without_penalty_or_target_names_its_table(engine: Engine) -> None:
    seed_uk(engine, contract=False)
    text = changed('weight = "30 %"\n', "")
    with pytest.raises(InvalidInput) as refused:
        import_text(engine, text)
    assert refused.value.problem is ContractProblem.PENALTY_MISSING
    assert refused.value.facts["key"] == "audit"
    assert refused.value.facts["line"] == line_of(text, 'key = "audit"') - 1  # its [[criterion]]


def test_an_amendment_is_a_new_version_and_old_versions_stay(engine: Engine) -> None:
    seed_uk(engine)
    import_text(
        engine,
        changed("effective = 2026-10-01", "effective = 2027-01-01").replace(
            '"18 000 GBP"', '"19 500 GBP"'
        ),
    )
    with session_scope(engine) as session:
        uk = team(session)
        december = version_in_force(session, uk, date(2026, 12, 1))
        january = version_in_force(session, uk, date(2027, 1, 1))
        facts = show_contract(session, actor=TERMINAL, team_slug="uk")
        with pytest.raises(NotFound) as before:
            version_in_force(session, uk, date(2026, 9, 1))
    assert (december.number, december.monthly_fee, december.ends_on) == (
        1,
        Decimal("18000.00"),
        date(2026, 12, 31),
    )
    assert (january.number, january.monthly_fee) == (2, Decimal("19500.00"))
    assert [v.number for v in facts.versions] == [1, 2]
    assert before.value.problem is ContractProblem.NO_VERSION_FOR_MONTH


def test_overlapping_versions_are_refused(engine: Engine) -> None:
    seed_uk(
        engine, text=changed("effective = 2026-10-01", "effective = 2026-10-01\nuntil = 2027-03-31")
    )
    for effective in ("2026-10-01", "2026-08-01", "2027-02-01"):
        text = changed("effective = 2026-10-01", f"effective = {effective}")
        with pytest.raises(Conflict) as refused:
            import_text(engine, text)
        assert refused.value.problem is ContractProblem.VERSIONS_OVERLAP
        assert refused.value.facts["line"] == line_of(text, "effective =")
        assert refused.value.facts["version"] == 1
    import_text(engine, changed("effective = 2026-10-01", "effective = 2027-04-01"))
    assert versions(engine) == 2


def test_only_admins_record_a_contract_and_only_for_an_outsourced_team(
    engine: Engine, roster: Engine
) -> None:
    seed_uk(engine, contract=False)
    for user in (MONA, SAM, AMY):
        with pytest.raises(NotAllowed) as refused:
            import_text(engine, TEXT, user=user)
        assert refused.value.problem is PolicyProblem.ROLE_NEEDED
    with session_scope(engine) as session:
        set_operator(session, actor=TERMINAL, team_slug="uk", operator=None)
    with pytest.raises(Conflict) as in_house:
        import_text(engine, TEXT, user=ADA)
    assert in_house.value.problem is ContractProblem.NOT_OUTSOURCED
    assert versions(engine) == 0
    with session_scope(engine) as session:
        criteria = session.exec(select(func.count()).select_from(ContractCriterion)).one()
    assert criteria == 0


def test_reading_a_contract_is_for_managers_admins_and_the_provider(engine: Engine) -> None:
    seed_uk(engine)
    for user in (MONA, ADA, AMY):
        with session_scope(engine) as session:
            assert show_contract(session, actor=actor(engine, user), team_slug="uk").versions
    with session_scope(engine) as session, pytest.raises(NotAllowed):
        show_contract(session, actor=actor(engine, SAM), team_slug="uk")


def test_a_team_without_contract_says_so(engine: Engine) -> None:
    seed_uk(engine, contract=False)
    with session_scope(engine) as session, pytest.raises(NotFound) as refused:
        show_contract(session, actor=TERMINAL, team_slug="uk")
    assert refused.value.problem is ContractProblem.NO_CONTRACT
    with session_scope(engine) as session, pytest.raises(NotFound) as unknown:
        show_contract(session, actor=TERMINAL, team_slug="xx")
    assert unknown.value.problem is ContractProblem.TEAM_NOT_FOUND
    assert unknown.value.facts["teams"] == ["uk"]
