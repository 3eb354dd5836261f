"""A visit's place among the politician's ordinary visits of its year, told in the receipt.

«Kontaktpolitikern deltar vid 1-2 verksamhetsbesök per år. Utöver detta sker besök efter
beslut av ordföranden.» The politician should hear at once, not from the secretary weeks
later, that a visit is their third ordinary one without the chair's decision. This is the
count ``visits.participations`` makes (one visit per operation, unit and date; numbered in
report order; a visit counts as decided by the chair when its first report says so), read
from the storage's ordered history and stopped at the visit in question, so the request
path reads a few rows however many reports the politician has sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from besoksrapport.guideline.visits import (
    CHAIR_DECISION,
    VisitKey,
    is_chair_decision,
    normalise_unit,
    visit_key,
)
from besoksrapport.report import Report
from besoksrapport.storage import Storage, VisitRecord


def _key(record: VisitRecord) -> VisitKey:
    return VisitKey(record.visit_date, record.operation, normalise_unit(record.unit))


def ordinal_in(history: Iterable[VisitRecord], target: VisitKey) -> int | None:
    """The ordinary-visit number of ``target`` in ``history`` (report order); None for a
    visit decided by the chair, or one the history does not hold."""
    seen: set[VisitKey] = set()
    count = 0
    for record in history:
        key = _key(record)
        if key in seen:
            continue  # a later report of a visit already counted
        seen.add(key)
        ordinary = record.visit_kind != CHAIR_DECISION
        count += ordinary
        if key == target:
            return count if ordinary else None
    return None


def ordinary_visit_number(storage: Storage, report: Report) -> int | None:
    """The stored ``report``'s visit as the politician's 1st, 2nd, 3rd … ordinary visit of
    its year; None when the chair decided it."""
    if is_chair_decision(report):
        return None
    day = report.visit_date
    with storage.visit_history(report.submitter.id, date(day.year, 1, 1), day) as history:
        return ordinal_in(history, visit_key(report))
