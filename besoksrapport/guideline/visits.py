"""From reports to visits: which reports describe the same visit, and each politician's count.

The guideline counts visits, not reports. Several kontaktpolitiker may report the same visit
(a joint visit: one visit for the operation, one for each participant), and a politician may
send the same visit twice (a duplicate: still one visit). A visit is identified by operation,
unit (case and whitespace do not matter) and date. Each politician's ordinary visits are
numbered per calendar year in visit order (ties by reception, then report id), because the
guideline allows one or two a year; visits decided by the chair are outside that count.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from besoksrapport.report import Report

CHAIR_DECISION = "chair_decision"
ORDINARY_PER_YEAR = 2  # «Kontaktpolitikern deltar vid 1-2 verksamhetsbesök per år.»


@dataclass(frozen=True, order=True)
class VisitKey:
    """What makes two reports describe the same visit."""

    visit_date: date
    operation: str
    unit: str  # normalised: see normalise_unit


def normalise_unit(unit: str) -> str:
    """«  Biblioteket i  CENTRUM » and «biblioteket i centrum» name the same unit."""
    return " ".join(unicodedata.normalize("NFC", unit).casefold().split())


def visit_key(report: Report) -> VisitKey:
    return VisitKey(report.visit_date, report.operation, normalise_unit(report.unit))


def report_order(report: Report) -> tuple[date, datetime, str]:
    """Visit date, then reception, then report id: a total, stable order of reports."""
    return (report.visit_date, report.received_at, report.report_id)


def is_chair_decision(report: Report) -> bool:
    return report.answers.get("visit_kind") == CHAIR_DECISION


@dataclass(frozen=True)
class Participation:
    """One politician's part in one visit: their first report about it (later ones repeat it).

    ``ordinal`` numbers the politician's ordinary visits within the calendar year (1, 2, 3 …);
    it is None for a visit made after the chair's decision.
    """

    politician_id: str
    key: VisitKey
    report: Report
    ordinal: int | None

    @property
    def chair_decision(self) -> bool:
        return self.ordinal is None


def unique_reports(reports: Iterable[Report]) -> list[Report]:
    """The reports in report order, one per report id (a later copy of an id wins)."""
    by_id = {report.report_id: report for report in reports}
    return sorted(by_id.values(), key=report_order)


def visits(reports: Iterable[Report]) -> dict[VisitKey, list[Report]]:
    """The reports grouped by visit, in visit order; each group in report order."""
    groups: dict[VisitKey, list[Report]] = defaultdict(list)
    for report in unique_reports(reports):
        groups[visit_key(report)].append(report)
    return {key: groups[key] for key in sorted(groups)}


def participations(reports: Iterable[Report]) -> list[Participation]:
    """Every politician's part in every visit, in visit order, ordinary visits numbered."""
    firsts: dict[tuple[str, VisitKey], list[Report]] = {}
    for report in unique_reports(reports):
        firsts.setdefault((report.submitter.id, visit_key(report)), []).append(report)
    counted: dict[tuple[str, int], int] = defaultdict(int)
    result = []
    for (politician_id, key), own in sorted(firsts.items(),
                                             key=lambda item: report_order(item[1][0])):
        first = own[0]
        ordinal = None
        if not is_chair_decision(first):
            counted[politician_id, key.visit_date.year] += 1
            ordinal = counted[politician_id, key.visit_date.year]
        result.append(Participation(politician_id, key, first, ordinal))
    return result
