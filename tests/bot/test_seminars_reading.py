"""Reading what people give: attendee CSV files, phone numbers, do-not-call requests."""

from __future__ import annotations

import codecs

import pytest

from bot.grammar.attendees_csv import FileProblem, read_attendees
from bot.grammar.do_not_call import DncTextProblem, parse_dnc
from bot.grammar.phones import PhoneProblem, parse_phone
from models.attendees import MAX_ROWS, AttendeeProblem, RowProblem
from models.dnc import DncKind, NewDnc
from models.errors import InvalidInput

FRENCH_EXCEL = (
    "Société;Nom;Prénom;Fonction;E-mail;Téléphone;Présence\r\n"
    "Élan Énergie;Dupont;Hélène;Directrice financière;helene@elan.example;"
    "01 23 45 67 89;Présent\r\n"
    "Crème & Cie;Müller;Jürgen;DSI;;06 12 34 56 78;inscrit\r\n"
)


def refused(data: bytes, country: str | None = "FR") -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        read_attendees(data, country=country)
    return error.value


def test_excel_in_windows_1252_with_semicolons_keeps_its_accents() -> None:
    read = read_attendees(FRENCH_EXCEL.encode("cp1252"), country="FR")
    assert (read.encoding, read.separator) == ("cp1252", ";")
    assert [(r.company, r.person, r.title, r.phone, r.attended) for r in read.rows] == [
        ("Élan Énergie", "Hélène Dupont", "Directrice financière", "+33123456789", True),
        ("Crème & Cie", "Jürgen Müller", "DSI", "+33612345678", False),
    ]
    assert read.rows[0].email == "helene@elan.example" and read.rows[1].email is None


def test_utf8_with_commas_a_bom_quotes_and_utf16_tabs_are_read_alike() -> None:
    english = (
        "Company,Person,Title,Email,Phone,Status\n"
        '"Acme, Inc.",Jane Doe,"CFO, Europe",jane@acme.example,+44 20 7946 0958,attended\n'
        "\n"
        "Globex,Hank Scorpio,,,,registered\n"
    )
    plain = read_attendees(english.encode(), country="FR")
    bom = read_attendees(codecs.BOM_UTF8 + english.encode(), country="FR")
    tabs = english.replace(",", "\t").replace('"Acme\t Inc."', "Acme, Inc.")
    tabs = tabs.replace('"CFO\t Europe"', "CFO, Europe")
    utf16 = read_attendees(tabs.encode("utf-16"), country="FR")
    assert plain.rows == bom.rows
    assert [(r.company, r.title, r.phone, r.line) for r in plain.rows] == [
        ("Acme, Inc.", "CFO, Europe", "+442079460958", 2),
        ("Globex", None, None, 4),
    ]
    assert (utf16.encoding, utf16.separator) == ("utf-16", "\t")
    assert [r.company for r in utf16.rows] == ["Acme, Inc.", "Globex"]


def test_german_headers_and_yes_no_attendance() -> None:
    data = "Firma,Vorname,Nachname,Telefon,Teilnahme\nSiemens AG,Anna,Schmidt,+49 30 901820,ja\n"
    (row,) = read_attendees(data.encode(), country="DE").rows
    assert (row.person, row.phone, row.attended) == ("Anna Schmidt", "+4930901820", True)


def test_a_missing_column_says_which_and_what_was_found() -> None:
    error = refused(b"company;person;phone\nAcme;Jane;0123456789\n")
    assert error.problem == FileProblem.COLUMNS_MISSING
    assert error.facts == {"missing": ["attended"], "found": ["company", "person", "phone"]}


