"""One kontaktpolitiker's history: visits per year against the guideline's 1–2, the chair's
decisions and the reports, counted as the guideline counts (``guideline.visits``).

The page's address names the politician by ``politician_key``, a digest of the platform's
id, never the id itself: the id may be an e-mail address, and addresses reach the log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
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


def politician_key(politician_id: str) -> str:
    """The politician's key in addresses: stable, and not the id (see above)."""
    return hashlib.sha256(politician_id.encode()).hexdigest()[:16]


def politician_by_key(ctx: Context, key: str) -> str | None:
    """The platform id whose key is ``key``: on the roster, or among the reports' senders."""
    known = [person.id for person in ctx.committee.politicians]
    for politician_id in known:
        if politician_key(politician_id) == key:
            return politician_id
    for report in ctx.storage.reports_between(*EVERYTHING):
        if politician_key(report.submitter.id) == key:
            return report.submitter.id
    return None


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
