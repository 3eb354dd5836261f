"""The page's refusals and failures as Swedish pages (the webhook keeps its JSON problems)."""

from __future__ import annotations

import logging

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from besoksrapport.errors import StorageUnavailable

from .auth import REFUSED
from .blueprint import bp
from .export_runner import ExportUnavailable

log = logging.getLogger("webhook.secretary")


def _refusal(status: int, message: str) -> tuple[str, int]:
    return render_template("sekreterare/fel.html", status=status, message=message), status


@bp.errorhandler(CSRFError)
def csrf_refused(error: CSRFError) -> tuple[str, int]:
    return _refusal(403, "Formuläret kunde inte tas emot eftersom säkerhetskoden saknades "
                         "eller var fel. Ladda om sidan och försök igen; inget ändrades.")


@bp.errorhandler(HTTPException)
def refused(error: HTTPException) -> tuple[str, int]:
    status = error.code or 500
    texts = {403: REFUSED, 404: "Sidan finns inte.",
             405: "Sidan kan inte öppnas på det sättet.", 400: "Begäran kunde inte förstås."}
    own = error.description if error.description and error.description != type(
        error).description else None
    return _refusal(status, own or texts.get(status, "Något gick fel."))


def refusal_outside_routes(error: HTTPException) -> tuple[str, int] | None:
    """An HTTP error at an address under the page that the blueprint's handlers never see
    (a 404 or 405: routing fails before the blueprint is chosen), so the app asks here, and
    the page's user gets the Swedish page instead of JSON."""
    prefix = bp.url_prefix or ""
    if request.path != prefix and not request.path.startswith(prefix + "/"):
        return None
    return refused(error)


@bp.errorhandler(StorageUnavailable)
def storage_unavailable(error: StorageUnavailable) -> tuple[str, int]:
    log.warning("the database is unavailable", extra={"error_type": type(error).__name__})
    return _refusal(503, "Databasen går inte att använda just nu. Försök igen om en stund; "
                         "inget ändrades.")


@bp.errorhandler(ExportUnavailable)
def export_unavailable(error: ExportUnavailable) -> tuple[str, int, dict[str, str]]:
    html, status = _refusal(503, str(error))
    return html, status, {"Retry-After": str(error.retry_after)}


@bp.errorhandler(Exception)
def unexpected(error: Exception) -> tuple[str, int]:
    log.error("unhandled error on the secretary's page", exc_info=error)
    return _refusal(500, "Något gick fel på sidan. Försök igen; om felet finns kvar, "
                         "berätta för den som sköter tjänsten.")
