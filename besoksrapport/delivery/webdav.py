"""Mirroring a meeting folder to the document system over WebDAV.

The meeting gets its own collection under the configured base URL (MKCOL); each file is PUT
whole, so the receiver never holds half of it; afterwards the collection is listed (PROPFIND,
Depth 1) and files our filing wrote that the local folder no longer holds are DELETEd, so a
report moved to another meeting leaves the old meeting's folder on the server too.
That clean-up is best effort: a server that cannot be listed (PROPFIND answered 403, 405 or
501) or an account that may PUT but not DELETE leaves stale files behind with one warning in
the log, and the delivery, whose files all arrived, still succeeds.

Errors are sorted for the outbox into temporary (retried with backoff) and permanent (failed
at once, visible until a person acts): see ``retryable_status`` and ``_request``. 401 and
403 are permanent: wrong or expired credentials do not heal by waiting, and retrying with
them can lock the service account; once fixed, the item is retried by hand. TLS errors are
permanent only when they are configuration (see ``tls_is_configuration``).

Error texts end up in the outbox (``besoksrapport outbox``), so they are Swedish and name
the meeting, the verb and the HTTP status or a Swedish reason (with its code for IT), and
never a report's file name or URL: a report's file name carries the politician's name.
"""

from __future__ import annotations

import logging
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterable
from datetime import date
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import requests
import urllib3

from besoksrapport.delivery.document_system import CANNOT_LIST, DELETE_REFUSED
from besoksrapport.delivery.errors import DeliveryFailed
from besoksrapport.failure_reasons import (
    chained_tls_reason,
    error_chain,
    os_reason,
    retryable_status,
    tls_is_configuration,
)
from besoksrapport.filing.folder import FiledMeeting
from besoksrapport.filing.index import DOCX_MIME, INDEX_NAME
from besoksrapport.filing.names import written_by_filing
from besoksrapport.settings import WebdavSettings
from besoksrapport.swedish import capitalized, long_date

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5.0, 60.0)  # connect, read (seconds)
# Answers to PROPFIND or DELETE that mean «this server or account does not do that»: the
# clean-up after a delivery is skipped for them (forbidden, not allowed, not implemented).
CLEAN_UP_REFUSED = {403, 405, 501}
DAV = "{DAV:}"
PROPFIND_BODY = (b'<?xml version="1.0" encoding="utf-8"?>\n'
                 b'<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>')


def content_type(file_name: str) -> str:
    if file_name.endswith(".docx"):
        return DOCX_MIME
    if file_name.endswith(".pdf"):
        return "application/pdf"
    if file_name.endswith(".json"):
        return "application/json; charset=utf-8"
    return "application/octet-stream"


# Hints for an HTTP status, after it in the error text.
REDIRECTED = "omdirigering: kontrollera BESOKSRAPPORT_WEBDAV_URL"
STATUS_HINTS = {
    301: REDIRECTED, 302: REDIRECTED, 307: REDIRECTED, 308: REDIRECTED,
    401: "fel användarnamn, lösenord eller token?", 403: "saknar kontot skrivrätt?",
    404: "mappen finns inte", 408: "tidsgränsen gick ut", 409: "den överordnade mappen saknas",
    423: "låst", 429: "för många anrop", 507: "lagringsutrymmet är slut",
}


def _meeting(folder: str) -> str:
    """«sammanträdet den 10 december 2026» for the meeting folder «2026-12-10»."""
    try:
        return f"sammanträdet den {long_date(date.fromisoformat(folder))}"
    except ValueError:
        return f"sammanträdet {folder}"


def _target(folder: str, file_name: str | None) -> str:
    """What a request was about, for error texts: never a file's name (see the module)."""
    if file_name is None:
        return f"mappen för {_meeting(folder)}"
    if file_name == INDEX_NAME:
        return f"index.json för {_meeting(folder)}"
    return f"ett dokument för {_meeting(folder)}"


def _no_answer(error: requests.RequestException) -> str:
    """Why the document system gave no answer: a timeout, a cut-off answer, or the system's
    own reason for the failed connection (refused, unknown host …)."""
    if isinstance(error, requests.ConnectTimeout):
        return "ingen anslutning inom tidsgränsen"
    if isinstance(error, requests.Timeout):
        return "inget svar inom tidsgränsen"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return "svaret bröts av mitt i"
    system = [link for link in error_chain(error) if isinstance(link, OSError) and not isinstance(
        link, requests.RequestException | urllib3.exceptions.HTTPError)]
    return os_reason(system[0]) if system else "ingen anslutning"


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


