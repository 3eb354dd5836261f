"""The follow-up the guideline asks for once per mandate period, as numbers.

«Uppföljning: En gång per mandatperiod.» How many visits each operation had each year (a
joint visit is one visit for the operation), how many each politician took part in (a joint
visit counts for every participant), which operations went unvisited in a year, which
kontaktpolitiker made no visit, how many visits were followed by an oral summary, and how
many were made after the chair's decision. Repeat reports of the same visit count once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .committee import Committee
from .operations import CODES, operation_label
from .report import Report
from .spreadsheet import decimal_comma, write_swedish_csv
from .swedish import ROLES
from .visits import VisitKey, is_chair_decision, participations, visits


@dataclass(frozen=True)
class PoliticianVisits:
    politician_id: str
    name: str
    role: str | None  # None: not on the roster
    by_year: dict[int, int]
    ordinary: int
    chair_decision: int

    @property
    def total(self) -> int:
        return self.ordinary + self.chair_decision

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role or "", "Inte med i listan")


@dataclass(frozen=True)
class FollowUp:
    first: date
    last: date
    years: tuple[int, ...]
    by_operation: dict[str, dict[int, int]]  # operation code → year → visits
    politicians: tuple[PoliticianVisits, ...]  # the roster in its order, then others by name
    visits: int
    with_oral_summary: int
    by_chair_decision: int
    as_of: datetime | None  # the latest reception among the reports counted

    def operation_total(self, operation: str) -> int:
        return sum(self.by_operation[operation].values())

    def year_total(self, year: int) -> int:
        return sum(counts[year] for counts in self.by_operation.values())

    def operations_without_visit(self, year: int) -> list[str]:
        return [operation for operation, counts in self.by_operation.items()
                if counts[year] == 0]

    @property
    def politicians_without_visit(self) -> list[PoliticianVisits]:
        return [person for person in self.politicians
                if person.role is not None and person.total == 0]

    @property
    def oral_summary_share(self) -> float | None:
        """Percent of visits with an oral summary; None when there were no visits."""
        return 100 * self.with_oral_summary / self.visits if self.visits else None


def follow_up(reports: Iterable[Report], committee: Committee, first: date,
              last: date) -> FollowUp:
    """The numbers for visits from ``first`` to ``last`` inclusive."""
    if last < first:
        raise ValueError("the period ends before it starts")
    chosen = [report for report in reports if first <= report.visit_date <= last]
    years = tuple(range(first.year, last.year + 1))
    groups: dict[VisitKey, list[Report]] = visits(chosen)

    by_operation = {operation: dict.fromkeys(years, 0) for operation in CODES}
    for key in groups:
        by_operation.setdefault(key.operation, dict.fromkeys(years, 0))[key.visit_date.year] += 1
    oral = sum(any(r.answers.get("oral_summary") is True for r in group)
               for group in groups.values())
    by_chair = sum(any(is_chair_decision(r) for r in group) for group in groups.values())

    per_year: dict[str, Counter[int]] = defaultdict(Counter)
    decided: Counter[str] = Counter()
    names: dict[str, str] = {}
    for part in participations(chosen):
        per_year[part.politician_id][part.key.visit_date.year] += 1
        decided[part.politician_id] += part.chair_decision
        names.setdefault(part.politician_id, part.report.submitter.name)
    people: list[tuple[str, str, str | None]] = [
        (person.id, person.name, person.role) for person in committee.politicians]
    rostered = {person.id for person in committee.politicians}
    people += sorted(((pid, names[pid], None) for pid in per_year if pid not in rostered),
                     key=lambda item: (item[1].casefold(), item[0]))
    politicians = tuple(
        PoliticianVisits(pid, name, role,
                         by_year={year: per_year[pid][year] for year in years},
                         ordinary=sum(per_year[pid].values()) - decided[pid],
                         chair_decision=decided[pid])
        for pid, name, role in people)
    as_of = max((report.received_at for report in chosen), default=None)
    return FollowUp(first, last, years, by_operation, politicians, len(groups), oral,
                    by_chair, as_of)


def percent(value: float | None) -> str:
    """«30,8 %» (Swedish puts a space before the percent sign); «–» for no value."""
    return "–" if value is None else f"{decimal_comma(value, 1)}\u00a0%"


MEASURES_HEADER = ("Mått", "År", "Verksamhet", "Kontaktpolitiker", "Värde")


def measure_rows(numbers: FollowUp) -> list[list[str]]:
    """The numbers in long form, one per row: easy to filter and pivot in Excel."""
    rows: list[list[str]] = []
    for operation, counts in numbers.by_operation.items():
        label = operation_label(operation)
        for year in numbers.years:
            rows.append(["Besök per verksamhet och år", str(year), label, "", str(counts[year])])
    for person in numbers.politicians:
        for year in numbers.years:
            rows.append(["Besök per kontaktpolitiker och år", str(year), "", person.name,
                         str(person.by_year[year])])
        rows.append(["Besök efter ordförandens beslut per kontaktpolitiker", "", "",
                     person.name, str(person.chair_decision)])
    for year in numbers.years:
        for operation in numbers.operations_without_visit(year):
            rows.append(["Verksamhet utan besök", str(year),
                         operation_label(operation), "", "0"])
    for person in numbers.politicians_without_visit:
        rows.append(["Kontaktpolitiker utan besök", "", "", person.name, "0"])
    rows.append(["Besök totalt", "", "", "", str(numbers.visits)])
    rows.append(["Besök med muntlig sammanfattning", "", "", "", str(numbers.with_oral_summary)])
    share = numbers.oral_summary_share
    rows.append(["Andel besök med muntlig sammanfattning (%)", "", "", "",
                 "" if share is None else decimal_comma(share, 1)])
    rows.append(["Besök efter ordförandens beslut", "", "", "", str(numbers.by_chair_decision)])
    return rows


def write_csv(numbers: FollowUp, path: Path) -> Path:
    """The numbers behind the follow-up document, as a CSV Swedish Excel opens correctly."""
    return write_swedish_csv(path, MEASURES_HEADER, measure_rows(numbers))
