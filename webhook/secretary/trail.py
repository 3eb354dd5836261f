"""The audit trail on the page: each view records what it did (a change ``audited``, in its
own transaction; a download or login ``audit``), and «Logg» shows the trail for a period,
with a CSV download (itself recorded)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from contextlib import AbstractContextManager
from pathlib import Path

from flask import g, render_template, request, send_file
from werkzeug.wrappers import Response

from besoksrapport.secretary import audit as trail
from besoksrapport.swedish import STOCKHOLM

from .blueprint import bp, page


def address() -> str:
    """Where the request came from, as the server saw it (behind a proxy: the proxy)."""
    return request.remote_addr or ""


def audited(action: str, target: str = "", details: str = "") -> AbstractContextManager[None]:
    """The block's change and its entry for the logged-in secretary, committed together."""
    return trail.audited(page().ctx, g.account, action, target, address(), details)


def audit(action: str, target: str = "", details: str = "") -> None:
    """Record an action of the logged-in secretary (``secretary.audit.record``)."""
    trail.record(page().ctx, g.account, action, target, address(), details)


def _day(name: str, errors: dict[str, str]) -> dt.date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-01."
        return None


def _period() -> tuple[dt.date | None, dt.date | None, dict[str, str]]:
    errors: dict[str, str] = {}
    first, last = _day("fran", errors), _day("till", errors)
    if first and last and last < first:
        errors["till"] = "Periodens sista dag ligger före den första."
    return first, last, errors


@bp.get("/logg")
def audit_log() -> tuple[str, int] | str:
    first, last, errors = _period()
    if not request.args:
        first = dt.datetime.now(STOCKHOLM).date() - dt.timedelta(days=30)
    items = [] if errors else trail.entries(page().ctx, first, last)
    html = render_template("sekreterare/logg.html", rows=trail.rows(reversed(items)),
                           first=first, last=last, errors=errors, header=trail.HEADER)
    return (html, 400) if errors else html


@bp.get("/logg.csv")
def audit_csv() -> Response | tuple[str, int]:
    first, last, errors = _period()
    if errors:
        return render_template("sekreterare/logg.html", rows=[], first=first, last=last,
                               errors=errors, header=trail.HEADER), 400
    items = trail.entries(page().ctx, first, last)
    name = f"logg_{first.isoformat() if first else 'borjan'}_{last.isoformat() if last else 'nu'}"
    with tempfile.TemporaryDirectory(prefix="besoksrapport-") as folder:
        path = trail.write_csv(items, Path(folder) / f"{name}.csv")
        response = send_file(io.BytesIO(path.read_bytes()), as_attachment=True,
                             download_name=path.name, mimetype="text/csv; charset=utf-8")
    audit("download_audit", name)
    return response
