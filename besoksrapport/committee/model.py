"""The committee as configured: names, meetings, deadline rule, secretary and roster.

Loaded from the TOML file named by ``BESOKSRAPPORT_CONFIG`` and validated against
``schemas/committee.schema.json`` (see ``besoksrapport.committee.config``). Also what the
documents cite: the guideline, the form of a diarienummer and the proposed decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING

from besoksrapport.swedish import long_date

if TYPE_CHECKING:
    from besoksrapport.committee.oep import OepConfig


@dataclass(frozen=True)
class DeadlineRule:
    """A report must arrive ``days_before`` days before a meeting, by ``at`` Stockholm time."""

    days_before: int = 7
    at: time = time(12, 0)


@dataclass(frozen=True)
class Politician:
    id: str  # the id the platform's login identifies them by (envelope data.submitter.id)
    name: str
    role: str  # "ledamot" or "ersattare"
    operations: tuple[str, ...] = ()
    appointed: date | None = None  # None: since before any period we look at
    until: date | None = None  # the last day as kontaktpolitiker; None: still appointed

    def serves_between(self, first: date, last: date) -> bool:
        """Kontaktpolitiker on at least one day from ``first`` to ``last``."""
        return ((self.appointed is None or self.appointed <= last)
                and (self.until is None or self.until >= first))


@dataclass(frozen=True)
class Guideline:
    """The guideline the reports are made under, as the documents cite it."""

    title: str = "Riktlinjer för Välfärd- och servicenämndens kontaktpolitiker"
    adopted: date = date(2024, 1, 17)
    paragraph: str = "§ 3"  # of the minutes of the meeting that adopted it

    @property
    def citation(self) -> str:
        """«Riktlinjer för …, antagna 17 januari 2024, § 3», as a styrdokument is cited.

        The date is written the way the document's own «Datum» is: one date style a header.
        """
        return f"{self.title}, antagna {long_date(self.adopted)}, {self.paragraph}"


@dataclass(frozen=True)
class DiaryNumberRule:
    """What a diarienummer of this committee looks like, e.g. «VSN 2026/143»."""

    pattern: str  # a regular expression the whole number must match
    example: str  # shown when a number does not match

    def matches(self, number: str) -> bool:
        return re.fullmatch(self.pattern, number) is not None


@dataclass(frozen=True)
class Proposals:
    """The proposed decisions the documents end with (förslag till beslut)."""

    listing: str = "Anmälningsärendena läggs till handlingarna"
    follow_up: str = "Uppföljningen läggs till handlingarna"


@dataclass(frozen=True)
class MandatePeriod:
    start: date
    end: date


@dataclass(frozen=True)
class Committee:
    municipality: str
    name: str  # «Välfärd- och servicenämnden»
    meetings: tuple[date, ...]  # sorted, unique
    deadline: DeadlineRule = field(default_factory=DeadlineRule)
    secretary_emails: tuple[str, ...] = ()
    notify: str = "each"  # "each" report, or one "daily" digest
    digest_at: time = time(7, 0)
    mandate_period: MandatePeriod | None = None
    politicians: tuple[Politician, ...] = ()
    guideline: Guideline = field(default_factory=Guideline)
    diary_number: DiaryNumberRule | None = None  # None: any number up to 50 characters
    proposals: Proposals = field(default_factory=Proposals)
    oep: OepConfig | None = None  # the [oep] section: Open ePlatform (committee/oep.py)

    @property
    def genitive(self) -> str:
        """«Välfärd- och servicenämndens», for «… sammanträde den …»."""
        return self.name if self.name.endswith("s") else self.name + "s"

    def roster_between(self, first: date, last: date) -> tuple[Politician, ...]:
        """The kontaktpolitiker appointed on at least one day of the period, in roster order."""
        return tuple(person for person in self.politicians
                     if person.serves_between(first, last))

    def politician(self, platform_id: str) -> Politician | None:
        for person in self.politicians:
            if person.id == platform_id:
                return person
        return None
