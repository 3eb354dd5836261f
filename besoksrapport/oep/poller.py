"""One poll of Open ePlatform: list new flow instances, read each, hand it to reception.

The window starts at the last poll that went through, less a margin for the two clocks
(``BESOKSRAPPORT_OEP_SKEW_SECONDS``, 5 minutes), so polls overlap and an instance the
platform dated a little before our clock is not missed; what the overlap brings again is
skipped (an instance that became a report is not even fetched). The cursor moves only when
every listed instance was handled: an instance that could not be fetched, or a poll cut
off by a crash, leaves it where it was, and the next poll reads the same window again.

Each instance becomes an envelope (``mapping``) whose JSON is the raw body, and goes
through ``reception.receive`` like a webhook delivery: ``submission_id`` is
``oep-<FlowInstanceID>``, so the same instance makes one report however often it comes.
An instance that cannot be mapped or is invalid (the same ``validate_envelope`` reception
runs, made first here so that each issue's pointer names the XML element) is kept in the
quarantine with its errors in Swedish; either way the XML is kept (``oep_instances``) and
the callbacks are queued in the same transaction (``status.callback_jobs``). Polls of
several processes take turns on a file lock in the data folder; on a storage shared by
several hosts (PostgreSQL), on the storage's advisory lock instead.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from besoksrapport.committee.oep import OepConfig
from besoksrapport.errors import (
    ConfigError,
    ReportInvalid,
    StorageUnavailable,
    ValidationIssue,
)
from besoksrapport.oep.client import OepClient
from besoksrapport.oep.errors import AnswerTooLarge, OepError
from besoksrapport.oep.flowinstance import FlowInstanceUnreadable, listed_ids, parse_flow_instance
from besoksrapport.oep.mapping import map_flow_instance
from besoksrapport.oep.status import callback_jobs
from besoksrapport.outbox.context import Context
from besoksrapport.reception.receive import receive

log = logging.getLogger("besoksrapport.oep")
LOCK_NAME = "oep-poll.lock"
GONE = (404, 410)


@dataclass
class PollResult:
    """What one poll did; ``complete`` says whether the cursor moved."""

    listed: int = 0
    reports: list[str] = field(default_factory=list)  # report ids, new or found again
    refused: list[int] = field(default_factory=list)  # flow instance ids quarantined
    skipped: int = 0  # handled before
    gone: int = 0  # listed, but the platform no longer has them (404, 410)
    failed: list[OepError] = field(default_factory=list)  # instances to fetch again
    complete: bool = False


def cursor_name(config: OepConfig) -> str:
    return f"{config.family_id}/{config.status or ''}"


def delivery_id(flow_instance_id: int, revision: str) -> str:
    """One delivery per revision: a corrected instance sent in again is a new delivery."""
    return f"oep-{flow_instance_id}:{revision}"


def _revision(submitted: str | None, xml: bytes) -> str:
    """Header/LastSubmitted; for XML without one, the content's hash."""
    return submitted or "sha256-" + hashlib.sha256(xml).hexdigest()[:32]


def _setup(ctx: Context) -> OepConfig:
    if ctx.settings.oep is None:
        raise ConfigError("saknas: ange Open ePlatforms adress för att hämta rapporter därifrån",
                          field="BESOKSRAPPORT_OEP_URL")
    if ctx.committee.oep is None:
        raise ConfigError("nämndens konfiguration har inget avsnitt [oep] med e-tjänsten och "
                          "dess frågor", source=str(ctx.settings.config_path))
    return ctx.committee.oep


