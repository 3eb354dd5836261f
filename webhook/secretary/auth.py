"""Who may see the page: the login guard, local accounts, logging out.

Closed by default. Every request to the blueprint passes ``guard``: a POST needs a valid
CSRF token (else 403, nothing done); every page but the login pages needs a session for an
account listed in ``BESOKSRAPPORT_SECRETARIES`` (re-checked each request, so a name taken
off the list is locked out at once). A page GET without a session is sent to the login
page; anything else without one, or with an account not on the list, is a 403.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import (
    abort,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from besoksrapport.secretary.accounts import AccountError, account_name, password_matches

from .blueprint import bp, csrf, page
from .trail import audit

log = logging.getLogger("webhook.secretary")

OPEN_ENDPOINTS = frozenset({"secretary.login", "secretary.oidc_login",
                            "secretary.oidc_callback", "secretary.static"})
REFUSED = "Du har inte behörighet till sekreterarens sida."


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this page only (no open redirect)."""
    default = url_for("secretary.overview")
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/sekreterare/") \
            or "\\" in target:
        return default
    return target


def start_session(account: str, method: str) -> None:
    """A fresh session for the account (nothing from before the login is kept)."""
    session.clear()
    session.permanent = True
    session["account"] = account
    session["method"] = method
    log.info("secretary logged in", extra={"method": method})  # never the account's name


@bp.before_request
def guard() -> Response | None:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()  # raises CSRFError → 403
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    account = session.get("account")
    if account is None:
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("secretary.login", next=request.full_path.rstrip("?")))
        abort(403, "Du är inte inloggad.")
    if account not in page().settings.allowed:
        session.clear()
        abort(403, REFUSED)
    g.account = account
    return None


@bp.after_request
def headers(response: Response) -> Response:
    """No caching of pages with reports on them; no framing; only our own resources."""
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'none'")
    return response


@bp.route("/logga-in", methods=["GET", "POST"])
def login() -> Response | str:
    settings = page().settings
    target = safe_next(request.values.get("next"))
    error = None
    if request.method == "POST":
        if not settings.local_accounts:
            abort(403, "Inloggning med lokalt konto är avstängd.")
        try:
            name = account_name(request.form.get("konto", ""))
        except AccountError:
            name = None
        stored = page().ctx.storage.password_hash(name) if name else None
        if name is not None and password_matches(stored, request.form.get("losenord", "")):
            if name not in settings.allowed:
                abort(403, REFUSED)
            start_session(name, "local")
            g.account = name
            audit("login", "", "lokalt konto")
            return redirect(target)
        error = "Fel kontonamn eller lösenord."
    return render_template("sekreterare/logga_in.html", error=error, next=target,
                           settings=settings)


@bp.post("/logga-ut")
def logout() -> Response:
    session.clear()
    return redirect(url_for("secretary.login"))
