"""When talking to Open ePlatform fails, and whether trying again can help."""

from __future__ import annotations

from ..errors import BesoksrapportError


class OepError(BesoksrapportError):
    """A request to the platform failed.

    ``retryable`` is True for outages (no answer, a timeout, 5xx but 501/505, 408, 423, 429),
    so the next round or the outbox tries again; False when a person must act (rejected
    credentials, a missing e-service or status, a refusal by the platform). The text is in
    Swedish, is shown in ``besoksrapport outbox`` and the command's output, and names what
    was asked for (a flow instance id, an HTTP status, a fault), never an answer or a name.
    """

    def __init__(self, message: str, *, retryable: bool, status: int | None = None):
        self.retryable = retryable
        self.status = status
        super().__init__(message)
