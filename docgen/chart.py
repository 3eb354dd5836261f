"""The follow-up's chart: visits per operation and year as grouped bars, and in words.

A PNG at a fixed size and dpi with no software or date stamp, so the same numbers give the
same bytes; colours distinguishable with colour vision deficiency, and hatching per year so
the bars read in black and white too. The alt text states every number the chart shows.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from besoksrapport.committee.operations import operation_in_text, operation_label
from besoksrapport.guideline.followup import FollowUp

CHART_DPI = 150
CHART_SIZE = (8.0, 4.2)  # inches
# Okabe–Ito colours (distinguishable with colour vision deficiency), plus hatching per year.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
HATCHES = ("", "//", "..", "xx", "\\\\", "--")
CHART_RC: dict[RcKeyType, Any] = {"font.family": "DejaVu Sans", "font.size": 11,
                                  "hatch.linewidth": 0.8, "svg.hashsalt": "besoksrapport"}


def chart_png(numbers: FollowUp) -> bytes:
    """Grouped bars, one group per operation, one bar per year, each bar labelled."""
    operations = list(numbers.by_operation)
    width = 0.8 / max(len(numbers.years), 1)
    with matplotlib.rc_context(CHART_RC):
        figure = Figure(figsize=CHART_SIZE, dpi=CHART_DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        for index, year in enumerate(numbers.years):
            offsets = [position + (index - (len(numbers.years) - 1) / 2) * width
                       for position in range(len(operations))]
            bars = axes.bar(offsets, [numbers.by_operation[op][year] for op in operations],
                            width, label=str(year), color=COLOURS[index % len(COLOURS)],
                            hatch=HATCHES[index % len(HATCHES)], edgecolor="black",
                            linewidth=0.5)
            axes.bar_label(bars, padding=2)
        axes.set_xticks(range(len(operations)), [operation_label(op) for op in operations])
        axes.set_ylabel("Antal besök")
        axes.set_title("Besök per verksamhet och år")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(0, max([1, *(max(c.values(), default=0)
                                   for c in numbers.by_operation.values())]) * 1.2)
        axes.spines[["top", "right"]].set_visible(False)
        # Beside the bars, never over them; and not loc="best", whose search is timed and
        # warns (an error in the tests) on a busy machine.
        axes.legend(title="År", frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=CHART_DPI, metadata={"Software": None})
    return buffer.getvalue()


def chart_alt_text(numbers: FollowUp) -> str:
    """The chart in words: every number it shows, year by year."""
    years = []
    for year in numbers.years:
        parts = [f"{operation_in_text(op)} {counts[year]}"
                 for op, counts in numbers.by_operation.items()]
        years.append(f"{year}: {', '.join(parts)}.")
    return ("Stapeldiagram över antal besök per verksamhet och år. " + " ".join(years)
            + " Samma siffror finns i tabellen under diagrammet.")
