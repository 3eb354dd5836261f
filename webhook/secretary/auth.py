"""Who may see the page: the login guard, local accounts, logging out.

Closed by default. Every request to the blueprint passes ``guard``: a POST needs a valid
CSRF token (else 403, nothing done); every page but the login pages needs a session for an
account listed in ``BESOKSRAPPORT_SECRETARIES`` (re-checked each request, so a name taken
off the list is locked out at once) whose session generation is the account's current one
(so a logout, ``user remove`` or a new password ends every session on the server). A page
GET without a session is sent to the login page; anything else without one, or with an
account not on the list, is a 403. Failed logins are throttled (``login_throttle``).
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

from besoksrapport.secretary import login_throttle
from besoksrapport.secretary.accounts import AccountError, account_name, password_matches

from .blueprint import bp, csrf, page
from .trail import audit

log = logging.getLogger("webhook.secretary")

OPEN_ENDPOINTS = frozenset({"secretary.login", "secretary.oidc_login",
                            "secretary.oidc_callback", "secretary.static"})
REFUSED = "Du har inte behörighet till sekreterarens sida."


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this page only (no open redirect), and no
    control characters (a CR/LF in a Location header made the answer a 500)."""
    default = url_for("secretary.overview")
    if not target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/sekreterare/") \
            or "\\" in target:
        return default
    return target


def start_session(account: str, method: str) -> None:
    """A fresh session for the account (nothing from before the login is kept).

    It carries the account's session generation: a logout, ``user remove`` or a new
    password moves the generation on, which ends every session of the account on the
    server, copied cookies included.
    """
    generation = page().ctx.storage.session_generation(account)
    session.clear()
    session.permanent = True
    session["account"] = account
    session["method"] = method
    session["generation"] = generation
    log.info("secretary logged in", extra={"method": method})  # never the account's name


@bp.before_request
def guard() -> Response | None:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()  # raises CSRFError → 403
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    account = session.get("account")
    if account is not None and \
            session.get("generation") != page().ctx.storage.session_generation(account):
        session.clear()  # ended on the server: logged out, removed or a new password
        account = None
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
def login() -> Response | str | tuple[str, int]:
    settings = page().settings
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("sekreterare/logga_in.html", error=None, next=target,
                               settings=settings)
    if not settings.local_accounts:
        abort(403, "Inloggning med lokalt konto är avstängd.")
    storage = page().ctx.storage
    try:
        name = account_name(request.form.get("konto", ""))
    except AccountError:
        name = None
    address = request.remote_addr
    if not login_throttle.admitted(storage, name, address):
        return render_template("sekreterare/logga_in.html", error=login_throttle.MESSAGE,
                               next=target, settings=settings), 429
    stored = storage.password_hash(name) if name else None
    right = name is not None and password_matches(stored, request.form.get("losenord", ""))
    if name is not None and right and name in settings.allowed:
        login_throttle.succeeded(storage, name, address)
        start_session(name, "local")
        g.account = name
        audit("login", "", "lokalt konto")
        return redirect(target)
    if stored is not None and name not in settings.allowed:
        # The same answer whatever the password: a 403 only for the right one told an
        # attacker that it was right.
        abort(403, REFUSED)
    return render_template("sekreterare/logga_in.html", error="Fel kontonamn eller lösenord.",
                           next=target, settings=settings)


@bp.post("/logga-ut")
def logout() -> Response:
    """End this session and every other of the account (a copied cookie too)."""
    account = session.get("account")
    if account is not None:
        page().ctx.storage.end_sessions(account)
    session.clear()
    return redirect(url_for("secretary.login"))
