"""Attendee lists as CSV files: the encoding, the separator and the columns are worked out.

Excel in France saves CSV in Windows-1252 with semicolons; other tools write
UTF-8 with commas; Excel's "Unicode text" is UTF-16 with tabs. All are read:

- Encoding: a byte order mark says UTF-8 or UTF-16; otherwise the file is
  UTF-8 when it decodes as UTF-8 (text in Windows-1252 with accents almost never
  does), else Windows-1252. A file neither decodes, or that decodes to control
  characters, is refused, as is an Excel workbook saved as such.
- Separator: the one of `;`, `,` and tab that splits the first line into the
  most known column names (we know what the columns are called, so this is exact
  where a guess from character counts is not).
- Columns, in English, French or German, any case, with or without accents:
  company, person (or first name and last name), title, email, phone, and the
  attendance (`status`, `attended`, `présence`…) whose values are `attended`,
  `registered`, yes/no and their French and German words. Company, person and
  attendance are required.

Phones are read for the team's country (bot.grammar.phones). Every row is
checked before anything is stored; a file with a bad row, a missing column, an
unknown encoding or more than models.attendees.MAX_ROWS rows is refused as a
whole, with the lines at fault.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.grammar.phones import parse_phone
from bot.grammar.words import fold
from models.attendees import (
    MAX_ROWS,
    BadRow,
    NewAttendee,
    RowProblem,
    check_row,
    check_size,
    refuse_rows,
)
from models.errors import InvalidInput, Problem

#: A list file is at most this large (a 5 000-row list with long titles is well under).
MAX_BYTES = 10 * 1024 * 1024
SEPARATORS = (";", ",", "\t")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FileProblem(Problem):
    """An attendee file that cannot be read as a list."""

    WORKBOOK = "attendee_file.workbook"
    UNDECODABLE = "attendee_file.undecodable"
    TOO_LARGE = "attendee_file.too_large"
    EMPTY = "attendee_file.empty"
    COLUMNS_MISSING = "attendee_file.columns_missing"
    COLUMN_TWICE = "attendee_file.column_twice"
    MALFORMED = "attendee_file.malformed"


#: The names each column goes by (folded by bot.grammar.words.fold when matched).
COLUMNS: dict[str, tuple[str, ...]] = {
    "company": (
        "company", "company name", "organisation", "organization", "account", "société",
        "societe", "entreprise", "raison sociale", "organisme", "firma", "unternehmen",
        "firmenname",
    ),
    "person": (
        "person", "full name", "contact", "contact name", "attendee", "participant",
        "personne", "participante", "nom prénom", "visitor", "visiteur", "besucher",
        "nom complet", "nom et prénom", "prénom et nom", "prénom nom", "interlocuteur",
        "teilnehmer", "ansprechpartner", "kontakt", "name", "nom",
    ),
    "first_name": ("first name", "firstname", "given name", "prénom", "prenom", "vorname"),
    "last_name": (
        "last name", "lastname", "surname", "family name", "nom de famille", "nachname",
        "familienname",
    ),
    "title": (
        "title", "job title", "position", "role", "function", "fonction", "poste", "titre",
        "titel", "funktion", "jobtitel", "berufsbezeichnung",
    ),
    "email": (
        "email", "e-mail", "mail", "email address", "e-mail address", "courriel",
        "adresse email", "adresse e-mail", "adresse mail", "e-mail-adresse",
    ),
    "phone": (
        "phone", "telephone", "tel", "phone number", "mobile", "mobile phone", "téléphone",
        "tél", "portable", "numéro", "numero", "telefon", "telefonnummer", "handy", "mobil",
    ),
    "attended": (
        "status", "statut", "attendance", "présence", "presence", "attended", "présent",
        "present", "participation", "teilnahme", "anwesend", "registered/attended",
        "registered or attended", "inscrit/présent",
    ),
}  # fmt: skip
REQUIRED = ("company", "person", "attended")
_ATTENDED = {
    "attended", "yes", "y", "x", "1", "true", "present", "came", "checked in", "checked-in",
    "oui", "o", "présent", "présente", "venu", "venue", "participé", "vrai",
    "ja", "j", "teilgenommen", "anwesend", "erschienen",
}  # fmt: skip
_REGISTERED = {
    "registered", "no", "n", "0", "false", "absent", "no-show", "no show", "not attended",
    "non", "inscrit", "inscrite", "pas venu", "excusé", "faux",
    "nein", "angemeldet", "registriert", "nicht erschienen", "",
}  # fmt: skip
_NAMES = {fold(alias): column for column, aliases in COLUMNS.items() for alias in aliases}
ATTENDED_WORDS = {fold(word) for word in _ATTENDED}
REGISTERED_WORDS = {fold(word) for word in _REGISTERED}


@dataclass(frozen=True)
class AttendeeFile:
    """A list read from a file, with how it was read."""

    rows: tuple[NewAttendee, ...]
    encoding: str
    separator: str
    columns: tuple[str, ...]


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding it was in (see the module docstring)."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise InvalidInput(FileProblem.WORKBOOK, field="file")
    candidates: tuple[str, ...]
    if data.startswith(codecs.BOM_UTF8):
        data, candidates = data[len(codecs.BOM_UTF8) :], ("utf-8",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            break
        return text, encoding
    raise InvalidInput(FileProblem.UNDECODABLE, field="file")


def _cells(line: str, separator: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=separator), [])
    except csv.Error:
        return []


def _header_names(cells: list[str]) -> list[str | None]:
    return [_NAMES.get(fold(cell)) for cell in cells]


def separator_of(first_line: str) -> str:
    """The separator that makes the most known column names of the first line."""

    def score(separator: str) -> tuple[int, int]:
        cells = _cells(first_line, separator)
        return sum(1 for name in _header_names(cells) if name), len(cells)

    return max(SEPARATORS, key=score)


def _columns(cells: list[str]) -> dict[str, int]:
    """Which cell holds which column; `name`/`nom` are the last name next to a first name."""
    names = _header_names(cells)
    has_first = "first_name" in names
    found: dict[str, int] = {}
    for index, (cell, name) in enumerate(zip(cells, names, strict=True)):
        if name is None:
            continue
        if name == "person" and has_first and fold(cell) in ("name", "nom"):
            name = "last_name"
        if name in found:
            raise InvalidInput(
                FileProblem.COLUMN_TWICE, field="file", column=name, header=cells[index]
            )
        found[name] = index
    missing = [
        column
        for column in REQUIRED
        if column not in found
        and not (column == "person" and {"first_name", "last_name"} <= set(found))
    ]
    if missing:
        raise InvalidInput(
            FileProblem.COLUMNS_MISSING,
            field="file",
            missing=missing,
            found=[cell for cell in cells if cell.strip()],
        )
    return found


def _records(text: str, separator: str) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each record after the header; blank records are skipped."""
    reader = csv.reader(io.StringIO(text), delimiter=separator, strict=True)
    line = 1
    try:
        next(reader, None)
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield line, cells
            line = reader.line_num + 1
    except csv.Error:
        raise InvalidInput(FileProblem.MALFORMED, field="file", line=line) from None


