"""The pages that change something: move a report (with a confirmation), «Försök igen»,
run the waiting work now. Each calls the domain function its command calls."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from besoksrapport.committee.meeting import deadline_for
from besoksrapport.committee.operations import operation_label
from besoksrapport.report import Report
from besoksrapport.secretary.deadlines import late_move_warning, move_is_late
from besoksrapport.secretary.moves import MoveRefused, move_to_meeting
from besoksrapport.secretary.pending_work import NotRetryable, describe, retry, run_now
from besoksrapport.swedish import long_date, quantity

from .blueprint import bp, page
from .trail import audit, audited

RUN_LIMIT = 200  # jobs per «Kör väntande arbete nu», so a request stays short


def _report(report_id: str) -> Report:
    try:
        return page().ctx.storage.get_report(report_id)
    except KeyError:
        abort(404, f"Det finns ingen rapport med id {report_id}.")


def _target(report: Report) -> dt.date | None:
    """The meeting chosen in the form, if it is one of the calendar's other meetings."""
    try:
        day = dt.date.fromisoformat(request.form.get("till", ""))
    except ValueError:
        return None
    return day if day in page().ctx.committee.meetings and day != report.meeting_date else None


def _choices(report: Report) -> list[tuple[dt.date, dt.datetime]]:
    committee = page().ctx.committee
    return [(day, deadline_for(committee, day)) for day in sorted(committee.meetings)
            if day != report.meeting_date]


@bp.get("/rapporter/<report_id>/flytta")
def move_form(report_id: str) -> str:
    return _move_form(_report(report_id), None)


def _move_form(report: Report, error: str | None) -> str:
    """The choice of meeting; the next meeting after the report's own comes first chosen."""
    choices = _choices(report)
    current = report.meeting_date
    chosen = next((day for day, _ in choices if current is None or day > current), None)
    return render_template("sekreterare/flytta.html", report=report, choices=choices,
                           chosen=chosen, operation_label=operation_label, error=error)


@bp.post("/rapporter/<report_id>/flytta/bekrafta")
def move_confirm(report_id: str) -> str | tuple[str, int]:
    """Step two: say what will happen and ask again; nothing is changed yet."""
    report = _report(report_id)
    day = _target(report)
    if day is None:
        return _move_form(report, "Välj ett av sammanträdena i listan."), 400
    return _confirm(report, day, None)


def _confirm(report: Report, day: dt.date, error: str | None) -> str:
    """The confirmation; a meeting whose deadline has passed is said, and must be ticked."""
    committee = page().ctx.committee
    late = late_move_warning(committee, day) if move_is_late(committee, day) else None
    return render_template("sekreterare/flytta_bekrafta.html", report=report, day=day,
                           operation_label=operation_label, late=late, error=error)


@bp.post("/rapporter/<report_id>/flytta")
def move(report_id: str) -> Response | tuple[str, int]:
    report = _report(report_id)
    day = _target(report)
    if day is None:
        abort(400, "Välj ett av sammanträdena i listan.")
    late = move_is_late(page().ctx.committee, day)
    if late and request.form.get("efter_sista_tid") != "ja":
        return _confirm(report, day, "Bekräfta att rapporten ska flyttas fast sista tiden "
                                     "har gått ut."), 400
    try:
        with audited("move_late" if late else "move", report.report_id,
                     f"{report.meeting_date.isoformat() if report.meeting_date else '–'} → "
                     f"{day.isoformat()}"):
            moved = move_to_meeting(page().ctx, report.report_id, day)
    except MoveRefused as error:
        abort(400, str(error))
    page().service.wake_worker()
    origin = f"den {long_date(moved.before)}" if moved.before else "inget sammanträde"
    flash(f"Rapport {report.report_id} flyttades från {origin} till den {long_date(day)}. "
          "Båda sammanträdenas mappar uppdateras.")
    return redirect(url_for("secretary.meeting", day=(moved.before or day).isoformat()))


@bp.post("/arbete/<int:job_id>/forsok-igen")
def retry_job(job_id: int) -> Response:
    try:
        job = retry(page().ctx, job_id)
    except NotRetryable as error:
        flash(str(error), "fel")
    else:
        page().service.wake_worker()
        audit("retry_job", f"nr {job_id}", describe(page().ctx, job))
        flash(f"Försöker igen: {describe(page().ctx, job)}.")
    return redirect(url_for("secretary.outbox"))


@bp.post("/arbete/kor")
def run_work() -> Response:
    done = run_now(page().ctx, limit=RUN_LIMIT)
    audit("run_work", "", f"{len(done.outcomes)} körda, {len(done.failed)} misslyckades")
    text = f"{quantity(len(done.outcomes), 'uppgift', 'uppgifter')} kördes"
    if done.failed:
        text += f", varav {len(done.failed)} misslyckades"
    flash(f"{text}. {quantity(done.still_pending, 'uppgift', 'uppgifter')} väntar fortfarande.")
    return redirect(url_for("secretary.outbox"))
