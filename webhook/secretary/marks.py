"""«Markera som hanterad»: a report's flags and the refused deliveries, each with a note.

The report's flags have their own page (reached from the badges in the meeting's table);
a refused delivery is marked on «Avvisade rapporter». Each mark, and each «Öppna igen»,
goes into the audit trail with the account and the address.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from besoksrapport.committee.operations import operation_label
from besoksrapport.report import Report
from besoksrapport.secretary.handling import (
    CannotMark,
    flag_marks,
    flag_target,
    mark_flag,
    mark_refused,
)

from .blueprint import bp, page
from .trail import address


def _report(report_id: str) -> Report:
    try:
        return page().ctx.storage.get_report(report_id)
    except KeyError:
        abort(404, f"Det finns ingen rapport med id {report_id}.")


@bp.get("/rapporter/<report_id>/kontrollpunkter")
def flags(report_id: str) -> str:
    report = _report(report_id)
    marks = flag_marks(page().ctx)
    items = [(flag, marks.get(flag_target(report.report_id, flag.code)))
             for flag in report.flags]
    return render_template("sekreterare/kontrollpunkter.html", report=report, items=items,
                           operation_label=operation_label)


def _handled() -> bool:
    return request.form.get("atgard", "hanterad") != "oppna"


@bp.post("/rapporter/<report_id>/kontrollpunkter/<code>")
def mark_flag_view(report_id: str, code: str) -> Response:
    handled = _handled()
    try:
        mark_flag(page().ctx, report_id, code, g.account, address(),
                  request.form.get("anteckning", ""), handled=handled)
    except CannotMark as error:
        flash(str(error), "fel")
    else:
        flash("Kontrollpunkten är markerad som hanterad." if handled else
              "Kontrollpunkten är öppen igen.")
    return redirect(url_for("secretary.flags", report_id=report_id))


@bp.post("/avvisade/<int:delivery_id>")
def mark_refused_view(delivery_id: int) -> Response:
    handled = _handled()
    try:
        mark_refused(page().ctx, delivery_id, g.account, address(),
                     request.form.get("anteckning", ""), handled=handled)
    except CannotMark as error:
        flash(str(error), "fel")
    else:
        flash(f"Den avvisade leveransen nr {delivery_id} är markerad som hanterad." if handled
              else f"Den avvisade leveransen nr {delivery_id} är öppen igen.")
    return redirect(url_for("secretary.quarantine") + f"#leverans-{delivery_id}")
