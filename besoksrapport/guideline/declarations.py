"""What the politician declared for the secretary only: employment, närstående, arvode.

The form asks whether the politician is employed in the operation they visited, whether
a närstående is, and whether they claim sammanträdesarvode. A public «Ja» would tell
everyone that a named politician's relative works at the unit, so these answers never
reach the public documents; the secretary reads them in the mail and in the ``meeting``
command, and the arvode claim is in the payroll basis (``compensation``).
"""

from __future__ import annotations

from besoksrapport.report import Report
from besoksrapport.swedish import yes_no

# Form field → how the secretary's texts name it.
DECLARATIONS = {
    "employed_in_operation": "Anställd i den besökta verksamheten",
    "relative_employed_in_operation": "Närstående anställd i den besökta verksamheten",
    "claims_meeting_fee": "Begär sammanträdesarvode",
}


def declaration_lines(report: Report) -> list[str]:
    """«Anställd i den besökta verksamheten: Nej», … for each declaration, in form order."""
    lines = []
    for field, label in DECLARATIONS.items():
        value = report.answers.get(field)
        lines.append(f"{label}: {yes_no(value) if isinstance(value, bool) else 'inget svar'}")
    return lines
