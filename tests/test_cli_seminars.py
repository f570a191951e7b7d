"""The seminar, do-not-call and personal data commands as a user runs them in a terminal."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

FRENCH = (
    "Société;Nom;Prénom;Fonction;Téléphone;Présence\r\n"
    "Élan Énergie;Dupont;Hélène;DAF;01 23 45 67 89;présent\r\n"
    "Acme Corp;Doe;Jane;CFO;06 12 34 56 78;inscrit\r\n"
)


def leadcell(
    *args: str, cwd: Path, input_text: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_URL", "LEADCELL_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env={**clean, **env},
        input=input_text,
        capture_output=True,
        text=True,
        timeout=60,
    )


def setup(tmp_path: Path) -> dict[str, str]:
    db = {"DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    team = leadcell(
        "team", "add", "fr", "France", "tz=Europe/Paris", "currency=EUR", cwd=tmp_path, **db
    )
    assert team.returncode == 0, team.stderr
    added = leadcell(
        "event", "add", "seminar", "Paris Summit", "2026-10-14", "cost=12000", "team=fr",
        cwd=tmp_path, **db,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    return db


def test_an_excel_list_is_imported_shown_and_compared(tmp_path: Path) -> None:
    db = setup(tmp_path)
    (tmp_path / "bad.csv").write_bytes(FRENCH.replace("06 12", "06 1").encode("cp1252"))
    bad = leadcell(
        "event", "attendees", "import", "Paris Summit", "2026-10-14", "bad.csv", cwd=tmp_path, **db
    )
    assert bad.returncode == 1
    assert "Nothing was imported: 1 problem in the file." in bad.stderr
    assert "Line 3: `06 1 34 56 78` is not a valid number in FR" in bad.stderr
    (tmp_path / "list.csv").write_bytes(FRENCH.encode("cp1252"))
    good = leadcell(
        "event", "attendees", "import", "paris summit", "2026-10-14", "list.csv", cwd=tmp_path, **db
    )
    assert good.returncode == 0, good.stderr
    assert (
        "Imported 2 rows into the list of Paris Summit (seminar, 14 October 2026)." in good.stdout
    )
    assert "2 people registered, 1 attended; 2 companies, 1 of them came." in good.stdout
    shown = leadcell("event", "attendees", "show", "Paris Summit", "2026-10-14", cwd=tmp_path, **db)
    assert "Cost €12,000; won €0. Per attendee €12,000, per lead —" in shown.stdout
    compared = leadcell("event", "returns", "2026", "--files", "out", cwd=tmp_path, **db)
    assert compared.returncode == 0, compared.stderr
    assert "Paris Summit" in compared.stdout and "€12,000" in compared.stdout
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out/events-fr-2026.csv").read_text())))
    assert [(r["event"], r["cost"], r["attendees"], r["registered"]) for r in rows] == [
        ("Paris Summit", "12000.00", "1", "2")
    ]
    assert (tmp_path / "out/events-fr-2026.png").read_bytes().startswith(b"\x89PNG")
    missing = leadcell(
        "event", "attendees", "show", "Paris Sumit", "2026-10-14", cwd=tmp_path, **db
    )
    assert missing.returncode == 1
    assert "There is no event `Paris Sumit` on 2026-10-14. Known: `Paris Summit`" in missing.stderr


def test_do_not_call_and_erasure_with_confirmation(tmp_path: Path) -> None:
    db = setup(tmp_path)
    (tmp_path / "list.csv").write_bytes(FRENCH.encode("cp1252"))
    leadcell(
        "event", "attendees", "import", "Paris Summit", "2026-10-14", "list.csv", cwd=tmp_path, **db
    )
    added = leadcell(
        "dnc", "add", "01 23 45 67 89", "asked", "not", "to", "be", "called", cwd=tmp_path, **db
    )
    assert (
        "Added to the do-not-call list: #1 number +33123456789: asked not to be called"
        in added.stdout
    )
    (tmp_path / "bloctel.csv").write_text("numero\n0612345678\n06 12 34 56 79\n")
    imported = leadcell("dnc", "import", "bloctel.csv", cwd=tmp_path, **db)
    assert (
        "bloctel.csv: 2 numbers read, 2 added to the do-not-call list, 0 there already."
        in imported.stdout
    )
    queue = leadcell("seminars", "queue", cwd=tmp_path, **db)
    assert "Nothing is left in the queue." in queue.stdout  # both contacts are listed
    assert "2 companies of Paris Summit (seminar, 14 October 2026) are on the do-not-call" in (
        queue.stdout
    )
    exported = leadcell("privacy", "export", "--person", "DUPONT hélène", cwd=tmp_path, **db)
    assert "Hélène Dupont, DAF, —, +33123456789, attended" in exported.stdout
    assert "Do-not-call entry #1 (fr): +33123456789" not in exported.stdout
    declined = leadcell(
        "privacy", "erase", "--person", "Hélène Dupont", cwd=tmp_path, input_text="no\n", **db
    )
    assert declined.returncode == 1 and "Nothing was erased." in declined.stderr
    assert "This cannot be undone." in declined.stderr
    erased = leadcell(
        "privacy", "erase", "--person", "Hélène Dupont", cwd=tmp_path, input_text="erase\n", **db
    )
    assert erased.returncode == 0, erased.stderr
    assert "Erased 0 calls, 0 leads and 1 attendee row" in erased.stdout
    again = leadcell("privacy", "erase", "--person", "Hélène Dupont", "--yes", cwd=tmp_path, **db)
    assert again.returncode == 1
    assert "No call, lead or attendee list holds the name `Hélène Dupont`" in again.stderr
    after = leadcell("event", "attendees", "show", "Paris Summit", "2026-10-14", cwd=tmp_path, **db)
    assert "2 people registered, 1 attended" in after.stdout


def test_settings_are_shown_changed_and_checked(tmp_path: Path) -> None:
    db = setup(tmp_path)
    shown = leadcell("seminars", "settings", cwd=tmp_path, **db)
    assert "Country for phone numbers and holidays: FR (from the time zone)." in shown.stdout
    changed = leadcell(
        "seminars", "settings", "fr", "attribution_days=60", "country=be", cwd=tmp_path, **db
    )
    assert "up to 60 days before" in changed.stdout and "holidays: BE." in changed.stdout
    wrong = leadcell("seminars", "settings", "fr", "retention_months=0", cwd=tmp_path, **db)
    assert wrong.returncode == 1
    assert "The retention period is a number of months from 1 to 120, not 0." in wrong.stderr
    assert "Example: leadcell seminars settings fr retention_months=36" in wrong.stderr
    split = leadcell("seminars", "split", "2026-10", cwd=tmp_path, **db)
    assert "October 2026: no split set and no event time logged" in split.stdout
