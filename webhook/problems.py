"""RFC 9457 problem details (``application/problem+json``) for every error answer.

Each problem has a stable ``type`` URI (documented in the OpenAPI file), a short ``title``
and a ``detail`` for this occurrence. All are Swedish: the platform may show any of them to
the politician who submitted, protocol problems (400, 401, 413, 415) included.
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
    detail: str  # the detail when the occurrence has nothing more specific to say

    @property
    def uri(self) -> str:
        return PROBLEM_BASE + self.slug


MALFORMED_JSON = ProblemType("malformed-json", 400, "Innehållet är inte giltig JSON",
                             "Innehållet går inte att läsa som JSON.")
INVALID_SIGNATURE = ProblemType("invalid-signature", 401, "Signaturen är inte giltig",
                                "Meddelandet har ingen giltig webhook-signatur.")
NOT_FOUND = ProblemType("not-found", 404, "Adressen finns inte",
                        "Det finns ingenting på den här adressen.")
METHOD_NOT_ALLOWED = ProblemType("method-not-allowed", 405, "Metoden är inte tillåten",
                                 "Adressen tar inte emot anrop med den här HTTP-metoden.")
BODY_TOO_LARGE = ProblemType("body-too-large", 413, "Innehållet är för stort",
                             "Innehållet är större än tjänsten tar emot.")
UNSUPPORTED_MEDIA_TYPE = ProblemType("unsupported-media-type", 415,
                                     "Innehållet måste vara application/json",
                                     "Innehållet måste skickas som application/json (UTF-8).")
INVALID_REPORT = ProblemType("invalid-report", 422, "Rapporten innehåller fel",
                             "Rapporten togs inte emot: den har fel som måste rättas. Rätta "
                             "felen och skicka rapporten igen.")
INTERNAL_ERROR = ProblemType("internal-error", 500, "Internt fel i tjänsten",
                             "Ett oväntat fel inträffade och rapporten sparades inte. "
                             "Försök igen.")
STORAGE_UNAVAILABLE = ProblemType("storage-unavailable", 503,
                                  "Tjänsten är tillfälligt otillgänglig",
                                  "Rapporten kunde inte sparas just nu. Försök igen om en "
                                  "stund.")
NOT_READY = ProblemType("not-ready", 503, "Tjänsten är inte redo",
                        "Tjänsten kan inte ta emot rapporter just nu.")

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
    detail = ("Rapporten togs inte emot: den har ett fel som måste rättas. Rätta felet och "
              "skicka rapporten igen." if count == 1 else
              f"Rapporten togs inte emot: den har {count} fel som måste rättas. Rätta felen "
              "och skicka rapporten igen.")
    return problem(INVALID_REPORT, detail, errors=[issue.as_dict() for issue in issues])
