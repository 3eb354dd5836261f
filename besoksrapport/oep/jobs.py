"""The outbox's handlers for the platform's callbacks (queued by ``status``).

Each builds its request from what is stored when it runs (the report's meeting as it is
now, the errors kept with the instance, the alias in the configuration now), so a fixed
configuration or a moved report is what the platform hears. A temporary failure is retried
with backoff; a permanent one (a SOAP fault such as ``StatusNotFoundFault``) fails the job
at once with its Swedish reason, shown by ``besoksrapport outbox``. Calling again is
harmless: confirmDelivery and setStatus say the same thing twice, and a message is only
sent again when the platform's answer to the first was lost.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from besoksrapport.committee.oep import OepConfig
from besoksrapport.errors import PermanentError
from besoksrapport.oep.callback import add_message, call, confirm_delivery, set_status
from besoksrapport.oep.client import OepClient
from besoksrapport.outbox.context import Context, Handler
from besoksrapport.outbox.registry import JobKind
from besoksrapport.reception.notices import restored_text, withdrawn_text
from besoksrapport.reception.receive import receipt_text
from besoksrapport.reception.visit_count import ordinary_visit_number
from besoksrapport.storage import Job

CONFIRM_DELIVERY = "oep_confirm_delivery"
ADD_MESSAGE = "oep_add_message"
SET_STATUS = "oep_set_status"

# The politician reads this in the e-service under their report.
REFUSED_INTRO = "Din rapport kunde inte tas emot. Rätta det här och skicka in den igen:"


def _setup(ctx: Context) -> tuple[OepClient, OepConfig]:
    if ctx.settings.oep is None:
        raise PermanentError("Open ePlatform är inte inställt (BESOKSRAPPORT_OEP_URL saknas)")
    if ctx.committee.oep is None:
        raise PermanentError("nämndens konfiguration har inget avsnitt [oep]")
    return OepClient(ctx.settings.oep), ctx.committee.oep


def _send(client: OepClient, body: bytes, operation: str, what: str) -> None:
    """One callback; an ``OepError`` the platform will not change its mind on fails the job
    at once (the worker sees ``retryable``)."""
    call(client, body, operation, what)


def refused_text(errors: list[dict[str, str]]) -> str:
    """The message to the politician about a refused report: every error, one a line."""
    return "\n".join([REFUSED_INTRO, *(f"– {error['message']}" for error in errors)])


def _errors(ctx: Context, job: Job) -> list[dict[str, str]]:
    try:
        instance = ctx.storage.oep_instance(job.payload["flow_instance_id"],
                                            job.payload["revision"])
    except KeyError:
        raise PermanentError("ärendet finns inte längre i databasen") from None
    return instance.errors or []


def _what(job: Job, doing: str) -> str:
    return f"{doing} för ärende {job.payload['flow_instance_id']}"


def confirm_delivery_job(job: Job, ctx: Context) -> None:
    client, config = _setup(ctx)
    flow_instance_id = job.payload["flow_instance_id"]
    if "report_id" in job.payload:
        report = ctx.report_of(job)
        body = confirm_delivery(flow_instance_id, True, report_id=report.report_id,
                                system=config.system)
    else:
        errors = _errors(ctx, job)
        body = confirm_delivery(flow_instance_id, False, log_message=(
            f"Rapporten kunde inte tas emot ({len(errors)} fel); kontaktpolitikern har fått "
            "felen i ett meddelande."))
    _send(client, body, "confirmDelivery", _what(job, "leveransen bekräftades"))


def add_message_job(job: Job, ctx: Context) -> None:
    client, config = _setup(ctx)
    if "notice" in job.payload:
        found = _notice(ctx, job)
        if found is None:
            return  # withdrawn and restored again (or the reverse) since: said by a later job
        text = found
    elif "report_id" in job.payload:
        report = ctx.report_of(job)
        text = receipt_text(ctx.committee, report, ordinary_visit_number(ctx.storage, report))
    else:
        text = refused_text(_errors(ctx, job))
    body = add_message(job.payload["flow_instance_id"], text, user_id=config.message_user,
                       added=dt.datetime.now(dt.UTC))
    _send(client, body, "addMessage", _what(job, "meddelandet skickades"))


def _notice(ctx: Context, job: Job) -> str | None:
    """The withdrawal's (or restoration's) message, if the report is still in that state."""
    report = ctx.report_of(job)
    withdrawal = ctx.storage.withdrawals().get(report.report_id)
    if job.payload["notice"] == "withdrawn":
        return None if withdrawal is None else withdrawn_text(ctx.committee, report,
                                                              withdrawal.reason)
    return restored_text(ctx.committee, report) if withdrawal is None else None


def set_status_job(job: Job, ctx: Context) -> None:
    client, config = _setup(ctx)
    alias = config.status_alias.get(job.payload["status"])
    if alias is None:  # taken out of the configuration since the job was queued
        return
    _send(client, set_status(job.payload["flow_instance_id"], alias), "setStatus",
          _what(job, f"statusen ”{alias}” sattes"))


def _about_arende(label: str):
    """«… för ärende 235212[, rapport BR-2026-7Q3K9X]»: the payload names the ärende."""
    def about(payload: dict[str, Any]) -> str | None:
        if "flow_instance_id" not in payload:
            return None
        text = f"{label} för ärende {payload['flow_instance_id']}"
        report_id = payload.get("report_id")
        return f"{text}, rapport {report_id}" if isinstance(report_id, str) else text
    return about


def _kind(name: str, handler: Handler, label: str) -> JobKind:
    return JobKind(name, handler, label, _about_arende(label))


JOB_KINDS = (
    _kind(CONFIRM_DELIVERY, confirm_delivery_job, "leveransbesked till Open ePlatform"),
    _kind(SET_STATUS, set_status_job, "status i Open ePlatform"),
    _kind(ADD_MESSAGE, add_message_job, "meddelande till kontaktpolitikern i Open ePlatform"),
)
