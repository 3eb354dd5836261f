"""What the rest of the system needs from durable storage, apart from how it is stored.

The web app, the worker and the CLI depend on ``Storage`` and the records it returns, so a
second implementation (PostgreSQL, a later issue) can stand behind the same methods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from besoksrapport.errors import ValidationIssue
from besoksrapport.report import Report

# A job to queue with a change: kind, payload and coalescing key (None: never coalesced).
QueuedJob = tuple[str, dict[str, Any], str | None]
# A job committed with a new report: kind and payload (the report's id is added to it).
NewJob = tuple[str, dict[str, Any]]
# The last_error of a job whose claims all ended without an outcome (see claim_job).
ABANDONED = ("Gav upp efter {attempts} försök som aldrig blev klara: programmet som utförde "
             "uppgiften stoppades, till exempel för att det avbröts eller fick slut på minne.")


@dataclass(frozen=True)
class Job:
    """One unit of after-the-answer work; ``attempts`` counts claims, including this one."""

    id: int
    kind: str
    payload: dict[str, Any]
    state: str
    attempts: int
    not_before: datetime
    last_error: str | None = None


@dataclass(frozen=True)
class VisitRecord:
    """What counting a politician's visits needs of one report, without the rest of it."""

    report_id: str
    received_at: datetime
    visit_date: date
    operation: str
    unit: str
    visit_kind: str | None


@dataclass(frozen=True)
class QuarantinedDelivery:
    """A correctly signed delivery that failed validation, kept for the secretary."""

    id: int
    webhook_id: str
    received_at: datetime
    raw_body: bytes
    errors: list[dict[str, str]]


@dataclass(frozen=True)
class OepInstance:
    """One revision of a flow instance as we handled it."""

    flow_instance_id: int
    revision: str
    received_at: datetime
    xml: bytes
    report_id: str | None  # the report it became, or None when refused
    errors: list[dict[str, str]] | None


@dataclass(frozen=True)
class OutboxFigures:
    """The outbox at a glance, for monitoring: counts and an age, nothing of any job."""

    pending: int
    oldest_due_seconds: float  # how long the pending job due first has waited; 0 if none
    failed: int


@dataclass(frozen=True)
class Withdrawal:
    """A report the secretary withdrew (makulerade): kept, but in no public file."""

    report_id: str
    reason: str
    withdrawn_by: str
    withdrawn_at: datetime