class WebdavClient:
    """A small WebDAV client bound to one base collection and one set of credentials; the
    first ``DocumentSystem``."""

    def __init__(self, settings: WebdavSettings, *, timeout: tuple[float, float] = DEFAULT_TIMEOUT,
                 session: requests.Session | None = None):
        self.base = settings.url if settings.url.endswith("/") else settings.url + "/"
        self.timeout = timeout
        self.session = session or requests.Session()
        if settings.token:
            self.session.headers["Authorization"] = f"Bearer {settings.token}"
        elif settings.username is not None:
            # UTF-8 as RFC 7617 asks; requests would send str credentials as Latin-1.
            self.session.auth = requests.auth.HTTPBasicAuth(
                settings.username.encode("utf-8"), (settings.password or "").encode("utf-8"))

    def url(self, *segments: str) -> str:
        """The base URL plus path segments, each percent-encoded («å» and spaces included)."""
        return self.base + "/".join(quote(segment, safe="") for segment in segments)

    def _request(self, method: str, folder: str, file_name: str | None, *,
                 data: bytes | None = None,
                 headers: dict[str, str] | None = None) -> requests.Response:
        """Send one request; a failure to get an answer is sorted and described safely.

        TLS errors that are configuration (a certificate that fails verification, https
        against a plain port) are permanent; other TLS errors, no answer, a timeout or an
        answer cut off midway are temporary.
        The original exception is not chained: its text names the URL.
        """
        url = self.url(folder) + "/" if file_name is None else self.url(folder, file_name)
        what = f"WebDAV {method} av {_target(folder, file_name)}"
        try:
            # No redirects: requests would turn a redirected PUT into a GET (a login page,
            # say) and the upload would look like a success. A 3xx fails in _fail instead.
            return self.session.request(method, url, data=data, headers=headers,
                                        timeout=self.timeout, allow_redirects=False)
        except requests.exceptions.SSLError as error:  # a ConnectionError, so first
            reason = chained_tls_reason(error)
            if tls_is_configuration(error):
                failure = DeliveryFailed(f"{what}: TLS-anslutningen misslyckades: {reason}; "
                                         "kontrollera BESOKSRAPPORT_WEBDAV_URL och serverns "
                                         "certifikat", retryable=False)
            else:
                failure = DeliveryFailed(f"{what}: TLS-anslutningen bröts: {reason}; "
                                         "dokumentsystemet startar kanske om", retryable=True)
        except (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError) as error:
            failure = DeliveryFailed(f"{what}: dokumentsystemet svarade inte – "
                                     f"{_no_answer(error)}", retryable=True)
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                requests.exceptions.MissingSchema):
            failure = DeliveryFailed(f"{what}: adressen i BESOKSRAPPORT_WEBDAV_URL är ogiltig",
                                     retryable=False)
        except requests.RequestException as error:
            failure = DeliveryFailed(f"{what}: oväntat fel ({type(error).__name__})",
                                     retryable=False)
        raise failure

    @staticmethod
    def _fail(method: str, folder: str, file_name: str | None,
              response: requests.Response) -> DeliveryFailed:
        status = response.status_code
        hint = STATUS_HINTS.get(status) or ("fel hos dokumentsystemet" if status >= 500 else "")
        return DeliveryFailed(f"WebDAV {method} av {_target(folder, file_name)}: "
                              f"HTTP {status}" + (f" ({hint})" if hint else ""),
                              retryable=retryable_status(status), status=status)

    def ensure_collection(self, folder: str) -> str:
        """MKCOL the folder under the base; an existing one (405) is fine. Returns its URL."""
        response = self._request("MKCOL", folder, None)
        if response.status_code in (200, 201, 204, 405):
            return self.url(folder) + "/"
        raise self._fail("MKCOL", folder, None, response)

    def put(self, folder: str, file_name: str, data: bytes, mime_type: str | None = None) -> str:
        """PUT one file into ``folder``; 201 (created) and 204 (replaced) are success."""
        headers = {"Content-Type": mime_type or content_type(file_name)}
        response = self._request("PUT", folder, file_name, data=data, headers=headers)
        if response.status_code in (200, 201, 204):
            return self.url(folder, file_name)
        raise self._fail("PUT", folder, file_name, response)

    def delete(self, folder: str, file_name: str) -> None:
        """Remove a file that left the meeting; already gone (404) is fine."""
        response = self._request("DELETE", folder, file_name)
        if response.status_code not in (200, 202, 204, 404):
            raise self._fail("DELETE", folder, file_name, response)

    def list_folder(self, folder: str) -> list[str]:
        """The names of the files in ``folder`` (sub-folders left out); none if it is missing.

        PROPFIND with Depth 1; each entry's href is decoded and must lie directly in the
        folder, else it is left out (we only ever delete what we can place with certainty).
        """
        response = self._request("PROPFIND", folder, None, data=PROPFIND_BODY,
                                 headers={"Depth": "1",
                                          "Content-Type": "application/xml; charset=utf-8"})
        if response.status_code == 404:
            return []
        if response.status_code != 207:
            raise self._fail("PROPFIND", folder, None, response)
        try:
            # A multistatus never needs a DTD; refusing one leaves no entity to expand,
            # and ElementTree resolves no external entities: the parse is safe.
            if b"<!DOCTYPE" in response.content.upper():
                raise ET.ParseError("a DTD in a multistatus")
            tree = ET.fromstring(response.content)  # noqa: S314 (no DTD, see above)
        except ET.ParseError:
            raise DeliveryFailed(f"WebDAV PROPFIND av {_target(folder, None)}: svaret är "
                                 "inte giltig XML", retryable=False) from None
        here = _nfc(unquote(urlsplit(self.url(folder) + "/").path))
        names = []
        for entry in tree.iter(DAV + "response"):
            href = entry.findtext(DAV + "href", default="").strip()
            if entry.find(f".//{DAV}resourcetype/{DAV}collection") is not None:
                continue
            path = unquote(urlsplit(href).path)
            parent, _, name = path.rpartition("/")
            if name and _nfc(parent + "/") == here:
                names.append(name)
        return names

    def _delete_unless_refused(self, folder: str, names: Iterable[str]) -> int | None:
        """DELETE each of ``names``; a file whose DELETE is refused (``CLEAN_UP_REFUSED``) stays.

        Returns the status of a refusal, None when there was none; other failures raise.
        """
        refused = None
        for name in names:
            try:
                self.delete(folder, name)
            except DeliveryFailed as error:
                if error.status not in CLEAN_UP_REFUSED:
                    raise
                refused = error.status
        return refused

    def prune(self, folder: str, meeting_date: date, keep: Collection[str]) -> int | None:
        """DELETE the files in ``folder`` that ``written_by_filing`` and not in ``keep``.

        Names are compared in NFC: a server may answer decomposed. A server that cannot be
        listed (PROPFIND answered 403, 405 or 501) is skipped with a warning. Returns the
        status of a refused DELETE, None when none was refused.
        """
        try:
            listed = self.list_folder(folder)
        except DeliveryFailed as error:
            if error.status not in CLEAN_UP_REFUSED:
                raise
            log.warning(CANNOT_LIST, extra={
                "meeting_date": meeting_date.isoformat(), "method": "PROPFIND",
                "status": error.status})
            return None
        kept = {_nfc(name) for name in keep}
        return self._delete_unless_refused(
            folder, [name for name in listed
                     if _nfc(name) not in kept and written_by_filing(name, meeting_date)])

    def deliver_folder(self, folder: str, local_dir: Path, file_names: Iterable[str]) -> list[str]:
        """MKCOL ``folder`` and PUT each named file from ``local_dir``; index.json last.

        The index goes last so a receiver that sees it can trust every file it lists.
        """
        self.ensure_collection(folder)
        names = [name for name in file_names if name != INDEX_NAME]
        if (local_dir / INDEX_NAME).exists():
            names.append(INDEX_NAME)
        urls = []
        for name in names:
            try:
                data = (local_dir / name).read_bytes()
            except OSError as error:
                # Gone: a filing running beside us removed it; the next attempt sees that.
                what = _target(folder, name)
                raise DeliveryFailed(f"{capitalized(what)} gick inte att läsa inför "
                                     f"överföringen: {os_reason(error)}",
                                     retryable=isinstance(error, FileNotFoundError)) from None
            urls.append(self.put(folder, name, data))
        return urls

    def deliver_meeting(self, filed: FiledMeeting) -> list[str]:
        """Make the remote meeting folder hold exactly the local one's files.

        Upload every file and index.json (PUT replaces, so a delivery interrupted halfway
        is simply repeated), then delete what this filing removed and, found by listing,
        every other file ``written_by_filing`` that the local folder no longer holds: the
        local ``removed`` list is empty when the folder was refiled before this delivery.
        Deletions come after the new index.json, which never lists a deleted file. A DELETE
        the server or account refuses (403, 405, 501) leaves that file and logs one warning
        per delivery, without names: the files the meeting needs have all arrived.
        """
        folder = filed.meeting_date.isoformat()
        names = [item.file_name for item in filed.files]
        urls = self.deliver_folder(folder, filed.meeting_dir, names)
        keep = {*names, INDEX_NAME}
        refused = self._delete_unless_refused(
            folder, [name for name in filed.removed if name not in keep])
        refused = self.prune(folder, filed.meeting_date, keep) or refused
        if refused is not None:
            log.warning(DELETE_REFUSED, extra={
                "meeting_date": folder, "method": "DELETE", "status": refused})
        return urls
