"""The Flask application factory (see the Flask tutorial's ``create_app``)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from importlib.resources import files

from flask import Flask, g, request
from flask.json.provider import DefaultJSONProvider
from gunicorn.http.errors import NoMoreData, ParseException
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from besoksrapport import jsonlog
from besoksrapport.committee.roster import roster_problems
from besoksrapport.oep.loop import start_polling
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.worker import WorkerThread
from besoksrapport.runtime import build_context, outbox_started
from besoksrapport.settings import Settings

from . import form_files, metrics, problems, routes, secretary
from .service import EXTENSION, Service
from .signature import Verifier
from .startup import settings_from

log = logging.getLogger("webhook.access")

OPENAPI_FILE = files(__package__) / "openapi.json"  # package data (pyproject.toml)


def create_app(config: Settings | Mapping[str, str] | None = None) -> Flask:
    """Build the app; ``config`` is a Settings, BESOKSRAPPORT_* overrides, or None (env)."""
    jsonlog.configure()
    settings = settings_from(config)
    # Never check_data_dir here: a worker that cannot boot makes gunicorn stop the service
    # for good. Storage that is unusable now answers 503 (and /readyz says why) until it
    # recovers; the master checked the folder once, at start-up.
    ctx = build_context(settings, lazy_storage=True)
    _warn_about_roster(ctx)
    openapi = form_files.bundled_openapi(json.loads(OPENAPI_FILE.read_text(encoding="utf-8")))

    app = Flask(__name__)
    if isinstance(app.json, DefaultJSONProvider):
        app.json.ensure_ascii = False  # Swedish texts as UTF-8, not \u escapes
    state = Service(settings=settings, ctx=ctx, verifier=Verifier(settings.webhook_secrets),
                    openapi=openapi)
    app.extensions[EXTENSION] = state
    app.register_blueprint(routes.bp)
    metrics.install(app)
    app.register_blueprint(form_files.bp)
    page_env = secretary.environment(config)
    page = secretary.page_settings(page_env)
    if page is not None:  # the secretary's page is off unless configured
        secretary.install(app, page, state, page_env)
    _register_error_handlers(app)
    _register_access_log(app)
    if settings.trusted_proxies:
        # Behind a proxy every request comes from the proxy's address: the login throttle
        # would lock everyone out at once and the audit trail would name the proxy.
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops,  # type: ignore[method-assign]
                                x_host=hops)
    if settings.run_worker:
        outbox_started(ctx)
        state.worker = WorkerThread(ctx)
        state.worker.start()
        state.oep_poller = start_polling(ctx, state.wake_worker)
    return app


def _warn_about_roster(ctx: Context) -> None:
    """A roster against the guideline is the secretary's to fix; reports are still received.

    The line names no one: ``besoksrapport check-config`` lists the problems.
    """
    problems = roster_problems(ctx.committee)
    if problems:
        log.warning("the roster of kontaktpolitiker breaks the guideline in %d way(s); "
                    "run besoksrapport check-config", len(problems))


def _register_error_handlers(app: Flask) -> None:
    by_status = {kind.status: kind for kind in problems.ALL}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if secretary.installed(app):
            page = secretary.refusal_outside_routes(error)
            if page is not None:  # under /sekreterare/: a Swedish page, not JSON
                return page
        # werkzeug's descriptions are English: the problem type's own Swedish detail instead.
        kind = by_status.get(error.code or 500, problems.INTERNAL_ERROR)
        return problems.problem(kind, kind.detail)

    @app.errorhandler(ParseException)
    @app.errorhandler(NoMoreData)
    def unreadable_body(error: Exception):
        # gunicorn reads the body as the app asks for it: a broken chunked encoding or a
        # body cut short surfaces here, the client's fault, not ours.
        g.problem = problems.BAD_REQUEST.slug
        return problems.problem(problems.BAD_REQUEST, "Innehållet kunde inte läsas: det är "
                                "felaktigt kodat eller tog slut för tidigt.")

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.error("unhandled error", exc_info=error)
        return problems.problem(problems.INTERNAL_ERROR, problems.INTERNAL_ERROR.detail)


def _register_access_log(app: Flask) -> None:
    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def access_log(response):
        started = g.get("started")
        log.info("request", extra={
            # The route, not the address: an address may carry a key or an id that points
            # to a person (a politician's page), and the log keeps no personal data.
            "method": request.method, "status": response.status_code,
            "path": request.url_rule.rule if request.url_rule is not None else request.path,
            "delivery_id": g.get("delivery_id"), "report_id": g.get("report_id"),
            "problem": g.get("problem"),
            "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
        })
        return response
