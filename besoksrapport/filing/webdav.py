"""Uploading a meeting's files to the document system over WebDAV (plain HTTP PUT + MKCOL).

Only the two verbs every WebDAV server and most document systems accept are used. The
meeting gets its own collection under the configured base URL; a file is PUT whole, so the
receiver never holds half of it. Errors are sorted into retryable (the server is down or
busy) and not retryable (a person must fix the configuration) for the outbox.

401 and 403 are **not** retryable: wrong or expired credentials do not heal by waiting, and
retrying with them can lock the service account. The outbox keeps the item as failed and
visible; once the credentials are fixed it is retried by hand, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import requests

from ..settings import WebdavSettings
from .errors import DeliveryFailed
from .index import DOCX_MIME, INDEX_NAME

if TYPE_CHECKING:
    from .folder import FiledMeeting

DEFAULT_TIMEOUT = (5.0, 60.0)  # connect, read (seconds)
RETRYABLE_STATUS = {408, 423, 425, 429, 500, 502, 503, 504, 507}


def content_type(file_name: str) -> str:
    if file_name.endswith(".docx"):
        return DOCX_MIME
    if file_name.endswith(".json"):
        return "application/json; charset=utf-8"
    return "application/octet-stream"


class WebdavClient:
    """A small WebDAV client bound to one base collection and one set of credentials."""

    def __init__(self, settings: WebdavSettings, *, timeout: tuple[float, float] = DEFAULT_TIMEOUT,
                 session: requests.Session | None = None):
        self.base = settings.url if settings.url.endswith("/") else settings.url + "/"
        self.timeout = timeout
        self.session = session or requests.Session()
        if settings.token:
            self.session.headers["Authorization"] = f"Bearer {settings.token}"
        elif settings.username is not None:
            # UTF-8 as RFC 7617 asks; requests would send str credentials as Latin-1.
            self.session.auth = (settings.username.encode("utf-8"),
                                 (settings.password or "").encode("utf-8"))

    def url(self, *segments: str) -> str:
        """The base URL plus path segments, each percent-encoded («å» and spaces included)."""
        return self.base + "/".join(quote(segment, safe="") for segment in segments)

    def _request(self, method: str, url: str, **kwargs: object) -> requests.Response:
        try:
            # No redirects: requests would turn a redirected PUT into a GET (a login page,
            # say) and the upload would look like a success. A 3xx fails below instead.
            return self.session.request(method, url, timeout=self.timeout,
                                        allow_redirects=False, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as error:
            raise DeliveryFailed(f"{method} {url}: the document system did not answer "
                                 f"({type(error).__name__})", retryable=True) from error
        except requests.RequestException as error:
            raise DeliveryFailed(f"{method} {url}: {type(error).__name__}",
                                 retryable=False) from error

    @staticmethod
    def _fail(method: str, url: str, response: requests.Response) -> DeliveryFailed:
        status = response.status_code
        retryable = status in RETRYABLE_STATUS or status >= 500
        hint = {401: " (wrong credentials?)", 403: " (no write permission?)",
                301: " (redirected: check BESOKSRAPPORT_WEBDAV_URL)",
                302: " (redirected: check BESOKSRAPPORT_WEBDAV_URL)",
                307: " (redirected: check BESOKSRAPPORT_WEBDAV_URL)",
                308: " (redirected: check BESOKSRAPPORT_WEBDAV_URL)",
                409: " (the parent collection is missing)"}.get(status, "")
        return DeliveryFailed(f"{method} {url}: HTTP {status}{hint}", retryable=retryable,
                              status=status)

    def ensure_collection(self, folder: str) -> str:
        """MKCOL the folder under the base; an existing one (405) is fine. Returns its URL."""
        url = self.url(folder) + "/"
        response = self._request("MKCOL", url)
        if response.status_code in (200, 201, 204, 405):
            return url
        raise self._fail("MKCOL", url, response)

    def put(self, folder: str, file_name: str, data: bytes, mime_type: str | None = None) -> str:
        """PUT one file into ``folder``; 201 (created) and 204 (replaced) are success."""
        url = self.url(folder, file_name)
        headers = {"Content-Type": mime_type or content_type(file_name)}
        response = self._request("PUT", url, data=data, headers=headers)
        if response.status_code in (200, 201, 204):
            return url
        raise self._fail("PUT", url, response)

    def delete(self, folder: str, file_name: str) -> None:
        """Remove a file that left the meeting; already gone (404) is fine."""
        url = self.url(folder, file_name)
        response = self._request("DELETE", url)
        if response.status_code not in (200, 202, 204, 404):
            raise self._fail("DELETE", url, response)

    def deliver_folder(self, folder: str, local_dir: Path, file_names: Iterable[str]) -> list[str]:
        """MKCOL ``folder`` and PUT each named file from ``local_dir``; index.json last.

        The index goes last so a receiver that sees it can trust every file it lists.
        """
        self.ensure_collection(folder)
        names = [name for name in file_names if name != INDEX_NAME]
        if (local_dir / INDEX_NAME).exists():
            names.append(INDEX_NAME)
        return [self.put(folder, name, (local_dir / name).read_bytes()) for name in names]

    def deliver_meeting(self, filed: FiledMeeting) -> list[str]:
        """Mirror a filed meeting: its files and index.json up, the files it removed away.

        The remote folder is named like the local one (``YYYY-MM-DD``). Every file is sent
        each time (PUT replaces), so a delivery interrupted halfway is simply repeated.
        """
        folder = filed.meeting_date.isoformat()
        urls = self.deliver_folder(folder, filed.meeting_dir,
                                   [item.file_name for item in filed.files])
        for name in filed.removed:
            self.delete(folder, name)
        return urls
