"""The endpoints: receive a visit report, health and readiness, the OpenAPI description.

The order of checks on a delivery is deliberate: size and media type (cheap), the
signature over the raw bytes (nothing unauthenticated is parsed), JSON; then
``reception.receive`` validates (invalid → quarantine and 422) and stores the report and
its follow-up jobs in one durable transaction before the 2xx goes out. The repeat check
(same webhook-id or submission_id) is part of that transaction, not a query before it: a
repeat of a valid delivery is valid again (the signature binds the body to its webhook-id),
so it ends in the same 200, and a new delivery, the common case, costs no extra query.
"""

from __future__ import annotations

import json
import time

from flask import Blueprint, Request, Response, g, jsonify, request

from besoksrapport.errors import ReportInvalid, StorageUnavailable, ValidationIssue
from besoksrapport.form import precheck
from besoksrapport.form.depth import depth_issue
from besoksrapport.form.schemas import validator
from besoksrapport.reception.receive import Receipt, receive, refuse
from besoksrapport.swedish import number

from . import problems
from .readiness import not_ready
from .service import service
from .signature import SignatureError

bp = Blueprint("webhook", __name__)


@bp.record_once
def _prepare(_state) -> None:
    """Build the validators when the app is created, not on a worker's first deliveries."""
    precheck.available()  # compiles the fast schema check
    validator()  # the full validator, for the error list of an invalid delivery

RETRY_AFTER_SECONDS = 30


def _answer(receipt: Receipt) -> Response:
    """The answer, byte for byte as ``jsonify`` writes it (keys sorted, compact, final newline).

    Built directly: Flask's JSON provider machinery cost more than the encoding itself.
    """
    report = receipt.report
    g.report_id = report.report_id
    meeting = report.meeting_date
    body = json.dumps({"meeting_date": meeting.isoformat() if meeting else None,
                       "receipt": receipt.text, "report_id": report.report_id},
                      ensure_ascii=False, separators=(",", ":"))
    return Response(body + "\n", status=201 if receipt.created else 200,
                    mimetype="application/json")


def _refuse(kind: problems.ProblemType, detail: str, **members) -> Response:
    g.problem = kind.slug
    return problems.problem(kind, detail, **members)


def _is_json(req: Request) -> bool:
    if req.mimetype != "application/json":
        return False
    charset = req.mimetype_params.get("charset")
    return charset is None or charset.lower() in ("utf-8", "utf8")


def _read_body(req: Request, limit: int) -> bytes | None:
    """The raw body, or None when it is over ``limit`` (also without Content-Length).

    Reads until the end: one ``read`` may return only what has arrived so far (werkzeug's
    stream gives what one read of the server's input gives), and a body cut short would
    fail its signature.
    """
    if req.content_length is not None and req.content_length > limit:
        return None
    stream, pieces, size = req.stream, [], 0
    while size <= limit:
        piece = stream.read(limit + 1 - size)
        if not piece:
            break
        pieces.append(piece)
        size += len(piece)
    return None if size > limit else b"".join(pieces)


class _NotJson(ValueError):
    """NaN, Infinity or -Infinity: Python's json reads them, JSON has no such values."""


def _reject_constant(name: str) -> float:
    raise _NotJson(name)


def _unreadable(error: ValueError) -> str:
    """Why the body is not JSON, in Swedish, with the place (never the body's text)."""
    if isinstance(error, UnicodeDecodeError):
        return f"Innehållet är inte text i UTF-8 (byte nummer {error.start + 1})."
    if isinstance(error, _NotJson):
        return f"Innehållet innehåller {error}, som inte är ett giltigt värde i JSON."
    if isinstance(error, json.JSONDecodeError):
        return (f"Innehållet går inte att läsa som JSON (fel på rad {error.lineno}, "
                f"kolumn {error.colno}).")
    return problems.MALFORMED_JSON.detail


@bp.post("/webhooks/visit-reports")
def receive_visit_report() -> Response:
    state = service()
    limit = state.settings.max_body_bytes
    body = _read_body(request, limit)
    if body is None:
        return _refuse(problems.BODY_TOO_LARGE,
                       f"Innehållet är större än gränsen på {number(limit)} byte.")
    if not _is_json(request):
        given = f"är ”{request.content_type}”" if request.content_type else "saknas"
        return _refuse(problems.UNSUPPORTED_MEDIA_TYPE,
                       f"Content-Type måste vara application/json (UTF-8), men {given}.")
    try:
        webhook_id = state.verifier.verify(request.headers, body, time.time())
    except SignatureError as error:
        return _refuse(problems.INVALID_SIGNATURE, str(error))
    g.delivery_id = webhook_id
    try:
        text = body.decode("utf-8")
        too_deep = depth_issue(text)  # before json.loads, which would recurse that deep
        envelope = None if too_deep else json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return _refuse(problems.MALFORMED_JSON, _unreadable(error))

    try:
        if too_deep:
            refuse(state.ctx, webhook_id, body, [too_deep])
        receipt = receive(state.ctx, webhook_id, body, envelope, text)
    except ReportInvalid as invalid:
        return _invalid(invalid.issues, invalid.total)
    except StorageUnavailable:
        return _unavailable()
    if receipt.created:
        state.wake_worker()
    return _answer(receipt)


def _invalid(issues: list[ValidationIssue], total: int) -> Response:
    g.problem = problems.INVALID_REPORT.slug
    return problems.invalid_report(issues, total)


def _unavailable() -> Response:
    g.problem = problems.STORAGE_UNAVAILABLE.slug
    return problems.problem(
        problems.STORAGE_UNAVAILABLE, problems.STORAGE_UNAVAILABLE.detail,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@bp.get("/healthz")
def healthz() -> Response:
    """Alive: the process answers. Says nothing about the database (see /readyz)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Response:
    """Ready: the database answers and the data folder has room and takes a file."""
    why = not_ready(service())
    if why is not None:
        reason = {"reason": why.reason} if why.reason else {}
        return problems.problem(problems.NOT_READY, why.detail,
                                headers={"Retry-After": str(RETRY_AFTER_SECONDS)}, **reason)
    return jsonify(status="ready")


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(service().openapi)