@dataclass(frozen=True)
class PrivacyReview:
    """The secretary's decision about a report's personal data: ``approved`` (published as
    written) or ``masked`` (published with the found strings removed)."""

    report_id: str
    decision: str
    reviewed_by: str
    reviewed_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail: who did what to which record, when and from where.

    ``details`` holds counts and ids only (gallring), never a report's content.
    """

    at: datetime
    actor: str
    action: str
    target: str = ""
    address: str = ""
    details: str = ""
    id: int | None = None


@dataclass(frozen=True)
class HandledMark:
    """The secretary's «hanterad» on a flag (target ``REPORT_ID:code``) or a refused
    delivery (target its quarantine id)."""

    kind: str  # "flag" or "refused"
    target: str
    handled_by: str
    handled_at: datetime
    note: str = ""


class Storage(Protocol):
    """What the rest of the system needs from durable storage."""

    def ping(self) -> None: ...
    def outbox_figures(self, now: datetime) -> OutboxFigures: ...
    def close(self) -> None: ...
    def record_report(self, webhook_id: str, raw_body: bytes, envelope: dict[str, Any],
                      received_at: datetime, meeting_date: date | None,
                      jobs: Sequence[NewJob] = ...) -> tuple[Report, bool]: ...
    def record_quarantine(self, webhook_id: str, raw_body: bytes,
                          issues: list[ValidationIssue], received_at: datetime) -> None: ...
    def quarantined(self) -> list[QuarantinedDelivery]: ...
    def get_report(self, report_id: str) -> Report: ...
    def reports_for_meeting(self, day: date) -> list[Report]: ...
    def reports_between(self, first: date, last: date) -> list[Report]: ...
    def unassigned_reports(self) -> list[Report]: ...
    def set_meeting(self, report_id: str, day: date | None,
                    jobs: Callable[[date | None], Iterable[QueuedJob]] | None = None,
                    *, if_unassigned: bool = False) -> date | None: ...
    def reassess(self, first: date, last: date,
                 assess: Callable[[list[Report]], dict[str, Any]],
                 jobs: Callable[[list[tuple[Report, Any]]], Iterable[QueuedJob]] | None = ...,
                 *, around: tuple[str, date] | None = ...) -> list[str]: ...
    def enqueue(self, kind: str, payload: dict[str, Any],
                not_before: datetime | None = None, key: str | None = None) -> int: ...
    def debounce(self, kind: str, payload: dict[str, Any], key: str, delay: float,
                 max_wait: float) -> int: ...
    def bring_forward(self, kind: str, now: datetime) -> int: ...
    def has_due_job(self, now: datetime) -> bool: ...
    def arrivals_since(self, moment: datetime, enough: int) -> int: ...
    def claim_job(self, now: datetime, lease_seconds: float,
                  max_attempts: int | None = None) -> Job | None: ...
    # ``claim``: the job's ``attempts`` when this runner claimed it; given, the call does
    # nothing once another runner has claimed the job since (its lease had run out).
    def extend_lease(self, job_id: int, lease_seconds: float,
                     claim: int | None = None) -> bool: ...
    def release_job(self, job_id: int, claim: int | None = None) -> None: ...
    def complete_job(self, job_id: int, claim: int | None = None) -> None: ...
    def retry_job(self, job_id: int, error: str, not_before: datetime,
                  claim: int | None = None) -> None: ...
    def fail_job(self, job_id: int, error: str, claim: int | None = None) -> None: ...
    def retry_failed_job(self, job_id: int, now: datetime) -> Job | None: ...
    def pending_jobs(self, kind: str | None = None) -> list[Job]: ...
    def failed_jobs(self) -> list[Job]: ...
    def mark_for_notification(self, report_id: str) -> None: ...
    def unnotified_reports(self) -> list[Report]: ...
    def notified(self, report_id: str) -> bool: ...
    def mark_notified(self, report_ids: list[str], sent_at: datetime) -> None: ...
    # Open ePlatform (storage/sqlite/oep.py)
    def oep_handled(self, flow_instance_id: int, revision: str | None = None) -> bool: ...
    def record_oep_instance(self, flow_instance_id: int, revision: str, xml: bytes,
                            received_at: datetime, report_id: str | None,
                            issues: list[ValidationIssue] | None,
                            jobs: Sequence[QueuedJob] = ...) -> bool: ...
    def oep_instance(self, flow_instance_id: int, revision: str) -> OepInstance: ...
    def oep_instances(self) -> list[OepInstance]: ...
    def queue_oep_statuses(self, report_ids: Sequence[str],
                           job: Callable[[OepInstance], QueuedJob]) -> int: ...
    def oep_cursor(self, name: str) -> datetime | None: ...
    def set_oep_cursor(self, name: str, last_run: datetime) -> None: ...
    def save_account(self, name: str, password_hash: str, changed_at: datetime) -> bool: ...
    def password_hash(self, name: str) -> str | None: ...
    def remove_account(self, name: str) -> bool: ...
    def session_generation(self, account: str) -> int: ...
    def end_sessions(self, account: str) -> None: ...
    def count_login_attempt(self, keys: list[str], now: float,
                            window: float) -> dict[str, int]: ...
    def uncount_login_attempt(self, key: str) -> None: ...
    def clear_login_attempts(self, key: str) -> None: ...
    def visit_history(self, politician_id: str, first: date,
                      last: date) -> AbstractContextManager[Iterator[VisitRecord]]: ...
    def meeting_diary_number(self, day: date) -> str | None: ...
    def set_meeting_diary_number(self, day: date, number: str | None,
                                 jobs: Callable[[date | None], Iterable[QueuedJob]]) -> None: ...
    def set_report_diary_number(self, report_id: str, number: str | None,
                                jobs: Callable[[date | None], Iterable[QueuedJob]]
                                ) -> date | None: ...
    # What the secretary decided about publishing (storage/sqlite/publication.py)
    def withdraw_report(self, report_id: str, reason: str, by: str, at: datetime,
                        jobs: Callable[[date | None], Iterable[QueuedJob]]
                        ) -> tuple[date | None, bool]: ...
    def restore_report(self, report_id: str,
                       jobs: Callable[[date | None], Iterable[QueuedJob]]
                       ) -> tuple[date | None, Withdrawal | None]: ...
    def withdrawals(self) -> dict[str, Withdrawal]: ...
    def review_report(self, report_id: str, decision: str, by: str, at: datetime,
                      jobs: Callable[[date | None], Iterable[QueuedJob]]) -> date | None: ...
    def privacy_reviews(self) -> dict[str, PrivacyReview]: ...
    # The audit trail and the «hanterad» marks (storage/sqlite/audit.py)
    def record_audit(self, entry: AuditEntry) -> None: ...
    def audited(self, entry: AuditEntry) -> AbstractContextManager[None]: ...
    def audit_entries(self, first: datetime | None = None,
                      last: datetime | None = None) -> list[AuditEntry]: ...
    def mark_handled(self, mark: HandledMark) -> None: ...
    def unmark_handled(self, kind: str, target: str) -> bool: ...
    def handled_marks(self, kind: str) -> dict[str, HandledMark]: ...
    # Gallring (storage/sqlite/retention.py): ids of what is (or would be) removed
    def purge_quarantine(self, before: datetime, dry_run: bool) -> list[str]: ...
    def purge_audit(self, before: datetime, dry_run: bool) -> list[str]: ...
    def purge_oep_xml(self, before: datetime, dry_run: bool) -> list[str]: ...
    def purge_withdrawn_bodies(self, before: datetime, dry_run: bool) -> list[str]: ...
