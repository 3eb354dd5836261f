"""What becomes public, on the page: a report's own page (withdraw or restore it, review its
personal data, give it a diarienummer) and a meeting's kallelse text and diarienummer.

Each form calls the domain function its command calls (``withdraw``, ``review``,
``diary-number``, ``agenda``), with the logged-in account as who did it.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from besoksrapport.committee.meeting import deadline_for
from besoksrapport.committee.operations import operation_label
from besoksrapport.privacy.review import APPROVED, MASKED, question
from besoksrapport.privacy.screening import KIND_NAMES, masked, screen
from besoksrapport.report import Report
from besoksrapport.secretary.agenda import meeting_agenda
from besoksrapport.secretary.diary import (
    DiaryNumberInvalid,
    check_number,
    set_meeting_number,
    set_report_number,
)
from besoksrapport.secretary.privacy_review import (
    DECISION_WORDS,
    ReviewRefused,
    ReviewState,
    review,
    review_of,
    waiting_for_review,
)
from besoksrapport.secretary.withdrawal import (
    WithdrawalRefused,
    restore,
    withdraw,
    withdrawal_line,
    withdrawal_of,
)
from besoksrapport.storage import Withdrawal
from besoksrapport.swedish import STOCKHOLM, enumeration, long_date

from .blueprint import bp, meeting_day, page
from .trail import audited


def _report(report_id: str) -> Report:
    try:
        return page().ctx.storage.get_report(report_id)
    except KeyError:
        abort(404, f"Det finns ingen rapport med id {report_id}.")


def _back(report: Report) -> Response:
    return redirect(url_for("secretary.report_page", report_id=report.report_id))


@bp.get("/rapporter/<report_id>")
def report_page(report_id: str) -> str:
    ctx = page().ctx
    report = _report(report_id)
    found = screen(report.answers)
    copy = masked(report.answers, found)
    answers = []
    for field in dict.fromkeys(finding.field for finding in found):
        kinds = dict.fromkeys(KIND_NAMES[f.kind] for f in found if f.field == field)
        answers.append({"question": question(field), "kinds": enumeration(list(kinds)),
                        "original": report.answers[field], "masked": copy[field]})
    own_number = report.diary_number
    return render_template(
        "sekreterare/rapport.html", report=report, operation_label=operation_label,
        withdrawal=withdrawal_of(ctx, report.report_id), review=review_of(ctx, report.report_id),
        answers=answers, decision_words=DECISION_WORDS, approved=APPROVED, masked=MASKED,
        own_number=own_number, hold=ctx.settings.hold_personal_data,
        withdrawal_line=withdrawal_line)


@bp.post("/rapporter/<report_id>/makulera")
def withdraw_report(report_id: str) -> Response:
    report = _report(report_id)
    try:
        with audited("withdraw", report.report_id):
            change = withdraw(page().ctx, report.report_id, request.form.get("skal", ""),
                              g.account)
    except WithdrawalRefused as error:
        flash(str(error), "fel")
        return _back(report)
    page().service.wake_worker()
    where = f"sammanträdet den {long_date(change.meeting)}" if change.meeting else "väntelistan"
    flash(f"Rapport {report.report_id} är makulerad. Den tas bort ur förteckningen, "
          f"samlingsdokumentet och mappen för {where}; kontaktpolitikern får veta det.")
    return _back(report)


@bp.post("/rapporter/<report_id>/aterstall")
def restore_report(report_id: str) -> Response:
    report = _report(report_id)
    try:
        with audited("restore", report.report_id):
            restore(page().ctx, report.report_id)
    except WithdrawalRefused as error:
        flash(str(error), "fel")
        return _back(report)
    page().service.wake_worker()
    flash(f"Rapport {report.report_id} är återställd och kommer tillbaka i sammanträdets "
          "handlingar.")
    return _back(report)


@bp.post("/rapporter/<report_id>/granska")
def review_report(report_id: str) -> Response:
    report = _report(report_id)
    decision = request.form.get("beslut", "")
    try:
        with audited(f"review_{decision}", report.report_id):
            review(page().ctx, report.report_id, decision, g.account)
    except ReviewRefused as error:
        flash(str(error), "fel")
        return _back(report)
    page().service.wake_worker()
    flash(f"Rapport {report.report_id} är granskad: {DECISION_WORDS[decision]}. "
          "Sammanträdets handlingar uppdateras.")
    return _back(report)


@bp.post("/rapporter/<report_id>/diarienummer")
def report_diary_number(report_id: str) -> Response:
    report = _report(report_id)
    number = None if "ta_bort" in request.form else request.form.get("diarienummer", "")
    try:
        tidy = check_number(page().ctx, number)
        with audited("diary_number_report", report.report_id, tidy or "–"):
            stored, _ = set_report_number(page().ctx, report.report_id, number)
    except DiaryNumberInvalid as error:
        flash(str(error), "fel")
        return _back(report)
    page().service.wake_worker()
    flash(f"Rapport {report.report_id} har diarienummer {stored}." if stored else
          f"Rapport {report.report_id} har inte längre något eget diarienummer.")
    return _back(report)


@bp.get("/sammantraden/<day>/kallelse")
def agenda(day: str) -> str:
    ctx = page().ctx
    when = meeting_day(day)
    if when not in ctx.committee.meetings and not ctx.storage.reports_for_meeting(when):
        abort(404, f"Det finns inget sammanträde den {long_date(when)}.")
    return render_template("sekreterare/kallelse.html", day=when,
                           agenda=meeting_agenda(ctx, when),
                           number=ctx.storage.meeting_diary_number(when),
                           deadline=deadline_for(ctx.committee, when))


@bp.post("/sammantraden/<day>/diarienummer")
def meeting_diary_number(day: str) -> Response:
    when = meeting_day(day)
    number = None if "ta_bort" in request.form else request.form.get("diarienummer", "")
    try:
        tidy = check_number(page().ctx, number)
        with audited("diary_number_meeting", when.isoformat(), tidy or "–"):
            stored = set_meeting_number(page().ctx, when, number)
    except DiaryNumberInvalid as error:
        flash(str(error), "fel")
    else:
        page().service.wake_worker()
        flash(f"Rapporterna till sammanträdet den {long_date(when)} har diarienummer {stored}."
              if stored else f"Rapporterna till sammanträdet den {long_date(when)} har inte "
              "längre något gemensamt diarienummer.")
    return redirect(url_for("secretary.agenda", day=when.isoformat()))


# What the meeting and overview templates ask about each report, read once per request.
def _withdrawals() -> dict[str, Withdrawal]:
    if "withdrawals" not in g:
        g.withdrawals = page().ctx.storage.withdrawals()
    return g.withdrawals


@bp.app_template_global("withdrawn_note")
def _withdrawn_note(report_id: str) -> str | None:
    """«Makulerad den … av …. Skäl: …», or None for a report that is not withdrawn."""
    found = _withdrawals().get(report_id)
    return None if found is None else withdrawal_line(found)


@bp.app_template_global("awaiting_review")
def _awaiting_review(report: Report) -> bool:
    if "reviews" not in g:
        g.reviews = page().ctx.storage.privacy_reviews()
    return report.report_id not in _withdrawals() and report.report_id not in g.reviews \
        and bool(screen(report.answers))


@bp.app_template_global("reviews_waiting")
def _reviews_waiting() -> list[ReviewState]:
    """The coming meetings with reports whose personal data waits for review."""
    ctx = page().ctx
    today = dt.datetime.now(STOCKHOLM).date()
    states = [waiting_for_review(ctx, day) for day in sorted(ctx.committee.meetings)
              if day >= today]
    return [state for state in states if state.waiting]
