"""Gallring as the municipality's dokumenthanteringsplan says: each kind of record its period.

Refused deliveries (with the personal data in their bodies), the raw bodies of withdrawn
reports, the audit trail and Open ePlatform's XML each get a period in days
(``BESOKSRAPPORT_RETENTION_*_DAYS``); a kind without one is kept (bevaras), and filed
reports are always kept. ``besoksrapport gallra`` shows what would go and removes it only
with ``--verkställ``; the daily job (``GALLRA``) removes it. What was removed goes into the
audit trail as counts and ids, never content.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from besoksrapport.outbox.context import Context
from besoksrapport.outbox.mail_jobs import next_digest
from besoksrapport.outbox.registry import JobKind
from besoksrapport.secretary.audit import SYSTEM, record
from besoksrapport.storage import Job
from besoksrapport.swedish import capitalized, quantity

GALLRA = "gallra"
DAILY_AT = dt.time(3, 0)  # Stockholm time, when nobody works on the page

# kind → (its Swedish name, the settings field, the storage method)
KINDS = (
    ("refused", "avvisade leveranser", "refused_days", "purge_quarantine"),
    ("withdrawn", "inskickat innehåll i makulerade rapporter", "withdrawn_days",
     "purge_withdrawn_bodies"),
    ("audit", "loggposter", "audit_days", "purge_audit"),
    ("oep_xml", "XML från Open ePlatform", "oep_xml_days", "purge_oep_xml"),
)


@dataclass(frozen=True)
class Part:
    kind: str
    label: str
    days: int | None  # None: kept (bevaras)
    ids: list[str] | None  # what goes (or went); None: kept

    @property
    def text(self) -> str:
        if self.days is None or self.ids is None:
            return f"{capitalized(self.label)}: bevaras (ingen gallringsfrist är satt)."
        return (f"{capitalized(self.label)}: gallras efter "
                f"{quantity(self.days, 'dag', 'dagar')}; "
                f"{len(self.ids)} st" + (f" (id {', '.join(self.ids)})." if self.ids else "."))


@dataclass(frozen=True)
class Gallring:
    executed: bool
    parts: list[Part]

    @property
    def removed(self) -> int:
        return sum(len(part.ids or ()) for part in self.parts)

    def details(self) -> str:
        """Counts and ids for the audit trail (never content)."""
        return "; ".join(f"{part.label}: {len(part.ids)} (id {', '.join(part.ids) or '–'})"
                         for part in self.parts if part.ids)


def gallra(ctx: Context, actor: str, address: str, *, execute: bool,
           now: dt.datetime | None = None) -> Gallring:
    """Find (and with ``execute`` remove) each kind's records older than its period."""
    now = now or dt.datetime.now(dt.UTC)
    settings = ctx.settings.retention
    parts = []
    for kind, label, field, method in KINDS:
        days = getattr(settings, field)
        ids = None
        if days is not None:
            ids = getattr(ctx.storage, method)(now - dt.timedelta(days=days),
                                               dry_run=not execute)
        parts.append(Part(kind, label, days, ids))
    result = Gallring(execute, parts)
    if execute:
        record(ctx, actor, "gallring", "", address,
               result.details() or "inget att gallra")
    return result


def schedule(ctx: Context, now: dt.datetime | None = None) -> None:
    """Queue the next daily gallring (coalesced), when any period is set."""
    if ctx.settings.retention.any:
        ctx.storage.enqueue(GALLRA, {}, key=GALLRA, not_before=next_digest(DAILY_AT, now))


def gallra_job(job: Job, ctx: Context) -> None:
    """The daily gallring; the next one is queued behind it."""
    gallra(ctx, SYSTEM, "daglig gallring", execute=True)
    schedule(ctx)


JOB_KINDS = (JobKind(GALLRA, gallra_job, "daglig gallring"),)
