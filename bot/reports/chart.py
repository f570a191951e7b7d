"""A PNG chart of cost per lead by source, month by month (matplotlib, Agg, no display).

The figure is built with matplotlib's object API (no pyplot global state), so
several threads may draw at once.
"""

from __future__ import annotations

import io
import math
from decimal import Decimal

from bot.reports import short_month
from models.leads import Source
from models.reports import CostPerLeadSeries

COLORS = {
    Source.TELEMARKETING: "#1f77b4",
    Source.SEMINAR: "#ff7f0e",
    Source.TRADE_SHOW: "#d62728",
    Source.OTHER: "#7f7f7f",
}


def points(values: tuple[Decimal | None, ...]) -> list[float]:
    """Values to plot: a month without leads (None) becomes NaN, which matplotlib leaves out."""
    return [math.nan if value is None else float(value) for value in values]


def cost_per_lead_png(series: CostPerLeadSeries, *, currency: str, team_name: str) -> bytes:
    """The series as a line chart; a month without leads is a gap in its line, never zero."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=(9, 4.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(series.months)))
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
            label=source.value,
        )
        drawn = True
    labels = [
        f"{short_month(m)[:3]}\n{m.year}" if i == 0 or m.month == 1 else short_month(m)[:3]
        for i, m in enumerate(series.months)
    ]
    axes.set_xticks(positions, labels)
    axes.set_ylabel(f"cost per lead ({currency})")
    axes.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: f"{value:,.0f}".replace(",", " "))
    )
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    first, last = series.months[0], series.months[-1]
    axes.set_title(
        f"Cost per lead by source · {team_name} · {short_month(first)} – {short_month(last)}"
    )
    if drawn:
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=4, frameon=False)
    else:
        axes.text(
            0.5,
            0.5,
            "no leads in these months",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color="#7f7f7f",
        )
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
