"""The committee as configured: names, meetings, deadline rule, secretary and roster.

Loaded from the TOML file named by ``BESOKSRAPPORT_CONFIG`` and validated against
``schemas/committee.schema.json`` (see ``besoksrapport.committee_config``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .oep.config import OepConfig


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
    oep: OepConfig | None = None  # the [oep] section: Open ePlatform (oep/config.py)

    @property
    def genitive(self) -> str:
        """«Välfärd- och servicenämndens», for «… sammanträde den …»."""
        return self.name if self.name.endswith("s") else self.name + "s"

    def politician(self, platform_id: str) -> Politician | None:
        for person in self.politicians:
            if person.id == platform_id:
                return person
        return None
