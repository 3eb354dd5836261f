"""Reports, committees and a render function for the filing tests.

Reports are built with ``Report.from_envelope`` from the valid examples in
schemas/examples/valid/ when they exist, else from the envelope below (same contract).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from besoksrapport.committee import Committee
from besoksrapport.paths import EXAMPLES_DIR
from besoksrapport.report import Report

MEETING = date(2026, 12, 10)

ENVELOPE = {
    "type": "visit_report.submitted",
    "timestamp": "2026-11-05T09:12:00Z",
    "data": {
        "submission_id": "flow-1001",
        "submitted_at": "2026-11-05T09:12:00Z",
        "submitter": {"id": "anna.lindqvist", "name": "Anna Lindqvist",
                      "email": "anna.lindqvist@exempelby.se"},
        "answers": {
            "operation": "kost",
            "unit": "Centralköket",
            "visit_date": "2026-11-03",
            "start_time": "09:30",
            "end_time": "11:00",
            "invited_by_operation": True,
            "visit_kind": "ordinary",
            "role": "ledamot",
            "joint_visit": False,
            "met": ["staff", "management"],
            "unit_news": "Köket ställer om till mer vegetariskt i skolmatsalarna.",
            "operation_raises": "Behov av ny diskmaskin före årsskiftet.",
            "oral_summary": True,
            "employed_in_operation": False,
            "relative_employed_in_operation": False,
            "claims_meeting_fee": True,
            "public_record_acknowledged": True,
        },
    },
}

OPERATIONS = ["kost", "arbetsmarknad", "komvux", "turism", "kultur", "fritid"]
PEOPLE = ["Anna Lindqvist", "Bengt Haraldsson", "Cecilia Öberg", "Dragan Petrović"]


def base_envelope() -> dict:
    example = EXAMPLES_DIR / "valid" / "minimal.json"
    if example.is_file():
        return json.loads(example.read_text(encoding="utf-8"))
    return copy.deepcopy(ENVELOPE)


def make_report(number: int, *, meeting: date = MEETING, **answers) -> Report:
    """The ``number``-th report of a meeting: varied operation, person, unit and visit date."""
    envelope = base_envelope()
    data = envelope["data"]
    data["submission_id"] = f"flow-{1000 + number}"
    data["submitter"] = {"id": f"p{number % len(PEOPLE)}", "name": PEOPLE[number % len(PEOPLE)]}
    data["answers"].update({
        "operation": OPERATIONS[number % len(OPERATIONS)],
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
