"""Block Kit helpers: long tables split into sections, error messages with examples."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks import SECTION_LIMIT, code_sections


def _chunks(blocks):
    """The table text inside each section, without its ``` fences."""
    texts = []
    for block in blocks:
        assert block["type"] == "section"
        assert block["text"]["type"] == "mrkdwn"
        text = block["text"]["text"]
        assert text.startswith("```")
        assert text.endswith("```")
        texts.append(text[3:-3])
    return texts


def test_ten_thousand_character_table_is_split_between_lines():
    lines = [f"{n:03d} | " + "Acme Corp".ljust(130, ".") for n in range(73)]
    assert {len(line) for line in lines} == {136}
    table = "\n".join(lines)
    assert len(table) == 10_000  # 73 lines of 136 characters and 72 newlines

    blocks = code_sections(table)
    chunks = _chunks(blocks)
    assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in blocks)
    # Every line is kept, in order, and no line is cut in two.
    assert "\n".join(chunks) == table
    assert [line for chunk in chunks for line in chunk.split("\n")] == table.split("\n")
    # 137 characters per line with its newline: 21 lines fit in 2 992, the 22nd does not.
    assert [len(chunk.split("\n")) for chunk in chunks] == [21, 21, 21, 10]
    assert len(chunks[0]) == 21 * 136 + 20
    assert len(blocks[0]["text"]["text"]) == 2876 + 6


def test_short_table_is_one_section():
    assert code_sections("a | b\n1 | 2") == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "```a | b\n1 | 2```"}}
    ]


def test_empty_table_is_no_section():
    assert code_sections("") == []


def test_a_line_longer_than_a_section_is_shortened_not_lost():
    table = "head\n" + "w" * 5000 + "\ntail"
    chunks = _chunks(code_sections(table))
    assert all(len(c) + 6 <= SECTION_LIMIT for c in chunks)
    lines = [line for chunk in chunks for line in chunk.split("\n")]
    assert lines[0] == "head"
    assert lines[-1] == "tail"
    assert len(lines) == 3
    assert lines[1] == "w" * (SECTION_LIMIT - 8)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.characters(exclude_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
            max_size=300,
        ),
        min_size=1,
        max_size=60,
    )
)
def test_sections_keep_every_line_within_the_limit(lines):
    table = "\n".join(lines)
    blocks = code_sections(table)
    assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in blocks)
    # Every line splitlines() sees is kept (a trailing empty line is not a table row).
    assert [line for c in _chunks(blocks) for line in c.split("\n")] == (
        table.splitlines() if table else []
    )
