"""RFC 9457 problem details (``application/problem+json``) for every error answer.

Each problem has a stable ``type`` URI (documented in the OpenAPI file), a short ``title``
and a ``detail`` for this occurrence. Problems a politician may see through the platform
(422, 503) are in Swedish; protocol problems for the platform's integrators are in English.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Response

from besoksrapport.errors import ValidationIssue

PROBLEM_BASE = "https://besoksrapport.se/problems/"
MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    slug: str
    status: int
    title: str

    @property
    def uri(self) -> str:
        return PROBLEM_BASE + self.slug


MALFORMED_JSON = ProblemType("malformed-json", 400, "The body is not valid JSON")
INVALID_SIGNATURE = ProblemType("invalid-signature", 401, "The webhook signature is not valid")
NOT_FOUND = ProblemType("not-found", 404, "No such resource")
METHOD_NOT_ALLOWED = ProblemType("method-not-allowed", 405, "Method not allowed")
BODY_TOO_LARGE = ProblemType("body-too-large", 413, "The body is too large")
UNSUPPORTED_MEDIA_TYPE = ProblemType("unsupported-media-type", 415,
                                     "The body must be application/json")
INVALID_REPORT = ProblemType("invalid-report", 422, "Rapporten innehåller fel")
INTERNAL_ERROR = ProblemType("internal-error", 500, "Internal server error")
STORAGE_UNAVAILABLE = ProblemType("storage-unavailable", 503,
                                  "Tjänsten är tillfälligt otillgänglig")
NOT_READY = ProblemType("not-ready", 503, "Not ready")

ALL = (MALFORMED_JSON, INVALID_SIGNATURE, NOT_FOUND, METHOD_NOT_ALLOWED, BODY_TOO_LARGE,
       UNSUPPORTED_MEDIA_TYPE, INVALID_REPORT, INTERNAL_ERROR, STORAGE_UNAVAILABLE, NOT_READY)


def problem(kind: ProblemType, detail: str, *, headers: dict[str, str] | None = None,
            **members: object) -> Response:
    body = {"type": kind.uri, "title": kind.title, "status": kind.status, "detail": detail,
            **members}
    return Response(json.dumps(body, ensure_ascii=False), status=kind.status,
                    mimetype=MEDIA_TYPE, headers=headers)


def invalid_report(issues: list[ValidationIssue]) -> Response:
    count = len(issues)
    detail = ("Rapporten har ett fel som måste rättas." if count == 1
              else f"Rapporten har {count} fel som måste rättas.")
    return problem(INVALID_REPORT, detail, errors=[issue.as_dict() for issue in issues])
