"""Which callbacks a flow instance gets, queued with the change that calls for them.

A received report: confirmDelivery (our report id as externalID), the receipt as a message,
and the ``received`` status; a refused one: confirmDelivery with ``delivered=false``, the
errors as a message, and the ``rejected`` status (one the politician may edit and send
again in); once the report is in its meeting folder, the ``filed`` status. A status without
an alias in ``[oep.status_alias]`` is not set. Keys make each job one per instance revision.
"""

from __future__ import annotations

from besoksrapport.filing.folder import FiledMeeting
from besoksrapport.oep.jobs import ADD_MESSAGE, CONFIRM_DELIVERY, SET_STATUS
from besoksrapport.outbox.context import Context
from besoksrapport.report import Report
from besoksrapport.storage.protocol import OepInstance, QueuedJob


def _job(kind: str, flow_instance_id: int, revision: str, report_id: str | None,
         **extra: str) -> QueuedJob:
    payload: dict[str, object] = {"flow_instance_id": flow_instance_id, "revision": revision,
                                  **extra}
    if report_id is not None:
        payload["report_id"] = report_id
    suffix = "".join(f":{value}" for value in extra.values())
    return kind, payload, f"{kind}:{flow_instance_id}:{revision}{suffix}"


def status_job(flow_instance_id: int, revision: str, report_id: str | None,
               status: str) -> QueuedJob:
    return _job(SET_STATUS, flow_instance_id, revision, report_id, status=status)


def callback_jobs(ctx: Context, flow_instance_id: int, revision: str,
                  report_id: str | None) -> list[QueuedJob]:
    """The callbacks for a revision just handled: a report (``report_id``) or refused."""
    jobs = [_job(CONFIRM_DELIVERY, flow_instance_id, revision, report_id),
            _job(ADD_MESSAGE, flow_instance_id, revision, report_id)]
    status = "received" if report_id is not None else "rejected"
    config = ctx.committee.oep
    if config is not None and status in config.status_alias:
        jobs.append(status_job(flow_instance_id, revision, report_id, status))
    return jobs


def queue_filed_statuses(ctx: Context, filed: FiledMeeting) -> None:
    """After a filing (an ``after_filing`` hook, joined in ``runtime``): the ``filed`` status
    for the platform's reports now in the folder."""
    config = ctx.committee.oep
    if config is None or "filed" not in config.status_alias:
        return
    report_ids = [item.report_id for item in filed.files if item.report_id]

    def job(instance: OepInstance) -> QueuedJob:
        return status_job(instance.flow_instance_id, instance.revision, instance.report_id,
                          "filed")

    ctx.storage.queue_oep_statuses(report_ids, job)  # nothing to do for no ids


def withdrawal_jobs(ctx: Context, report: Report, withdrawn: bool) -> list[QueuedJob]:
    """A ``withdrawal_notices`` hook (joined in ``runtime``): a report the platform sent that
    the secretary withdrew (or restored) gets a message, and the status ``withdrawn`` (or
    ``filed`` again). Nothing for a report that did not come from the platform."""
    config = ctx.committee.oep
    if config is None:
        return []
    instances = [i for i in ctx.storage.oep_instances() if i.report_id == report.report_id]
    if not instances:
        return []
    latest = max(instances, key=lambda instance: instance.received_at)
    notice = "withdrawn" if withdrawn else "restored"
    jobs = [_job(ADD_MESSAGE, latest.flow_instance_id, latest.revision, report.report_id,
                 notice=notice)]
    status = "withdrawn" if withdrawn else "filed"
    if status in config.status_alias:
        jobs.append(status_job(latest.flow_instance_id, latest.revision, report.report_id,
                               status))
    return jobs
