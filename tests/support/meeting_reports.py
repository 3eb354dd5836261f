"""A meeting's reports, its committee and the real renderers, for filing, delivery and docgen.

Reports are built with ``Report.from_envelope`` from schemas/examples/valid/minimal.json
(``example_envelope`` from tests/support/envelopes.py) with the answers varied per report.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from envelopes import example_envelope

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import CODES
from besoksrapport.report import Report
from docgen.renderers import DocxRenderers

MEETING = date(2026, 12, 10)
RENDERERS = DocxRenderers()  # the bundled template, loaded once

PEOPLE = ["Anna Lindqvist", "Bengt Haraldsson", "Cecilia Öberg", "Dragan Petrović"]


def make_report(number: int, *, meeting: date = MEETING, **answers) -> Report:
    """The ``number``-th report of a meeting: varied operation, person, unit and visit date."""
    envelope = example_envelope()
    data = envelope["data"]
    data["submission_id"] = f"flow-{1000 + number}"
    data["submitter"] = {"id": f"p{number % len(PEOPLE)}", "name": PEOPLE[number % len(PEOPLE)]}
    data["answers"].update({
        "operation": CODES[number % len(CODES)],
        "unit": f"Enhet nr {number} på Åvägen",
        "visit_date": (date(2026, 10, 1) + timedelta(days=number % 40)).isoformat(),
        "unit_news": f"Svar {number}: nyheter på enheten, med å ä ö.",
        "oral_summary": number % 3 == 0,
    })
    data["answers"].update(answers)
    received = datetime(2026, 11, 1, 8, 0, tzinfo=UTC) + timedelta(minutes=number)
    return Report.from_envelope(envelope, report_id=f"BR-{number:04d}", received_at=received,
                                meeting_date=meeting)


@pytest.fixture
def committee() -> Committee:
    return Committee(municipality="Exempelby kommun", name="Välfärd- och servicenämnden",
                     meetings=(MEETING, date(2027, 1, 28)),
                     secretary_emails=("namndsekreterare@exempelby.se",))


@pytest.fixture
def reports() -> list[Report]:
    return [make_report(number) for number in range(1, 6)]
