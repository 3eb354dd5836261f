"""RFC 9457 problem details (``application/problem+json``) for every error answer.

Each problem has a stable ``type`` URI (documented in the OpenAPI file), a short ``title``
and a ``detail`` for this occurrence. All are Swedish: the platform may show any of them to
the politician who submitted, protocol problems (400, 401, 413, 415) included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus

from flask import Response

from besoksrapport.errors import ValidationIssue
from besoksrapport.swedish import number

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

    @property
    def reason(self) -> str:
        """The status line's reason phrase (HTTP/1.1 wants ASCII there: the English one)."""
        return HTTPStatus(self.status).phrase


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

# Gunicorn's own refusals, before the app sees the request (``gunicorn_worker``).
BAD_REQUEST = ProblemType("bad-request", 400, "Anropet är felaktigt",
                          "Anropet kunde inte läsas: förfrågan följer inte HTTP.")
FORBIDDEN = ProblemType("forbidden", 403, "Anropet är inte tillåtet",
                        "Tjänsten tar inte emot anropet.")
URI_TOO_LONG = ProblemType("uri-too-long", 414, "Adressen är för lång",
                           "Adressen i anropet är längre än tjänsten tar emot.")
EXPECTATION_FAILED = ProblemType("expectation-failed", 417, "Förväntan kan inte uppfyllas",
                                 "Tjänsten kan inte uppfylla anropets Expect-rubrik.")
HEADERS_TOO_LARGE = ProblemType("headers-too-large", 431, "Rubrikerna är för stora",
                                "Anropets rubrikfält är fler eller större än tjänsten tar "
                                "emot.")
NOT_IMPLEMENTED = ProblemType("not-implemented", 501, "Stöds inte",
                              "Anropet använder en överföringskodning som tjänsten inte "
                              "stöder.")
PROTOCOL = (BAD_REQUEST, FORBIDDEN, URI_TOO_LONG, EXPECTATION_FAILED, HEADERS_TOO_LARGE,
            NOT_IMPLEMENTED)
PROTOCOL_BY_STATUS = {kind.status: kind for kind in PROTOCOL}

ALL = (MALFORMED_JSON, INVALID_SIGNATURE, NOT_FOUND, METHOD_NOT_ALLOWED, BODY_TOO_LARGE,
       UNSUPPORTED_MEDIA_TYPE, INVALID_REPORT, INTERNAL_ERROR, STORAGE_UNAVAILABLE, NOT_READY)


def problem_bytes(kind: ProblemType, detail: str, **members: object) -> bytes:
    body = {"type": kind.uri, "title": kind.title, "status": kind.status, "detail": detail,
            **members}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def problem(kind: ProblemType, detail: str, *, headers: dict[str, str] | None = None,
            **members: object) -> Response:
    return Response(problem_bytes(kind, detail, **members), status=kind.status,
                    mimetype=MEDIA_TYPE, headers=headers)


def invalid_report(issues: list[ValidationIssue], total: int) -> Response:
    """``issues`` as shown (capped, see ``errors.capped_issues``), ``total`` as found."""
    detail = ("Rapporten togs inte emot: den har ett fel som måste rättas. Rätta felet och "
              "skicka rapporten igen." if total == 1 else
              f"Rapporten togs inte emot: den har {number(total)} fel som måste rättas. Rätta "
              "felen och skicka rapporten igen.")
    return problem(INVALID_REPORT, detail, errors=[issue.as_dict() for issue in issues],
                   error_count=total)