@contextmanager
def poll_lock(ctx: Context, *, wait: bool) -> Iterator[bool]:
    """Hold the poll lock (True), or without ``wait`` yield False when another poll has it."""
    shared = getattr(ctx.storage, "advisory_lock", None)  # one lock for every host
    if shared is not None:
        with shared(LOCK_NAME, wait=wait) as locked:
            yield locked
        return
    ctx.settings.data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(ctx.settings.data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock


def _refuse(ctx: Context, flow_instance_id: int, revision: str, xml: bytes, body: bytes,
            issues: list[ValidationIssue], now: dt.datetime, result: PollResult) -> None:
    ctx.storage.record_quarantine(delivery_id(flow_instance_id, revision), body, issues, now)
    ctx.storage.record_oep_instance(flow_instance_id, revision, xml, now, None, issues,
                                    callback_jobs(ctx, flow_instance_id, revision, None))
    result.refused.append(flow_instance_id)


def handle_instance(ctx: Context, config: OepConfig, flow_instance_id: int, xml: bytes,
                    now: dt.datetime, result: PollResult) -> None:
    """One fetched FlowInstance: a report, or the quarantine; its callbacks queued."""
    try:
        flow = parse_flow_instance(xml)
    except FlowInstanceUnreadable as unreadable:
        revision = _revision(None, xml)
        if ctx.storage.oep_handled(flow_instance_id, revision):
            result.skipped += 1
        else:
            _refuse(ctx, flow_instance_id, revision, xml, xml, [unreadable.issue], now, result)
        return
    revision = _revision(flow.submitted, xml)
    if ctx.storage.oep_handled(flow_instance_id, revision):
        result.skipped += 1
        return
    mapped = map_flow_instance(flow, config, now)
    body = json.dumps(mapped.envelope, ensure_ascii=False).encode("utf-8")
    if flow.flow_instance_id != flow_instance_id:
        mapped.issues.insert(0, ValidationIssue(
            "/FlowInstance/Header/FlowInstanceID", "oep_other_id",
            f"Open ePlatform gav ett annat ärende än nummer {flow_instance_id}."))
    # The validation reception.receive makes, first here: the issues then point into the XML.
    issues = mapped.every_issue()
    if issues:
        _refuse(ctx, flow_instance_id, revision, xml, body, issues, now, result)
        return
    try:
        receipt = receive(ctx, delivery_id(flow_instance_id, revision), body, mapped.envelope,
                          body.decode("utf-8"), received_at=now)
    except ReportInvalid as invalid:  # quarantined by receive; not after the check above
        ctx.storage.record_oep_instance(flow_instance_id, revision, xml, now, None,
                                        mapped.in_xml(invalid.issues),
                                        callback_jobs(ctx, flow_instance_id, revision, None))
        result.refused.append(flow_instance_id)
        return
    report_id = receipt.report.report_id
    ctx.storage.record_oep_instance(flow_instance_id, revision, xml, now, report_id, None,
                                    callback_jobs(ctx, flow_instance_id, revision, report_id))
    result.reports.append(report_id)


def _handle_alone(ctx: Context, config: OepConfig, flow_instance_id: int, xml: bytes,
                  result: PollResult) -> None:
    """``handle_instance``, with whatever this instance's content breaks kept to it.

    An instance that makes the code fail in a way nobody foresaw is quarantined with a
    Swedish reason, so the poll goes on to the next and does not fetch it again; storage
    failing stops the poll as before (the cursor stays).
    """
    now = dt.datetime.now(dt.UTC)
    try:
        handle_instance(ctx, config, flow_instance_id, xml, now, result)
    except (StorageUnavailable, OepError):
        raise
    except Exception as error:  # one instance must never stop the poll
        log.error("flow instance could not be handled", extra={
            "flow_instance_id": flow_instance_id, "error_type": type(error).__name__})
        _refuse(ctx, flow_instance_id, _revision(None, xml), xml, xml, [ValidationIssue(
            "/", "oep_unreadable", "Ärendets XML från Open ePlatform kunde inte läsas "
            f"({type(error).__name__}).")], now, result)


def poll_once(ctx: Context, *, client: OepClient | None = None,
              now: dt.datetime | None = None, wait: bool = True) -> PollResult | None:
    """Poll the platform once; None when ``wait`` is False and another poll is running.

    Raises ``OepError`` when the list cannot be had (the cursor stays), ``ConfigError``
    when the platform is not configured, ``StorageUnavailable`` as storage does.
    """
    config = _setup(ctx)
    assert ctx.settings.oep is not None  # checked by _setup
    settings = ctx.settings.oep
    client = client or OepClient(settings)
    with poll_lock(ctx, wait=wait) as locked:
        if not locked:
            return None
        started = now or dt.datetime.now(dt.UTC)
        cursor = ctx.storage.oep_cursor(cursor_name(config))
        since = (cursor - dt.timedelta(seconds=settings.skew_seconds) if cursor is not None
                 else None)
        if since is None and config.since is not None:
            since = dt.datetime.combine(config.since, dt.time(0, 0), tzinfo=dt.UTC)
        # The platform's toDate is to the minute: reach to the end of this one.
        until = started + dt.timedelta(minutes=1)
        listing = client.list_instances(config.family_id, config.status, since, until)
        try:
            ids = listed_ids(listing)
        except FlowInstanceUnreadable:
            raise OepError("Open ePlatform svarade med något annat än en lista över ärenden "
                           "(kontrollera BESOKSRAPPORT_OEP_URL)", retryable=False,
                           status=200) from None
        result = PollResult(listed=len(ids))
        for flow_instance_id in ids:
            if ctx.storage.oep_handled(flow_instance_id):
                result.skipped += 1
                continue
            try:
                xml = client.flow_instance(flow_instance_id)
            except AnswerTooLarge as error:  # as large again next time: refused, not retried
                revision = _revision(None, b"")  # none read; one refusal until it is smaller
                if ctx.storage.oep_handled(flow_instance_id, revision):
                    result.skipped += 1
                else:
                    _refuse(ctx, flow_instance_id, revision, b"", b"", [ValidationIssue(
                        "/", "oep_too_large", f"{error}.")], dt.datetime.now(dt.UTC), result)
                continue
            except OepError as error:
                log.warning("flow instance not fetched", extra={
                    "flow_instance_id": flow_instance_id, "status": error.status,
                    "retryable": error.retryable})
                if error.status in GONE:  # deleted since it was listed: nothing to wait for
                    result.gone += 1
                else:
                    result.failed.append(error)
                continue
            _handle_alone(ctx, config, flow_instance_id, xml, result)
        if not result.failed:
            ctx.storage.set_oep_cursor(cursor_name(config), started)
            result.complete = True
        log.info("oep poll", extra={
            "listed": result.listed, "reports": len(result.reports),
            "refused": len(result.refused), "skipped": result.skipped, "gone": result.gone,
            "failed": len(result.failed), "complete": result.complete})
        return result
