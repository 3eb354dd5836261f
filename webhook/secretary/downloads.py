"""The files: each report's DOCX and the Förteckning as filed, the bundle made now, and the
period files (compensation, follow-up) made for the chosen period. The last two are made in
a process of their own with a time limit (``export_runner``), never on this thread."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from flask import abort, render_template, request, send_file
from werkzeug.wrappers import Response

from besoksrapport.filing.index import DOCX_MIME
from besoksrapport.secretary.meeting_files import filed_path
from besoksrapport.swedish import long_date

from .blueprint import bp, meeting_day, page
from .export_runner import PeriodRefused, run_export
from .periods import period_forms, read_period
from .trail import audit

MEDIA_TYPES = {
    ".docx": DOCX_MIME,
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
}


def _send(path: Path) -> Response:
    """The file as an attachment under its own name, read now (the folder may change)."""
    return send_file(io.BytesIO(path.read_bytes()), as_attachment=True,
                     download_name=path.name, mimetype=MEDIA_TYPES[path.suffix])


@bp.get("/sammantraden/<day>/rapporter/<report_id>.docx")
def report_document(day: str, report_id: str) -> Response:
    path = filed_path(page().ctx, meeting_day(day), "report", report_id)
    if path is None:
        abort(404, "Rapporten finns inte i sammanträdets mapp än; den sparas där strax.")
    return _recorded(_send(path), "download_report", report_id)


@bp.get("/sammantraden/<day>/forteckning.docx")
def listing_document(day: str) -> Response:
    path = filed_path(page().ctx, meeting_day(day), "listing")
    if path is None:
        abort(404, "Förteckningen finns inte än; den skapas när sammanträdets mapp sparas.")
    return _recorded(_send(path), "download_listing", day)


@bp.post("/sammantraden/<day>/samlingsdokument")
def bundle_document(day: str) -> Response:
    """As ``besoksrapport bundle``: file the meeting now, then hand over its bundle."""
    when = meeting_day(day)
    state = page()
    ctx = state.ctx
    if when not in ctx.committee.meetings and not ctx.storage.reports_for_meeting(when):
        abort(404, f"Det finns inget sammanträde den {long_date(when)}.")
    [bundle] = run_export(state.env, state.settings.export_seconds, "bundle", when.isoformat())
    return _recorded(_send(bundle), "download_bundle", when.isoformat())


def _recorded(response: Response, action: str, target: str) -> Response:
    """The download, once it is ready, in the audit trail."""
    audit(action, target)
    return response


def _period_file(kind: str) -> Response | tuple[str, int]:
    state = page()
    ctx = state.ctx
    form, first, last = read_period(request.form, kind, ctx)
    if not form.errors:
        with tempfile.TemporaryDirectory(prefix="besoksrapport-") as folder:
            try:
                paths = run_export(state.env, state.settings.export_seconds, kind,
                                   first.isoformat(), last.isoformat(), folder)
            except PeriodRefused as error:
                form.errors["till"] = str(error)
            else:
                [chosen] = [path for path in paths if path.suffix == f".{form.format}"]
                return _recorded(_send(chosen), f"download_{kind}", chosen.name)
    forms = period_forms(ctx)
    forms[kind] = form
    return render_template("sekreterare/underlag.html", **forms), 400


@bp.post("/underlag/arvodesunderlag")
def compensation_download() -> Response | tuple[str, int]:
    return _period_file("compensation")


@bp.post("/underlag/uppfoljning")
def follow_up_download() -> Response | tuple[str, int]:
    return _period_file("follow_up")
