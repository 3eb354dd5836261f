"""The secretary's page at /sekreterare/: the CLI's tasks in the browser, in Swedish.

Off unless ``BESOKSRAPPORT_SECRETARIES`` is set (``settings``). Every page needs a login
(local account or OpenID Connect, ``auth`` and ``oidc``); every form is a POST with a CSRF
token. The views call the same domain functions as the commands (``pages``, ``actions``,
``downloads``); the webhook's routes and their signature check are untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from flask import Flask

from ..service import Service
from . import (
    actions,
    auth,
    downloads,
    errors,
    gallring,
    marks,
    oidc,
    pages,
    politician,
    publication,
    trail,
)
from .blueprint import EXTENSION, Page, bp, csrf
from .errors import refusal_outside_routes
from .settings import PageSettings, environment, page_settings

__all__ = ["PageSettings", "environment", "install", "installed", "page_settings",
           "refusal_outside_routes"]
# imported for their routes on ``bp``
_VIEWS = (actions, auth, downloads, errors, gallring, marks, oidc, pages, politician,
          publication, trail)


def installed(app: Flask) -> bool:
    """Whether the page is mounted on ``app`` (it is off unless configured)."""
    return EXTENSION in app.extensions


def install(app: Flask, settings: PageSettings, service: Service,
            env: Mapping[str, str]) -> None:
    """Mount the page on ``app``: cookie session, CSRF, OpenID Connect client, blueprint.
    ``env`` is the service's environment, for the processes heavy exports run in."""
    app.config.update(
        SECRET_KEY=settings.session_secret,
        SESSION_COOKIE_NAME="besoksrapport_sekreterare",
        SESSION_COOKIE_PATH="/sekreterare",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=settings.session_hours),
        WTF_CSRF_CHECK_DEFAULT=False,  # checked by the blueprint only: never on the webhook
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    app.extensions[EXTENSION] = Page(settings, service, env)
    csrf.init_app(app)
    oidc.init_app(app, settings)
    app.register_blueprint(bp)
