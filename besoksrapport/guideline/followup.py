"""The follow-up the guideline asks for once per mandate period, as numbers.

«Uppföljning: En gång per mandatperiod.» How many visits each operation had each year (a
joint visit is one visit for the operation), how many each politician took part in (a joint
visit counts for every participant), which operations went unvisited in a year, which
kontaktpolitiker made no visit in a year they were appointed (the roster as it was that
year, by the appointment dates), how many visits the operation invited to (the guideline
makes the invitation the operation's task), how many were followed by an oral summary,
how many were made after the chair's decision, and how many visits beyond a politician's
one or two a year were made without that decision. Repeat reports of a visit count once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import CODES, operation_label
from besoksrapport.guideline.visits import (
    ORDINARY_PER_YEAR,
    VisitKey,
    is_chair_decision,
    participations,
    visits,
)
from besoksrapport.report import Report
from besoksrapport.spreadsheet import decimal_comma, write_swedish_csv
from besoksrapport.swedish import ROLES

# The role column of one who reported visits but is not on the committee's roster.
NOT_ON_ROSTER_ROLE = "Ej i förteckningen över kontaktpolitiker"


@dataclass(frozen=True)
class PoliticianVisits:
    politician_id: str
    name: str
    role: str | None  # None: not on the roster
    by_year: dict[int, int]
    ordinary: int
    chair_decision: int
    # The years the politician was kontaktpolitiker (by the roster's appointment dates);
    # for one not on the roster, the years they reported visits.
    appointed_years: frozenset[int] = frozenset()

    @property
    def total(self) -> int:
        return self.ordinary + self.chair_decision

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role or "", NOT_ON_ROSTER_ROLE)


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
    invited: int = 0  # visits the operation invited to
    beyond_without_decision: int = 0  # a politician's 3rd, 4th … ordinary visit of a year
    beyond_with_decision: int = 0  # a politician's visits after the chair's decision

    def operation_total(self, operation: str) -> int:
        return sum(self.by_operation[operation].values())

    def year_total(self, year: int) -> int:
        return sum(counts[year] for counts in self.by_operation.values())

    def operations_without_visit(self, year: int) -> list[str]:
        return [operation for operation, counts in self.by_operation.items()
                if counts[year] == 0]

    @property
    def politicians_without_visit(self) -> list[PoliticianVisits]:
        """On the roster during the period, and no visit in all of it."""
        return [person for person in self.politicians
                if person.role is not None and person.appointed_years and person.total == 0]

    def roster(self, year: int) -> list[PoliticianVisits]:
        """The kontaktpolitiker appointed in ``year``, in roster order."""
        return [person for person in self.politicians
                if person.role is not None and year in person.appointed_years]

    def politicians_without_visit_in(self, year: int) -> list[PoliticianVisits]:
        """Appointed in ``year`` and no visit that year."""
        return [person for person in self.roster(year) if person.by_year[year] == 0]

    @property
    def oral_summary_share(self) -> float | None:
        """Percent of visits with an oral summary; None when there were no visits."""
        return _share(self.with_oral_summary, self.visits)

    @property
    def invited_share(self) -> float | None:
        """Percent of visits the operation invited to; None when there were no visits."""
        return _share(self.invited, self.visits)


def _share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def _year_span(year: int, first: date, last: date) -> tuple[date, date]:
    """The part of ``year`` inside the period."""
    return max(first, date(year, 1, 1)), min(last, date(year, 12, 31))


def follow_up(reports: Iterable[Report], committee: Committee, first: date,
              last: date) -> FollowUp:
    """The numbers for visits from ``first`` to ``last`` inclusive.

    Pass the reports of the whole calendar years the period touches: a visit's place in
    its year's count (beyond one or two) depends on the visits before it that year.
    """
    if last < first:
        raise ValueError("the period ends before it starts")
    reports = list(reports)
    chosen = [report for report in reports if first <= report.visit_date <= last]
    years = tuple(range(first.year, last.year + 1))
    groups: dict[VisitKey, list[Report]] = visits(chosen)

    by_operation = {operation: dict.fromkeys(years, 0) for operation in CODES}
    for key in groups:
        by_operation.setdefault(key.operation, dict.fromkeys(years, 0))[key.visit_date.year] += 1
    oral = sum(any(r.answers.get("oral_summary") is True for r in group)
               for group in groups.values())
    invited = sum(any(r.answers.get("invited_by_operation") is True for r in group)
                  for group in groups.values())
    by_chair = sum(any(is_chair_decision(r) for r in group) for group in groups.values())

    per_year: dict[str, Counter[int]] = defaultdict(Counter)
    decided: Counter[str] = Counter()
    beyond = 0
    names: dict[str, str] = {}
    # Numbered over whole calendar years, as the guideline counts; counted in the period.
    everyone = [report for report in reports
                if first.year <= report.visit_date.year <= last.year]
    for part in participations(everyone):
        if not first <= part.key.visit_date <= last:
            continue
        per_year[part.politician_id][part.key.visit_date.year] += 1
        decided[part.politician_id] += part.chair_decision
        beyond += part.ordinal is not None and part.ordinal > ORDINARY_PER_YEAR
        names.setdefault(part.politician_id, part.report.submitter.name)
    people: list[tuple[str, str, str | None, frozenset[int]]] = [
        (person.id, person.name, person.role,
         frozenset(year for year in years if person.serves_between(*_year_span(year, first,
                                                                                last))))
        for person in committee.politicians]
    rostered = {person.id for person in committee.politicians}
    people += sorted(((pid, names[pid], None, frozenset(per_year[pid]))
                      for pid in per_year if pid not in rostered),
                     key=lambda item: (item[1].casefold(), item[0]))
    politicians = tuple(
        PoliticianVisits(pid, name, role,
                         by_year={year: per_year[pid][year] for year in years},
                         ordinary=sum(per_year[pid].values()) - decided[pid],
                         chair_decision=decided[pid], appointed_years=appointed)
        for pid, name, role, appointed in people)
    as_of = max((report.received_at for report in chosen), default=None)
    return FollowUp(first, last, years, by_operation, politicians, len(groups), oral,
                    by_chair, as_of, invited=invited, beyond_without_decision=beyond,
                    beyond_with_decision=sum(decided.values()))


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
    for year in numbers.years:
        for person in numbers.politicians_without_visit_in(year):
            rows.append(["Kontaktpolitiker utan besök", str(year), "", person.name, "0"])
    for person in numbers.politicians_without_visit:
        rows.append(["Kontaktpolitiker utan besök", "", "", person.name, "0"])
    rows.append(["Besök totalt", "", "", "", str(numbers.visits)])
    rows.append(["Besök med muntlig sammanfattning", "", "", "", str(numbers.with_oral_summary)])
    rows.append(["Andel besök med muntlig sammanfattning (%)", "", "", "",
                 _csv_share(numbers.oral_summary_share)])
    rows.append(["Besök som verksamheten bjöd in till", "", "", "", str(numbers.invited)])
    rows.append(["Andel besök som verksamheten bjöd in till (%)", "", "", "",
                 _csv_share(numbers.invited_share)])
    rows.append(["Besök efter ordförandens beslut", "", "", "", str(numbers.by_chair_decision)])
    rows.append(["Besök utöver 1–2 per år utan ordförandens beslut (per kontaktpolitiker)",
                 "", "", "", str(numbers.beyond_without_decision)])
    rows.append(["Besök efter ordförandens beslut (per kontaktpolitiker)", "", "", "",
                 str(numbers.beyond_with_decision)])
    return rows


def _csv_share(share: float | None) -> str:
    return "" if share is None else decimal_comma(share, 1)


def write_csv(numbers: FollowUp, path: Path) -> Path:
    """The numbers behind the follow-up document, as a CSV Swedish Excel opens correctly."""
    return write_swedish_csv(path, MEASURES_HEADER, measure_rows(numbers))
