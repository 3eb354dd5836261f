"""When talking to Open ePlatform fails, and whether trying again can help."""

from __future__ import annotations

from besoksrapport.errors import TransportFailed


class OepError(TransportFailed):
    """A request to the platform failed; its text names what was asked for (a flow instance
    id, an HTTP status, a fault), never an answer or a name. 5xx but 501/505, 408, 423 and
    429 are retryable (``failure_reasons.retryable_status``)."""


class AnswerTooLarge(OepError):
    """The platform's answer ran past ``flowinstance.MAX_XML_BYTES``; reading stopped there.

    Not retryable: the same instance would be as large the next time.
    """

    def __init__(self, what: str, limit: int):
        super().__init__(f"Open ePlatform svarade med mer än {limit // 2**20} MiB när {what}",
                         retryable=False, status=200)
