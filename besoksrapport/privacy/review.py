"""The secretary's review of a report with personal data, and the copy that is published.

The report stays as received. What the public folder, the Förteckning, the bundle and the
document system get is decided here: a report with findings is published as written once
the secretary approves it, or as a masked copy; until she decides it is held back
(``hold``, the default) or published as written with a flag only (``hold=False``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from besoksrapport.form.messages import title_of
from besoksrapport.privacy.screening import KIND_NAMES, masked, screen
from besoksrapport.report import Flag, Report
from besoksrapport.storage import PrivacyReview, Storage
from besoksrapport.swedish import capitalized, enumeration

PERSONAL_DATA = "personal_data"  # the flag's code
APPROVED = "approved"  # published as written
MASKED = "masked"  # published with the found strings replaced
DECISIONS = (APPROVED, MASKED)


def question(field: str) -> str:
    """The answer's question as the form asks it."""
    return title_of(["data", "answers", field]) or field


def personal_data_flags(report: Report) -> list[Flag]:
    """The report's one personal-data flag, naming each question and the kinds found.

    One per report, not per answer: the secretary decides about the report as a whole
    (approve or mask), and a flag is marked handled by its report and code.
    """
    by_field: dict[str, list[str]] = {}
    for finding in screen(report.answers):
        kinds = by_field.setdefault(finding.field, [])
        if KIND_NAMES[finding.kind] not in kinds:
            kinds.append(KIND_NAMES[finding.kind])
    if not by_field:
        return []
    found = "; ".join(f"svaret på ”{question(field)}” innehåller {enumeration(kinds)}"
                      for field, kinds in by_field.items())
    return [Flag(PERSONAL_DATA,
                 f"{capitalized(found)}. Granska rapporten: godkänn texten som den är eller "
                 "publicera den med uppgifterna borttagna.")]


def needs_review(report: Report, review: PrivacyReview | None) -> bool:
    """A report with personal data the secretary has not decided about yet."""
    return review is None and bool(screen(report.answers))


def public_copy(report: Report, review: PrivacyReview | None, *, hold: bool) -> Report | None:
    """The report as it is published, or None while it is held back for review."""
    found = screen(report.answers)
    if not found:
        return report
    if review is None:
        return None if hold else report
    if review.decision == MASKED:
        return dataclasses.replace(report, answers=masked(report.answers, found))
    return report


def public_reports(storage: Storage, reports: Sequence[Report], *,
                   hold: bool) -> list[Report]:
    """The reports of a meeting as they are published: withdrawn ones left out, those with
    personal data approved, masked or (while held for review) left out."""
    withdrawn = storage.withdrawals()
    reviews = storage.privacy_reviews()
    public = []
    for report in reports:
        if report.report_id in withdrawn:
            continue
        copy = public_copy(report, reviews.get(report.report_id), hold=hold)
        if copy is not None:
            public.append(copy)
    return public
