"""Open ePlatform's REST API (and the POST of its SOAP callback), with requests.

``GET {base}/api/instanceapi/getinstances/family/{familyID}[/{status}]?fromDate=&toDate=``
lists flow instances (dates ``yyyy-MM-dd HH:mm``, the platform's local time, Stockholm);
``GET {base}/api/instanceapi/getinstance/{id}/xml`` is one FlowInstance export;
``POST {base}/api/callback`` takes the SOAP 1.1 integration callback. Every request logs in
as the API user with HTTP Basic. Failures are sorted as for WebDAV (``retryable_status``,
``tls_is_configuration`` in ``failure_reasons``) and described without the URL (which
holds no personal data, but the platform's answers may).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from besoksrapport.failure_reasons import retryable_status, tls_is_configuration
from besoksrapport.oep.errors import AnswerTooLarge, OepError
from besoksrapport.oep.flowinstance import MAX_XML_BYTES
from besoksrapport.settings import OepSettings
from besoksrapport.swedish import STOCKHOLM

if TYPE_CHECKING:  # requests is loaded by the first client, not by every command
    import requests

DEFAULT_TIMEOUT = (5.0, 60.0)  # connect, read (seconds)
CHUNK_BYTES = 64 * 1024
DATE_FORMAT = "%Y-%m-%d %H:%M"  # the platform's yyyy-MM-dd HH:mm
HINTS = {401: " (fel användarnamn eller lösenord för API-användaren?)",
         403: " (API-användaren saknar behörighet till e-tjänsten?)",
         404: " (finns inte)"}


def platform_time(moment: dt.datetime) -> str:
    """A moment as the platform's query parameters write it: Stockholm time, to the minute."""
    return moment.astimezone(STOCKHOLM).strftime(DATE_FORMAT)


@dataclass(frozen=True)
class Answer:
    """The platform's answer, read in full (but never past the client's ``max_bytes``)."""

    status_code: int
    content: bytes


class OepClient:
    """The platform's API, bound to one address and one API user."""

    def __init__(self, settings: OepSettings, *,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT,
                 session: requests.Session | None = None, max_bytes: int = MAX_XML_BYTES):
        import requests

        self.base = settings.url
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.session = session or requests.Session()
        # UTF-8 as RFC 7617 asks; requests would send str credentials as Latin-1.
        self.session.auth = requests.auth.HTTPBasicAuth(settings.username.encode("utf-8"),
                                                        settings.password.encode("utf-8"))

    def _send(self, method: str, path: str, what: str, *,
              params: dict[str, str] | None = None, data: bytes | None = None,
              headers: dict[str, str] | None = None) -> Answer:
        """One request and its whole answer, at most ``max_bytes`` of it; getting no answer
        raises ``OepError``, a longer one ``AnswerTooLarge`` (the caller reads the status)."""
        import requests

        try:
            # No redirects: a redirect to a login page would look like an answer. Streamed,
            # so an endless answer is cut off at the limit instead of filling the memory.
            response = self.session.request(method, self.base + path, params=params,
                                            data=data, headers=headers, timeout=self.timeout,
                                            allow_redirects=False, stream=True)
            with response:
                return Answer(response.status_code, self._read(response, what))
        except requests.exceptions.SSLError as error:  # a ConnectionError, so first
            configuration = tls_is_configuration(error)
            raise OepError(f"Open ePlatform: TLS misslyckades när {what} (SSLError)"
                           + ("; kontrollera BESOKSRAPPORT_OEP_URL och plattformens "
                              "certifikat" if configuration else ""),
                           retryable=not configuration) from None
        except (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError) as error:
            raise OepError(f"Open ePlatform svarade inte när {what} ({type(error).__name__})",
                           retryable=True) from None
        except requests.RequestException as error:
            raise OepError(f"Open ePlatform: {type(error).__name__} när {what}",
                           retryable=False) from None

    def _read(self, response: requests.Response, what: str) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
            raise AnswerTooLarge(what, self.max_bytes)
        pieces, size = [], 0
        for piece in response.iter_content(CHUNK_BYTES):
            size += len(piece)
            if size > self.max_bytes:
                raise AnswerTooLarge(what, self.max_bytes)
            pieces.append(piece)
        return b"".join(pieces)

    def _fail(self, response: Answer, what: str) -> OepError:
        status = response.status_code
        return OepError(f"Open ePlatform svarade HTTP {status} när {what}{HINTS.get(status, '')}",
                        retryable=retryable_status(status), status=status)

    def list_instances(self, family_id: int, status: str | None,
                       since: dt.datetime | None, until: dt.datetime) -> bytes:
        """The getInstances answer for the family (and status) in the window."""
        path = f"/api/instanceapi/getinstances/family/{family_id}"
        if status:
            path += "/" + quote(status, safe="")
        params = {"toDate": platform_time(until)}
        if since is not None:
            params = {"fromDate": platform_time(since), **params}
        what = f"ärendena i e-tjänsten {family_id} listades"
        response = self._send("GET", path, what, params=params)
        if response.status_code != 200:
            raise self._fail(response, what)
        return response.content

    def flow_instance(self, flow_instance_id: int) -> bytes:
        """One flow instance's XML export as the platform wrote it (its declaration names the
        encoding, so it stays bytes)."""
        what = f"ärende {flow_instance_id} hämtades"
        response = self._send("GET", f"/api/instanceapi/getinstance/{flow_instance_id}/xml",
                              what)
        if response.status_code != 200:
            raise self._fail(response, what)
        return response.content

    def callback(self, body: bytes, what: str) -> Answer:
        """POST one SOAP 1.1 request; the caller reads the answer (a fault is a 500)."""
        return self._send("POST", "/api/callback", what, data=body, headers={
            "Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'})