def test_bad_rows_are_all_named_with_their_line_and_nothing_is_read() -> None:
    data = (
        "company,person,email,phone,status\n"
        "Acme,Jane Doe,jane@acme.example,01 23 45 67 89,attended\n"
        "Acme,John Roe,john@acme,01 23,attended\n"
        ",Bob,,,maybe\n"
    )
    error = refused(data.encode())
    assert error.problem == AttendeeProblem.ROWS_REFUSED
    assert [(bad.line, bad.problem) for bad in error.facts["rows"]] == [
        (3, PhoneProblem.INVALID),
        (3, RowProblem.EMAIL_INVALID),
        (4, RowProblem.STATUS_UNKNOWN),
        (4, RowProblem.COMPANY_MISSING),
    ]
    assert error.facts["total"] == 4 and error.facts["lines"] == 2


def test_undecodable_files_workbooks_and_huge_lists_are_refused_whole() -> None:
    assert refused("company,person,status\n".encode("utf-32")).problem == FileProblem.UNDECODABLE
    assert refused(b"company,person,status\n\x81\x8d\x8f,x,y\n").problem == FileProblem.UNDECODABLE
    assert refused(b"PK\x03\x04 a workbook").problem == FileProblem.WORKBOOK
    assert refused(b"  \n\n").problem == FileProblem.EMPTY
    assert refused(b"company,person,status\n").problem == AttendeeProblem.NO_ROWS
    huge = "company,person,status\n" + "Acme,Jane,attended\n" * 100_000
    error = refused(huge.encode())
    assert error.problem == AttendeeProblem.TOO_MANY_ROWS
    assert error.facts == {"rows": 100_000, "limit": MAX_ROWS}
    error = refused(b'company,person,status\nAcme,"Jane,attended\n')
    assert (error.problem, error.facts) == (FileProblem.MALFORMED, {"line": 2})


def test_phone_numbers_are_read_for_the_teams_country_into_e164() -> None:
    assert parse_phone("01 23 45 67 89", country="FR") == "+33123456789"
    assert parse_phone("+33 (0)1 23 45 67 89", country="GB") == "+33123456789"
    assert parse_phone("0033 1 23 45 67 89", country=None) == "+33123456789"
    assert parse_phone("020 7946 0958", country="GB") == "+442079460958"
    for text, country, problem in (
        ("01 23 45", "FR", PhoneProblem.INVALID),
        ("call me", "FR", PhoneProblem.UNREADABLE),
        ("01 23 45 67 89", None, PhoneProblem.NEEDS_COUNTRY),
        ("+33 9 99", "FR", PhoneProblem.INVALID),
    ):
        with pytest.raises(InvalidInput) as error:
            parse_phone(text, country=country)
        assert error.value.problem == problem, text


def test_do_not_call_requests_in_every_form() -> None:
    assert parse_dnc("+33 1 23 45 67 89 asked not to be called", country="FR") == NewDnc(
        DncKind.PHONE, "+33123456789", "asked not to be called"
    )
    assert parse_dnc("01 23 45 67 89", country="FR") == NewDnc(DncKind.PHONE, "+33123456789")
    assert parse_dnc("Jane.Doe@acme.example -- no more calls", country="FR") == NewDnc(
        DncKind.EMAIL, "Jane.Doe@acme.example", "no more calls"
    )
    assert parse_dnc("société « Élan SA » client depuis 2019", country="FR") == NewDnc(
        DncKind.COMPANY, "Élan SA", "client depuis 2019"
    )
    assert parse_dnc("company Acme Corp -- customer", country="FR") == NewDnc(
        DncKind.COMPANY, "Acme Corp", "customer"
    )
    assert parse_dnc('person "Jane Doe" at "Acme Corp" objected', country="FR") == NewDnc(
        DncKind.PERSON, "Jane Doe", "objected", company="Acme Corp"
    )
    for text, problem in (("", DncTextProblem.EMPTY), ("Acme Corp", DncTextProblem.UNCLEAR)):
        with pytest.raises(InvalidInput) as error:
            parse_dnc(text, country="FR")
        assert error.value.problem == problem
    with pytest.raises(InvalidInput) as error:
        parse_dnc("01 23 45 asked", country="FR")
    assert error.value.problem == PhoneProblem.INVALID
