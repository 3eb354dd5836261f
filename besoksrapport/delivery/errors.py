"""Why a delivery (WebDAV upload or e-mail) failed, and whether trying again can help."""

from __future__ import annotations

from ..errors import BesoksrapportError


class DeliveryFailed(BesoksrapportError):
    """A document or message did not reach its receiver.

    ``retryable`` tells the outbox what to do: True for outages (connection refused,
    timeouts, 5xx, 429, temporary SMTP codes), so it backs off and tries again; False when
    only a person can fix it (rejected credentials, a missing parent folder, a refused
    recipient), so the item stays visible as failed until someone acts. Messages name the
    receiver and the status, never the document's contents. The text is stored in the
    outbox and shown to the secretary, so it never holds personal data: a WebDAV failure
    names the meeting date, the verb and the HTTP status or exception class, not a report's
    file name or URL (both carry the politician's name).
    """

    def __init__(self, message: str, *, retryable: bool, status: int | None = None):
        self.retryable = retryable
        self.status = status
        super().__init__(message)
