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
import os
import tempfile
import time

from flask import Blueprint, Request, Response, g, jsonify, request

from besoksrapport import precheck
from besoksrapport.errors import ReportInvalid, StorageUnavailable, ValidationIssue
from besoksrapport.reception import Receipt, receive
from besoksrapport.schemas import validator

from . import problems
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


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


@bp.post("/webhooks/visit-reports")
def receive_visit_report() -> Response:
    state = service()
    limit = state.settings.max_body_bytes
    body = _read_body(request, limit)
    if body is None:
        return _refuse(problems.BODY_TOO_LARGE,
                       f"The body is larger than the limit of {limit} bytes.")
    if not _is_json(request):
        return _refuse(problems.UNSUPPORTED_MEDIA_TYPE,
                       f"Content-Type must be application/json (UTF-8), "
                       f"got {request.content_type or 'none'!r}.")
    try:
        webhook_id = state.verifier.verify(request.headers, body, time.time())
    except SignatureError as error:
        return _refuse(problems.INVALID_SIGNATURE, str(error) + ".")
    g.delivery_id = webhook_id
    try:
        text = body.decode("utf-8")
        envelope = json.loads(text, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as error:
        return _refuse(problems.MALFORMED_JSON, f"Cannot parse the body: {error}.")

    try:
        receipt = receive(state.ctx, webhook_id, body, envelope, text)
    except ReportInvalid as invalid:
        return _invalid(invalid.issues)
    except StorageUnavailable:
        return _unavailable()
    if receipt.created:
        state.wake_worker()
    return _answer(receipt)


def _invalid(issues: list[ValidationIssue]) -> Response:
    g.problem = problems.INVALID_REPORT.slug
    return problems.invalid_report(issues)


def _unavailable() -> Response:
    g.problem = problems.STORAGE_UNAVAILABLE.slug
    return problems.problem(
        problems.STORAGE_UNAVAILABLE,
        "Rapporten kunde inte sparas just nu. Försök igen om en stund.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@bp.get("/healthz")
def healthz() -> Response:
    """Alive: the process answers. Says nothing about the database (see /readyz)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Response:
    """Ready: the database answers and the data folder takes a file."""
    state = service()
    try:
        state.ctx.storage.ping()
    except StorageUnavailable:
        return problems.problem(problems.NOT_READY, "The database is unavailable.")
    try:
        with tempfile.NamedTemporaryFile(dir=state.settings.data_dir, prefix=".ready-") as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError:
        return problems.problem(problems.NOT_READY, "The data folder is not writable.")
    return jsonify(status="ready")


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(service().openapi)