def read_attendees(data: bytes, *, country: str | None) -> AttendeeFile:
    """The rows of an attendee file, every one checked, or InvalidInput saying what is wrong."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(FileProblem.TOO_LARGE, field="file", size=len(data), limit=MAX_BYTES)
    text, encoding = decode(data)
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        raise InvalidInput(FileProblem.EMPTY, field="file")
    separator = separator_of(first)
    text = text[text.index(first) :]
    columns = _columns(_cells(first, separator))
    rows: list[NewAttendee] = []
    problems: list[BadRow] = []
    count = 0
    for line, cells in _records(text, separator):
        count += 1
        if count > MAX_ROWS:
            continue  # counted only: the whole file is refused for its length below
        row, bad = _row(line, cells, columns, country)
        problems.extend(bad)
        if row is not None:
            rows.append(row)
            problems.extend(check_row(row))
    check_size(count)
    if problems:
        raise refuse_rows(problems)
    return AttendeeFile(
        rows=tuple(rows),
        encoding=encoding,
        separator=separator,
        columns=tuple(sorted(columns, key=columns.__getitem__)),
    )


def _row(
    line: int, cells: list[str], columns: dict[str, int], country: str | None
) -> tuple[NewAttendee | None, list[BadRow]]:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    problems: list[BadRow] = []
    person = cell("person") or " ".join(p for p in (cell("first_name"), cell("last_name")) if p)
    status = fold(cell("attended"))
    if status not in ATTENDED_WORDS | REGISTERED_WORDS:
        facts = {"text": cell("attended")}
        problems.append(BadRow(line, RowProblem.STATUS_UNKNOWN, "attended", facts))
    phone: str | None = None
    if cell("phone"):
        try:
            phone = parse_phone(cell("phone"), country=country)
        except InvalidInput as error:
            assert error.problem is not None
            problems.append(BadRow(line, error.problem, "phone", error.facts))
    row = NewAttendee(
        line=line,
        company=cell("company"),
        person=person,
        attended=status in ATTENDED_WORDS,
        title=cell("title") or None,
        email=cell("email") or None,
        phone=phone,
    )
    return row, problems
