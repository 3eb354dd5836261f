"""A page per kontaktpolitiker: visits per year against 1–2, the chair's decisions, reports."""

from __future__ import annotations

from flask import abort, render_template

from besoksrapport.committee.operations import operation_label
from besoksrapport.guideline.visits import ORDINARY_PER_YEAR
from besoksrapport.secretary.politicians import politician_by_key, politician_history
from besoksrapport.swedish import ROLES

from .blueprint import bp, page


@bp.get("/kontaktpolitiker/<key>")
def politician(key: str) -> str:
    politician_id = politician_by_key(page().ctx, key)
    history = politician_history(page().ctx, politician_id) if politician_id else None
    if history is None:
        abort(404, "Det finns ingen kontaktpolitiker med det id:t.")
    return render_template("sekreterare/kontaktpolitiker.html", history=history,
                           operation_label=operation_label, roles=ROLES,
                           per_year=ORDINARY_PER_YEAR)
