"""One kontaktpolitiker's history: visits per year against the guideline's 1–2, the chair's
decisions and the reports, counted as the guideline counts (``guideline.visits``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from besoksrapport.committee.model import Politician
from besoksrapport.guideline.visits import ORDINARY_PER_YEAR, participations
from besoksrapport.outbox.context import Context
from besoksrapport.report import Report

EVERYTHING = (dt.date(1900, 1, 1), dt.date(9999, 12, 31))


@dataclass(frozen=True)
class Year:
    year: int
    ordinary: int  # ordinary visits (each visit once, however many reports about it)
    by_decision: int  # visits after the chair's decision

    @property
    def over(self) -> bool:
        """More ordinary visits than the guideline's one or two."""
        return self.ordinary > ORDINARY_PER_YEAR


@dataclass(frozen=True)
class History:
    politician_id: str
    name: str
    roster: Politician | None  # None: not on the roster (the report's name is shown)
    years: list[Year]
    decisions: list[Report]  # visits by the chair's decision, with its date
    reports: list[Report]  # every report, newest visit first


def politician_history(ctx: Context, politician_id: str) -> History | None:
    """The politician's history, or None when nobody by that id is known."""
    roster = ctx.committee.politician(politician_id)
    reports = [r for r in ctx.storage.reports_between(*EVERYTHING)
               if r.submitter.id == politician_id]
    if roster is None and not reports:
        return None
    years: dict[int, list[int]] = {}
    decisions = []
    for part in participations(reports):
        counts = years.setdefault(part.key.visit_date.year, [0, 0])
        counts[1 if part.chair_decision else 0] += 1
        if part.chair_decision:
            decisions.append(part.report)
    name = roster.name if roster else reports[-1].submitter.name
    return History(
        politician_id=politician_id, name=name, roster=roster,
        years=[Year(year, *counts) for year, counts in sorted(years.items(), reverse=True)],
        decisions=sorted(decisions, key=lambda r: r.visit_date, reverse=True),
        reports=sorted(reports, key=lambda r: (r.visit_date, r.report_id), reverse=True))
