"""The monthly statement as a PDF a manager can forward to the provider.

Built with reportlab: a pure-Python package with no system libraries to install (unlike
WeasyPrint, which needs Pango), maintained since 2000, whose table layout splits long
tables across A4 pages with their header repeated. Text is real PDF text, so it can be
selected and searched. The font is DejaVu Sans, which matplotlib (a dependency) ships, so
French and German text, the euro and pound signs and Babel's narrow no-break spaces print
as they should. The PDF is built `invariant` (no creation time, fixed ids): the same
statement gives the same bytes.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bot.i18n import Reader
from bot.views.sla import StatementSheet, statement_sheet
from models.statements import StatementFacts

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
#: Share of the width of each column of the lines table.
COLUMNS = (0.27, 0.13, 0.15, 0.11, 0.2, 0.14)


@cache
def _fonts() -> None:
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=14, leading=18),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=BOLD, fontSize=10, leading=14, spaceBefore=8
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=8, leading=10),
    }


def _table(
    headers: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    widths: list[float],
    styles: dict[str, ParagraphStyle],
) -> Table:
    data = [[Paragraph(escape(h), styles["head"]) for h in headers]]
    data += [[Paragraph(escape(cell), styles["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def sheet_pdf(sheet: StatementSheet, *, author: str = "leadcell") -> bytes:
    """A statement sheet as A4 PDF bytes."""
    _fonts()
    styles = _styles()
    story: list[object] = [
        Paragraph(escape(sheet.title), styles["title"]),
        Paragraph(escape(sheet.subtitle), styles["body"]),
        Paragraph(escape(sheet.status), styles["small"]),
        Spacer(1, 4 * mm),
        _table(sheet.headers, sheet.rows, [WIDTH * share for share in COLUMNS], styles),
        Spacer(1, 4 * mm),
        _table(
            ("", ""),
            sheet.totals,
            [WIDTH * 0.6, WIDTH * 0.4],
            styles,
        ),
    ]
    for name, lines in sheet.sections:
        story.append(Paragraph(escape(name), styles["heading"]))
        story += [Paragraph(escape(line), styles["body"]) for line in lines]
    if sheet.trend_rows:
        story.append(Paragraph(escape(sheet.trend_headers[0]), styles["heading"]))
        widths = [WIDTH / len(sheet.trend_headers)] * len(sheet.trend_headers)
        story.append(_table(sheet.trend_headers, sheet.trend_rows, widths, styles))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=sheet.title,
        author=author,
        invariant=True,
    )
    document.build(story)
    return buffer.getvalue()


def statement_pdf(facts: StatementFacts, reader: Reader) -> bytes:
    """The statement as a PDF in the reader's language (the team's, for a post)."""
    return sheet_pdf(statement_sheet(facts, reader))
