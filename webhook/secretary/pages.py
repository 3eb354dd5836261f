"""The pages that show: coming meetings, one meeting, refused deliveries, waiting work."""

from __future__ import annotations

import datetime as dt

from flask import abort, render_template, request

from besoksrapport.committee.check import check_committee
from besoksrapport.committee.meeting import deadline_for
from besoksrapport.committee.operations import operation_label
from besoksrapport.secretary.deadlines import deadline_state
from besoksrapport.secretary.handling import flag_marks, open_refused
from besoksrapport.secretary.meeting_files import filed_files
from besoksrapport.secretary.meeting_table import SORTS, meeting_table
from besoksrapport.secretary.overview import meeting_reports, meetings_overview
from besoksrapport.secretary.pending_work import describe, outbox_work
from besoksrapport.secretary.politicians import politician_key
from besoksrapport.secretary.refused import refused_deliveries
from besoksrapport.swedish import STOCKHOLM, long_date, yes_no

from .blueprint import bp, meeting_day, page
from .periods import period_forms


def today() -> dt.date:
    return dt.datetime.now(STOCKHOLM).date()


@bp.get("/")
def overview() -> str:
    ctx = page().ctx
    work = outbox_work(ctx)
    now = dt.datetime.now(dt.UTC)
    config = check_committee(ctx.committee, today())
    return render_template(
        "sekreterare/oversikt.html", meetings=meetings_overview(ctx, today()),
        unassigned=len(ctx.storage.unassigned_reports()),
        refused=open_refused(ctx), pending=len(work.pending),
        failed=len(work.failed), config=config, committee=ctx.committee,
        state=lambda day: deadline_state(ctx.committee, day, now))


@bp.get("/sammantraden/<day>")
def meeting(day: str) -> str:
    ctx = page().ctx
    when = meeting_day(day)
    planned = when in ctx.committee.meetings
    reports = meeting_reports(ctx, when)
    if not planned and not reports:
        abort(404, f"Det finns inget sammanträde den {long_date(when)}.")
    files = filed_files(ctx, when)
    filed = {item.report_id: item for item in files if item.report_id}
    listing = any(item.kind == "listing" for item in files)
    partners: dict[str, list[str]] = {}
    for report in reports:
        if report.joint_visit_of:
            partners.setdefault(report.joint_visit_of, []).append(report.report_id)
            partners.setdefault(report.report_id, []).append(report.joint_visit_of)
    table = meeting_table(reports, flag_marks(ctx), sort=request.args.get("ordning", ""),
                          descending=request.args.get("fallande") == "1",
                          query=request.args.get("sok", ""),
                          only_open=request.args.get("oppna") == "1")
    return render_template(
        "sekreterare/sammantrade.html", day=when, planned=planned, reports=reports,
        deadline=deadline_for(ctx.committee, when), filed=filed, listing=listing,
        partners=partners, operation_label=operation_label, yes_no=yes_no, table=table,
        sorts=SORTS, politician_key=politician_key,
        state=deadline_state(ctx.committee, when, dt.datetime.now(dt.UTC)) if planned else None)


@bp.get("/avvisade")
def quarantine() -> str:
    return render_template("sekreterare/avvisade.html",
                           items=refused_deliveries(page().ctx))


@bp.get("/arbete")
def outbox() -> str:
    work = outbox_work(page().ctx)
    return render_template("sekreterare/arbete.html", pending=work.pending,
                           failed=work.failed,
                           describe=lambda job: describe(page().ctx, job),
                           worker=page().service.worker is not None)


@bp.get("/underlag")
def exports() -> str:
    return render_template("sekreterare/underlag.html", **period_forms(page().ctx))
