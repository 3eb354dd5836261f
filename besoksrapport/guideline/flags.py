"""A report measured against the guideline: flags for the secretary, and joint-visit links.

A valid report is always accepted; what breaks a rule becomes a ``Flag`` stored with it. The
assessment is a pure function of the report, the other stored reports (the caller passes
e.g. every report of the same calendar year) and the roster, so re-running it gives the same
answer, and running it again for all reports after a late arrival (``assess_all``) keeps the
visit counts right. Flag codes are stable (the mail, the lists and the storage use them);
messages are Swedish, for the secretary, and never appear in the public report. Personal
data found in the free texts is flagged here too (``privacy``, code ``personal_data``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import operation_in_text
from besoksrapport.guideline.visits import (
    ORDINARY_PER_YEAR,
    Participation,
    participations,
    unique_reports,
    visit_key,
    visits,
)
from besoksrapport.privacy.review import personal_data_flags
from besoksrapport.report import Flag, Report
from besoksrapport.swedish import ROLES, enumeration, long_date, ordinal

NOT_ON_ROSTER = "not_on_roster"
NOT_CONTACT_FOR_OPERATION = "not_contact_for_operation"
ROLE_DIFFERS = "role_differs_from_roster"
EMPLOYED_IN_OPERATION = "employed_in_operation"
RELATIVE_EMPLOYED = "relative_employed_in_operation"
OVER_YEARLY_VISITS = "over_yearly_visits"
POSSIBLE_DUPLICATE = "possible_duplicate"

CODES = (NOT_ON_ROSTER, NOT_CONTACT_FOR_OPERATION, ROLE_DIFFERS, EMPLOYED_IN_OPERATION,
         RELATIVE_EMPLOYED, OVER_YEARLY_VISITS, POSSIBLE_DUPLICATE)


@dataclass(frozen=True)
class Assessment:
    flags: list[Flag] = field(default_factory=list)
    joint_visit_of: str | None = None  # report_id of the first report about the same visit


def _roster_flags(report: Report, committee: Committee) -> list[Flag]:
    person = committee.politician(report.submitter.id)
    if person is None:
        return [Flag(NOT_ON_ROSTER,
                     f"Den som skickade rapporten (id ”{report.submitter.id}” i e-tjänsten) "
                     "finns inte i nämndens lista över kontaktpolitiker.")]
    flags = []
    if report.operation not in person.operations:
        visited = operation_in_text(report.operation)
        assigned = enumeration([operation_in_text(op) for op in person.operations])
        flags.append(Flag(NOT_CONTACT_FOR_OPERATION,
                          f"Kontaktpolitikern är utsedd för {assigned}, inte för {visited}."
                          if assigned else
                          f"Kontaktpolitikern är inte utsedd för någon verksamhet, alltså inte "
                          f"heller för {visited}."))
    declared = report.answers.get("role")
    if declared in ROLES and person.role in ROLES and declared != person.role:
        flags.append(Flag(ROLE_DIFFERS,
                          f"Kontaktpolitikern har angett rollen {ROLES[declared].lower()}, men "
                          f"står som {ROLES[person.role].lower()} i listan över "
                          "kontaktpolitiker."))
    return flags


def _declaration_flags(report: Report) -> list[Flag]:
    operation = operation_in_text(report.operation)
    flags = []
    if report.answers.get("employed_in_operation") is True:
        flags.append(Flag(EMPLOYED_IN_OPERATION,
                          f"Kontaktpolitikern har uppgett att hen är anställd i verksamheten "
                          f"{operation}. Enligt riktlinjerna ska kontaktpolitikern inte vara "
                          "anställd i den verksamhet den är kontaktpolitiker för."))
    if report.answers.get("relative_employed_in_operation") is True:
        flags.append(Flag(RELATIVE_EMPLOYED,
                          f"Kontaktpolitikern har uppgett att en närstående är anställd i "
                          f"verksamheten {operation}. Enligt riktlinjerna bör kontaktpolitikern "
                          "inte ha en närstående anställd i verksamheten."))
    return flags


def _count_flags(report: Report, own: Participation) -> list[Flag]:
    flags = []
    if own.ordinal is not None and own.ordinal > ORDINARY_PER_YEAR:
        flags.append(Flag(OVER_YEARLY_VISITS,
                          f"Detta är kontaktpolitikerns {ordinal(own.ordinal)} ordinarie besök "
                          f"{own.key.visit_date.year} utan ordförandens beslut. Enligt "
                          "riktlinjerna deltar kontaktpolitikern vid 1–2 verksamhetsbesök per "
                          "år; fler besök görs efter beslut av ordföranden."))
    if own.report.report_id != report.report_id:
        flags.append(Flag(POSSIBLE_DUPLICATE,
                          "Kontaktpolitikern har redan rapporterat samma besök "
                          f"({operation_in_text(report.operation)}, {report.unit.strip()}, "
                          f"den {long_date(report.visit_date)}) i rapport "
                          f"{own.report.report_id}. Kontrollera om rapporten är en dubblett."))
    return flags


def _assess(report: Report, everyone: list[Participation] | dict,
            groups: dict, committee: Committee) -> Assessment:
    key = visit_key(report)
    if isinstance(everyone, dict):  # indexed by (politician, visit): assess_all's
        own = everyone[report.submitter.id, key]
    else:
        own = next(part for part in everyone
                   if part.politician_id == report.submitter.id and part.key == key)
    flags = _roster_flags(report, committee) + _declaration_flags(report) \
        + _count_flags(report, own) + personal_data_flags(report)
    first = groups[key][0]
    joint_visit_of = first.report_id if first.submitter.id != report.submitter.id else None
    return Assessment(flags=flags, joint_visit_of=joint_visit_of)


def assess(report: Report, others: Sequence[Report], committee: Committee) -> Assessment:
    """The flags and joint-visit link of ``report``, judged against ``others`` and the roster.

    ``others`` may include ``report`` itself (matched by report id). Pass at least every
    report of the visit's calendar year, or the yearly count cannot be right.
    """
    reports = unique_reports([*others, report])
    return _assess(report, participations(reports), visits(reports), committee)


def assess_all(reports: Iterable[Report], committee: Committee) -> dict[str, Assessment]:
    """Every report's assessment at once (report id → Assessment), e.g. after a late arrival."""
    reports = unique_reports(reports)
    # Indexed once: finding each report's own participation by a scan made this n².
    everyone = {(part.politician_id, part.key): part for part in participations(reports)}
    groups = visits(reports)
    return {report.report_id: _assess(report, everyone, groups, committee)
            for report in reports}
