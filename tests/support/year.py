"""A realistic year of visit reports (2026, plus a little of 2025) for the rules tests.

Built from schemas/examples/valid/minimal.json with the answers changed per visit. The roster
is the example configuration's plus Fatima Said, who makes no visit. What each report is
meant to show is said next to it; the tests count by hand from this table.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

from envelopes import example_envelope

from besoksrapport.committee.config import load_committee
from besoksrapport.committee.model import Committee, Politician
from besoksrapport.paths import EXAMPLE_CONFIG
from besoksrapport.report import Report

FATIMA = Politician(id="fatima.said", name="Fatima Said", role="ledamot",
                    operations=("fritid",))


def committee() -> Committee:
    """The example committee, with one more kontaktpolitiker who never visits."""
    example = load_committee(EXAMPLE_CONFIG)
    return dataclasses.replace(example, politicians=(*example.politicians, FATIMA))


NAMES = {
    "anna.lindqvist": "Anna Lindqvist",
    "bengt.haraldsson": "Bengt Haraldsson",
    "cecilia.oberg": "Cecilia Öberg",
    "dragan.petrovic": "Dragan Petrović",
    "erik.nystrom": "Erik Nyström",  # not on the roster
}
ROLES = {"cecilia.oberg": "ersattare", "dragan.petrovic": "ersattare"}  # the others: ledamot


def envelope(label: str, who: str, operation: str, unit: str, day: str, *,
             submitted_at: datetime, start: str = "09:00", end: str = "11:30",
             **answers: Any) -> dict[str, Any]:
    """minimal.json with the submitter and the answers of one visit."""
    data = example_envelope()
    data["data"]["submission_id"] = f"oep-{label}"
    data["data"]["submitter"] = {"id": who, "name": NAMES[who],
                                 "email": f"{who}@exempelby.se"}
    data["data"]["submitted_at"] = submitted_at.isoformat()
    data["timestamp"] = submitted_at.isoformat().replace("+00:00", "Z")
    data["data"]["answers"].update(operation=operation, unit=unit, visit_date=day,
                                   start_time=start, end_time=end,
                                   **{"role": ROLES.get(who, "ledamot"), **answers})
    if data["data"]["answers"].get("visit_kind") == "ordinary":
        data["data"]["answers"].pop("chair_decision_date", None)
    return data


@dataclasses.dataclass(frozen=True)
class Sent:
    """One report as the platform sent it, and when we received it."""

    label: str
    envelope: dict[str, Any]
    received_at: datetime

    def report(self) -> Report:
        return Report.from_envelope(self.envelope, received_at=self.received_at,
                                    report_id=f"BR-{self.received_at.year}-{self.label}")


def sent(label: str, who: str, operation: str, unit: str, day: str, *,
         received_after: timedelta = timedelta(days=1), **answers: Any) -> Sent:
    received = datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC) \
        + timedelta(hours=10) + received_after
    return Sent(label, envelope(label, who, operation, unit, day, submitted_at=received,
                                **answers), received)


CHAIR = {"visit_kind": "chair_decision"}
JOINT_WITH_ANNA = {"joint_visit": True, "other_participants": ["Anna Lindqvist"]}


def sent_year() -> list[Sent]:
    return [
        # 2025: a little of the year before.
        sent("P01", "anna.lindqvist", "kost", "Centralköket", "2025-05-14"),
        sent("P02", "cecilia.oberg", "kultur", "Biblioteket i centrum", "2025-09-10",
               oral_summary=True),
        sent("P03", "dragan.petrovic", "kultur", "Biblioteket i centrum", "2025-09-10",
               received_after=timedelta(days=2)),  # joint with P02
        # 2026.
        sent("R01", "anna.lindqvist", "kost", "Centralköket", "2026-02-10",
               oral_summary=True),
        sent("R02", "bengt.haraldsson", "kost", "  centralköket ", "2026-02-10",
               received_after=timedelta(days=1, hours=1), **JOINT_WITH_ANNA),  # joint, R01
        sent("R03", "bengt.haraldsson", "arbetsmarknad", "Jobbtorget", "2026-03-05",
               start="13:00", end="14:30", oral_summary=True),  # Bengt's 2nd
        sent("R04", "bengt.haraldsson", "arbetsmarknad", "Jobbtorget", "2026-05-12",
               start="10:00", end="11:20"),  # Bengt's 3rd ordinary: flagged
        sent("R05", "anna.lindqvist", "komvux", "Komvux Vuxenutbildningscentrum",
               "2026-04-20", relative_employed_in_operation=True),  # Anna's 2nd
        sent("R06", "anna.lindqvist", "komvux", "Lärcentrum Norr", "2026-09-15",
               chair_decision_date="2026-09-01", **CHAIR),  # Anna's 3rd, by decision
        sent("R07", "cecilia.oberg", "turism", "Turistbyrån", "2026-06-03",
               oral_summary=True),
        sent("R08", "cecilia.oberg", "kultur", "Biblioteket i centrum", "2026-10-08",
               employed_in_operation=True),
        sent("R09", "dragan.petrovic", "fritid", "Sporthallen", "2026-03-18",
               start="17:00", end="18:45", claims_meeting_fee=False),
        sent("R10", "dragan.petrovic", "fritid", "Sporthallen", "2026-03-18",
               start="17:00", end="18:45", claims_meeting_fee=False,
               received_after=timedelta(days=3)),  # the same visit again: duplicate
        sent("R11", "erik.nystrom", "kultur", "Konsthallen", "2026-11-02"),  # not on roster
        sent("R12", "dragan.petrovic", "turism", "Turistbyrån", "2026-08-20",
               invited_by_operation=False),  # not his; and not invited
        sent("R13", "bengt.haraldsson", "arbetsmarknad", "Jobbtorget", "2026-11-20",
               chair_decision_date="2026-11-10", **CHAIR),  # Bengt's 4th, by decision
    ]


def year() -> list[Report]:
    return [item.report() for item in sent_year()]


def by_label(reports: list[Report]) -> dict[str, Report]:
    return {report.report_id.rsplit("-", 1)[1]: report for report in reports}
