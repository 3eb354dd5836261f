"""A meeting's reports as one compact, sortable, filterable table.

Sorting and filtering are query parameters (``?ordning=politiker&fallande=1&sok=kök``), so
the table works without JavaScript and an address can be shared or bookmarked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from besoksrapport.committee.operations import operation_label
from besoksrapport.report import Report
from besoksrapport.storage import HandledMark

from .handling import flag_target

SORTS: dict[str, tuple[str, Callable[[Report], Any]]] = {
    "datum": ("Besöksdatum", lambda r: (r.visit_date, r.report_id)),
    "verksamhet": ("Verksamhet", lambda r: (operation_label(r.operation).casefold(),
                                            r.unit.casefold(), r.visit_date)),
    "politiker": ("Kontaktpolitiker", lambda r: (r.submitter.name.casefold(), r.visit_date)),
}
DEFAULT_SORT = "datum"


@dataclass(frozen=True)
class Badge:
    code: str
    message: str
    handled: HandledMark | None


@dataclass(frozen=True)
class Row:
    number: int  # the report's place in the Förteckning (visit date order)
    report: Report
    badges: list[Badge]

    @property
    def open_flags(self) -> int:
        return sum(1 for badge in self.badges if badge.handled is None)


@dataclass(frozen=True)
class Table:
    rows: list[Row]
    total: int
    sort: str
    descending: bool
    query: str
    only_open: bool


def _matches(row: Row, words: Sequence[str]) -> bool:
    report = row.report
    haystack = " ".join([report.report_id, report.unit, report.submitter.name,
                         operation_label(report.operation), report.visit_date.isoformat(),
                         *(badge.message for badge in row.badges)]).casefold()
    return all(word in haystack for word in words)


def meeting_table(reports: Sequence[Report], marks: dict[str, HandledMark], *,
                  sort: str = DEFAULT_SORT, descending: bool = False, query: str = "",
                  only_open: bool = False) -> Table:
    """``reports`` in Förteckning order, numbered, then filtered and sorted as asked."""
    if sort not in SORTS:
        sort = DEFAULT_SORT
    ordered = sorted(reports, key=SORTS[DEFAULT_SORT][1])
    rows = [Row(number, report,
                [Badge(flag.code, flag.message, marks.get(flag_target(report.report_id,
                                                                       flag.code)))
                 for flag in report.flags])
            for number, report in enumerate(ordered, start=1)]
    words = query.casefold().split()
    shown = [row for row in rows if (not words or _matches(row, words))
             and (not only_open or row.open_flags)]
    shown.sort(key=lambda row: SORTS[sort][1](row.report), reverse=descending)
    return Table(shown, len(rows), sort, descending, query.strip(), only_open)
