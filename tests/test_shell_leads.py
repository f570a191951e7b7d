"""The lead flow in `leadcell shell`: hand a lead, press its buttons, reply in its thread."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlmodel import select

from models.db import make_engine, session_scope
from models.tables import Lead
from tests.test_shell import run_shell as run_shell_process

LEAD_SESSION = (
    "/lead @marc Acme Corp -- invoice capture value=120k\n"
    "as @claire\n"
    "click L-0001 claim\n"
    "as @marc\n"
    "click L-0001 claim\n"
    "reply L-0001 qualify\n"
    "reply L-0001 see you at the demo\n"
    "reply L-0009 claim\n"
    "reply L-0001 wonn 95k\n"
    "reply L-0001 won 95k\n"
)


def run_shell(tmp_path: Path, commands: str) -> str:
    return run_shell_process(tmp_path, commands).stdout


def position(output: str, text: str, after: int = 0) -> int:
    """Where `text` appears in `output` after `after`; fails naming what is missing."""
    found = output.find(text, after)
    assert found >= 0, f"{text!r} not in the shell output after position {after}:\n{output}"
    return found


def stored_leads(tmp_path: Path) -> list[Lead]:
    engine = make_engine(f"sqlite:///{tmp_path}/shell.db")
    try:
        with session_scope(engine) as session:
            return list(session.exec(select(Lead).order_by(Lead.id)))
    finally:
        engine.dispose()


def test_a_lead_from_hand_off_to_won_in_the_shell(tmp_path: Path) -> None:
    output = run_shell(tmp_path, LEAD_SESSION)

    # The hand-off: the agent's answer, the card with its Claim button, marc's DM.
    at = position(output, "camille> /lead @marc Acme Corp -- invoice capture value=120k")
    at = position(output, "L-0001 · *Acme Corp* is handed to @marc.", at)
    at = position(output, "[#C0LEADSFR]", at)
    card = output[at : position(output, "camille> as @claire", at)]
    for shown in (
        "*L-0001 · Acme Corp*",
        "invoice capture",
        "*Value:* €120,000",
        "*Detected by:* @camille",
        "*Assigned to:* @marc",
        "*Status:* New, waiting to be claimed",
        "[ Claim ]",
    ):
        assert shown in card, (shown, card)
    assert "@camille handed you L-0001" in card
    assert "\n  Open the card (https://leadcell-fake.slack.com/archives/C0LEADSFR/p" in card

    # claire may not claim marc's lead: she is told, the card does not change.
    at = position(output, "claire> click L-0001 claim", at)
    refused = output[at : position(output, "claire> as @marc", at)]
    assert "[only you can see this]" in refused
    assert "handed to @marc: only they can claim it" in refused
    assert "card updated" not in refused

    # marc claims: the card is updated in place, the thread records it, camille hears of it.
    at = position(output, "marc> click L-0001 claim", at)
    at = position(output, "[#C0LEADSFR (card updated)]", at)
    at = position(output, "*Status:* Claimed by @marc", at)
    at = position(output, "[ Qualify ]  [ Won ]  [ Lost ]  [ Reject ]  [ Release ]", at)
    at = position(output, "[#C0LEADSFR (in the thread)]", at)
    at = position(output, "@marc claimed L-0001", at)
    at = position(output, "@marc claimed L-0001 · *Acme Corp*, 0 min after your hand-off.", at)

    at = position(output, "marc> reply L-0001 qualify", at)
    at = position(output, "*Status:* Qualified by @marc", at)
    at = position(output, "@marc qualified L-0001.", at)

    # Talk in the thread is not a command; an unknown card is explained.
    at = position(output, "marc> reply L-0001 see you at the demo", at)
    chatter = output[at : position(output, "marc> reply L-0009 claim", at)]
    assert chatter.strip() == "marc> reply L-0001 see you at the demo"
    at = position(output, "No lead card 'L-0009' on screen (cards: L-0001)", at)

    # A near miss is questioned, to marc only, and does nothing.
    at = position(output, "marc> reply L-0001 wonn 95k", at)
    near = output[at : position(output, "marc> reply L-0001 won 95k", at)]
    assert "[only you can see this]" in near and "Did you mean `won 95k`?" in near
    assert "card updated" not in near
    at = position(output, "marc> reply L-0001 won 95k", at)
    at = position(output, "[#C0LEADSFR (card updated)]", at)
    at = position(output, "*Status:* Won by @marc for €95,000", at)
    at = position(output, "closed", at)
    at = position(output, "@marc marked L-0001 won for €95,000.", at)

    [lead] = stored_leads(tmp_path)
    assert (lead.status, lead.final_value, lead.version, lead.card_version) == (
        "won",
        Decimal("95000"),
        4,
        4,
    )
