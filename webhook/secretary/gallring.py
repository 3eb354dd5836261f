"""«Gallring» on the page: what the settings would remove now, and «Gallra nu»."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from besoksrapport.secretary.retention import gallra
from besoksrapport.swedish import quantity

from .blueprint import bp, page
from .trail import address


@bp.get("/gallring")
def gallring() -> str:
    preview = gallra(page().ctx, g.account, address(), execute=False)
    return render_template("sekreterare/gallring.html", preview=preview)


@bp.post("/gallring")
def gallra_now() -> Response:
    done = gallra(page().ctx, g.account, address(), execute=True)
    flash(f"Gallringen är gjord: {quantity(done.removed, 'post', 'poster')} togs bort."
          if done.removed else
          "Gallringen är gjord: inget var gammalt nog att tas bort.")
    return redirect(url_for("secretary.gallring"))
