"""README's "Who may do what" table says exactly what models.policy enforces."""

from __future__ import annotations

import re
from pathlib import Path

from models.actors import Role
from models.policy import POLICY

ORGANISATION_ADMIN = "organisation admin"
OWN_OBJECT = "on their own object"


def table(readme: str) -> dict[str, set[str]]:
    """The action codes each row of the table names, by its first cell."""
    section = readme.split("## Who may do what", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("role", "---"):
            continue
        assert cells[0] not in rows, f"{cells[0]} has two rows"
        rows[cells[0]] = set(re.findall(r"`([a-z]+\.[a-z]+)`", cells[1]))
    return rows


def test_the_readme_table_matches_the_policy(project_root: Path) -> None:
    rows = table((project_root / "README.md").read_text(encoding="utf-8"))
    expected = {
        role.value: {action.value for action, rule in POLICY.items() if role in rule.roles}
        for role in Role
    }
    expected[ORGANISATION_ADMIN] = {
        action.value for action, rule in POLICY.items() if not rule.roles and not rule.relations
    }
    expected[OWN_OBJECT] = {action.value for action, rule in POLICY.items() if rule.relations}
    assert rows == expected


def test_the_table_reader_sees_a_difference(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text(encoding="utf-8")
    changed = readme.replace("| agent | log calls (`call.log`), ", "| agent | ", 1)
    assert changed != readme
    assert "call.log" not in table(changed)["agent"]
