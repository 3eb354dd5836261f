"""When talking to Open ePlatform fails, and whether trying again can help."""

from __future__ import annotations

from besoksrapport.errors import TransportFailed


class OepError(TransportFailed):
    """A request to the platform failed; its text names what was asked for (a flow instance
    id, an HTTP status, a fault), never an answer or a name. 5xx but 501/505, 408, 423 and
    429 are retryable (``failure_reasons.retryable_status``)."""
