"""What outsourced cells read: refusals, the statement in Slack, PDF and CSV, the post the
worker composes, and the terminal commands."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, func
from sqlmodel import select

from bot.blocks import LIMITS
from bot.grammar.contract_file import read_contract
from bot.i18n import LANGUAGES, Reader, reader_for
from bot.views.problems import describe, refusal_text, registry
from bot.views.sla import contract_text, statement_messages, statement_sheet, statement_text
from bot.views.sla_csv import statement_csv
from bot.views.sla_pdf import statement_pdf
from models.actors import TERMINAL
from models.audits import AuditProblem
from models.complaints import Category, ComplaintProblem, lodge_complaint
from models.contracts import ContractProblem, import_contract, show_contract
from models.db import session_scope
from models.errors import DomainError, InvalidInput
from models.ledger import ensure_entry
from models.statements import StatementFacts, StatementProblem, issue_statement, statement_of
from models.tables import PostLedger, Statement
from tests.sla_world import EXAMPLE, SAM, actor, london, october, seed_uk, team
from tests.test_cli import leadcell
from worker.statements import (
    PROVIDER_STATEMENT,
    TEAM_STATEMENT,
    compose_statement,
    statement_due,
)

OCTOBER = date(2026, 10, 1)
ISSUED = london(2026, 11, 3, 9, 0)
SLA_PROBLEMS = (ContractProblem, ComplaintProblem, AuditProblem, StatementProblem)
ENGLISH = Reader("en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sla_problem_is_worded_with_its_sample(language: str) -> None:
    reader = Reader(language)
    wordings = registry()
    for enum in SLA_PROBLEMS:
        for problem in enum:
            registered = wordings[problem]
            said = registered.wording(reader, registered.sample)
            assert said.message and "{" not in said.message, problem
            assert said.example is None or "{" not in said.example, problem


def said(error: DomainError) -> str:
    return refusal_text(describe(error, ENGLISH), ENGLISH)


def test_a_contract_file_refusal_names_the_line_and_shows_a_correct_line() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'metric = "lead-rate"', 'metric = "lead_rates"'
    )
    terms = read_contract(text)
    from models.contracts import check_terms
    from models.tables import Team

    with pytest.raises(InvalidInput) as refused:
        check_terms(terms, Team(slug="uk", name="UK", timezone="Europe/London", currency="GBP"))
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "lead_rates" in x)
    assert said(refused.value) == (
        f"Line {line}: `lead_rates` is not a metric. Metrics: `useful-contacts-per-day`, "
        "`lead-rate`, `leads`, `acceptance-rate`, `complete-data`, `callbacks-on-time`, "
        '`complaints-per-100-leads` and `audit-score`. Example: metric = "lead-rate"'
    )


def test_a_penalty_without_currency_is_refused_in_words() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('penalty = "500 GBP"', "penalty = 500")
    with pytest.raises(InvalidInput) as refused:
        read_contract(text)
    assert said(refused.value) == (
        "Line 63: the amount `500` has no currency; write every amount in quotes with its "
        'currency. Example: penalty = "500 GBP"'
    )


@pytest.fixture
def issued(engine: Engine) -> tuple[Engine, StatementFacts]:
    seed_uk(engine)
    recorded = october(engine)
    with session_scope(engine) as session:
        lodge_complaint(
            session,
            actor=actor(engine, SAM),
            category=Category.DATA_MISSING,
            comment="no contact person",
            request_key="c1",
            lead_id=recorded.leads["amy-2"],
            now=london(2026, 10, 12, 9, 0),
        )
    with session_scope(engine) as session:
        facts = issue_statement(
            session, actor=TERMINAL, team_id=team(session).id or 0, month=OCTOBER, now=ISSUED
        )
    return engine, facts


def test_the_statement_in_slack_fits_its_limits(issued: tuple[Engine, StatementFacts]) -> None:
    _, facts = issued
    (posted,) = statement_messages(facts, reader_for("en", timezone="Europe/London"))
    assert len(posted["blocks"]) <= LIMITS["message_blocks"]
    for block in posted["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= LIMITS["section_text"]
    words = json.dumps(posted, ensure_ascii=False)
    assert "Statement of Northline Contact for United Kingdom, October 2026" in words
    assert "complete-data" in words and "£2,160" in words
    assert posted["text"] == (
        "Statement of Northline Contact for United Kingdom, October 2026: penalties £1,640, "
        "fee less penalties £16,360."
    )


def test_the_statement_text_has_every_part(issued: tuple[Engine, StatementFacts]) -> None:
    _, facts = issued
    text = statement_text(facts, reader_for("en", timezone="Europe/London"))
    for expected in (
        "Issued on 3 November 2026. The provider may contest a missed line until 11 Nov 00:00.",
        "missed: 2 agents",
        "not measured yet",
        "Penalties before the cap",
        "1 lodged, 1 not answered in time, 0 disputed.",
        "contacts is missed 1 month running; termination comes at 3.",
        "Penalties have been over 10% of the fee for 0 months running; termination comes at 2.",
        "The termination trigger is not reached.",
    ):
        assert expected in text, expected
    assert re.search(r"Penalties before the cap +£1,640\n", text)


def pdf_text(content: bytes) -> tuple[str, PdfReader]:
    document = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in document.pages), document


def test_the_pdf_is_a4_with_selectable_text(issued: tuple[Engine, StatementFacts]) -> None:
    _, facts = issued
    content = statement_pdf(facts, reader_for("en", timezone="Europe/London", currency="GBP"))
    assert content.startswith(b"%PDF")
    text, document = pdf_text(content)
    width, height = (float(v) for v in document.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert document.metadata is not None
    assert document.metadata.title == statement_sheet(facts, Reader("en")).title
    flat = re.sub(r"\s+", " ", text)
    for expected in (
        "Statement of Northline Contact for United Kingdom, October 2026",
        "agent-contacts",
        "Audit score",
        "£1,640",
        "£16,360",
        "The termination trigger is not reached.",
    ):
        assert expected in flat, expected
    # The same statement gives the same document.
    again = statement_pdf(facts, reader_for("en", timezone="Europe/London", currency="GBP"))
    assert again == content


def test_the_pdf_speaks_the_team_language(issued: tuple[Engine, StatementFacts]) -> None:
    _, facts = issued
    text, _ = pdf_text(statement_pdf(facts, reader_for("fr", timezone="Europe/London")))
    flat = re.sub(r"\s+", " ", text)
    assert "octobre 2026" in flat
    assert "1 640" in flat.replace("\u202f", " ").replace("\u00a0", " ")


def test_the_csv_has_a_row_per_line_and_the_totals(issued: tuple[Engine, StatementFacts]) -> None:
    _, facts = issued
    rows = list(csv.DictReader(io.StringIO(statement_csv(facts).decode("utf-8"))))
    lines = {row["key"]: row for row in rows if row["kind"] == "criterion"}
    assert lines["audit"]["penalty"] == "0.00"  # no audit this month: no data
    assert lines["contacts"] == {
        "month": "2026-10",
        "kind": "criterion",
        "key": "contacts",
        "metric": "useful-contacts-per-day",
        "per_agent": "no",
        "comparison": "at-least",
        "target": "30",
        "measured": "0.6",
        "state": "missed",
        "breaches": "1",
        "penalty": "540.00",
        "currency": "GBP",
        "contest": "",
    }
    totals = {row["key"]: row["penalty"] for row in rows if row["kind"] == "total"}
    assert totals["penalties-after-cap"] == "1640.00"
    assert totals["fee-less-penalties"] == "16360.00"


def test_the_worker_posts_the_issued_statement_to_both_channels(engine: Engine) -> None:
    seed_uk(engine)
    october(engine)
    with session_scope(engine) as session:
        uk = team(session)
        due = statement_due(session, uk, OCTOBER)
        assert due is not None
        # Tuesday 3 November is the 2nd working day; the report time is 09:00 (GMT).
        assert due.due_at == london(2026, 11, 3, 9, 0)
        assert statement_due(session, uk, date(2026, 9, 1)) is None
        posts = {}
        for kind in (TEAM_STATEMENT, PROVIDER_STATEMENT):
            entry = ensure_entry(
                session,
                kind=kind,
                team_id=uk.id or 0,
                period="2026-10",
                due_at=due.due_at,
                grace_until=due.grace_until,
                now=ISSUED,
            )
            posts[kind] = compose_statement(session, uk, entry, ISSUED)
        assert session.exec(select(func.count()).select_from(Statement)).one() == 1
        assert session.exec(select(func.count()).select_from(PostLedger)).one() == 2
    team_post, provider_post = posts[TEAM_STATEMENT], posts[PROVIDER_STATEMENT]
    assert team_post is not None and provider_post is not None
    assert (team_post.channel, provider_post.channel) == ("C0DIGESTUK", "C0NORTHLINE")
    assert [f.filename for f in team_post.files] == [
        "statement-uk-2026-10.pdf",
        "statement-uk-2026-10.csv",
    ]
    assert team_post.files[0].content == provider_post.files[0].content
    assert team_post.messages == provider_post.messages


def test_terminal_commands(tmp_path: Path, engine: Engine) -> None:
    url = f"sqlite:///{tmp_path / 'sla.db'}"
    run = lambda *args: leadcell(*args, cwd=tmp_path, DATABASE_URL=url)  # noqa: E731
    assert run("team", "add", "uk", "UK", "tz=Europe/London", "currency=GBP").returncode == 0
    refused = run("contract", "import", "uk", str(EXAMPLE))
    assert refused.returncode == 1
    assert "Team `uk` is in-house" in refused.stderr
    assert run("contract", "operator", "uk", "Northline Contact").returncode == 0
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(EXAMPLE.read_text().replace('at_risk = "12 %"', 'at_risk = "120 %"'))
    capped = run("contract", "import", "uk", str(wrong))
    assert capped.returncode == 1
    assert capped.stderr.startswith("leadcell: Line 8: at most the whole fee can be at risk")
    assert 'Example: at_risk = "12 %"' in capped.stderr
    imported = run("contract", "import", "uk", str(EXAMPLE))
    assert imported.stdout.strip() == (
        "Recorded version 1 of the contract of uk, in force from 2026-10-01."
    )
    assert "Monthly fee £18,000; 12% at risk" in run("contract", "show", "uk").stdout
    pdf = tmp_path / "october.pdf"
    statement = run("sla", "statement", "uk", "2026-10", "--pdf", str(pdf))
    assert (
        statement.returncode == 0 and "Draft: this statement is not issued yet" in statement.stdout
    )
    assert "Statement of Northline Contact for UK, October 2026" in pdf_text(pdf.read_bytes())[0]
    not_issued = run("sla", "verify", "uk", "2026-10")
    assert not_issued.returncode == 1 and "is not issued yet" in not_issued.stderr
    sample = run("sla", "sample", "uk", "2026-10")
    assert "Audit sample of UK, October 2026: 0 of 0 calls audited." in sample.stdout


def test_the_contract_reads_in_the_terminal(engine: Engine) -> None:
    seed_uk(engine)
    amended = EXAMPLE.read_text().replace("effective = 2026-10-01", "effective = 2027-01-01")
    with session_scope(engine) as session:
        import_contract(
            session, actor=TERMINAL, team_slug="uk", terms=read_contract(amended), now=ISSUED
        )
    with session_scope(engine) as session:
        facts = show_contract(session, actor=TERMINAL, team_slug="uk")
    text = contract_text(facts, reader_for("en", timezone="Europe/London"))
    assert text.index("Version 2, from 1 January 2027") < text.index(
        "Version 1, from 1 October 2026 until 31 December 2026"
    )
    assert (
        "• agent-contacts: Useful contacts per working day, each agent, at least 8.0; "
        "£150 per breach." in text
    )


def test_a_draft_is_labelled_as_such(engine: Engine) -> None:
    seed_uk(engine)
    with session_scope(engine) as session:
        facts = statement_of(session, actor=TERMINAL, team_slug="uk", month=OCTOBER, now=ISSUED)
    assert facts.draft and facts.penalties_after_cap == Decimal("540.00")
    sheet = statement_sheet(facts, Reader("en"))
    assert sheet.status.startswith("Draft:")
