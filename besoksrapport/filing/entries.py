"""A meeting's reports as filed, in the order the Förteckning lists them.

Shared by filing (which names the files) and the renderers (which list and bundle them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from besoksrapport.report import Report
from besoksrapport.swedish import STOCKHOLM


@dataclass(frozen=True)
class ListedReport:
    """A report as filed: the report and the file name it has in the meeting folder."""

    report: Report
    file_name: str


def listing_order(entries: Sequence[ListedReport]) -> list[ListedReport]:
    """Visit date, then report id: stable whatever order the reports arrived in."""
    return sorted(entries, key=lambda entry: (entry.report.visit_date, entry.report.report_id))


def generated_at(meeting_date: date, reports: Sequence[Report]) -> datetime:
    """The documents' date from the data: the latest reception, else the meeting's morning."""
    if reports:
        return max(report.received_at for report in reports)
    return datetime.combine(meeting_date, time(0, 0), tzinfo=STOCKHOLM).astimezone(UTC)
