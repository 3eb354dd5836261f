"""The kallelse's text for a meeting: the anmälningsärende line, the reports and the oral
summaries wished, as the secretary pastes it into the agenda; the Förteckning carries the
same line and list (docgen's listing calls these functions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import operation_label
from besoksrapport.report import Report
from besoksrapport.swedish import long_date, sentence

ANNOUNCEMENT = "Återrapporter från kontaktpolitikers verksamhetsbesök"
ORAL_HEADING = "Muntlig återrapport önskas av"
NO_ORAL = "Ingen kontaktpolitiker har önskat lämna en muntlig återrapport."


def ordered(reports: Sequence[Report]) -> list[Report]:
    """The Förteckning's order: visit date, then report id."""
    return sorted(reports, key=lambda report: (report.visit_date, report.report_id))


def announcement_line(count: int, diary_number: str | None) -> str:
    """«Återrapporter från kontaktpolitikers verksamhetsbesök, 14 st, Dnr VSN 2026/143»."""
    line = f"{ANNOUNCEMENT}, {count} st"
    return f"{line}, Dnr {diary_number}" if diary_number else line


def oral_summaries(reports: Sequence[Report]) -> list[Report]:
    """The reports whose politician wishes to give an oral summary at the meeting."""
    return [report for report in ordered(reports) if report.answers.get("oral_summary") is True]


def oral_summary_item(report: Report) -> str:
    """«Anna Lindqvist: Kost, Centralköket (besöket den 3 november 2026)»."""
    return (f"{report.submitter.name.strip()}: {operation_label(report.operation)}, "
            f"{report.unit.strip()} (besöket den {long_date(report.visit_date)})")


def report_item(number: int, report: Report) -> str:
    return (f"{number}. {report.visit_date.isoformat()} {operation_label(report.operation)}, "
            f"{report.unit.strip()} – {report.submitter.name.strip()} ({report.report_id})")


def agenda_text(committee: Committee, day: date, reports: Sequence[Report],
                diary_number: str | None) -> str:
    """The whole text to paste into the kallelse, for the reports that are published."""
    lines = [f"{committee.name}, sammanträde den {long_date(day)}", "",
             "Anmälningsärende", announcement_line(len(reports), diary_number), ""]
    if reports:
        lines += ["Rapporter", *(report_item(number, report)
                                 for number, report in enumerate(ordered(reports), start=1)), ""]
    wished = oral_summaries(reports)
    if wished:
        lines += [ORAL_HEADING, *(f"– {oral_summary_item(report)}" for report in wished)]
    else:
        lines.append(NO_ORAL)
    lines += ["", f"Förslag till beslut: {sentence(committee.proposals.listing.strip())}"]
    return "\n".join(lines) + "\n"
