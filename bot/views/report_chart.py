"""A PNG chart of cost per lead by source, month by month (matplotlib, Agg, no display).

Its title, axis, month names, legend and figures are in the reader's language
(the team's, for a posted report). The figure is built with matplotlib's object
API (no pyplot global state), so several threads may draw at once.
"""

from __future__ import annotations

import io
import math
from decimal import Decimal

from bot.i18n import Reader
from bot.views.report_labels import source_name
from models.leads import Source
from models.reports import CostPerLeadSeries

COLORS = {
    Source.TELEMARKETING: "#1f77b4",
    Source.SEMINAR: "#ff7f0e",
    Source.TRADE_SHOW: "#d62728",
    Source.OTHER: "#7f7f7f",
}


def points(values: tuple[Decimal | None, ...]) -> list[float]:
    """Values to plot: a month without a figure (None) becomes NaN, which matplotlib leaves out."""
    return [math.nan if value is None else float(value) for value in values]


def chart_labels(series: CostPerLeadSeries, reader: Reader) -> dict[str, object]:
    """Every text the chart shows: title, axis label, month ticks, legend, empty note."""
    first, last = series.months[0], series.months[-1]
    return {
        "title": reader._(
            "Cost per lead by source · {first} – {last}",
            first=reader.short_month(first),
            last=reader.short_month(last),
        ),
        "axis": reader._("Cost per lead ({currency})", currency=reader.currency),
        "months": [reader.short_month(m) for m in series.months],
        "legend": {source: source_name(reader, source) for source, _ in series.lines},
        "empty": reader._("No cost per lead to show in these months."),
    }


def cost_per_lead_png(series: CostPerLeadSeries, reader: Reader, *, team_name: str) -> bytes:
    """The series as a line chart; a month without a figure is a gap in its line, never zero."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    labels = chart_labels(series, reader)
    figure = Figure(figsize=(9, 4.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(series.months)))
    legend: dict[Source, str] = labels["legend"]  # type: ignore[assignment]
    drawn = False
    for source, values in series.lines:
        ys = points(values)
        if all(math.isnan(y) for y in ys):
            continue
        axes.plot(
            positions,
            ys,
            marker="o",
            linewidth=2,
            markersize=4,
            color=COLORS.get(source),
            label=legend[source],
        )
        drawn = True
    axes.set_xticks(positions, labels["months"], rotation=45, ha="right")  # type: ignore[arg-type]
    axes.set_ylabel(str(labels["axis"]))
    axes.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: reader.number(Decimal(str(round(value)))))
    )
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    axes.set_title(f"{team_name}\n{labels['title']}")
    if drawn:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=4, frameon=False)
    else:
        axes.text(
            0.5,
            0.5,
            str(labels["empty"]),
            transform=axes.transAxes,
            ha="center",
            va="center",
            color="#7f7f7f",
        )
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
