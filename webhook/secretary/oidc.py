"""Logging in with the municipality's identity provider (OpenID Connect, Authlib's client).

Authorization code flow with state and nonce (Authlib keeps both in the session); the ID
token's signature (the provider's JWKS), issuer, audience, expiry and nonce are checked by
Authlib. The account is the configured claim (by default ``email``; an e-mail the provider
says is unverified is refused), lower-cased, and must be in BESOKSRAPPORT_SECRETARIES.
"""

from __future__ import annotations

import logging

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, abort, g, redirect, request, session, url_for
from joserfc.errors import JoseError
from requests import RequestException
from werkzeug.wrappers import Response

from .auth import REFUSED, safe_next, start_session
from .blueprint import bp, page
from .settings import PageSettings
from .trail import audit

log = logging.getLogger("webhook.secretary")
OAUTH = "besoksrapport.oidc"
NEXT = "oidc_next"


def init_app(app: Flask, settings: PageSettings) -> None:
    if settings.oidc is None:
        return
    oauth = OAuth(app)
    oauth.register("provider", client_id=settings.oidc.client_id,
                   client_secret=settings.oidc.client_secret,
                   server_metadata_url=settings.oidc.metadata_url,
                   client_kwargs={"scope": "openid email profile"})
    app.extensions[OAUTH] = oauth


def _client():  # Authlib's FlaskOAuth2App: untyped
    from flask import current_app

    oauth = current_app.extensions.get(OAUTH)
    if oauth is None:
        abort(404)
    return oauth.provider


def _callback_url() -> str:
    public = page().settings.public_url
    path = url_for("secretary.oidc_callback")
    return public + path if public else url_for("secretary.oidc_callback", _external=True)


@bp.get("/logga-in/oidc")
def oidc_login() -> Response:
    client = _client()
    target = safe_next(request.args.get("next"))
    try:
        answer = client.authorize_redirect(_callback_url())
    except (OAuthError, RequestException, ValueError) as error:
        log.warning("the identity provider cannot be reached",
                    extra={"error_type": type(error).__name__})
        abort(503, "Kommunens inloggning svarar inte just nu. Försök igen om en stund.")
    session[NEXT] = target
    return answer


@bp.get("/logga-in/oidc/svar")
def oidc_callback() -> Response:
    client = _client()
    try:
        token = client.authorize_access_token()
    except (OAuthError, JoseError, RequestException, ValueError) as error:
        log.warning("OpenID Connect login refused", extra={"error_type": type(error).__name__})
        abort(403, "Inloggningen misslyckades eller avbröts. Försök igen.")
    claims = token.get("userinfo") or {}
    settings = page().settings
    assert settings.oidc is not None  # the client exists only then
    value = claims.get(settings.oidc.claim)
    if not isinstance(value, str) or not value or (
            settings.oidc.claim == "email" and claims.get("email_verified") is False):
        abort(403, "Kommunens inloggning gav inget konto som kan användas här.")
    account = value.strip().lower()
    if account not in settings.allowed:
        abort(403, REFUSED)
    target = safe_next(session.get(NEXT))
    start_session(account, "oidc")
    g.account = account
    audit("login", "", "kommunens inloggning")
    return redirect(target)
