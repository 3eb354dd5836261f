"""What the politician is told when the secretary withdraws (makulerar) a report, or brings
it back: the same Swedish text by e-mail (webhook reports) and as a message in Open
ePlatform."""

from __future__ import annotations

from besoksrapport.committee.model import Committee
from besoksrapport.report import Report
from besoksrapport.swedish import long_date

WITHDRAWN_SUBJECT = "Din återrapport {report_id} har makulerats"
RESTORED_SUBJECT = "Din återrapport {report_id} är återställd"


def withdrawn_text(committee: Committee, report: Report, reason: str) -> str:
    return (f"Din rapport {report.report_id} om besöket den {long_date(report.visit_date)} "
            f"har makulerats av nämndsekreteraren och tas inte med till {committee.genitive} "
            f"sammanträde. Skäl: {reason.strip()}")


def restored_text(committee: Committee, report: Report) -> str:
    text = (f"Din rapport {report.report_id} om besöket den {long_date(report.visit_date)} "
            "är återställd av nämndsekreteraren")
    if report.meeting_date is None:
        return text + f" och tas med till {committee.genitive} nästa sammanträde."
    return text + (f" och tas med till {committee.genitive} sammanträde den "
                   f"{long_date(report.meeting_date)}.")
